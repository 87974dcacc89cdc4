#!/bin/sh
# Runs xinetd (Debian package xinetd) in the foreground with one of its INTERNAL services (echo,
# discard, daytime, chargen: the code under test is xinetd's own builtins, nothing written here)
# on HOST:PORT over TRANSPORTS, from a config file written into DIR (the harness's {tmpdir}, a
# private folder it removes once the program has ended).
#   usage: xinetd-internal.sh HOST PORT SERVICE TRANSPORTS DIR   e.g. ::1 40123 echo tcp,udp /tmp/x
# xinetd cannot bind port 0 (`port` must be a real number), so the profiles use `port: pick`.
# The last step is `exec xinetd`, so the harness's SIGTERM reaches xinetd itself.
set -eu
[ $# -eq 5 ] || { echo "usage: $0 HOST PORT SERVICE TRANSPORTS DIR" >&2; exit 2; }
host=$1 port=$2 service=$3 transports=$4 dir=$5
conf=$dir/xinetd.conf

# IPv6 services need the IPv6 flag (xinetd.conf(5), flags); IPv4 is the default.
family_flag=IPv4
case $host in *:*) family_flag=IPv6 ;; esac

{
  # Rate limits off: by default xinetd disables a service for 10 s once more than 50 connections
  # arrive in one second (xinetd.conf(5), cps). That is an admission policy, not socket handling,
  # and it would turn every many-connection scenario into a 10 s outage.
  echo "defaults"
  echo "{"
  echo "  cps       = 100000 1"
  echo "  instances = UNLIMITED"
  echo "  per_source = UNLIMITED"
  echo "}"
  for transport in $(echo "$transports" | tr ',' ' '); do
    case $transport in
      tcp) socket_type=stream wait=no ;;
      udp) socket_type=dgram wait=yes ;;
      *) echo "$0: unknown transport '$transport'" >&2; exit 2 ;;
    esac
    # The service name selects the builtin; `id` tells the tcp and udp entries apart, as in
    # Debian's /etc/xinetd.d/echo. UNLISTED: the port comes from here, not /etc/services.
    echo "service $service"
    echo "{"
    echo "  id          = $service-$socket_type"
    echo "  type        = INTERNAL UNLISTED"
    echo "  socket_type = $socket_type"
    echo "  protocol    = $transport"
    echo "  wait        = $wait"
    echo "  bind        = $host"
    echo "  port        = $port"
    echo "  flags       = $family_flag NOLIBWRAP"
    echo "}"
  done
} > "$conf"

# xinetd needs its config as a regular file (it closes inherited descriptors, so /dev/fd/N will
# not do): it is written into the harness's {tmpdir}, which the harness removes after the case.
# (A watcher of its own, in a session of its own, was a process left running after the stop:
# the harness's containment rightly failed every case for it.)

# -dontfork: stay in the foreground; -filelog: xinetd's own messages (bind errors...) on stderr
# instead of syslog, so the harness shows them.
set -- xinetd -dontfork -f "$conf" -filelog /dev/stderr

# Before serving a forked TCP service (echo, discard, chargen), xinetd's child looks the peer's
# name up (getnameinfo without NI_NUMERICHOST, to retitle the process: child.c). ::1 is in a
# stock Debian /etc/hosts, but some machines' hosts file (this sandbox's) lacks it, so every IPv6
# connection would wait for a DNS server off this machine (seconds when it drops the query, and
# traffic off loopback). Then xinetd runs in a mount namespace of its own where /etc/hosts is the
# machine's plus the stock ::1 line. See README.md, "xinetd: reverse lookups".
if ! grep -qE '^[[:space:]]*::1[[:space:]]' /etc/hosts; then
  { cat /etc/hosts; echo "::1 localhost ip6-localhost ip6-loopback"; } > "$dir/hosts"
  if [ "$(id -u)" -eq 0 ] && unshare --mount true 2> /dev/null; then
    # unshare without --fork and sh's exec keep this pid: the harness still signals xinetd.
    exec unshare --mount sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' "$dir/hosts" "$@"
  fi
  echo "$0: warning: /etc/hosts has no ::1 entry and no mount namespace can be made:" \
       "xinetd will ask DNS for ::1 on every IPv6 TCP connection" >&2
fi
exec "$@"
