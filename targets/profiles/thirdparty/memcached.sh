#!/bin/sh
# Runs memcached (Debian package memcached) in the foreground on HOST:PORT over TRANSPORTS, with
# every setting at memcached's default (4 worker threads, 1024 connections, listen backlog 1024,
# no idle timeout: memcached -h).
#   usage: memcached.sh HOST PORT TRANSPORTS       e.g. ::1 40123 tcp,udp
# memcached(1): "-p <num> Listen on TCP port <num> ... 0 means off", "-U <num> Listen on UDP port
# <num>, the default is port 0, which is off"; so port 0 cannot ask for an ephemeral port (an
# undocumented -p -1 does, for TCP only) and the profile uses `port: pick`: TCP and UDP on the same
# picked port when both are asked for.
# The last step is `exec memcached`, so the harness's signals reach memcached itself.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST PORT TRANSPORTS" >&2; exit 2; }
host=$1 port=$2 transports=$3

tcp=0 udp=0
for transport in $(echo "$transports" | tr ',' ' '); do
  case $transport in
    tcp) tcp=$port ;;
    udp) udp=$port ;;
    *) echo "$0: unknown transport '$transport'" >&2; exit 2 ;;
  esac
done

set -- memcached -l "$host" -p "$tcp" -U "$udp"
# Run as root, memcached refuses to start without -u ("can't run as root without the -u switch");
# it then drops to that user, as Debian's /etc/memcached.conf has it (-u memcache). Not root, -u
# is not needed (memcached(1): "only when run as root").
if [ "$(id -u)" -eq 0 ]; then set -- "$@" -u memcache; fi
exec "$@"
