#!/bin/sh
# Runs OpenSSH's sshd (Debian package openssh-server) in the foreground on HOST:PORT (TCP), with
# a fresh ed25519 host key and a config of its own in TMPDIR (the machine's /etc/ssh is not
# read), and every way to log in disabled: it is under test as a server that speaks first (its
# version banner) and then answers the client's version line with its KEXINIT packet.
#   usage: openssh-sshd.sh HOST PORT TMPDIR     e.g. ::1 40123 /tmp/sockspec-x
# sshd refuses port 0 ("Badly formatted port number"), so the profile uses `port: pick`. TMPDIR is
# the harness's private folder for this instance (the profile's {tmpdir}). The last step is
# `exec`, so the harness's SIGTERM reaches sshd itself.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST PORT TMPDIR" >&2; exit 2; }
host=$1 port=$2 dir=$3

# Run as root, sshd needs its privilege separation directory, /run/sshd, root-owned and not
# group or world writable ("Missing privilege separation directory: /run/sshd" otherwise).
# Debian's ssh.service (RuntimeDirectory=sshd) and init script create it when the service starts;
# a machine where the package was installed but the service never ran has none.
if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
  mkdir -p -m 0755 /run/sshd
fi

# An ed25519 host key: made in milliseconds, and only one key type, so the KEXINIT offers one
# host key algorithm (ssh-ed25519) and its length is known.
ssh-keygen -q -t ed25519 -N '' -C sockspec -f "$dir/ssh_host_ed25519_key"

# sshd_config(5). ListenAddress and Port: HOST only, not the wildcard. PidFile none: none written.
# MaxStartups 1000: by default (10:30:100) sshd drops 30 % of new connections, at random, once 10
# are unauthenticated, rising to all of them at 100; by hand 17 of 50 held connections and 26 of
# a burst of 64 were dropped. That is admission policy against floods, not socket handling, and
# random: it would make every many-connection scenario a lottery (as xinetd's cps, README.md).
# No login is possible: every method is off and DenyUsers matches every user (the harness runs as
# root, whose keys may well be in /root/.ssh).
cat > "$dir/sshd_config" << EOF
# written by openssh-sshd.sh for one sockspec instance
Port $port
ListenAddress $host
HostKey $dir/ssh_host_ed25519_key
PidFile none
UsePAM no
MaxStartups 1000
PermitRootLogin no
PubkeyAuthentication no
AuthorizedKeysFile none
PasswordAuthentication no
KbdInteractiveAuthentication no
DenyUsers *
EOF

# -D: no daemonising; -e: log to stderr; -f: this config only. sshd re-executes itself for every
# connection, which needs an absolute path ("sshd re-exec requires execution with an absolute
# path").
exec /usr/sbin/sshd -D -e -f "$dir/sshd_config"
