"""The language stage alone: `with_languages` and the lexicon pass (`with_lexicon_masks`) on collected posts.

    .venv/bin/python benchmarks/bench_language_stage.py /work/bench-data/x-200k-real/accounts.toml --runs 3
    PYTHONPATH=SNAPSHOT .venv/bin/python benchmarks/bench_language_stage.py ACCOUNTS.toml --stub-model

Why: the whole audit's wall time on a shared machine hides a stage's change in noise. The posts are
collected first (not timed), then the stage runs --runs times in this process; wall and CPU seconds
(detection workers included) of each run are printed, and the minimum, with the stage cut in four phases
around the worker pool: before it starts (cleaning, the model's inputs, the distinct keys), the caller's work
while the workers predict, the caller waiting for them, and after (the labels joined back, the declared-language
rules, the own-language lexicons). Phase CPU is this process's (its threads); the workers' is given apart.
``--stub-model`` replaces the model call by a constant answer: what is left is the stage's own work, the
same model cost aside. AUDIT_DETECT_WORKERS sets the processes (and threads) as for `audit run`.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from audit.accounts import load_accounts
from audit.enrich import langid, lidmodel
from audit.enrich.stage import with_languages
from audit.enrich.text import nfkc_may_change
from audit.posts.collect import collect_accounts
from audit.scoring.engine import AuditRequest, signal_terms, with_lexicon_masks
from audit.scoring.rubric.loading import load_rubric

PHASES = ("before", "window, working", "window, waiting", "after")
_pool = lidmodel.predicting
_marks: list[tuple[float, float]] = []


def own_cpu() -> float:
    """User and system seconds of this process (all its threads)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def workers_cpu() -> float:
    """User and system seconds of this process's finished children (the detection workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def mark() -> None:
    """The time and this process's CPU now: a phase's boundary."""
    _marks.append((time.perf_counter(), own_cpu()))


@contextmanager
def marked_pool(lines: Sequence[str], workers: int | None = None) -> Iterator[Callable[[], lidmodel.Prediction]]:
    """`lidmodel.predicting`, marking when the pool has started, when the caller asks for the labels (its own
    work in the window done) and when it has them."""
    with _pool(lines, workers) as result:
        mark()

        def waited() -> lidmodel.Prediction:
            mark()
            predicted = result()
            mark()
            return predicted
        yield waited


def stage(posts: pl.DataFrame, request: AuditRequest) -> None:
    """`with_languages` then `with_lexicon_masks`, as `audit_collected` calls them."""
    settings = request.rubric.settings
    with_lexicon_masks(request, with_languages(posts, settings.min_detect_letters, settings.min_detect_confidence,
                                               settings.trust_declared_below, terms=signal_terms(request)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("accounts", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stub-model", action="store_true", help="a constant answer instead of the model")
    args = parser.parse_args()
    if args.stub_model:
        lidmodel.predict_lines = lambda lines: (["__label__en"] * len(lines), [0.9] * len(lines))
    langid.predicting = marked_pool  # type: ignore[attr-defined]  # to mark the phases
    request = AuditRequest(accounts=load_accounts(args.accounts), rubric=load_rubric("public-diplomacy"))
    posts = collect_accounts(request.accounts).posts
    nfkc_may_change()  # start-up work of any audit, not the stage's
    lidmodel.model()
    runs = []
    for _ in range(args.runs):
        _marks.clear()
        workers = workers_cpu()
        mark()
        stage(posts, request)
        mark()
        runs.append((_marks[-1][0] - _marks[0][0], _marks[-1][1] - _marks[0][1] + workers_cpu() - workers))
        phases = "  ".join(f"{name} {b[0] - a[0]:.2f} / {b[1] - a[1]:.2f}"
                           for name, a, b in zip(PHASES, _marks[:-1], _marks[1:], strict=True))
        print(f"{posts.height} posts: {runs[-1][0]:.2f} s wall, {runs[-1][1]:.2f} CPU s (workers "
              f"{workers_cpu() - workers:.2f}), load {os.getloadavg()[0]:.1f}; wall / CPU s: {phases}")
    print(f"min: {min(w for w, _ in runs):.2f} s wall, {min(c for _, c in runs):.2f} CPU s")


if __name__ == "__main__":
    main()
