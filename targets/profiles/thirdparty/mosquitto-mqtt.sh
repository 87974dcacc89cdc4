#!/bin/sh
# Runs the Mosquitto MQTT broker (Debian package mosquitto) in the foreground on HOST:PORT (TCP),
# from a config file written into TMPDIR: one listener, anonymous clients allowed, no persistence,
# its log on stderr.
#   usage: mosquitto-mqtt.sh HOST PORT TMPDIR     e.g. ::1 40123 /tmp/sockspec-x
# A listener on port 0 is a Unix socket in mosquitto ("the port must be set to 0, and the unix
# socket path must be given", mosquitto.conf(5), listener), so the profile uses `port: pick`.
# TMPDIR is the harness's private folder for this instance (the profile's {tmpdir}). The last
# step is `exec`, so the harness's SIGTERM reaches mosquitto itself.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST PORT TMPDIR" >&2; exit 2; }
host=$1 port=$2 dir=$3
conf=$dir/mosquitto.conf

# mosquitto.conf(5):
#   listener PORT HOST     binds HOST, not the wildcard (without a host it binds every address)
#   allow_anonymous true   2.0 refuses clients without credentials by default
#   persistence false      nothing written to disk (the default, said here)
#   log_dest stderr        instead of the package's /var/log/mosquitto file or syslog
# Not set, so mosquitto's defaults hold: max_connections -1 (no limit), a zero-length client id
# allowed (the broker assigns one), and, as root, privileges dropped to the "mosquitto" user once
# the listener is bound (`user`; the config is read before that).
{
  echo "# written by mosquitto-mqtt.sh for one sockspec instance"
  echo "per_listener_settings false"
  echo "listener $port $host"
  echo "allow_anonymous true"
  echo "persistence false"
  echo "log_dest stderr"
} > "$conf"

exec /usr/sbin/mosquitto -c "$conf"
