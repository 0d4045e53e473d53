"""The counts, means and medians metrics read of an account's authored posts, for all metrics in one query.

Measured one by one, each metric of an account ran a polars query of its own (a share's count and
evidence, a mean of engagement, the medians of each side of depth parity...): some thirty queries an
account, most of their cost the query itself, not its work (issue 13). Here each metric names its
*aggregates* (expressions over the authored posts, made once where they do not depend on the account),
`prefetch` computes those of every metric the rubric names in one select, and `found` hands a metric its
own, running its query alone when nothing was prefetched (a bootstrap unit's table, a test's frame).
Both ways run the same expressions on the same rows: tests/scoring/test_points.py holds every metric's
prefetched Measure to the one it measures alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

import polars as pl

from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.measures import AccountData, Measure, first_texts, not_measured

Aggregates = Callable[[AccountData], Mapping[str, pl.Expr]]
QUERIES: dict[str, Aggregates] = {}
"""Query name (a metric's, or one several metrics share) -> the aggregates it computes of an account."""
FIXED: dict[str, Mapping[str, pl.Expr]] = {}
"""The queries whose aggregates do not depend on the account: computable for every account in one grouped
query (audit.scoring.allpoints)."""
_SEP = "\x1f"


def query(name: str, aggregates: Aggregates | Mapping[str, pl.Expr]) -> None:
    """Names a metric's aggregates: a mapping made once when they do not depend on the account."""
    if callable(aggregates):
        QUERIES[name] = aggregates
        return
    fixed = FIXED[name] = dict(aggregates)

    def same(_data: AccountData) -> Mapping[str, pl.Expr]:
        return fixed

    QUERIES[name] = same


def found(data: AccountData, name: str) -> dict[str, Any]:
    """The values of the query `name` on the account's authored posts: prefetched, else computed now."""
    if name not in data.points:
        prefetch(data, [name])
    return data.points[name]


def prefetch(data: AccountData, names: Iterable[str]) -> None:
    """Computes the queries among `names` not yet computed in one select. A query reading a column the
    table lacks (a test's small frame) is left to run alone, where the column's absence shows as before."""
    columns = {*data.authored.columns, WORDS}
    wanted = {n: QUERIES[n](data) for n in dict.fromkeys(names) if n in QUERIES and n not in data.points}
    if len(wanted) > 1:
        wanted = {n: q for n, q in wanted.items() if all(roots(e) <= columns for e in q.values())}
    exprs = [e.alias(f"{n}{_SEP}{k}") for n, q in wanted.items() for k, e in q.items()]
    if not exprs:
        return
    frame = data.authored
    if any(WORDS in roots(e) for e in exprs) and WORDS not in frame.columns:
        frame = frame.with_columns(data.words)
    row = frame.select(exprs).row(0, named=True)  # eager: measured twice as fast as lazy here (2 ms vs 4 ms)
    for n, q in wanted.items():
        data.points[n] = {k: row[f"{n}{_SEP}{k}"] for k in q}


def roots(expr: pl.Expr) -> set[str]:
    return set(expr.meta.root_names())


def share_aggregates(mask: pl.Expr, evidence_when: pl.Expr | None = None) -> dict[str, pl.Expr]:
    """A share's count of posts where `mask` holds, and its evidence (where `evidence_when` holds, if given)."""
    return {"hits": mask.sum(), "ids": first_texts(evidence_when if evidence_when is not None else mask)}


def share(data: AccountData, name: str) -> Measure:
    """Fraction of authored posts counted by the share query `name` (`share_aggregates`)."""
    if data.n == 0:
        return not_measured("no authored posts in the period")
    got = found(data, name)
    return Measure(got["hits"] / data.n, details={"count": got["hits"], "posts": data.n}, evidence=list(got["ids"]))


@cache
def counted(column: str) -> pl.Expr:
    """Each value of `column` with its number of posts, as one list (the order is set by `ranked`)."""
    return pl.col(column).value_counts(name="n").implode()


def ranked(counts: Iterable[Mapping[str, Any]], column: str, by_count: bool) -> list[tuple[Any, int]]:
    """`counted` values as a group_by + sort gives them: by count (most first) then value, or by value;
    a null value first, as polars sorts it."""
    pairs = [(c[column], int(c["n"])) for c in counts]
    return sorted(pairs, key=(lambda p: (-p[1], *_by_value(p))) if by_count else _by_value)


def _by_value(pair: tuple[Any, int]) -> tuple[bool, Any]:
    return pair[0] is not None, pair[0] if pair[0] is not None else ""
