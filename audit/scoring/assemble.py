"""The sections of the AuditResult: accounts, ministry and coverage.

Besides the contract metrics, each account carries the small series its report charts need
(weekly counts, posting hours, language and label mixes) and the evidence posts its findings
cite, so that `audit render` can redraw a report from the JSON alone. Their size is bounded by
weeks and evidence, never by the number of posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, cast

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from audit.accounts import Account, AccountsFile, Ministry
from audit.events.model import Event
from audit.posts.collect import CollectResult
from audit.posts.store import collector_gaps
from audit.result.types import AccountResult, Coverage, DimensionResult, EventInfo, MinistryResult
from audit.scoring.confidence import Samples
from audit.scoring.judgement import (
    account_judgement,
    comparability,
    ministry_judgement,
    role_weights,
    weighted,
)
from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.measures import AccountData, Hole, Measure, Period, data_holes_by, week_of
from audit.scoring.metrics.parity import language_profile, ministry_parity
from audit.scoring.metrics.points import QUERIES, counted, found, prefetch, query, ranked
from audit.scoring.metrics.table import METRICS
from audit.scoring.metrics.worldtime import audience_zones, awake_by_utc_hour
from audit.scoring.rubric.model import Rubric
from audit.scoring.scorer import DimensionScore, score_dimension, weighted_mean

QUOTE_CHARS = 400
EVIDENCE_COLUMNS = ("post_id", "published_at", "kind", "lang", "label", "label_reason", "url", "text")
KEY_FINDINGS = 3
SHORT_PERIOD_DAYS = 28
FEW_POSTS = 20


def account_result(account: Account, data: AccountData, weekly: WeeklySeries, rubric: Rubric,
                   skipped: int, samples: dict[str, Samples] | None = None) -> AccountResult:
    """One account's scores, verdict (with its rule, confidence and borderline flag), metrics, evidence and
    chart series (`weekly`: its `weekly_series`). `samples` keeps the account's bootstrap resamples for the
    ministry's interval."""
    prefetch(data, QUERIES)  # every metric's counts and medians of the account in one query
    dims = [score_dimension(d, data, account.name, rubric) for d in rubric.dimensions]
    overall = weighted_mean([(d.score, d.weight) for d in dims])
    overall = round(overall, 1) if overall is not None else None
    basis = basis_score(rubric, [(d.id, d.score, d.weight) for d in dims])
    judged = account_judgement(data, dims, (overall, basis), rubric, account.id, samples)
    evidence_ids = list(dict.fromkeys(i for d in dims for i in d.evidence))
    charts = series(data, weekly)
    return {
        "id": account.id, "name": account.name, "role": account.role, "platform": account.platform,
        "handle": account.handle, "host_country": account.host_country,
        "posts": data.n, "reposts": charts["kinds"].get("repost", 0),
        "skipped_records": skipped,
        "score": overall, "grade": rubric.grade_for(overall) if overall is not None else None,
        "band": rubric.band_for(overall) if overall is not None else None,
        "verdict": judged["verdict"], "verdict_explanation": judged["verdict_explanation"],
        "verdict_rule": judged["verdict_rule"], "confidence": judged["confidence"],
        "audience": data.audience.as_dict(),
        "language_shares": cast(dict[str, float], _measure(dims, "language_shares", data).value or {}),
        "dimensions": {d.id: cast(DimensionResult, d.as_dict()) for d in dims},
        "key_findings": [text for _, text in sorted((s for d in dims for s in d.shortfalls), reverse=True)][:3],
        "evidence_posts": evidence_posts(data.authored, evidence_ids),
        "language_profile": language_profile(data),
        "series": charts,
        "verdict_basis": {"score": basis, "dimensions": list(rubric.verdict.basis) or [d.id for d in dims]},
    }


def _measure(dims: list[DimensionScore], name: str, data: AccountData) -> Measure:
    """A metric as the scorer measured it for a dimension, or measured here when no dimension names it."""
    found = (d.measures[name] for d in dims if name in d.measures)
    return next(found, None) or METRICS[name].function(data)


