#!/usr/bin/python3
"""Echo (RFC 862) on Python's standard socketserver module, with the library's defaults.

    usage: python-socketserver-echo.py HOST PORT tcp|udp

TCP: socketserver.ThreadingTCPServer, a thread per connection; UDP: ThreadingUDPServer, a thread
per datagram. What is under test is the library (binding, listen backlog, SO_REUSEADDR, accept
loop, threads, datagram receive size); the handlers below are the smallest correct echo, so that
every failure is the library's. PORT may be 0: the harness reads the port from /proc.
"""
import socket
import socketserver
import sys


class TCPEcho(socketserver.BaseRequestHandler):
    def handle(self):
        while True:
            data = self.request.recv(65536)
            if not data:
                return
            self.request.sendall(data)


class UDPEcho(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        sock.sendto(data, self.client_address)


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("tcp", "udp"):
        sys.exit("usage: python-socketserver-echo.py HOST PORT tcp|udp")
    host, port, transport = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if transport == "tcp":
        base, handler = socketserver.ThreadingTCPServer, TCPEcho
    else:
        base, handler = socketserver.ThreadingUDPServer, UDPEcho

    class Server(base):
        # The only attribute changed: socketserver servers are IPv4 unless told otherwise.
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    with Server((host, port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
