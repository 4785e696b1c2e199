# Two commands: `make serve` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= data/store
HOST ?= 127.0.0.1
PORT ?= 8000
SOURCES := $(wildcard data/sources/*.txt data/sources/*.docx data/sources/*.pdf)
PKG_DIRS := ontology extract graph api queries

.PHONY: install link system-tools test test-fast check serve build bench bench-quick clean lock docs vendor

# Full install when the dependency spec changes.
$(VENV)/.deps: pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip "setuptools>=77" wheel
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]' --config-settings editable_mode=strict
	@touch $@

# Strict editable installs link each file: relink when the set of package files changes.
link: $(VENV)/.deps
	@find $(PKG_DIRS) -type f \( -name '*.py' -o -name '*.ttl' -o -name '*.rq' -o -name '*.cfg' -o -name '*.html' -o -name '*.js' -o -name '*.css' -o -name 'py.typed' -o -name '*.svg' -o -name '*.json' -o -name '*.br' \) \
	  -not -path '*/__pycache__/*' | sort > $(VENV)/.files.new
	@if ! cmp -s $(VENV)/.files.new $(VENV)/.files; then \
	  echo "relinking package files"; \
	  $(BIN)/python -m pip install -q --no-deps --no-build-isolation -e . --config-settings editable_mode=strict && \
	  mv $(VENV)/.files.new $(VENV)/.files; \
	fi

install: link

system-tools:
	@.ci/system-tools.sh

check: install
	@.ci/check

test: install system-tools
	@.ci/check

# The fast lane: unit tests and the `>>>` examples, no Java, no browser, no coverage.
DOCTEST_PACKAGES := $(addprefix aseankg.,$(PKG_DIRS))
test-fast: install
	$(BIN)/pytest tests/unit $(DOCTEST_PACKAGES) -m "not java" -q -p no:cacheprovider --no-cov

$(STORE)/.built: $(SOURCES) | install
	$(BIN)/aseankg build --store $(STORE)
	@touch $@

build: install
	$(BIN)/aseankg build --store $(STORE)

serve: install $(STORE)/.built
	$(BIN)/aseankg serve --store $(STORE) --host $(HOST) --port $(PORT)

bench: install system-tools
	$(BIN)/python bench/run.py

bench-quick: install system-tools
	$(BIN)/python bench/run.py --quick

# Regenerate the constraints file from the current environment.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache

# Regenerate docs/cli.md from the commands' --help.
docs: install
	$(BIN)/python -m aseankg.api.cli_docs > docs/cli.md

# Refresh the vendored browser bundles (YASGUI, ECharts) in api/static/ from package-lock.json.
vendor:
	@scripts/vendor.sh
