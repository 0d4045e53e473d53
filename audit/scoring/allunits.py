"""The bootstrap's unit aggregates of every account in one grouped query (issue 13).

Each account's bootstrap needs, per unit (block of consecutive weeks), the aggregates of the metrics'
twins (audit.scoring.unitwise) and the times of its posts (resample.week_times). Computed account by
account they cost three small polars queries each - a fixed cost that made 200 accounts of 1,000 posts
far slower than one account of 200,000. Here the authored posts of all accounts are tagged with their
account's units and aggregated once over (account, unit); what a twin reads that depends on the account
(the reach of a language for its audience, the hour in its audience's zone, the share of a global
audience awake, the start of its transition) is joined in as columns. Each account's bootstrap reads its
rows (`AccountUnits`) when they were planned from the same period, audience, holes and transitions as its
data; otherwise it measures its units alone, as before. tests/scoring/test_all_units.py holds the two
ways equal.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from audit.collectors.table import AUTHORED_KINDS
from audit.scoring.metrics.instants import WEEK_US, epoch_micros
from audit.scoring.metrics.measures import AccountData
from audit.scoring.metrics.worldtime import audience_zones, awake_share
from audit.scoring.selection import account_spans
from audit.scoring.unitwise import (
    AWAKE,
    FIRST,
    IN_HOURS,
    REACH,
    START,
    TWINS,
    UNIT,
    N,
    best_reach,
    message_column,
    named_aggs,
    relative_reach,
    scatter,
    transition_start,
    unit_blocks,
)

KEY = "account_id"
WEEK = "__week"
_REL = "__rel"
READS = ("account_id", "published_at", "time_precision", "lang", "post_id", "message_id", "audience_language",
         "home_language", "label", "reply_to_other", "mentions_external", "is_two_way", "cultural_asset",
         "media_count", "likes", "shares", "replies")
"""What the twins read of a post (a column missing from the posts is left out)."""
BY_ROWS = ("depth_parity_length",)
"""Twins not aggregated here: they read a column made per account (each post's words, `AccountData.words`)."""


@dataclass(frozen=True)
class AccountUnits:
    """One account's rows of the all-accounts unit table, and what they were planned from."""

    plan: AccountData
    weeks: np.ndarray
    """The observed weeks in their units' order, and each unit's number of weeks (the blocks planned)."""
    sizes: np.ndarray
    columns: Mapping[str, np.ndarray]
    """Every twin's aggregates and `N` on each of the account's units (NaN where a unit has no posts)."""
    times: Mapping[str, np.ndarray]
    posts: int
    active: int
    """Weeks of the period with at least one authored post (confidence.rests_on)."""

    def fits(self, data: AccountData, blocks: list[np.ndarray]) -> bool:
        """True when `data` would give the units these rows were computed for."""
        p = self.plan
        return (self.posts == data.n and _same_blocks(self, blocks) and p.period == data.period
                and p.audience == data.audience and p.transitions == data.transitions and p.holes == data.holes
                and p.settings == data.settings)


@dataclass
class WithUnits(AccountData):
    """An account's data carrying its rows of the all-accounts unit table, for its bootstrap."""

    units: AccountUnits | None = None


def with_units(data: AccountData, units: AccountUnits | None) -> AccountData:
    """`data` with its rows of the all-accounts table (the same data when there are none)."""
    if units is None:
        return data
    return WithUnits(**{f.name: getattr(data, f.name) for f in fields(AccountData) if f.init}, units=units)


def units_of(data: AccountData) -> AccountUnits | None:
    return data.units if isinstance(data, WithUnits) else None


def week_number(period_start: datetime) -> pl.Expr:
    """Each post's week of the period (7-day blocks from its first day), on the integer clock: the same
    number as `(published_at - start).dt.total_days() // 7` for the posts of the period, without a
    time-zone-aware literal (about 1 ms to build)."""
    return (pl.col("published_at").dt.epoch("us") - epoch_micros(period_start)) // WEEK_US


def all_units(posts: pl.LazyFrame, plans: Mapping[str, AccountData], in_order: bool = False) -> dict[str, AccountUnits]:
    """Every planned account's unit rows, from the posts of the period of all accounts (of which the
    authored ones count, templated repeats left out, as for the metrics) and each account's data as it will
    be scored, without its posts (`plans`: all of one period). `in_order`: each account's posts lie together
    in time order (`selection.in_account_order`), so they need no sort (nor its copy)."""
    if not plans:
        return {}
    period = next(iter(plans.values())).period
    blocks = {k: unit_blocks(p) for k, p in plans.items()}
    week = week_number(period.start_at).alias(WEEK)
    read = [c for c in READS if c in posts.collect_schema().names()]
    authored = pl.col("kind").is_in(AUTHORED_KINDS) & ~pl.col("templated_repeat") & pl.col(KEY).is_in(list(plans))
    mine = posts.filter(authored).select(read).with_columns(week)
    counts = mine.group_by(KEY).agg(pl.len(), pl.col(WEEK).n_unique()).collect()
    count, active = (dict(zip(counts[KEY], counts[c], strict=True)) for c in ("len", WEEK))
    if not count:
        return {}
    joined = mine.join(_units_table(blocks), on=[KEY, WEEK], how="inner", maintain_order="left")
    tagged = (joined if in_order else joined.sort(KEY, "published_at", maintain_order=True)).collect()
    found = _aggregated(_with_helpers(tagged, plans), period.start_at.timestamp() / 86400)
    columns = _by_account(found, {k: len(b) for k, b in blocks.items()})
    return {k: AccountUnits(p, *_flat(blocks[k]), columns[k], _times(columns[k], blocks[k]),
                            int(count.get(k, 0)), int(active.get(k, 0))) for k, p in plans.items()}


def _by_account(found: pl.DataFrame, units: Mapping[str, int]) -> dict[str, dict[str, np.ndarray]]:
    """Each account's columns of the aggregated table, on every one of its units (NaN where a unit has no
    posts): one scatter per column for all accounts, then each account's slice of it."""
    ends = dict(zip(units, np.cumsum(list(units.values())), strict=True))
    offset = pl.col(KEY).replace_strict({k: int(e - units[k]) for k, e in ends.items()}, return_dtype=pl.Int64)
    at = found.select(offset + pl.col(UNIT)).to_series().to_numpy()
    total = int(sum(units.values()))
    table = {c: scatter(found[c].to_numpy(), at, total) for c in found.columns if c not in (KEY, UNIT)}
    return {k: {c: v[int(e - units[k]):int(e)] for c, v in table.items()} for k, e in ends.items()}


def _flat(blocks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The blocks' weeks end to end, and each block's size."""
    sizes = np.array([len(b) for b in blocks], dtype=np.int64)
    return (np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)), sizes


def _same_blocks(units: AccountUnits, blocks: list[np.ndarray]) -> bool:
    weeks, sizes = _flat(blocks)
    return np.array_equal(units.sizes, sizes) and np.array_equal(units.weeks, weeks)


def _units_table(blocks: Mapping[str, list[np.ndarray]]) -> pl.LazyFrame:
    """(account, week, unit) for every observed week of every account."""
    flat = {k: _flat(bs) for k, bs in blocks.items()}
    keys = pl.Series(KEY, list(flat), dtype=pl.String).gather(
        np.repeat(np.arange(len(flat)), [len(w) for w, _ in flat.values()]))
    weeks = np.concatenate([w for w, _ in flat.values()] or [np.zeros(0, dtype=np.int64)])
    units = np.concatenate([np.repeat(np.arange(len(z)), z) for _, z in flat.values()] or [np.zeros(0, dtype=np.int64)])
    return pl.LazyFrame([keys, pl.Series(WEEK, weeks, dtype=pl.Int64), pl.Series(UNIT, units, dtype=pl.Int64)])


def _with_helpers(tagged: pl.DataFrame, plans: Mapping[str, AccountData]) -> pl.LazyFrame:
    """The twins' helper columns for every account's posts (sorted by account, then time)."""
    message = pl.col("message_id") if "message_id" in tagged.columns else pl.col("post_id")
    reach = [(k, lang, share) for k, p in plans.items() if best_reach(p) is not None
             for lang, share in relative_reach(p).items()]
    relative = pl.LazyFrame({KEY: [r[0] for r in reach], "lang": [r[1] for r in reach], _REL: [r[2] for r in reach]},
                            schema={KEY: pl.String, "lang": tagged.schema["lang"], _REL: pl.Float64})
    starts = pl.LazyFrame({KEY: list(plans), START: [transition_start(p) for p in plans.values()]},
                          schema={KEY: pl.String, START: tagged.schema["published_at"]})
    hours, awake = _clock_columns(tagged, plans)
    return tagged.lazy().with_columns(pl.Series(IN_HOURS, hours), pl.Series(AWAKE, awake, nan_to_null=True),
                                      message_column(tagged.columns)).join(
        relative, on=[KEY, "lang"], how="left", maintain_order="left").join(
        starts, on=KEY, how="left", maintain_order="left").with_columns(
        pl.col(_REL).fill_null(0.0).max().over(KEY, UNIT, message).alias(REACH),
        pl.struct(KEY, UNIT, message).is_first_distinct().alias(FIRST))


def _clock_columns(tagged: pl.DataFrame, plans: Mapping[str, AccountData]) -> tuple[np.ndarray, np.ndarray]:
    """Per post, whether its hour in its audience's zone is a waking hour (one conversion per zone), and
    for a global audience the share of it awake (worldtime.awake_share, per such account)."""
    accounts = account_spans(tagged)
    published = tagged["published_at"]
    hours, awake = np.zeros(tagged.height, dtype=bool), np.full(tagged.height, np.nan)
    for k, (a, b) in accounts.items():
        if plans[k].speaks_to_world:
            start, end = plans[k].settings.waking_hours
            shares = audience_zones(tuple(sorted(plans[k].audience.languages)))
            awake[a:b] = awake_share(published.slice(a, b - a), shares, start, end).to_numpy()
    clocks = rows_by(accounts, lambda k: (plans[k].audience.timezone, *plans[k].settings.waking_hours))
    for (zone, start, end), rows in clocks.items():
        hour = published.gather(rows).dt.convert_time_zone(zone).dt.hour().to_numpy()
        hours[rows] = (hour >= start) & (hour < end)
    return hours, awake


def rows_by(accounts: Mapping[Any, tuple[int, int]], key: Callable[[Any], Hashable]) -> dict[Any, np.ndarray]:
    """The rows of the accounts' `account_spans`, grouped by what `key` says of each account (its audience's zone):
    a time-zone conversion made once per group of accounts, not once per account."""
    grouped: dict[Hashable, list[np.ndarray]] = {}
    for k, (a, b) in accounts.items():
        grouped.setdefault(key(k), []).append(np.arange(a, b))
    return {group: np.concatenate(parts) for group, parts in grouped.items()}


def _aggregated(tagged: pl.LazyFrame, origin: float) -> pl.DataFrame:
    """The twins' aggregates and the posts' times (resample.week_times) of every (account, unit)."""
    twins = {name: twin for name, twin in TWINS.items() if name not in BY_ROWS}
    offset = (pl.col("published_at").dt.epoch("us") / 86_400e6) - origin
    times = [offset.min().alias("lo"), offset.max().alias("hi"), offset.diff().max().fill_null(0.0).alias("inner")]
    return tagged.group_by(KEY, UNIT).agg(pl.len().alias(N), *named_aggs(twins), *times).sort(KEY, UNIT).collect()


def _times(got: Mapping[str, np.ndarray], blocks: list[np.ndarray]) -> dict[str, np.ndarray]:
    """resample.week_times's columns for one account, from its columns (a unit without posts: zeros)."""
    start = np.array([b[0] * 7.0 if len(b) else 0.0 for b in blocks])
    return {"length": np.array([len(b) * 7.0 for b in blocks]), "first": np.nan_to_num(got["lo"] - start),
            "last": np.nan_to_num(got["hi"] - start), "inner": np.nan_to_num(got["inner"]),
            "has": np.nan_to_num(got[N])}