def basis_score(rubric: Rubric, dims: list[tuple[str, float | None, float]]) -> float | None:
    """The score a verdict rule's `score = "overall"` reads: the weighted mean of the rubric's verdict
    basis dimensions (all when the rubric names none), so that a dimension only some accounts can be
    measured on (crisis responsiveness needs an events file) never decides a verdict."""
    basis = set(rubric.verdict.basis) or {d for d, _, _ in dims}
    score = weighted_mean([(s, w) for d, s, w in dims if d in basis])
    return round(score, 1) if score is not None else None


def evidence_posts(authored: pl.DataFrame, ids: list[str]) -> list[dict[str, Any]]:
    """The cited posts, quoted in their own script, with date, kind, language, label and link. Found with
    Arrow and formatted in Python: a polars query here (an account's) waits for polars' threads, busy with the
    other accounts' (issue 13)."""
    if not ids:
        return []
    cited = pc.is_in(authored["post_id"].to_arrow(), value_set=pa.array(ids, type=pa.large_string()))
    rows = authored[list(EVIDENCE_COLUMNS)][np.flatnonzero(cited.to_numpy(zero_copy_only=False))]
    order = {post_id: i for i, post_id in enumerate(ids)}
    return [_quoted(row) for row in sorted(rows.to_dicts(), key=lambda r: order[r["post_id"]])]


def _quoted(row: dict[str, Any]) -> dict[str, Any]:
    """A cited post as the result shows it: its UTC time as text, its text cut to QUOTE_CHARS characters (on
    the few cited posts, in Python: formatted in a query, they cost a query an account, issue 13)."""
    at, text = row["published_at"], row["text"]
    return {**row, "published_at": at.strftime("%Y-%m-%dT%H:%M:%SZ") if at is not None else None,
            "text": text[:QUOTE_CHARS] if text is not None else None}


def _chart_aggregates(clock: str) -> dict[str, pl.Expr]:
    return {"hours": pl.col(clock).dt.hour().alias("h").value_counts(name="n").implode(), "labels": counted("label")}


_CHARTS = {world: _chart_aggregates("published_at" if world else "audience_local_time") for world in (True, False)}
"""The hours chart reads UTC for a global account, the audience's clock otherwise."""
query("charts", lambda data: _CHARTS[data.speaks_to_world])


def series(data: AccountData, weekly_and_kinds: WeeklySeries) -> dict[str, Any]:
    """Small, post-count-independent series for the report's charts (`weekly_series`'s among them)."""
    got = found(data, "charts")
    by_hour = {c["h"]: c["n"] for c in got["hours"]}
    weekly, kinds = weekly_and_kinds
    return {
        "weekly": weekly,
        "hours": [int(by_hour.get(h, 0)) for h in range(24)],
        **global_hours(data),
        "labels": dict(ranked(got["labels"], "label", by_count=False)),
        "kinds": kinds,
    }


def global_hours(data: AccountData) -> dict[str, Any]:
    """For a global account, hours are in UTC, drawn against the share of its readers awake at each hour
    (mid-period, so daylight saving time is that of the period's middle day)."""
    zones = audience_zones(tuple(sorted(data.audience.languages))) if data.speaks_to_world else ()
    if not zones:
        return {}
    middle = data.period.start + (data.period.end - data.period.start) / 2
    start, end = data.settings.waking_hours
    return {"hours_zone": "UTC", "awake_by_hour": awake_by_utc_hour(zones, middle, start, end)}


WeeklySeries = tuple[list[dict[str, Any]], dict[str, int]]
"""An account's authored posts and reposts per week of the period, and its posts of each kind."""


def weekly_series_by(posts: pl.DataFrame, period: Period, key: str = "account_id") -> dict[object, WeeklySeries]:
    """`weekly_series` of each value of the column `key` (an account's posts of the period), counted in two
    grouped queries for all of them, where each account's ran a query of its own (issue 13). A value with no
    rows is absent."""
    kinds = posts.group_by(key, "kind").len(name="n").group_by(key).agg(pl.struct("kind", "n"))
    keys = {k: i for i, k in enumerate(kinds[key].to_list())}
    table = _week_table(posts, period, key, keys)
    return {k: (_weekly_rows(period, table[i, 1].tolist(), table[i, 0].tolist()),
                dict(ranked(kinds_of, "kind", by_count=False)))
            for (k, i), kinds_of in zip(keys.items(), kinds["kind"].to_list(), strict=True)}


