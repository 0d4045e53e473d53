"""What every metric works on and returns: one account's data in the period, and a Measure.

Definitions follow DESIGN.md ("Definitions of the contract metrics") exactly: metrics count
*authored* posts (post, reply, quote; reposts are activity, not content) inside the period, whose
days are inclusive UTC calendar days. A metric that cannot be measured returns a Measure with no
value and the reason, and the scorer leaves it out of the weights: it is never scored as zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property
from typing import Any, cast

import numpy as np
import polars as pl

from audit.enrich.audience import Audience
from audit.events.model import Event
from audit.result.types import PeriodInfo
from audit.scoring.metrics.depth import WORDS, words_of
from audit.scoring.metrics.instants import first_of_each, weeks_since

EVIDENCE_LIMIT = 5
MIN_CADENCE_DAYS = 7
"""Cadence (posts per week, active weeks, regularity) is not measured on less than a week of data."""
HOLE_DAYS = 30
"""A stretch of the period this long with no data of any kind (not even a repost) is a hole in the export."""


@dataclass(frozen=True)
class Period:
    """Inclusive UTC calendar days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=UTC)

    @property
    def end_before(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=UTC)

    @property
    def weeks(self) -> int:
        """Weeks of the period: consecutive 7-day blocks from its first day, the last one possibly short."""
        return math.ceil(self.days / 7)

    def as_dict(self) -> PeriodInfo:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}


@dataclass(frozen=True)
class Hole:
    """A stretch of the period with no data of any kind: from the last data before it (or the period's
    start) to the first data after it (or the period's end). Nothing in it was observed, so it is
    neither a silence nor a quiet week: cadence leaves it out (issue 9)."""

    start: datetime
    end: datetime

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    def holds(self, start: datetime, end: datetime) -> bool:
        """True when [start, end) lies wholly inside the hole."""
        return self.start <= start and end <= self.end


def data_holes(published: pl.Series, period: Period, min_days: float = HOLE_DAYS) -> tuple[Hole, ...]:
    """Holes of the period in one account's data (any kind of post counts as data): stretches of
    `min_days` or more between consecutive timestamps, the period's edges included. A period with no
    data at all is one hole whatever its length: nothing in it can be scored."""
    one = published.alias("published_at").to_frame().with_columns(pl.lit(0).alias("key"))
    return data_holes_by(one, "key", period, min_days).get(0, (Hole(period.start_at, period.end_before),))


def data_holes_by(posts: pl.DataFrame, key: str, period: Period,
                  min_days: float = HOLE_DAYS) -> dict[object, tuple[Hole, ...]]:
    """`data_holes` of the `published_at` of each value of the column `key` (an account), in one query for all
    of them, not a few per account (issue 13). A value without posts in the period is absent: its hole is
    the whole period."""
    inside = posts.lazy().select(key, pl.col("published_at").alias("end")).filter(
        pl.col("end").is_between(period.start_at, period.end_before, closed="left"))
    edges = pl.LazyFrame({"end": [period.start_at, period.end_before]}, schema={"end": posts.schema["published_at"]})
    stamps = pl.concat([inside, inside.select(key).unique().join(edges, how="cross")]).sort(key, "end")
    long = (pl.col("end") - pl.col("start")).dt.total_microseconds() >= min_days * 86_400_000_000
    found = stamps.with_columns(start=pl.col("end").shift(1).over(key)).group_by(key).agg(
        pl.col("start").filter(long), pl.col("end").filter(long)).collect()
    return {k: tuple(Hole(a, b) for a, b in zip(starts, ends, strict=True)) for k, starts, ends in found.iter_rows()}


