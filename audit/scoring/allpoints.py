"""The point metrics' account-independent aggregates of every account in one grouped query (issue 13).

`points.prefetch` computes an account's counts, shares, means and medians in one select: one query an
account, whose cost is mostly the query's own (its ~50 expressions set up for ~1,000 posts) - 6 ms an
account, 1.2 s for 200. The aggregates that do not depend on the account (`points.FIXED`: shares, counts,
engagement means, evidence...) are the same expressions for every account, so they are computed here for
all accounts at once, grouped by account over the authored posts sorted as each account's are (by time, ties
in the export's order: the order evidence is picked in). An account reads its row when it has as many
authored posts as the row counted; the rest of its queries (its clock, its audience's reach, its
transition, the words of its posts) stay in its own select. tests/scoring/test_all_points.py holds the
two ways equal.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import polars as pl

from audit.collectors.table import AUTHORED_KINDS
from audit.scoring.metrics.measures import AccountData
from audit.scoring.metrics.points import FIXED, roots

KEY = "account_id"
_N = "__posts"
_SEP = "\x1f"


@dataclass(frozen=True)
class AccountPoints:
    """One account's values of the fixed queries, and the number of authored posts they were counted on."""

    posts: int
    values: dict[str, dict[str, Any]]

    def fill(self, data: AccountData) -> None:
        """Hands `data` these values when they were counted on as many posts as it has (else nothing)."""
        if self.posts == data.n:
            data.points.update({n: v for n, v in self.values.items() if n not in data.points})


def all_points(posts: pl.LazyFrame, accounts: Collection[str]) -> dict[str, AccountPoints]:
    """Every account's values of the fixed queries whose columns the posts have, from the posts of the
    period of all accounts (the authored ones count, templated repeats left out, as for the metrics)."""
    names = set(posts.collect_schema().names())
    wanted = {n: q for n, q in FIXED.items() if all(roots(e) <= names for e in q.values())}
    if not wanted or not accounts:
        return {}
    read = sorted({KEY, "published_at"} | {c for q in wanted.values() for e in q.values() for c in roots(e)})
    authored = pl.col("kind").is_in(AUTHORED_KINDS) & ~pl.col("templated_repeat") & pl.col(KEY).is_in(list(accounts))
    exprs = [e.alias(f"{n}{_SEP}{k}") for n, q in wanted.items() for k, e in q.items()]
    found = posts.filter(authored).select(read).sort(KEY, "published_at", maintain_order=True).group_by(
        KEY, maintain_order=True).agg(pl.len().alias(_N), *exprs).collect()
    return {row[KEY]: AccountPoints(row[_N], {n: {k: row[f"{n}{_SEP}{k}"] for k in q} for n, q in wanted.items()})
            for row in found.iter_rows(named=True)}
