# LG-Urban: the API and the built web app in one image.
#   docker build -t lgurban .
#   docker run -p 8000:8000 -e SECRET_KEY=... -e DATABASE_URL=... lgurban
# The build steps live in deploy/image/build.sh (tests/deploy/test_image.py runs the same script without Docker).

# --- 1. the web app (static files) ---
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY deploy/image/build.sh /usr/local/bin/lgurban-build
COPY frontend/ frontend/
RUN lgurban-build web /src

# --- 2. the Python environment, from uv.lock ---
FROM python:3.12-slim-bookworm AS python
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PYTHON=/usr/local/bin/python3.12
WORKDIR /app
COPY deploy/image/build.sh /usr/local/bin/lgurban-build
# third-party packages first: this layer is reused until uv.lock changes
COPY pyproject.toml uv.lock README.md ./
RUN lgurban-build deps /app
COPY src/ src/
RUN lgurban-build app /app

# --- 3. what runs: no compilers, no uv, no sources; a non-root user ---
FROM python:3.12-slim-bookworm
RUN useradd --create-home --uid 10001 --user-group lgurban \
    && mkdir -p /data && chown lgurban:lgurban /data
COPY --from=python /app/.venv /app/.venv
COPY --from=web /src/frontend/dist /app/frontend/dist
# AUTH_MODE=token: a container listens on 0.0.0.0, which AUTH_MODE=local refuses (see `lgurban users create`)
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FRONTEND_DIST=/app/frontend/dist \
    DATA_DIR=/data \
    AUTH_MODE=token \
    ENVIRONMENT=production \
    PORT=8000
USER 10001:10001
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/health' % os.environ.get('PORT', '8000'), timeout=4)"]
# shell form on purpose: $PORT is set by the platform (Railway, Render) at run time
CMD ["sh", "-c", "exec lgurban serve --host 0.0.0.0 --port \"$PORT\""]
