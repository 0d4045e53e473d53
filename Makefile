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

# Benchmarks (benchmarks/README.md): the `bench` extra (msgspec, orjson), the validity and language figures, then
# the floor of a 200k-post X archive generated once into benchmarks/data/ (a few minutes of every core).
bench: setup
	.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[bench]'
	.venv/bin/python benchmarks/bench_validity.py
	.venv/bin/python benchmarks/bench_langid.py --accuracy
	test -f benchmarks/data/x-200k/accounts.toml || \
		.venv/bin/python benchmarks/make_x_archive.py --posts 200000 --out benchmarks/data/x-200k/
	.venv/bin/python benchmarks/bench_floor.py benchmarks/data/x-200k/accounts.toml --runs 1

# Damaged copies of every collector's fixtures and of the user files, 1,000 examples a test (CI runs 25):
# a traceback is a bug to fix in the reader. FUZZ_EXAMPLES=5000 make fuzz runs longer.
fuzz: setup
	HYPOTHESIS_PROFILE=long .venv/bin/pytest -q -p no:cacheprovider tests/fuzz
