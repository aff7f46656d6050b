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
