# Two commands on a fresh machine with Python 3.11+:
#   make site   set up .venv from the lock file and build the site into site/
#   make test   the same set-up, then every test, lint and type check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test browser-deps validate new import linkcheck schema golden bench lock clean

# Only Python is needed to build the site; npm serves the browser tests alone (NPM_STAMP).
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Zensical, the successor of Material for MkDocs, in its own venv: `make site ENGINE=zensical`.
# 0.0.73 is the newest that installs here (0.1.x needs a zensical-ui release the registry lacks).
ZENSICAL := .venv-zensical
ZENSICAL_VERSION := 0.0.73
ZENSICAL_STAMP := $(ZENSICAL)/.installed
$(ZENSICAL_STAMP): requirements-zensical.lock
	$(PYTHON) -m venv $(ZENSICAL)
	$(ZENSICAL)/bin/python -m pip install --quiet --upgrade pip
	$(ZENSICAL)/bin/python -m pip install --quiet --require-hashes -r requirements-zensical.lock
	touch $(ZENSICAL_STAMP)

# The search benchmark builds Material's search as the site used to have it, with jieba segmenting
# Chinese; jieba is no dependency of the site, so that build runs in a venv of its own.
BENCH := .venv-bench
BENCH_STAMP := $(BENCH)/.installed
$(BENCH_STAMP): requirements.lock benchmarks/requirements-jieba.lock pyproject.toml
	$(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH)/bin/python -m pip install --quiet --require-hashes -r requirements.lock -r benchmarks/requirements-jieba.lock
	$(BENCH)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(BENCH_STAMP)

NPM_STAMP := tests/browser/node_modules/.installed
$(NPM_STAMP): tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $(NPM_STAMP)

# The browser tests drive the browser named by CHROMIUM (default Debian's chromium; on GitHub's
# runners their preinstalled Chrome), never one Playwright downloads, and need CJK fonts for
# readable screenshots; the server tests need nginx and openssl. Whatever is missing is installed
# with apt-get, as root or through sudo (GitHub's runners are not root), as in CI.
browser-deps:
	@missing=""; \
	if [ -n "$$CHROMIUM" ]; then \
	  [ -x "$$CHROMIUM" ] || { echo "CHROMIUM=$$CHROMIUM 不是可执行的浏览器"; exit 1; }; \
	elif ! command -v chromium >/dev/null 2>&1; then missing="chromium"; fi; \
	for package in fonts-noto-cjk nginx openssl; do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else \
	    echo "测试需要：sudo apt-get install$$missing"; exit 1; \
	  fi; \
	  $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Built into a new release under .site-releases/ and switched in by one atomic rename of the
# site link, under a lock (generator/publish.py). ALLOW_FEWER=1 publishes fewer notices than
# the live site has.
# ENGINE=zensical builds with Zensical instead of MkDocs (generator/engines/zensical_build.py).
site: $(STAMP) $(if $(filter zensical,$(ENGINE)),$(ZENSICAL_STAMP))
	$(BIN)/python -m generator publish $(if $(filter 1,$(ALLOW_FEWER)),--allow-fewer) $(if $(filter zensical,$(ENGINE)),--engine zensical)

# The staff's commands (content/guide.md): quiet, so that only the generator's Chinese output shows;
# HOTLINE_ARCHIVE_MAKE=1 makes its messages name PERIOD= and FORCE=1 rather than --period and --force.
# make new PERIOD=2023-09; make import FILE=通报.docx [PERIOD=2023-09] [FORCE=1]; make serve [PORT=8001]
PORT ?= 8000
serve: $(STAMP)
	@$(BIN)/python -m generator serve --dev-addr 127.0.0.1:$(PORT)

validate: $(STAMP)
	@$(BIN)/python -m generator validate

new: $(STAMP)
	@[ -n "$(PERIOD)" ] || { echo "用法错误：请写出月份，如 make new PERIOD=2023-09" >&2; exit 2; }
	@HOTLINE_ARCHIVE_MAKE=1 $(BIN)/python -m generator new "$(PERIOD)"

import: $(STAMP)
	@[ -n "$(FILE)" ] || { echo "用法错误：请写出通报原文文件，如 make import FILE=通报.docx" >&2; exit 2; }
	@HOTLINE_ARCHIVE_MAKE=1 $(BIN)/python -m generator import "$(FILE)" $(if $(PERIOD),--period "$(PERIOD)") $(if $(filter 1,$(FORCE)),--force)

test: $(STAMP) $(ZENSICAL_STAMP) $(NPM_STAMP) browser-deps
	$(BIN)/ruff check generator tests benchmarks deploy
	$(BIN)/ruff format --check generator tests benchmarks deploy
	$(BIN)/yamllint --strict .
	$(BIN)/actionlint
	$(BIN)/mypy
	$(BIN)/python -m generator schema --check
	$(BIN)/pytest

# Every internal link and #anchor of the built site, served on 127.0.0.1 (run after make site).
linkcheck: $(STAMP)
	$(BIN)/python deploy/linkcheck.py site

# Regenerate the committed JSON Schemas after changing generator/model.py.
schema: $(STAMP)
	$(BIN)/python -m generator schema

# Refresh the golden Markdown and chart SVGs after an intended change in rendering; review the diff like code.
golden: $(STAMP)
	$(BIN)/pytest tests/test_render.py tests/test_charts.py --update-golden

# Build benchmark on SYNTHETIC archives of 12, 120 and 1200 notices (about ten minutes).
bench: $(STAMP) $(BENCH_STAMP) $(NPM_STAMP)
	$(BIN)/python benchmarks/build.py
	$(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/pages.py

# Re-resolve the locked versions with uv (installed into the venv for this only).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/python -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --no-header -o requirements.lock
	echo "zensical==$(ZENSICAL_VERSION)" | $(BIN)/python -m uv pip compile - --python-version 3.11 --generate-hashes --no-header -o requirements-zensical.lock
	echo "jieba==0.42.1" | $(BIN)/python -m uv pip compile - --python-version 3.11 --generate-hashes --no-header -o benchmarks/requirements-jieba.lock

clean:
	rm -rf $(VENV) $(ZENSICAL) $(BENCH) .zensical-build-* site .site-releases tests/browser/node_modules test-artifacts
