# Every target documents itself: the `## ` comment after it is what `make help` prints.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MIGRATIONS := safeguarding/migrations/versions
CIN_VENV := .venv-cin
CIN_REQUIREMENTS := tests/census/validator-requirements.txt
CIN_INSTALLED := $(CIN_VENV)/.installed

.PHONY: help install census-validator run test faults lint fmt bench demo histories migration wheelhouse screenshots clean

help: ## Show the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

NODE_INSTALLED := node_modules/.installed

install: $(INSTALLED) $(NODE_INSTALLED) ## Build .venv and node_modules from the project's files (again only when they change)

$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,local]' -c constraints.txt
	@touch $@

# The console's GOV.UK and MoJ styles and scripts, and axe-core for the browser tests: exactly the lock's versions.
$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

census-validator: $(CIN_INSTALLED) ## Build .venv-cin, the census validator's own venv (test-only: numpy<2, pandas 1.x)

$(CIN_INSTALLED): $(CIN_REQUIREMENTS)
	@test -x $(CIN_VENV)/bin/python || $(PYTHON) -m venv $(CIN_VENV)
	$(CIN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CIN_VENV)/bin/python -m pip install --quiet -r $(CIN_REQUIREMENTS)
	@touch $@

run: $(INSTALLED) $(NODE_INSTALLED) ## Run Temporal, the case database and the worker until Ctrl-C (state in .local/)
	$(BIN)/python -m starter run

test: $(INSTALLED) $(NODE_INSTALLED) lint ## Lint, build the census validator's venv if needed, then run the whole suite on two processes
	$(MAKE) census-validator || echo "WARNING: .venv-cin could not be built: the census validation test will be skipped" >&2
	$(BIN)/pytest -n 2 -m 'not drill'

lint: $(INSTALLED) ## ruff check, ruff format --check and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(INSTALLED) ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

faults: $(INSTALLED) ## Run the fault tests alone, the drills too, with 200 cases walking while workers are killed
	FAULTS_KILL_CASES=200 $(BIN)/pytest tests/faults -p no:xdist

bench: $(INSTALLED) ## Print the benchmarks as name=value lines
	$(BIN)/python -m tests.bench

demo: $(INSTALLED) ## Run the demonstration (python -m starter demo); OUT=DIR also writes its census returns there
	$(BIN)/python -m starter demo $(if $(OUT),--out "$(OUT)")

histories: $(INSTALLED) ## Record the replay histories afresh (only for a change meant for new cases alone)
	rm -f tests/replay/histories/*.json
	$(BIN)/pytest tests/workflows -p no:xdist --record-histories -q

migration: $(INSTALLED) ## Add the next numbered migration: make migration name=short_description
	@[[ "$(name)" =~ ^[a-z][a-z0-9_]*$$ ]] || { echo "usage: make migration name=short_description (a-z, 0-9, _)"; exit 2; }
	@last=$$(ls $(MIGRATIONS) | sed -n 's/^\([0-9]\{4\}\)_.*\.py$$/\1/p' | sort | tail -n 1); \
	 rev=$$(printf '%04d_%s' $$((10#$${last:-0} + 1)) "$(name)"); \
	 $(BIN)/alembic revision --rev-id "$$rev" -m "$(subst _, ,$(name))"

wheelhouse: $(INSTALLED) ## Build wheelhouse/, the production image's wheels (no development servers), for an offline `docker build`
	rm -rf wheelhouse
	$(BIN)/python -m pip wheel --quiet --wheel-dir wheelhouse -c constraints.txt .
	rm -rf build

SCREENSHOTS := docs/screenshots

# The console's browser tests save the pages they reach when CONSOLE_SCREENSHOTS names a folder (tests/console/
# conftest.py). CI=1: without Chromium they fail here rather than skip, so no screenshot is silently kept stale.
# A temporary folder of their own (its PostgreSQL too), so they never share one with another test session.
screenshots: $(INSTALLED) $(NODE_INSTALLED) ## Regenerate the README's screenshots of the console (docs/screenshots/) with the browser tests
	rm -rf $(SCREENSHOTS) && mkdir -p $(SCREENSHOTS) .local
	CI=1 CONSOLE_SCREENSHOTS="$(CURDIR)/$(SCREENSHOTS)" $(BIN)/pytest tests/console -p no:xdist -q \
	  --basetemp="$(CURDIR)/.local/pytest-screenshots"

clean: ## Remove .venv, node_modules and the caches (keeps .local/, where the running cases are)
	rm -rf $(VENV) $(CIN_VENV) node_modules wheelhouse .pytest_cache .mypy_cache .ruff_cache *.egg-info
	find . -path ./.local -prune -o -name __pycache__ -type d -exec rm -rf {} +
