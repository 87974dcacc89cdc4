#!/bin/sh
# Runs dnsmasq (Debian package dnsmasq) in the foreground as a DNS server only, on HOST:PORT over
# UDP and TCP (always both: dnsmasq opens the two sockets on one port), answering from local data
# alone: no upstream servers, no /etc/hosts, no DHCP.
#   usage: dnsmasq-dns.sh HOST PORT TMPDIR     e.g. ::1 40123 /tmp/sockspec-x
#   sockspec.test (and every name below it), A      -> 192.0.2.1 (--address), so also the
#                                                      per-client exchange's
#                                                      c<client>s<seq>.pc.sockspec.test
#   large.sockspec.test, TXT                        -> 80 records of 3 strings of 255 bytes, a
#                                                      62437-byte answer (TCP only: over UDP it
#                                                      is truncated, TC set)
# dnsmasq cannot take port 0 ("Setting this to zero completely disables DNS function", dnsmasq(8),
# --port), so the profile uses `port: pick`. TMPDIR is the harness's private folder for this
# instance (the profile's {tmpdir}); it holds the generated config file. The last step is `exec`,
# so the harness's SIGTERM reaches dnsmasq itself.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST PORT TMPDIR" >&2; exit 2; }
host=$1 port=$2 dir=$3
conf=$dir/dnsmasq.conf

# The large TXT answer. dnsmasq reads config lines with fgets(buff, MAXDNAME) (option.c,
# read_file; MAXDNAME is 1025), so a longer line is cut and the rest read as a bad option: three
# 255-byte strings per txt-record line, 80 lines, which dnsmasq merges into one RRset for the name.
pad=$(printf '%252s' '' | tr ' ' x)
{
  echo "# written by dnsmasq-dns.sh for one sockspec instance"
  i=0
  while [ $i -lt 80 ]; do
    n=$(printf '%02d' $i)
    echo "txt-record=large.sockspec.test,${n}0$pad,${n}1$pad,${n}2$pad"
    i=$((i + 1))
  done
} > "$conf"

# --keep-in-foreground: no daemonising, but otherwise as in production (a forked child per TCP
#   connection, privileges dropped to "nobody" when started as root: dnsmasq(8), -k and -u);
#   -d (--no-daemon) would change both.
# --conf-file: this file only (not /etc/dnsmasq.conf nor /etc/dnsmasq.d).
# --no-resolv, --no-hosts: no upstream servers, no /etc/hosts: every answer is local, and a name
#   not configured here is answered REFUSED, never sent off this machine.
# --listen-address + --bind-interfaces: bind HOST itself, not the wildcard (dnsmasq(8), -z).
#   Asked for the wildcard (a case's `target: {bind: wildcard}`), dnsmasq's default mode instead:
#   no address options, one wildcard socket per family, and each UDP answer sent from the address
#   its query came to (IP_PKTINFO). --bind-interfaces with --listen-address=0.0.0.0 would bind
#   the wildcard too but answer everything from 127.0.0.1 (checked by hand).
case $host in
  0.0.0.0 | ::) set -- ;;
  *) set -- --listen-address="$host" --bind-interfaces ;;
esac
# --log-facility=-: log to stderr; --pid-file without a value: no pid file (dnsmasq(8), "Options
#   without arguments").
exec /usr/sbin/dnsmasq --keep-in-foreground --conf-file="$conf" --no-resolv --no-hosts \
  "$@" --port="$port" --address=/sockspec.test/192.0.2.1 --log-facility=- --pid-file
