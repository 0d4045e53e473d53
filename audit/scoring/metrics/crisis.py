"""Crisis responsiveness: how fast, in which languages and how persistently an account answers events."""


from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import polars as pl

from audit.scoring.metrics.measures import (
    EVIDENCE_LIMIT,
    AccountData,
    Measure,
    evidence_ids,
    first_texts,
    mean_of,
    not_measured,
)

Row = dict[str, Any]
"""One row of the account's responses table (`AccountData.response_rows`): a handful per account, read as
Python values rather than by a polars query per metric, whose fixed cost is most of the work (issue 13)."""
LISTED = ("first_response_hours", "responded_within_24h", "first_post_id")
CARE = ("care_first_post_id", "care_first_response_hours")


def _responses(data: AccountData, kind: str) -> list[Row]:
    return data.response_rows.get(kind, [])


def events(data: AccountData) -> Measure:
    """The crisis events that concern the account in the period, each with its first response to a
    foreign public (what the score rests on) and, where there was one, its first care for nationals
    (posts to nationals abroad or the home public: reported, not scored as public diplomacy)."""
    care = [c for c in CARE if c in data.responses.columns]
    rows = _responses(data, "crisis")
    cared = sum(r["care_first_post_id"] is not None for r in rows) if care else 0
    return Measure([_listed(r, care) for r in rows], details={"events": len(rows), "cared_for_nationals": cared},
                   evidence=_first_posts(rows))


def _listed(row: Row, care: Sequence[str]) -> Row:
    """One event as the result lists it, its keys in this order (the JSON writes them so)."""
    return {"id": row["event_id"], **{c: row[c] for c in (*LISTED, *care)}}


def _first_posts(rows: Sequence[Row]) -> list[str]:
    return [r["first_post_id"] for r in rows if r["first_post_id"]][:EVIDENCE_LIMIT]


def _rate(data: AccountData, kind: str) -> Measure:
    rows = _responses(data, kind)
    if not rows:
        return not_measured(_no_rows_reason(data, kind))
    if data.holes and data.covered_days <= 0:
        return not_measured("the export has no data at all in the period: whether the account answered cannot be seen")
    answered = sum(1 for r in rows if r["responded_within_24h"])
    details = {"answered": answered, "events": len(rows)}
    return Measure(answered / len(rows), details=details, evidence=_first_posts(rows))


def _no_rows_reason(data: AccountData, kind: str) -> str:
    unseen = sum(1 for e in data.unseen if e.type == kind)
    if not unseen:
        return f"no {kind} event concerns the account in the period"
    return (f"the {kind} event{'s' if unseen > 1 else ''} that concern{'s' if unseen == 1 else ''} the account "
            "fell in a hole in the export (no data of any kind around it): whether it answered cannot be seen")


def _median_hours(data: AccountData, kind: str) -> Measure:
    rows = _responses(data, kind)
    if not rows:
        return not_measured(_no_rows_reason(data, kind))
    hours = [r["first_response_hours"] for r in rows if r["first_response_hours"] is not None]
    if not hours:
        return not_measured(f"no {kind} event was answered in the response window")
    return Measure(float(median(hours) or 0.0))


def median(values: Sequence[float]) -> float:
    """Polars' median of a float column, to the last bit: NaN sorted last, the middle value or the two middle
    ones interpolated as `a + (b - a) * 0.5` (which `(a + b) / 2` is not always equal to)."""
    ordered = sorted(values, key=lambda v: (math.isnan(v), v))
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    low, high = ordered[middle - 1], ordered[middle]
    return low + (high - low) * 0.5


def response_rate_24h(data: AccountData) -> Measure:
    return _rate(data, "crisis")


def median_first_response_hours(data: AccountData) -> Measure:
    return _median_hours(data, "crisis")


def opportunity_response_rate_24h(data: AccountData) -> Measure:
    return _rate(data, "opportunity")


def opportunity_median_first_response_hours(data: AccountData) -> Measure:
    return _median_hours(data, "opportunity")


def _response_posts(data: AccountData) -> pl.DataFrame:
    return data.crisis_response_posts


def response_audience_language_share(data: AccountData) -> Measure:
    """Share of the posts answering crisis events that are in the audience's languages."""
    posts = _response_posts(data)
    if posts.is_empty():
        return not_measured("no post answered a crisis event")
    return Measure(mean_of(posts["audience_language"]), evidence=evidence_ids(posts))


def follow_up_rate(data: AccountData) -> Measure:
    """Share of answered crisis events with another matching post within the follow-up window."""
    rows = [r for r in _responses(data, "crisis") if r["first_post_id"] is not None]
    if not rows:
        return not_measured("no crisis event was answered")
    posts = _response_posts(data)
    times = dict(zip(posts["post_id"].to_list(), posts["published_at"].to_list(), strict=True))
    window = timedelta(hours=data.settings.follow_up_window_hours)
    followed = sum(_followed(r, times, window) for r in rows)
    return Measure(followed / len(rows), details={"followed": followed, "answered": len(rows)})


def _followed(row: Row, times: dict[str, datetime], window: timedelta) -> bool:
    """Whether another post matching the event came after the first response, within `window` of it."""
    first = row["first_post_id"]
    return any(times[first] < times[p] <= times[first] + window for p in row["matched_post_ids"] if p in times)


def rebuttal_share(data: AccountData) -> Measure:
    """Share of crisis-response posts that rebut false reports (rubric's rebuttal lexicon): the count and the
    evidence in one query."""
    posts = _response_posts(data)
    if posts.is_empty():
        return not_measured("no post answered a crisis event")
    rebuts = pl.col("rebuttal")
    hits, evidence = posts.select(rebuts.sum(), first_texts(rebuts)).row(0)
    return Measure(hits / posts.height, evidence=list(evidence))
