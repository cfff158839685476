# Pyithu: `make run` sets up everything and serves http://127.0.0.1:8000; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint format icu chromium nginx clean

run: $(STAMP)
	$(BIN)/pyithu run

test: setup chromium nginx
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pyithu check --fail-level WARNING
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(STAMP)
	$(BIN)/pyithu setup

$(STAMP): pyproject.toml | icu
	@command -v $(PYTHON) >/dev/null || { echo "Pyithu needs Python 3.11 ($(PYTHON) not found)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# PyICU (Zawgyi conversion, Burmese word breaking) compiles against the system's ICU.
icu:
	@if pkg-config --exists icu-i18n 2>/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing ICU headers and pkg-config for PyICU..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config >/dev/null; \
	elif command -v apt-get >/dev/null; then \
		echo "PyICU needs the ICU headers. Run: sudo apt-get install libicu-dev pkg-config"; exit 1; \
	elif command -v brew >/dev/null; then \
		echo "PyICU needs ICU. Run: brew install icu4c pkg-config, then"; \
		echo "  export PKG_CONFIG_PATH=\"$$(brew --prefix icu4c)/lib/pkgconfig\""; exit 1; \
	else \
		echo "PyICU needs the ICU development files and pkg-config from your system's packages."; exit 1; \
	fi

# The real-browser suite drives Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@if command -v chromium >/dev/null || [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the real-browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The real-browser tests need Chromium and will be skipped. Run: sudo apt-get install chromium"; \
	fi

# The deployment test (tests/deploy/) runs Debian's nginx in front of two app servers.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing nginx for the deployment test..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	else \
		echo "The deployment test needs nginx and will be skipped. Run: sudo apt-get install nginx"; \
	fi

lint:
	$(BIN)/ruff check src tests bench

format:
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) var
