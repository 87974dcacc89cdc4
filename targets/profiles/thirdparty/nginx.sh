#!/bin/sh
# Runs nginx (Debian package nginx) in the foreground on HOST:PORT, from a config and a document
# root written into DIR (the profile's {tmpdir}: private to this instance, removed by the harness
# once nginx has ended).
#   usage: nginx.sh HOST PORT DIR        e.g. ::1 40123 /tmp/sockspec-target.XXXX
# nginx refuses port 0 ("invalid port in "127.0.0.1:0" of the "listen" directive"), so the profile
# uses `port: pick`. The last step is `exec nginx`, so the harness's signals reach nginx's master.
# The config is Debian's /etc/nginx/nginx.conf and sites-available/default where they touch
# sockets (worker_processes auto, worker_connections 768, sendfile, tcp_nopush; keepalive_timeout
# and client_header_timeout left at nginx's defaults, 75 s and 60 s), without logs, gzip or TLS.
# One setting differs from nginx's defaults, an HTTP policy rather than socket handling:
# keepalive_requests (1000 by default: the 1000th reply on a connection says "Connection: close"
# and nginx closes) is 10000, so that the pack's 2000 pipelined requests (STR-3) are all answered.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 HOST PORT DIR" >&2; exit 2; }
host=$1 port=$2 dir=$3

# IPv6 addresses are bracketed in `listen` (nginx: "listen [::1]:8000").
case $host in *:*) listen="[$host]:$port" ;; *) listen="$host:$port" ;; esac

# The document root: `/` is a 9-byte static page, `/large` 1 MiB of 'x' (the `large` exchange:
# a static file, so sendfile and short writes are nginx's own).
mkdir -p "$dir/www"
printf 'sockspec\n' > "$dir/www/index.html"
head -c 1048576 /dev/zero | tr '\0' x > "$dir/www/large"

# Run as root (as the harness in CI is), nginx's workers would switch to `nobody`, which cannot
# enter DIR (mode 0700, the harness's): they stay root instead. Without root the directive is
# ignored with a warning ("makes sense only if the master process runs with super-user
# privileges"), so it is only written for root.
user=
[ "$(id -u)" -ne 0 ] || user="user root root;"

cat > "$dir/nginx.conf" <<EOF
$user
daemon off;
worker_processes auto;
pid $dir/nginx.pid;
error_log stderr;
events {
  worker_connections 768;
}
http {
  sendfile on;
  tcp_nopush on;
  types_hash_max_size 2048;
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  keepalive_requests 10000;
  # Debian's build keeps these under /var/lib/nginx, which only root may create.
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen $listen;
    root $dir/www;
    index index.html;
    location / {
      try_files \$uri \$uri/ =404;
    }
    # The per-client exchange: GET /t/TOKEN answers the path (ngx_http_rewrite_module's
    # return; \$uri is the normalised path), so each client's reply carries its own token.
    location /t/ {
      default_type text/plain;
      return 200 "\$uri\n";
    }
  }
}
EOF

# -p: the prefix for relative paths (none are left); -e: nginx's own messages before the config
# is read (Debian's build already defaults to stderr).
exec nginx -p "$dir" -e stderr -c "$dir/nginx.conf"
