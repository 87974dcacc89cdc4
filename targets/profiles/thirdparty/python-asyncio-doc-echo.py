#!/usr/bin/python3
"""The echo servers of Python's asyncio documentation (3.11), run as they are printed there.

    usage: python-asyncio-doc-echo.py HOST PORT tcp|udp

tcp: "TCP echo server using streams" (library/asyncio-stream.rst, Examples);
udp: "UDP Echo Server" (library/asyncio-protocol.rst, Examples).
handle_echo and EchoServerProtocol are the documentation's, line for line; the only changes are
in the main()s: the address comes from the command line instead of '127.0.0.1', 8888 / 9999,
and the UDP server serves until it is stopped instead of for one hour. Code that people copy:
what the suite finds in it is the point (README.md, "asyncio documentation examples").
"""
import asyncio
import sys


# --- TCP: library/asyncio-stream.rst, "TCP echo server using streams" ---------------------------

async def handle_echo(reader, writer):
    data = await reader.read(100)
    message = data.decode()
    addr = writer.get_extra_info('peername')

    print(f"Received {message!r} from {addr!r}")

    print(f"Send: {message!r}")
    writer.write(data)
    await writer.drain()

    print("Close the connection")
    writer.close()
    await writer.wait_closed()


async def tcp_main(host, port):
    server = await asyncio.start_server(
        handle_echo, host, port)

    addrs = ', '.join(str(sock.getsockname()) for sock in server.sockets)
    print(f'Serving on {addrs}')

    async with server:
        await server.serve_forever()


# --- UDP: library/asyncio-protocol.rst, "UDP Echo Server" ----------------------------------------

class EchoServerProtocol:
    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        message = data.decode()
        print('Received %r from %s' % (message, addr))
        print('Send %r to %s' % (message, addr))
        self.transport.sendto(data, addr)


async def udp_main(host, port):
    print("Starting UDP server")

    # Get a reference to the event loop as we plan to use
    # low-level APIs.
    loop = asyncio.get_running_loop()

    # One protocol instance will be created to serve all
    # client requests.
    transport, protocol = await loop.create_datagram_endpoint(
        lambda: EchoServerProtocol(),
        local_addr=(host, port))

    try:
        await asyncio.Event().wait()  # the documentation: asyncio.sleep(3600), one hour
    finally:
        transport.close()


if __name__ == '__main__':
    if len(sys.argv) != 4 or sys.argv[3] not in ('tcp', 'udp'):
        sys.exit('usage: python-asyncio-doc-echo.py HOST PORT tcp|udp')
    main = tcp_main if sys.argv[3] == 'tcp' else udp_main
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
