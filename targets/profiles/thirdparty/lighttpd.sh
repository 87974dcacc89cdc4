#!/bin/sh
# Runs lighttpd (Debian package lighttpd) in the foreground on HOST:PORT, from a config and a
# document root written into DIR (the profile's {tmpdir}: private to this instance, removed by the
# harness once lighttpd has ended).
#   usage: lighttpd.sh HOST PORT DIR        e.g. ::1 40123 /tmp/sockspec-target.XXXX
# lighttpd takes `server.port = 0` for "not set" and listens on 80 (checked by hand), so the
# profile uses `port: pick`. The last step is `exec lighttpd`, so the harness's signals reach it.
# Everything that touches sockets is lighttpd's default (server.max-keep-alive-idle 5 s,
# server.max-read-idle 60 s, listen backlog 1024); Debian's /etc/lighttpd/lighttpd.conf sets only
# server.graceful-shutdown-timeout = 5 among those (SIGINT), which is kept. One setting differs,
# an HTTP policy rather than socket handling: server.max-keep-alive-requests (1000 by default:
# the connection is closed after that many requests) is 10000, so that the pack's 2000 pipelined
# requests (STR-3) are all answered. No user switch (Debian's www-data could not enter DIR, mode
# 0700), no logs but errors (on stderr: lighttpd's default with -D), no h2c upgrade.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST PORT DIR" >&2; exit 2; }
host=$1 port=$2 dir=$3

# IPv6 addresses are bracketed in server.bind (lighttpd: server.bind = "[::1]").
case $host in *:*) bind="[$host]" ;; *) bind=$host ;; esac

# The document root: `/` is a 9-byte static page, `/large` 1 MiB of 'x' (the `large` exchange).
mkdir -p "$dir/www"
printf 'sockspec\n' > "$dir/www/index.html"
head -c 1048576 /dev/zero | tr '\0' x > "$dir/www/large"

cat > "$dir/lighttpd.conf" <<EOF
server.modules = ( "mod_redirect" )
server.document-root = "$dir/www"
server.upload-dirs = ( "$dir" )
server.bind = "$bind"
server.port = $port
server.feature-flags += ( "server.graceful-shutdown-timeout" => 5 )
server.max-keep-alive-requests = 10000
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html", "" => "application/octet-stream" )
# The per-client exchange: GET /t/TOKEN is redirected to /r/TOKEN (mod_redirect, in lighttpd's
# core), so the reply's Location header carries the client's own token.
url.redirect = ( "^/t/(.*)\$" => "/r/\$1" )
EOF

exec lighttpd -D -f "$dir/lighttpd.conf"
