# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml package-lock.json 2>/dev/null | cksum | cut -d' ' -f1)
VENDOR := webmap/static/vendor/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install demo test lint browser-deps pg-deps messages translations bench clean

# Python packages (venv), then the pinned front-end files the app serves itself (npm registry).
$(STAMP): pyproject.toml package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "MMM Planner needs Python >= 3.11 (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

$(VENDOR): package-lock.json tools/vendor.py
	@command -v npm >/dev/null || { echo "npm is needed to install Leaflet (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) tools/vendor.py
	touch $@

# After changing interface text: refresh the catalogs, translate, then `make translations`.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k translate -o messages.pot .
	$(BIN)/pybabel update -i messages.pot -d webmap/translations

translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d webmap/translations

install: $(STAMP) $(VENDOR) translations

demo: install
	$(BIN)/mmm demo
	@echo "MMM Planner: http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(BIN)/mmm serve --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's PostgreSQL and PostGIS for the PostGIS tests: they start a throwaway cluster of their
# own (tests/pg_cluster.py), no system service. postgresql-postgis is Debian's metapackage for the
# default version (postgresql-15-postgis-3 on bookworm).
pg-deps:
	@ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-postgis >/dev/null; }

lint: install
	$(BIN)/ruff check mmm webmap tests bench tools
	$(BIN)/ruff format --check mmm webmap tests bench tools
	$(BIN)/mypy

test: lint browser-deps pg-deps
	$(BIN)/pytest
	@echo "The web app's tests again, on a PostGIS store:"
	MMM_TEST_BACKEND=postgis $(BIN)/pytest -q tests/webmap

bench: install
	$(BIN)/python bench/aggregate.py
	$(BIN)/python bench/hotspots.py
	$(BIN)/python bench/mappage.py
	$(BIN)/python bench/dask_scaling.py
	$(BIN)/python bench/segments.py

clean:
	rm -rf $(VENV) node_modules webmap/static/vendor build/test-vendor instance/*.sqlite* .pytest_cache .mypy_cache .ruff_cache
