# The two commands of the README: `make demo` and `make test`. Both set up what a fresh machine lacks.
.PHONY: setup demo test lint bench fuzz

setup:
	@bash scripts/setup.sh

demo: setup
	.venv/bin/audit demo

test: setup
	.venv/bin/pytest -q
	.venv/bin/ruff check .
	.venv/bin/mypy audit

lint: setup
	.venv/bin/ruff check .
	.venv/bin/mypy audit

bench: setup
	.venv/bin/python benchmarks/run_all.py

# Damaged copies of every collector's fixtures and of the user files, 1,000 examples a test (CI runs 25):
# a traceback is a bug to fix in the reader. FUZZ_EXAMPLES=5000 make fuzz runs longer.
fuzz: setup
	HYPOTHESIS_PROFILE=long .venv/bin/pytest -q -p no:cacheprovider tests/fuzz
