#!/bin/sh
# Renders the gateway's nginx configuration from its templates and starts nginx in the foreground.
#   GATEWAY_TEMPLATE_DIR  where nginx.conf, http.d/, server.d/ and snippets/ are (default: this script's directory)
#   GATEWAY_CONF_DIR      where the rendered files go (default: $GATEWAY_TEMP_DIR/conf)
#   GATEWAY_RENDER_ONLY=1 render and print the path of nginx.conf, start nothing (used by deploy/tests)
# Only the variables listed in gateway.env are substituted, so nginx's own $variables stay as they are.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
template_dir=${GATEWAY_TEMPLATE_DIR:-$here}

# Defaults for every setting the environment leaves unset or empty.
vars=""
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    name=${line%%=*}
    vars="$vars \${$name}"
    if eval "[ -z \"\${$name:-}\" ]"; then
        eval "$line"
    fi
    eval "export $name"
done < "$template_dir/gateway.env"

# Written here rather than set: the upstream blocks, the backend each API route proxies to, and the trusted proxies.
nl='
'
upstream_block() { # name, comma-separated host:port list
    block="upstream $1 {$nl"
    old_ifs=$IFS
    IFS=','
    for server in $2; do
        block="$block    server $server max_fails=1 fail_timeout=5s;$nl"
    done
    IFS=$old_ifs
    printf '%s    keepalive 32;%s    keepalive_timeout %s;%s}%s' "$block" "$nl" "$GATEWAY_UPSTREAM_KEEPALIVE_TIMEOUT" "$nl" "$nl"
}
resolver=$GATEWAY_RESOLVER
if [ "$resolver" = "auto" ]; then
    # The container's own DNS server (Docker: 127.0.0.11, Podman: its network's gateway).
    resolver=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf)
    case "$resolver" in *:*) resolver="[$resolver]" ;; esac
fi
if [ -n "$resolver" ]; then
    GATEWAY_UPSTREAM_BLOCKS="resolver $resolver valid=$GATEWAY_RESOLVER_VALID ipv6=off;${nl}resolver_timeout 2s;"
    GATEWAY_PROJECTS_BACKEND=${PROJECTS_UPSTREAM%%,*}
    GATEWAY_REPORTING_BACKEND=${REPORTING_UPSTREAM%%,*}
else
    GATEWAY_UPSTREAM_BLOCKS="$(upstream_block projects_api "$PROJECTS_UPSTREAM")$nl$(upstream_block reporting_api "$REPORTING_UPSTREAM")"
    GATEWAY_PROJECTS_BACKEND=projects_api
    GATEWAY_REPORTING_BACKEND=reporting_api
fi
GATEWAY_REAL_IP=""
if [ -n "$GATEWAY_TRUSTED_PROXIES" ]; then
    old_ifs=$IFS
    IFS=','
    for proxy in $GATEWAY_TRUSTED_PROXIES; do
        GATEWAY_REAL_IP="${GATEWAY_REAL_IP}set_real_ip_from $proxy;$nl"
    done
    IFS=$old_ifs
    GATEWAY_REAL_IP="${GATEWAY_REAL_IP}real_ip_header X-Forwarded-For;${nl}real_ip_recursive on;"
fi
export GATEWAY_UPSTREAM_BLOCKS GATEWAY_PROJECTS_BACKEND GATEWAY_REPORTING_BACKEND GATEWAY_REAL_IP
vars="$vars \${GATEWAY_UPSTREAM_BLOCKS} \${GATEWAY_PROJECTS_BACKEND} \${GATEWAY_REPORTING_BACKEND} \${GATEWAY_REAL_IP}"

conf_dir=${GATEWAY_CONF_DIR:-$GATEWAY_TEMP_DIR/conf}
mkdir -p "$GATEWAY_TEMP_DIR" "$conf_dir"

render() {
    envsubst "$vars" < "$template_dir/$1" > "$conf_dir/$1"
}

render nginx.conf
for dir in snippets http.d server.d; do
    mkdir -p "$conf_dir/$dir"
    rm -f "$conf_dir/$dir"/*.conf
    for file in "$template_dir/$dir"/*.conf; do
        name=$(basename "$file")
        # The SPA-only mode (GATEWAY_API_ROUTES=off, used on Kubernetes where the Ingress routes the APIs)
        # leaves the API routes and their upstreams out.
        if [ "$name" = "api.conf" ] && [ "$GATEWAY_API_ROUTES" != "on" ]; then
            continue
        fi
        render "$dir/$name"
    done
done

if [ "${GATEWAY_RENDER_ONLY:-0}" = "1" ]; then
    echo "$conf_dir/nginx.conf"
    exit 0
fi
exec nginx -c "$conf_dir/nginx.conf" -e stderr -g 'daemon off;'
