# Two commands on a fresh machine with Python 3.11+:
#   make site   set up .venv from the lock file and build the site into site/
#   make test   the same set-up, then every test, lint and type check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test browser-deps validate linkcheck schema golden bench lock clean

$(STAMP): requirements.lock pyproject.toml tests/browser/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $(STAMP)

# The browser tests drive Debian's Chromium (never a browser Playwright downloads) and need CJK
# fonts for readable screenshots; installed here when possible (root with apt-get), as in CI.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "浏览器测试需要 Debian 的 chromium 和 fonts-noto-cjk:sudo apt-get install chromium fonts-noto-cjk"; exit 1; \
	  fi; \
	fi

# Built into a fresh folder and swapped in only when the whole build succeeded, so a failed
# build leaves the previous site/ as it was.
site: $(STAMP)
	rm -rf .site-build
	$(BIN)/mkdocs build --strict --site-dir .site-build
	rm -rf site && mv .site-build site

serve: $(STAMP)
	$(BIN)/mkdocs serve

validate: $(STAMP)
	$(BIN)/python -m generator validate

test: $(STAMP) browser-deps
	$(BIN)/ruff check generator site_overrides tests benchmarks
	$(BIN)/ruff format --check generator site_overrides tests benchmarks
	$(BIN)/yamllint --strict .
	$(BIN)/mypy
	$(BIN)/python -m generator schema --check
	$(BIN)/pytest

# Every internal link of the built site, checked offline by LinkChecker (run after make site).
linkcheck: $(STAMP)
	$(BIN)/linkchecker --no-status --no-warnings --ignore-url='^https?://' --ignore-url='^mailto:' site/index.html

# Regenerate the committed JSON Schemas after changing generator/model.py.
schema: $(STAMP)
	$(BIN)/python -m generator schema

# Refresh the golden Markdown after an intended change in rendering; review the diff like code.
golden: $(STAMP)
	$(BIN)/pytest tests/test_render.py --update-golden

# Build benchmark on SYNTHETIC archives of 12, 120 and 1200 notices (about ten minutes).
bench: $(STAMP)
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/search.py

# Re-resolve the locked versions with uv (installed into the venv for this only).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/python -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --no-header -o requirements.lock

clean:
	rm -rf $(VENV) site .site-build tests/browser/node_modules test-artifacts
