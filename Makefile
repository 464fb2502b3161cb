# Kosovo Police trust-and-satisfaction workshops: evaluation pipeline.
# Every target creates .venv and installs the pinned project first when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.DEFAULT_GOAL := help
.PHONY: help install data results simulate reports pdf translations test lint format lab bench clean-venv

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix \
	  --name "$$($(BIN)/python -c 'from analysis.config import KERNEL; print(KERNEL)')" \
	  --display-name "$$($(BIN)/python -c 'from analysis.config import KERNEL_DISPLAY_NAME as N; print(N)')" >/dev/null
	$(BIN)/python -m analysis.build.kernel >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with pinned dependencies

data: $(STAMP) ## clean the raw exports into data/processed/
	$(BIN)/python -m analysis clean

results: $(STAMP) ## compute every report's statistics, tables and models once into data/results/
	$(BIN)/python -m analysis results

reports: $(STAMP) ## whole pipeline: clean data/raw, compute data/results, then every report and reports/index.html
	$(BIN)/python -m analysis build --jobs $(JOBS)

pdf: $(STAMP) ## the reports (as make reports), then every report and index as PDF (A4) beside its HTML
	$(BIN)/python -m analysis build --jobs $(JOBS) --pdf

simulate: $(STAMP) ## regenerate the synthetic raw data (seed 2021)
	$(BIN)/python -m analysis simulate --seed 2021

translations: $(STAMP) ## extract the messages, update, check and compile every language's catalog (Babel)
	$(BIN)/python -m analysis.build.translations

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## apply ruff formatting and safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) lint ## lint, unit tests, and nbval on the notebooks and committed reports
	$(BIN)/python -m pytest

# Jupyter refuses to start as root (containers run as root) unless told it is meant
LAB_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

lab: $(STAMP) ## open JupyterLab on the project kernel
	$(BIN)/jupyter lab --notebook-dir=. $(LAB_ROOT)

bench: $(STAMP) ## time the naive and the project's build, and national-size data
	$(BIN)/python benchmarks/run.py

clean-venv: ## remove .venv
	rm -rf $(VENV)