@cache
def week_of(period: Period) -> pl.Expr:
    """Each post's week of the period (7-day blocks from its first day, named `week`), made once per period:
    its timezone-aware literal is built in Python, about 0.3 ms a time."""
    return ((pl.col("published_at") - pl.lit(period.start_at)).dt.total_days() // 7).alias("week")


def union_holes(*groups: Sequence[Hole]) -> tuple[Hole, ...]:
    """Holes from several sources (the data itself, a live collector's record) merged where they overlap,
    so that no day is left out twice."""
    merged: list[Hole] = []
    for hole in sorted((h for group in groups for h in group), key=lambda h: h.start):
        if merged and hole.start <= merged[-1].end:
            merged[-1] = Hole(merged[-1].start, max(merged[-1].end, hole.end))
        else:
            merged.append(hole)
    return tuple(merged)


def holes_from_gaps(gaps: Sequence[Mapping[str, Any]]) -> tuple[Hole, ...]:
    """Holes from coverage-gap entries that give only days ({"from": "2025-01-20", "to": "2025-03-18"}, as a
    live collector records what it could not see): from the start of the first day to the start of the last."""
    spans = [(date.fromisoformat(str(g["from"])), date.fromisoformat(str(g["to"]))) for g in gaps]
    return tuple(Hole(datetime.combine(a, time(), tzinfo=UTC), datetime.combine(b, time(), tzinfo=UTC))
                 for a, b in spans if a < b)


@dataclass(frozen=True)
class MetricSettings:
    """The rubric settings metrics depend on."""

    waking_hours: tuple[int, int] = (8, 22)
    follow_up_window_hours: float = 72.0


@dataclass
class AccountData:
    """What metrics see of one account: enriched authored posts of the period and its events."""

    authored: pl.DataFrame
    period: Period
    audience: Audience
    responses: pl.DataFrame
    transitions: tuple[Event, ...] = ()
    settings: MetricSettings = field(default_factory=MetricSettings)
    holes: tuple[Hole, ...] = ()
    """Holes in the account's export in the period (coverage.gaps): cadence leaves them out."""
    unseen: tuple[Event, ...] = ()
    """Events whose whole response window lies in a hole: left out of `responses`, named in the reason."""
    points: dict[str, dict[str, Any]] = field(default_factory=dict, init=False, repr=False, compare=False)
    """The aggregates of `points.QUERIES` computed for this table (one select for all: points.prefetch)."""

    @property
    def n(self) -> int:
        return self.authored.height

    @property
    def speaks_to_world(self) -> bool:
        """A ministry-level account with a global audience: no single clock tells when its readers are awake
        (unless the accounts file names its audience's time zone)."""
        a = self.audience
        return a.host_country is None and a.scope != "host" and not a.timezone_given

    @property
    def hole_days(self) -> float:
        return sum(h.days for h in self.holes)

    @property
    def covered_days(self) -> float:
        """Days of the period outside the holes: the time in which the account was observed."""
        return self.period.days - self.hole_days

    def covered_weeks(self) -> list[int]:
        """Weeks of the period (7-day blocks from its first day) not wholly inside a hole."""
        if not self.holes:
            return list(range(self.period.weeks))
        start, end = self.period.start_at, self.period.end_before
        bounds = [(start + timedelta(days=7 * w), min(end, start + timedelta(days=7 * w + 7)))
                  for w in range(self.period.weeks)]
        return [w for w, (a, b) in enumerate(bounds) if not any(h.holds(a, b) for h in self.holes)]

    @cached_property
    def response_rows(self) -> dict[str, list[dict[str, Any]]]:
        """The responses table's rows by `event_type`, read once as Python rows: an account has a handful of
        events, and the crisis metrics' polars queries cost ~0.5-1 ms each whatever their size (issue 13). An
        empty table (no events file, no event concerning the account) is not read at all."""
        by_type: dict[str, list[dict[str, Any]]] = {}
        if not self.responses.is_empty():
            for row in self.responses.iter_rows(named=True):
                by_type.setdefault(row["event_type"], []).append(row)
        return by_type

    @cached_property
    def crisis_response_posts(self) -> pl.DataFrame:
        """Authored posts that matched a crisis event, in time order: found once for the crisis metrics that
        read them, filtered for only when some post matched (measured: a lazy semi join cost three times this
        eager filter on an account's posts)."""
        ids = {p for row in self.response_rows.get("crisis", ()) for p in row["matched_post_ids"] or ()
               if p is not None}
        if not ids:
            return self.authored.clear()
        return self.authored.filter(pl.col("post_id").is_in(sorted(ids)))

    @cached_property
    def weekly(self) -> list[int]:
        """Messages in each week of the period (weeks start on the period's first day): `cadence.weekly_counts`,
        kept once computed for the cadence metrics and the bootstrap's weeks."""
        weeks = weeks_since(self.messages["published_at"], self.period.start_at)  # all in the period: 0 .. weeks - 1
        return [int(c) for c in np.bincount(weeks, minlength=self.period.weeks)]

    @cached_property
    def words(self) -> pl.Series:
        """Each authored post's length in words (`depth.words_of`), measured once: depth parity, the
        ministry comparison and the bootstrap's units all read it. Read from the posts when scoring made it
        for every account's posts at once (`engine.score_accounts`), else measured here."""
        if WORDS in self.authored.columns:
            return self.authored[WORDS]
        return self.authored.lazy().select(words_of()).collect()[WORDS]  # lazy: the link-free body made once

    @cached_property
    def messages(self) -> pl.DataFrame:
        """The time of each message's first post (`published_at`, with `message_id`): the same statement in
        several languages is one message for cadence, which counts what an account says, not how often.
        Kept once computed: cadence, the bootstrap and the ministry comparison all read it. Only the two
        columns are sorted: sorting every column copied the account's whole table (its text among them); the
        posts in time order, as scoring hands them, are not sorted again nor queried (issue 13)."""
        if "message_id" not in self.authored.columns:
            return self.authored[["published_at"]]
        if self.authored["published_at"].is_sorted():  # as scoring hands them: each message's first, read off
            return self.authored[["published_at", "message_id"]][first_of_each(self.authored["message_id"])]
        return self.authored.lazy().select("published_at", "message_id").sort("published_at").unique(
            "message_id", keep="first", maintain_order=True).collect()


@dataclass
class Measure:
    """A metric's value (or why there is none), the numbers its sentences use, and evidence post ids."""

    value: float | dict[str, float] | list[dict[str, Any]] | None
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)


