"""Frequency and continuity: how often and how steadily an account posts, and whether it keeps going
(across a change of government too)."""


from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from audit.events.model import Event
from audit.scoring.metrics.instants import microseconds
from audit.scoring.metrics.measures import (
    MIN_CADENCE_DAYS,
    AccountData,
    Hole,
    Measure,
    evidence_ids,
    first_texts,
    mean_of,
    not_measured,
)
from audit.scoring.metrics.points import found, query
from audit.scoring.metrics.worldtime import audience_zones, awake_share

_TIMED = pl.col("time_precision") != "day"
"""Posts with a time of day (not known only to their day)."""


def weekly_counts(data: AccountData) -> list[int]:
    """Messages in each week of the period (weeks start on the period's first day); a statement posted
    in several languages is one message (AccountData.messages; counted once, AccountData.weekly)."""
    return data.weekly


def covered_counts(data: AccountData) -> list[int]:
    """Weekly message counts of the weeks not wholly inside a hole in the export: a week nobody could
    observe is neither active nor quiet."""
    counts = weekly_counts(data)
    return [counts[w] for w in data.covered_weeks()]


def too_short(data: AccountData) -> Measure | None:
    days = data.period.days
    if days < MIN_CADENCE_DAYS:
        return not_measured(f"the period is {days} day{'s' if days > 1 else ''}; cadence needs at least a full week")
    if data.covered_days <= 0:
        return not_measured("the export has no data at all in the period (not a post, not a repost): nothing "
                            "to measure cadence on")
    if data.covered_days < MIN_CADENCE_DAYS:
        return not_measured(f"only {data.covered_days:.0f} days of the period have data (the rest is a hole in the "
                            "export); cadence needs at least a full week")
    return None


def _hole_details(data: AccountData) -> dict[str, Any]:
    return {"hole_days": round(data.hole_days, 1), "holes": len(data.holes)} if data.holes else {}


def posts_per_week(data: AccountData) -> Measure:
    """Messages / (days of the period with data / 7): translations of one statement count once, and
    holes in the export are left out of the days (no data is not a silence)."""
    if short := too_short(data):
        return short
    days, messages = data.covered_days, data.messages.height
    details = {"posts": data.n, "messages": messages, "days": round(days), **_hole_details(data)}
    return Measure(messages / (days / 7), details=details)


def active_week_share(data: AccountData) -> Measure:
    """Weeks with at least one authored post / weeks of the period, weeks wholly inside a hole left out."""
    if short := too_short(data):
        return short
    counts = covered_counts(data)
    if not counts:
        return not_measured("every week of the period lies inside a hole in the export")
    active = sum(1 for c in counts if c)
    return Measure(active / len(counts), details={"active_weeks": active, "weeks": len(counts), **_hole_details(data)})


def longest_gap_days(data: AccountData) -> Measure:
    """Longest interval between two consecutive authored posts, in fractional days, less any hole in the
    export inside it: the stretches before and after a hole are silences of their own, the hole is not."""
    if data.n < 2:
        return not_measured("needs at least two authored posts")
    published = data.authored["published_at"]
    posts = microseconds(published)
    holes, edges = _holes_inside(data.holes, posts, published.dtype)
    starts, ends, from_rows, to_rows = _silences(posts, edges)
    gaps = (ends - starts) * _DAY_PER_US
    at = int(np.argmax(gaps))  # the first longest
    details: dict[str, Any] = {"gap_start": _utc_date(starts[at]), "gap_end": _utc_date(ends[at])}
    if holes:
        details.update(hole_days=round(sum(h.days for h in holes), 1), holes=len(holes))
    return Measure(float(gaps[at]), details=details, evidence=_post_ids(data.authored, (from_rows[at], to_rows[at])))


_DAY_PER_US = 1 / 86_400e6
"""A microsecond in days. A gap in days is its microseconds times this, not divided by 86_400e6: polars
divides a column by a number so (its kernel multiplies by the inverse), and the old polars query's longest
gaps stay the same to the last bit (a true division differs in it for about one gap in four)."""
_EPOCH = datetime(1970, 1, 1)


def _holes_inside(holes: tuple[Hole, ...], posts: np.ndarray, dtype: pl.DataType) -> tuple[list[Hole], np.ndarray]:
    """The holes between the first and the last authored post (edges included), and their starts and ends
    in turn in microseconds (read as a column of the posts' type reads a datetime, as the old query did)."""
    if not holes:
        return [], np.empty(0, dtype=np.int64)
    edges = microseconds(pl.Series([t for h in holes for t in (h.start, h.end)], dtype=dtype)).reshape(-1, 2)
    inside = (posts.min() <= edges[:, 0]) & (edges[:, 1] <= posts.max())
    return [h for h, keep in zip(holes, inside, strict=True) if keep], edges[inside].ravel()


def _utc_date(microseconds: np.int64) -> str:
    """The UTC day of a point (what the old query read of its datetime column)."""
    return (_EPOCH + timedelta(microseconds=int(microseconds))).date().isoformat()


def _post_ids(authored: pl.DataFrame, rows: tuple[np.int64, ...]) -> list[str]:
    """The ids of the posts at these rows of `authored`, a hole's edge (row -1) left out."""
    ids = authored["post_id"]
    return [i for i in (ids[int(r)] for r in rows if r >= 0) if i is not None]


