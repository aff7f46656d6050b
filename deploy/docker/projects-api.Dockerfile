# syntax=docker/dockerfile:1
# projects-api: built from the repository root, e.g. `docker build -f deploy/docker/projects-api.Dockerfile .`
# The same image serves the API (default command), runs its migrations (`python -m projects_api migrate`, or
# `migrate --to REVISION` to go back), and makes a first install's identities (`bootstrap`). It carries no embedded PostgreSQL: the
# workspace's `embedded` extra is left out, so a DATABASE_URL is always needed.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Build: resolve the locked dependencies into /app/.venv (wheels only; nothing is compiled), then the
# workspace packages themselves, non-editable, so the final stage needs no source tree.
FROM ${PYTHON_IMAGE} AS build
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install "uv==0.13.9"
WORKDIR /src
COPY pyproject.toml uv.lock ./
COPY packages/registry-kit/pyproject.toml packages/registry-kit/
COPY packages/registry-stack/pyproject.toml packages/registry-stack/
COPY packages/registry-testing/pyproject.toml packages/registry-testing/
COPY services/projects-api/pyproject.toml services/projects-api/
COPY services/reporting-api/pyproject.toml services/reporting-api/
RUN uv sync --frozen --no-dev --no-install-workspace --package projects-api
COPY packages/registry-kit/src packages/registry-kit/src
COPY services/projects-api/src services/projects-api/src
RUN uv sync --frozen --no-dev --no-editable --package projects-api

# Run: the interpreter and the virtual environment, as an unprivileged user; no compilers, no uv, no sources.
FROM ${PYTHON_IMAGE} AS runtime
# /var/tmp/mcb: where uploads are spooled (TMPDIR), a volume on disk rather than the small /tmp tmpfs; made here,
# owned by the service user, so a named volume mounted on it starts with that owner.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app \
    && mkdir -p /var/tmp/mcb && chown 10001:10001 /var/tmp/mcb
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PROJECTS_ENVIRONMENT=production \
    TMPDIR=/var/tmp/mcb
WORKDIR /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# SIGTERM (the default stop signal) drains, then shuts down within *_GRACEFUL_SHUTDOWN_SECONDS: give the container
# a stop timeout above *_SHUTDOWN_DRAIN_SECONDS + *_GRACEFUL_SHUTDOWN_SECONDS (docker-compose.yml: 40 s).
CMD ["python", "-m", "projects_api", "serve", "--host", "0.0.0.0", "--port", "8000"]