def _week_table(posts: pl.DataFrame, period: Period, key: str, keys: dict[Any, int]) -> np.ndarray:
    """Posts with a kind by (value of `key`, reposts 0 / authored 1, week of the period)."""
    week = week_of(period)
    counts = posts.lazy().filter(pl.col("kind").is_not_null() & week.is_between(0, period.weeks - 1)).group_by(
        key, week, (pl.col("kind") != "repost").cast(pl.Int64).alias("a")).len().collect()
    table = np.zeros((len(keys), 2, period.weeks), dtype=np.int64)
    if counts.is_empty():
        return table
    at = counts[key].replace_strict(keys, return_dtype=pl.Int64).to_numpy()
    table[at, counts["a"].to_numpy(), counts["week"].cast(pl.Int64).to_numpy()] = counts["len"].to_numpy()
    return table


def _weekly_rows(period: Period, authored: list[int], reposts: list[int]) -> list[dict[str, Any]]:
    """The weeks of the period, each with its authored posts and reposts."""
    rows = zip(week_starts(period), authored, reposts, strict=False)  # a week past the period's is left out
    return [{"week_start": start, "authored": a, "reposts": r} for start, a, r in rows]


def weekly_series(posts: pl.DataFrame, period: Period) -> WeeklySeries:
    """Authored posts and reposts per week of the period (weeks start on the period's first day), and the
    posts of each kind: one query, the weeks counted with numpy."""
    weeks, authored, kinds = posts.select(_week_aggregates(period)).row(0)
    week, authored = np.array(weeks, dtype=np.int64), np.array(authored, dtype=bool)
    counts = [np.bincount(week[mask & (week >= 0)], minlength=period.weeks).tolist() for mask in (authored, ~authored)]
    return _weekly_rows(period, *counts), dict(ranked(kinds, "kind", by_count=False))


@cache
def _week_aggregates(period: Period) -> list[pl.Expr]:
    """Each post's week and whether it is authored (posts with a kind), and the posts of each kind."""
    known = pl.col("kind").is_not_null()
    return [week_of(period).filter(known).implode(), (pl.col("kind") != "repost").filter(known).implode().alias("a"),
            counted("kind").alias("kinds")]


@cache
def week_starts(period: Period) -> tuple[str, ...]:
    """The first day of each week of the period, written once for all the accounts that chart it."""
    return tuple((period.start + timedelta(days=7 * w)).isoformat() for w in range(period.weeks))


def ministry_result(ministry: Ministry, accounts: list[AccountResult], rubric: Rubric,
                    samples: dict[str, Samples] | None = None) -> MinistryResult:
    """The ministry's score: its accounts' scores weighted by role (the rubric's [weighting]), with
    dimension means weighted alike over the accounts measured on each, and a verdict with its confidence.
    Accounts scored on different sets of dimensions are flagged as not comparable (`comparability`)."""
    weights = role_weights(accounts, rubric)
    overall = weighted([a["score"] for a in accounts], weights)
    overall = round(overall, 1) if overall is not None else None
    dims = {d.id: _round1(weighted([a["dimensions"][d.id]["score"] for a in accounts], weights))
            for d in rubric.dimensions}
    judged = ministry_judgement(accounts, rubric, samples or {})
    compared = comparability(accounts, rubric)
    for a in accounts:
        a["comparable"] = compared["accounts"][a["id"]]
    return {
        "name": ministry.name, "country": ministry.country, "score": overall,
        "grade": rubric.grade_for(overall) if overall is not None else None,
        "band": rubric.band_for(overall) if overall is not None else None,
        "verdict": judged["verdict"], "verdict_explanation": judged["verdict_explanation"], "dimensions": dims,
        "verdicts": {v: sum(1 for a in accounts if a["verdict"] == v) for v in ("adapter", "exploiter", "avoider")},
        "key_findings": _key_findings(accounts),
        "verdict_rule": judged["verdict_rule"], "confidence": judged["confidence"],
        "weighting": {"roles": {a["id"]: w for a, w in zip(accounts, weights, strict=True)}},
        "comparability": {"comparable": compared["comparable"], "reference": compared["reference"]},
        "language_parity": ministry_parity(accounts),
    }


