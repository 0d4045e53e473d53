"""The point metrics' aggregates of every account in one grouped query (issue 13).

`points.prefetch` computes an account's counts, shares, means and medians in one select: one query an
account, whose cost is mostly the query's own (its ~50 expressions set up for ~1,000 posts) - 6 ms an
account, 1.2 s for 200. Here the aggregates of every account are computed at once, grouped by account over
the authored posts sorted as each account's are (by time, ties in the export's order: the order evidence is
picked in). What depends on the account is its variant of a query (`points.query` makes each variant once:
its waking hours and clock, its transition's start), computed for all accounts and read by those that use
it, and its audience's clock, made here as a column (`_local_clock`). An account reads its row when it has
as many authored posts and would ask the very same aggregates; the audience reach stays in its own select, and
so do the queries of each post's words when the posts lack them (scoring makes them for every post at once).
tests/scoring/test_all_points.py holds the two ways equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from audit.collectors.table import AUTHORED_KINDS
from audit.enrich.signals import LOCAL
from audit.scoring.allunits import rows_by
from audit.scoring.metrics.measures import AccountData
from audit.scoring.metrics.points import QUERIES, roots
from audit.scoring.selection import account_spans

KEY = "account_id"
ALONE = ("audience_reach",)
"""Left to each account's select: a mean of float reaches, whose sum a grouped query may add in another order."""
_N = "__posts"
_SEP = "\x1f"


@dataclass(frozen=True)
class AccountPoints:
    """One account's values of the queries computed for all accounts, the aggregates each was computed with,
    and the number of authored posts they were counted on."""

    posts: int
    values: dict[str, dict[str, Any]]
    aggregates: dict[str, Mapping[str, pl.Expr]]

    def fill(self, data: AccountData) -> None:
        """Hands `data` the values computed on as many posts as it has with the very aggregates its own
        query would compute (the same objects: `points.query` makes them once per account-dependent key)."""
        if self.posts != data.n:
            return
        data.points.update({n: v for n, v in self.values.items()
                            if n not in data.points and QUERIES[n](data) is self.aggregates[n]})


def all_points(posts: pl.LazyFrame, plans: Mapping[str, AccountData],
               in_order: bool = False) -> dict[str, AccountPoints]:
    """Every planned account's values of the point queries, from the posts of the period of all accounts
    (the authored ones count, templated repeats left out, as for the metrics) and each account's data as
    it will be scored (`plans`, without posts). Queries in `ALONE` and those reading a column the posts
    lack (each post's words, when scoring did not make them) are left to each account's select; so is a lone
    account. `in_order`: each account's posts lie together in time order, so they need no sort."""
    if len(plans) < 2:  # one account's own select computes the same, without the grouped query's sort
        return {}
    names = set(posts.collect_schema().names())
    chosen = {k: _chosen(p, names) for k, p in plans.items()}
    variants = {id(q): (n, q) for c in chosen.values() for n, q in c.items()}
    if not variants:
        return {}
    read = {KEY, "published_at"} | {c for _, q in variants.values() for e in q.values() for c in roots(e)}
    authored = pl.col("kind").is_in(AUTHORED_KINDS) & ~pl.col("templated_repeat") & pl.col(KEY).is_in(list(plans))
    mine = posts.filter(authored).select(sorted(read - {LOCAL}))
    rows = (mine if in_order else mine.sort(KEY, "published_at", maintain_order=True)).collect()
    if LOCAL in read:
        rows = rows.with_columns(_local_clock(rows, plans))
    exprs = [e.alias(f"{v}{_SEP}{k}") for v, (_, q) in variants.items() for k, e in q.items()]
    found = rows.group_by(KEY, maintain_order=True).agg(pl.len().alias(_N), *exprs)
    return {row[KEY]: AccountPoints(row[_N], {n: {k: row[f"{id(q)}{_SEP}{k}"] for k in q}
                                              for n, q in chosen[row[KEY]].items()}, chosen[row[KEY]])
            for row in found.iter_rows(named=True)}


def _chosen(plan: AccountData, names: set[str]) -> dict[str, Mapping[str, pl.Expr]]:
    """The aggregates of the account's queries that the grouped query computes."""
    asked = {n: make(plan) for n, make in QUERIES.items() if n not in ALONE}
    known = names | {LOCAL}  # the audience's clock made here (`_local_clock`); the words when scoring made them
    return {n: q for n, q in asked.items() if q and all(roots(e) <= known for e in q.values())}


def _local_clock(rows: pl.DataFrame, plans: Mapping[str, AccountData]) -> pl.Series:
    """`audience_local_time` of every account's posts as wall-clock time in its audience's zone (one
    conversion per zone): the hours the clock's aggregates read, as `signals.local_time` gives them."""
    published = rows["published_at"]
    local = np.zeros(rows.height, dtype=np.int64)
    for zone, at in rows_by(account_spans(rows), lambda k: plans[k].audience.timezone).items():
        local[at] = published.gather(at).dt.convert_time_zone(zone).dt.replace_time_zone(None).dt.epoch("us").to_numpy()
    return pl.Series(LOCAL, local).cast(pl.Datetime("us"))
