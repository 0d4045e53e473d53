"""Crisis responsiveness: how fast, in which languages and how persistently an account answers events."""


from __future__ import annotations

from datetime import timedelta

import polars as pl

from audit.scoring.metrics.measures import (
    EVIDENCE_LIMIT,
    AccountData,
    Measure,
    evidence_ids,
    mean_of,
    median_of,
    not_measured,
)


def _responses(data: AccountData, kind: str) -> pl.DataFrame:
    return data.responses_by_type.get(kind, data.responses.clear())


def events(data: AccountData) -> Measure:
    """The crisis events that concern the account in the period, each with its first response to a
    foreign public (what the score rests on) and, where there was one, its first care for nationals
    (posts to nationals abroad or the home public: reported, not scored as public diplomacy)."""
    care = [c for c in ("care_first_post_id", "care_first_response_hours") if c in data.responses.columns]
    rows = _responses(data, "crisis").select(
        pl.col("event_id").alias("id"), "first_response_hours", "responded_within_24h", "first_post_id", *care
    )
    cared = int(rows["care_first_post_id"].is_not_null().sum()) if care else 0
    return Measure(rows.to_dicts(), details={"events": rows.height, "cared_for_nationals": cared},
                   evidence=_first_posts(rows))


def _first_posts(rows: pl.DataFrame) -> list[str]:
    return [p for p in rows["first_post_id"].to_list() if p][:EVIDENCE_LIMIT]


def _rate(data: AccountData, kind: str) -> Measure:
    rows = _responses(data, kind)
    if rows.is_empty():
        return not_measured(_no_rows_reason(data, kind))
    if data.holes and data.covered_days <= 0:
        return not_measured("the export has no data at all in the period: whether the account answered cannot be seen")
    answered = int(rows["responded_within_24h"].sum())
    details = {"answered": answered, "events": rows.height}
    return Measure(answered / rows.height, details=details, evidence=_first_posts(rows))


def _no_rows_reason(data: AccountData, kind: str) -> str:
    unseen = sum(1 for e in data.unseen if e.type == kind)
    if not unseen:
        return f"no {kind} event concerns the account in the period"
    return (f"the {kind} event{'s' if unseen > 1 else ''} that concern{'s' if unseen == 1 else ''} the account "
            "fell in a hole in the export (no data of any kind around it): whether it answered cannot be seen")


def _median_hours(data: AccountData, kind: str) -> Measure:
    rows = _responses(data, kind)
    if rows.is_empty():
        return not_measured(_no_rows_reason(data, kind))
    hours = rows["first_response_hours"].drop_nulls()
    if hours.is_empty():
        return not_measured(f"no {kind} event was answered in the response window")
    return Measure(median_of(hours))


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
    rows = _responses(data, "crisis").filter(pl.col("first_post_id").is_not_null())
    if rows.is_empty():
        return not_measured("no crisis event was answered")
    times = dict(_response_posts(data).select("post_id", "published_at").iter_rows())
    window = timedelta(hours=data.settings.follow_up_window_hours)
    followed = sum(
        any(times[first] < times[p] <= times[first] + window for p in matched if p in times)
        for first, matched in rows.select("first_post_id", "matched_post_ids").iter_rows()
    )
    return Measure(followed / rows.height, details={"followed": followed, "answered": rows.height})


def rebuttal_share(data: AccountData) -> Measure:
    """Share of crisis-response posts that rebut false reports (rubric's rebuttal lexicon)."""
    posts = _response_posts(data)
    if posts.is_empty():
        return not_measured("no post answered a crisis event")
    hits = posts.filter(pl.col("rebuttal"))
    return Measure(hits.height / posts.height, evidence=evidence_ids(hits))
