# Two commands for a newcomer: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup tools demo test quick lint golden docs docs-site bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

setup: $(STAMP)

# Linters of generated code that live outside .venv (each script is idempotent).
tools: setup
	@for script in scripts/setup-*.sh; do [ -f "$$script" ] && bash "$$script" || exit 1; done

demo: setup
	rm -rf demo
	$(BIN)/infraplan new examples/checkout/plan.yaml -o demo
	@echo "The starter repo is in demo/: start with demo/PLAN.md"

lint: setup
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/ruff format --check generator tests benchmarks scripts
	$(BIN)/mypy

test: tools lint docs-site
	$(BIN)/pytest -n auto

# The edit-test loop: everything but property tests and real-tool runs, on every core.
quick: setup
	$(BIN)/pytest -n auto -m "not slow" -q

# Refresh the golden files after an intended change of the output; review the diff.
golden: setup
	INFRAPLAN_UPDATE_GOLDEN=1 $(BIN)/pytest -q tests -k golden
	$(BIN)/python scripts/docs_pages.py

# The generated pages of docs/ (spec reference, catalogue, rules, one page per command with
# its real output); tests/test_docs.py fails when they are stale.
docs: setup
	$(BIN)/python scripts/docs_pages.py

# The docs site (MkDocs, Material theme), warnings as errors; `make test` builds it.
docs-site: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

bench: setup
	$(BIN)/python benchmarks/help_time.py

clean:
	rm -rf $(VENV) .venv-checkov .tools demo site .pytest_cache .mypy_cache .ruff_cache
