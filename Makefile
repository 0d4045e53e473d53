# The two commands of the README: `make demo` and `make test`. Both set up what a fresh machine lacks.
.PHONY: setup demo test lint bench

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
