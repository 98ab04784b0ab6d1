#!/bin/sh
# The image's build steps, kept here so the Dockerfile and tests/deploy/test_image.py run the very same commands.
#   build.sh web SRC       → SRC/frontend/dist   (npm ci + vite build)
#   build.sh deps SRC      → SRC/.venv with the locked third-party packages only (a cached layer)
#   build.sh app SRC       → the project itself installed into SRC/.venv (not editable: no source tree needed)
set -eu
step="$1"
src="$2"
cd "$src"
case "$step" in
  web)
    cd frontend
    npm ci --no-audit --no-fund --loglevel=error
    npm run build
    ;;
  deps)
    uv sync --frozen --no-dev --no-install-project
    ;;
  app)
    uv sync --frozen --no-dev --no-editable
    ;;
  *)
    echo "unknown step: $step (web, deps or app)" >&2
    exit 2
    ;;
esac
