#!/bin/sh
# Runs Unbound (Debian package unbound) in the foreground as a DNS server on HOST:PORT over UDP
# and TCP (one port), answering from local data alone, from a config file written into TMPDIR:
#   sockspec.test, A             -> 192.0.2.1
#   NAME.pc.sockspec.test, A     -> 192.0.2.1 for every NAME (a redirect zone), for the per-client
#                                   exchange: the answer echoes the name asked
#   large.sockspec.test, TXT     -> 80 records of 3 strings of 255 bytes, a 62437-byte answer
#                                   (TCP only: over UDP it is truncated, TC set)
#   any other name               -> REFUSED: nothing is ever sent off this machine
#   usage: unbound-dns.sh HOST PORT TMPDIR     e.g. ::1 40123 /tmp/sockspec-x
# Unbound rejects port 0 ("port number expected"), so the profile uses `port: pick`. TMPDIR is the
# harness's private folder for this instance (the profile's {tmpdir}). The last step is `exec`,
# so the harness's SIGTERM reaches unbound itself.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST PORT TMPDIR" >&2; exit 2; }
host=$1 port=$2 dir=$3
conf=$dir/unbound.conf

# Bound to HOST itself; asked for the wildcard (a case's `target: {bind: wildcard}`),
# interface-automatic instead, which is how unbound.conf(5) says to serve every address: it binds
# the wildcard and answers each UDP query from the address it came to (IP_PKTINFO); a plain
# `interface: 0.0.0.0` answers from the primary address.
case $host in
  0.0.0.0 | ::) listen="interface-automatic: yes" ;;
  *) listen="interface: $host" ;;
esac

pad=$(printf '%252s' '' | tr ' ' x)
{
  # unbound.conf(5). username "": no change of user (as root it would drop to "unbound", which
  # cannot enter TMPDIR, mode 0700); chroot "": none; logfile "" with use-syslog no: stderr;
  # module-config iterator: no DNSSEC validator, so no trust anchor file is needed. Everything
  # else keeps unbound's defaults, among them num-threads 1, incoming-num-tcp 10 (TCP connections
  # served at once), tcp-idle-timeout 30 s (cut down to 200 ms while more than half of the 10 are
  # in use) and so-reuseport yes.
  echo "# written by unbound-dns.sh for one sockspec instance"
  echo "server:"
  echo "    $listen"
  echo "    port: $port"
  echo "    do-udp: yes"
  echo "    do-tcp: yes"
  echo "    username: \"\""
  echo "    chroot: \"\""
  echo "    directory: \"$dir\""
  echo "    pidfile: \"$dir/unbound.pid\""
  echo "    use-syslog: no"
  echo "    logfile: \"\""
  echo "    module-config: \"iterator\""
  echo "    local-zone: \".\" refuse"
  echo "    local-zone: \"sockspec.test.\" static"
  echo "    local-data: \"sockspec.test. 0 IN A 192.0.2.1\""
  # A redirect zone answers every name at or below it with the zone's own data, under the name
  # asked (unbound.conf(5), local-zone, redirect); it may hold no other data beneath it, hence a
  # zone of its own. The per-client exchange asks c<client>s<seq>.pc.sockspec.test.
  echo "    local-zone: \"pc.sockspec.test.\" redirect"
  echo "    local-data: \"pc.sockspec.test. 0 IN A 192.0.2.1\""
  i=0
  while [ $i -lt 80 ]; do
    n=$(printf '%02d' $i)
    echo "    local-data: 'large.sockspec.test. 0 IN TXT \"${n}0$pad\" \"${n}1$pad\" \"${n}2$pad\"'"
    i=$((i + 1))
  done
  echo "remote-control:"
  echo "    control-enable: no"
} > "$conf"

# -d: stay in the foreground (unbound(8)); -c: this config only (not /etc/unbound).
exec /usr/sbin/unbound -d -c "$conf"