Metric = Callable[[AccountData], Measure]


def not_measured(reason: str) -> Measure:
    return Measure(None, reason)


def evidence_ids(df: pl.DataFrame, limit: int = EVIDENCE_LIMIT) -> list[str]:
    """Evidence post ids: the first posts in time, one per distinct text so a quote is never repeated."""
    return list(df.select(first_texts(None, limit)).item())


def first_texts(where: pl.Expr | None, limit: int = EVIDENCE_LIMIT) -> pl.Expr:
    """`evidence_ids` of the posts where `where` holds (all when None), as one list value: an aggregation
    that a metric can compute in the same query as its counts."""
    ids, text = pl.col("post_id"), pl.col("text")
    if where is not None:
        ids, text = ids.filter(where), text.filter(where)
    return ids.filter(text.is_first_distinct()).head(limit).implode()


def mean_of(values: pl.Series) -> float:
    return float(cast(float | None, values.mean()) or 0.0)


def median_of(values: pl.Series) -> float:
    return float(cast(float | None, values.median()) or 0.0)


def language_list(langs: object) -> str:
    return ", ".join(langs) if isinstance(langs, (list, tuple, dict)) and langs else "none"  # type: ignore[arg-type]


# language_reach ---------------------------------------------------------------------------------


# frequency --------------------------------------------------------------------------------------


# outreach_vs_diplomacy --------------------------------------------------------------------------


# crisis_responsiveness --------------------------------------------------------------------------
