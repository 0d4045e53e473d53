"""The language stage alone: `with_languages` and the lexicon pass (`with_lexicon_masks`) on collected posts.

    .venv/bin/python benchmarks/bench_language_stage.py /work/bench-data/x-200k-real/accounts.toml --runs 3
    PYTHONPATH=SNAPSHOT .venv/bin/python benchmarks/bench_language_stage.py ACCOUNTS.toml --stub-model

Why: the whole audit's wall time on a shared machine hides a stage's change in noise. The posts are
collected first (not timed), then the stage runs --runs times in this process; wall and CPU seconds
(detection workers included) of each run are printed, and the minimum. ``--stub-model`` replaces the
model call by a constant answer: what is left is the stage's own work, the same model cost aside.
AUDIT_DETECT_WORKERS sets the processes (and threads) as for `audit run`.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from audit.accounts import load_accounts
from audit.enrich import lidmodel
from audit.enrich.stage import with_languages
from audit.enrich.text import nfkc_may_change
from audit.posts.collect import collect_accounts
from audit.scoring.engine import AuditRequest, with_lexicon_masks
from audit.scoring.rubric.loading import load_rubric


def cpu_seconds() -> float:
    """User and system seconds of this process and of its finished children (the detection workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("accounts", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stub-model", action="store_true", help="a constant answer instead of the model")
    args = parser.parse_args()
    if args.stub_model:
        lidmodel.predict_lines = lambda lines: (["__label__en"] * len(lines), [0.9] * len(lines))
    request = AuditRequest(accounts=load_accounts(args.accounts), rubric=load_rubric("public-diplomacy"))
    posts, settings = collect_accounts(request.accounts).posts, request.rubric.settings
    nfkc_may_change()  # start-up work of any audit, not the stage's
    lidmodel.model()
    runs = []
    for _ in range(args.runs):
        cpu, wall = cpu_seconds(), time.perf_counter()
        with_lexicon_masks(request, with_languages(posts, settings.min_detect_letters, settings.min_detect_confidence,
                                                   settings.trust_declared_below))
        runs.append((time.perf_counter() - wall, cpu_seconds() - cpu))
        print(f"{posts.height} posts: {runs[-1][0]:.2f} s wall, {runs[-1][1]:.2f} CPU s, load {os.getloadavg()[0]:.1f}")
    print(f"min: {min(w for w, _ in runs):.2f} s wall, {min(c for _, c in runs):.2f} CPU s")


if __name__ == "__main__":
    main()
