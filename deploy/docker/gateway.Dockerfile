# syntax=docker/dockerfile:1
# The gateway: nginx with deploy/gateway's config, serving the built SPA and proxying the APIs by prefix.
# Built from the repository root: `docker build -f deploy/docker/gateway.Dockerfile .`
# With GATEWAY_API_ROUTES=off it serves the SPA alone (the SPA Deployment on Kubernetes).
ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginx:1.28-alpine

FROM ${NODE_IMAGE} AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# The official image's own entrypoint and default config are not used: ours render deploy/gateway's templates
# into /tmp and run nginx as the unprivileged `nginx` user (uid 101), so the root filesystem can be read-only.
FROM ${NGINX_IMAGE} AS runtime
COPY deploy/gateway/ /etc/nginx/gateway/
COPY --from=spa /src/frontend/dist/ /usr/share/nginx/html/
ENV GATEWAY_TEMP_DIR=/tmp/nginx \
    GATEWAY_SPA_ROOT=/usr/share/nginx/html \
    GATEWAY_PORT=8080
USER 101:101
EXPOSE 8080
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["/bin/sh", "-c", "wget -q -O /dev/null http://127.0.0.1:${GATEWAY_PORT}/gateway/healthz || exit 1"]
ENTRYPOINT ["/bin/sh", "/etc/nginx/gateway/entrypoint.sh"]
