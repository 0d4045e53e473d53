"""Scoring-stage benchmark: `score_accounts` (signals, metrics, bootstrap of every account) timed alone.

    .venv/bin/python benchmarks/bench_score.py /work/bench-data/x-200k-200/accounts.toml [--profile F.prof]
    AUDIT_SCORE_THREADS=1 PYTHONPATH=/tmp/snapshot .venv/bin/python benchmarks/bench_score.py ACCOUNTS.toml

Reads the exports and detects languages once, keeps the detected posts in a parquet file beside the accounts
file's name in the temporary folder (later runs read it back), then runs `audit_collected` with the default
rubric and the demo events (none with `--no-events`, as `bench_floor.py`'s audit) and prints the CPU and wall
seconds of `score_accounts` and of the whole call. `--profile` runs the accounts on the main thread under
cProfile (polars `collect` calls are the per-account cost to count). Run it on a `git archive` of each commit
with PYTHONPATH to compare.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

from audit.accounts import load_accounts
from audit.events.loading import load_events
from audit.posts.collect import collect_accounts
from audit.scoring import engine
from audit.scoring.rubric.loading import load_rubric

ROOT = Path(__file__).resolve().parent.parent


class _OnMainThread:
    """Stands in for the thread pool so that cProfile sees every account."""

    def __init__(self, max_workers: int = 1) -> None:
        del max_workers

    def __enter__(self) -> _OnMainThread:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def map(self, function: Any, items: Any) -> list[Any]:
        return [function(item) for item in items]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("accounts", type=Path)
    parser.add_argument("--events", type=Path, default=ROOT / "fixtures" / "demo" / "events.toml")
    parser.add_argument("--no-events", action="store_true", help="no events file (as bench_floor.py's audit)")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    accounts = load_accounts(args.accounts)
    request = engine.AuditRequest(accounts=accounts, rubric=load_rubric("public-diplomacy"),
                                  events=() if args.no_events else load_events(args.events))
    collected = collect_accounts(accounts)
    cache = Path(tempfile.gettempdir()) / f"bench-score-{args.accounts.parent.name}.parquet"
    if not cache.exists():
        s = request.rubric.settings
        engine.with_languages(collected.posts, s.min_detect_letters, s.min_detect_confidence,
                              s.trust_declared_below).write_parquet(cache)
    detected = pl.read_parquet(cache)
    engine.with_languages = lambda *_a, **_k: detected  # type: ignore[assignment]
    spent: dict[str, float] = {}
    inner = engine.score_accounts

    def timed(*a: Any, **k: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        found = inner(*a, **k)
        spent.update(cpu=time.process_time() - cpu, wall=time.perf_counter() - wall)
        return found

    engine.score_accounts = timed  # type: ignore[assignment]
    profile = cProfile.Profile() if args.profile else None
    if profile:
        engine.ThreadPoolExecutor = _OnMainThread  # type: ignore[assignment,misc]
        profile.enable()
    cpu, wall = time.process_time(), time.perf_counter()
    engine.audit_collected(request, collected, lambda _m: None)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    print(f"score_accounts {spent['cpu']:.2f} CPU s, {spent['wall']:.2f} s wall; audit_collected {cpu:.2f} CPU s, "
          f"{wall:.2f} s wall; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
