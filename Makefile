# Ducha: `make run` serves the demo; `make test` lints and runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
VENDOR := static/vendor

.PHONY: run test lint install vendor migrate demo chromium test-pg messages compile-messages clean

run: install vendor migrate demo
	$(BIN)/ducha collectstatic --noinput -v 0
	$(BIN)/ducha serve --port $(PORT)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/htmx $(VENDOR)/alpinejs $(VENDOR)/echarts
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/alpinejs/dist/cdn.min.js $(VENDOR)/alpinejs/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

vendor: $(VENDOR)/.stamp

migrate: install
	$(BIN)/ducha migrate --noinput -v 0

demo: migrate
	$(BIN)/ducha load_demo

# Re-extract the English message ids into the Chinese catalogue (then translate the new ones).
messages: install
	$(BIN)/ducha makemessages -l zh_Hans --no-obsolete --no-location -i '.venv/*' -i 'node_modules/*' -i 'static/vendor/*' -i 'var/*' -v 0
	$(MAKE) compile-messages

# The compiled catalogue is committed too, so a machine without gettext still shows Chinese.
compile-messages: install
	if command -v msgfmt >/dev/null; then cd ducha && ../$(BIN)/ducha compilemessages -l zh_Hans -v 0; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Debian's Chromium drives the browser tests; never a downloaded browser build.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) \
	    || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk); \
	fi

test: install vendor lint chromium
	$(BIN)/ducha makemigrations --check --dry-run -v 0
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-pg: install vendor chromium
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ducha} $(BIN)/pytest -p no:cacheprovider --create-db $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