def _round1(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _key_findings(accounts: list[AccountResult]) -> list[str]:
    """The findings that matter most: the accounts' largest weighted shortfalls, one per account first."""
    ranked = sorted((a["score"] or 0.0, a["name"], f) for a in accounts for f in a["key_findings"][:1])
    return [f"{name}: {finding}" for _, name, finding in ranked[:KEY_FINDINGS]]


def coverage(collected: CollectResult, posts: pl.DataFrame, period: Period, accounts: AccountsFile,
             results: list[AccountResult] | None = None) -> Coverage:
    """What was read, what was skipped and why, where the data has holes, and what is too thin to lean on."""
    holes, whole = data_holes_by(posts, "account_id", period), (Hole(period.start_at, period.end_before),)
    return {
        "warnings": strength_warnings(period, results or []),
        "files": [f.as_dict() for f in collected.files],
        "skipped": [s.as_dict() for s in collected.skipped],
        "duplicates_removed": collected.duplicates,
        "duplicates_by_reason": dict(collected.duplicates_by_reason),
        "gaps": [g for a in accounts.accounts for g in data_gaps(holes.get(a.id, whole), a.id)
                 + collector_gaps(a, period.start_at, period.end_before)],
    }


def data_gaps(holes: Sequence[Hole], account_id: str) -> list[dict[str, Any]]:
    """Stretches of the period with no data at all (any kind) of measures.HOLE_DAYS (30) or more, at the edges or inside
    (the whole period when the account has no data in it): the holes cadence leaves out (measures.data_holes)."""
    return [
        {"account_id": account_id, "from": h.start.date().isoformat(), "to": h.end.date().isoformat(),
         "days": round(h.days, 1)}
        for h in holes
    ]


def strength_warnings(period: Period, accounts: list[AccountResult]) -> list[str]:
    """Plain sentences about data too thin for its scores to mean much: a short period, few posts."""
    notes = []
    if period.days < SHORT_PERIOD_DAYS:
        notes.append(f"The period is {period.days} day{'s' if period.days != 1 else ''}: cadence, silences and "
                     f"crisis response need several weeks ({SHORT_PERIOD_DAYS} days or more) to mean much.")
    for a in accounts:
        if a["posts"] == 0:
            notes.append(f"{a['name']}: no authored posts in the period; only what events allow is measured.")
        elif a["posts"] < FEW_POSTS:
            notes.append(f"{a['name']}: only {a['posts']} authored posts in the period; its scores rest on few posts.")
        if unseen := a.get("events_in_holes"):
            notes.append(f"{a['name']}: {len(unseen)} event{'s' if len(unseen) > 1 else ''} ({', '.join(unseen)}) "
                         "fell in a hole in its export (no data of any kind around the response window), so "
                         "whether it answered cannot be seen: left out of crisis responsiveness, not counted as "
                         "missed.")
    return notes


def traceable_posts(in_period: pl.DataFrame, responses: pl.DataFrame) -> pl.DataFrame:
    """An account's posts with every signal behind its scores, and the crisis (or opportunity) event each
    post answered (`crisis_event_id`).

    The audience's local time is kept as a local wall-clock time (no zone), so that accounts in
    different zones fit in one table; each post's words, which scoring made for its depth metrics, are left
    out (they are not a signal of the post but a scoring measure; the table keeps its columns).
    """
    matched = pl.concat_list("matched_post_ids", pl.col("care_matched_post_ids").fill_null([]))
    answered = responses.select("event_id", matched.alias("post_id")).explode("post_id")
    answered = answered.drop_nulls("post_id").unique("post_id", keep="first", maintain_order=True)
    local = pl.col("audience_local_time").dt.replace_time_zone(None)
    return in_period.drop(WORDS, strict=False).with_columns(local).join(
        answered.rename({"event_id": "crisis_event_id"}), on="post_id", how="left", maintain_order="left")


def event_dict(event: Event) -> EventInfo:
    return {"id": event.id, "title": event.title, "type": event.type, "start": _iso(event.start),
            "end": _iso(event.end) if event.end else None, "countries": list(event.countries),
            "keywords": list(event.keywords)}


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