def _silences(posts: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stretches between consecutive points (authored posts and hole edges), without the holes themselves:
    each one's start and end (microseconds) and the row of the post at either end (-1 at a hole's edge)."""
    at = np.concatenate([posts, edges])
    rank = np.concatenate([np.full(posts.size, _POST), np.tile([_OPENS, _CLOSES], edges.size // 2)])
    rows = np.concatenate([np.arange(posts.size), np.full(edges.size, -1)])
    order = np.lexsort((rank, at))  # stable: posts at one instant keep their order in the table
    at, rank, rows = at[order], rank[order], rows[order]
    kept = rank[:-1] != _OPENS
    return at[:-1][kept], at[1:][kept], rows[:-1][kept], rows[1:][kept]


_CLOSES, _POST, _OPENS = 0, 1, 2
"""The order of points at one instant: a hole's edges lie outside the posts there, so the silence after a
hole starts at the post that ends it, which the evidence cites (the old polars sort put a post before an
opening edge, and a closing edge before a post only most of the time: it did not pin this)."""


def regularity_cv(data: AccountData) -> Measure:
    """Coefficient of variation (population standard deviation / mean) of weekly authored counts, over
    the weeks not wholly inside a hole in the export."""
    if short := too_short(data):
        return short
    counts = covered_counts(data)
    mean = sum(counts) / len(counts) if counts else 0
    if mean == 0:
        return not_measured("no authored posts in the weeks of the period that have data")
    std = math.sqrt(sum((c - mean) ** 2 for c in counts) / len(counts))
    return Measure(std / mean, details=_hole_details(data))


@cache
def _waking_aggregates(start: int, end: int, local: bool) -> dict[str, pl.Expr]:
    """Posts with a time of day, and (for one audience clock) those in the waking hours and the evidence
    of those outside them."""
    if not local:
        return {"timed": _TIMED.sum()}
    hour = pl.col("audience_local_time").dt.hour()
    return {"timed": _TIMED.sum(), "hits": (_TIMED & (hour >= start) & (hour < end)).sum(),
            "ids": first_texts(_TIMED & ((hour < start) | (hour >= end)))}


query("waking_hours", lambda data: _waking_aggregates(*data.settings.waking_hours, not data.speaks_to_world))


def waking_hours_share(data: AccountData) -> Measure:
    """Authored posts published between the waking hours in the audience's time zone; for a global
    audience, the mean share of the audience awake, over its time zones weighted by population (worldtime).

    Posts known only to their day (a CSV of dates, the oldest X archives) have no hour: they are
    left out, and when no post has one the share is not measured instead of reading midnight.
    """
    start, end = data.settings.waking_hours
    got = found(data, "waking_hours")
    timed = got["timed"]
    if not timed and data.n:
        return not_measured(f"the export gives only the date of all {data.n} posts, not their time of day")
    if data.speaks_to_world:
        dated = data if timed == data.n else replace(data, authored=data.authored.filter(_TIMED))
        m = _global_waking(dated, start, end)
    elif not timed:
        m = not_measured("no authored posts in the period")
    else:
        m = Measure(got["hits"] / timed, details={"count": got["hits"], "posts": timed}, evidence=list(got["ids"]))
    if not data.speaks_to_world:
        m.details["timezone"] = data.audience.timezone
    m.details.update(waking_start=start, waking_end=end)
    if dated_only := data.n - timed:
        m.details.update(date_only_posts=dated_only)
    return m


def _global_waking(data: AccountData, start: int, end: int) -> Measure:
    """The share of a global audience awake when each post appeared, averaged over posts."""
    if data.n == 0:
        return not_measured("no authored posts in the period")
    zones = audience_zones(tuple(sorted(data.audience.languages)))
    if not zones:
        return not_measured("no territory in CLDR reads the audience's languages, so its time zones are unknown")
    awake = awake_share(data.authored["published_at"], zones, start, end)
    asleep = data.authored.select("post_id", "text").filter(awake < 0.5)  # what evidence reads, not every column
    details = {"timezone": "the global audience's time zones weighted by population", "zones": len(zones),
               "posts": data.n}
    return Measure(mean_of(awake), details=details, evidence=evidence_ids(asleep))


def _first_transition(data: AccountData) -> Event | None:
    inside = [e for e in data.transitions if data.period.start_at <= e.start < data.period.end_before]
    return min(inside, key=lambda e: e.start) if inside else None


@cache
def _before(start: datetime) -> dict[str, pl.Expr]:
    """Posts before a transition's start (its literal made once, not once per account)."""
    return {"before": (pl.col("published_at") < start).sum()}


query("transition", lambda data: _before(event.start) if (event := _first_transition(data)) else {})


def transition_continuity(data: AccountData) -> Measure:
    """Posts per week after the first transition in the period over posts per week before it."""
    event = _first_transition(data)
    if event is None:
        return not_measured("no government transition in the period")
    before_days = (event.start - data.period.start_at).total_seconds() / 86400
    after_days = (data.period.end_before - event.start).total_seconds() / 86400
    before = found(data, "transition")["before"]
    if before_days <= 0 or before == 0:
        return not_measured(f"no authored posts before the transition {event.id!r}")
    before_rate, after_rate = before / (before_days / 7), (data.n - before) / (after_days / 7)
    details = {"transition": event.title, "before_per_week": before_rate, "after_per_week": after_rate}
    return Measure(after_rate / before_rate, details=details)
