"""The metric catalogue: every metric a rubric may name, as a function of one account's data.

Definitions follow DESIGN.md ("Definitions of the contract metrics") exactly: metrics count
*authored* posts (post, reply, quote; reposts are activity, not content) inside the period, whose
days are inclusive UTC calendar days. A metric that cannot be measured returns a Measure with no
value and the reason, and the scorer leaves it out of the weights: it is never scored as zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

import polars as pl

from audit.enrich.audience import Audience
from audit.events.model import Event

EVIDENCE_LIMIT = 5
MIN_CADENCE_DAYS = 7
"""Cadence (posts per week, active weeks, regularity) is not measured on a period shorter than a week."""


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

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "days": self.days}


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

    @property
    def n(self) -> int:
        return self.authored.height


@dataclass
class Measure:
    """A metric's value (or why there is none), the numbers its sentences use, and evidence post ids."""

    value: float | dict[str, float] | list[dict[str, Any]] | None
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)


Metric = Callable[[AccountData], Measure]


def _none(reason: str) -> Measure:
    return Measure(None, reason)


def _ids(df: pl.DataFrame, limit: int = EVIDENCE_LIMIT) -> list[str]:
    """Evidence post ids: the first posts in time, one per distinct text so a quote is never repeated."""
    return df.unique(subset=["text"], keep="first", maintain_order=True)["post_id"].head(limit).to_list()


def _share(data: AccountData, mask: pl.Expr, evidence_when: pl.Expr | None = None) -> Measure:
    """Fraction of authored posts for which `mask` holds."""
    if data.n == 0:
        return _none("no authored posts in the period")
    hits = data.authored.filter(mask)
    proof = data.authored.filter(evidence_when) if evidence_when is not None else hits
    return Measure(hits.height / data.n, details={"count": hits.height, "posts": data.n}, evidence=_ids(proof))


def _mean(values: pl.Series) -> float:
    return float(cast(float | None, values.mean()) or 0.0)


def _median(values: pl.Series) -> float:
    return float(cast(float | None, values.median()) or 0.0)


def _langs(langs: object) -> str:
    return ", ".join(langs) if isinstance(langs, (list, tuple, dict)) and langs else "none"  # type: ignore[arg-type]


# language_reach ---------------------------------------------------------------------------------


def language_shares(data: AccountData) -> Measure:
    """Detected language of each authored post -> fraction of those posts (`und` a key of its own)."""
    if data.n == 0:
        return _none("no authored posts in the period")
    counts = data.authored.group_by("lang").len().sort(["len", "lang"], descending=[True, False])
    return Measure({lang: n / data.n for lang, n in counts.iter_rows()})


def audience_language_share(data: AccountData) -> Measure:
    m = _share(data, pl.col("audience_language"), ~pl.col("audience_language"))
    m.details["audience_languages"] = _langs(list(data.audience.languages))
    return m


def audience_reach(data: AccountData) -> Measure:
    """Mean, over authored posts, of the share of the audience that reads the post's language (CLDR;
    for a global audience, relative to its most-read language).

    For a global audience (ministry-level accounts) the rubric's shares are relative weights of world
    languages, none of which reaches most of the world; there reach is expressed relative to the
    most-read global language, so that posting in it scores as full reach.
    """
    if data.n == 0:
        return _none("no authored posts in the period")
    shares = dict(data.audience.languages)
    if data.audience.scope == "global" and shares:
        top = max(shares.values()) or 1.0
        shares = {lang: share / top for lang, share in shares.items()}
    reach = data.authored["lang"].replace_strict(shares, default=0.0, return_dtype=pl.Float64)
    details = {"audience_languages": _langs(list(data.audience.languages))}
    return Measure(_mean(reach), details=details)


def home_language_share(data: AccountData) -> Measure:
    m = _share(data, pl.col("home_language") & ~pl.col("audience_language"))
    m.details["home_languages"] = _langs(list(data.audience.home_languages))
    return m


def languages_used(data: AccountData) -> Measure:
    if data.n == 0:
        return _none("no authored posts in the period")
    langs = sorted(set(data.authored.filter(pl.col("lang") != "und")["lang"].to_list()))
    return Measure(float(len(langs)), details={"languages": _langs(langs)})


def _groups(data: AccountData) -> tuple[pl.DataFrame, pl.DataFrame]:
    foreign = data.authored.filter(pl.col("audience_language") & ~pl.col("home_language"))
    home = data.authored.filter(pl.col("home_language") & ~pl.col("audience_language"))
    return foreign, home


def depth_parity_length(data: AccountData) -> Measure:
    """Median length of audience-language posts over that of home-language posts."""
    foreign, home = _groups(data)
    if foreign.is_empty() or home.is_empty():
        return _none("needs both audience-language and home-language posts to compare")
    a, h = _median(foreign["text"].str.len_chars()), _median(home["text"].str.len_chars())
    if not h:
        return _none("home-language posts have no text")
    details = {"audience_median_chars": a, "home_median_chars": h}
    return Measure(a / h, details=details, evidence=_ids(foreign))


def depth_parity_media(data: AccountData) -> Measure:
    """Share of audience-language posts with media over the same share of home-language posts."""
    foreign, home = _groups(data)
    if foreign.is_empty() or home.is_empty():
        return _none("needs both audience-language and home-language posts to compare")
    a = _mean(foreign["media_count"] > 0)
    h = _mean(home["media_count"] > 0)
    if h == 0:
        return _none("home-language posts carry no media to compare with")
    return Measure(a / h, details={"audience_media_rate": a, "home_media_rate": h})


def cadence_parity(data: AccountData) -> Measure:
    """Audience-language posts per home-language post."""
    foreign, home = _groups(data)
    if home.is_empty():
        return _none("no home-language posts to compare with")
    return Measure(foreign.height / home.height,
                   details={"audience_posts": foreign.height, "home_posts": home.height})


# frequency --------------------------------------------------------------------------------------


def weekly_counts(data: AccountData) -> list[int]:
    """Authored posts in each week of the period (weeks start on the period's first day)."""
    week = ((pl.col("published_at") - pl.lit(data.period.start_at)).dt.total_days() // 7).alias("week")
    counts = dict(data.authored.select(week).group_by("week").len().iter_rows())
    return [int(counts.get(w, 0)) for w in range(data.period.weeks)]


def _too_short(data: AccountData) -> Measure | None:
    days = data.period.days
    if days < MIN_CADENCE_DAYS:
        return _none(f"the period is {days} day{'s' if days > 1 else ''}; cadence needs at least a full week")
    return None


def posts_per_week(data: AccountData) -> Measure:
    """Authored posts in the period / (days in the period / 7)."""
    if short := _too_short(data):
        return short
    days = data.period.days
    return Measure(data.n / (days / 7), details={"posts": data.n, "days": days})


def active_week_share(data: AccountData) -> Measure:
    """Weeks of the period with at least one authored post / weeks in the period."""
    if short := _too_short(data):
        return short
    counts = weekly_counts(data)
    active = sum(1 for c in counts if c)
    return Measure(active / len(counts), details={"active_weeks": active, "weeks": len(counts)})


def longest_gap_days(data: AccountData) -> Measure:
    """Longest interval between two consecutive authored posts, in fractional days."""
    if data.n < 2:
        return _none("needs at least two authored posts")
    times = data.authored.sort("published_at").select(
        pl.col("post_id"), pl.col("published_at"),
        (pl.col("published_at").diff().dt.total_microseconds() / 86_400e6).alias("gap"),
    )
    row = times.filter(pl.col("gap") == pl.col("gap").max()).row(0, named=True)
    i = times["post_id"].to_list().index(row["post_id"])
    start = times["published_at"][i - 1]
    details = {"gap_start": start.date().isoformat(), "gap_end": row["published_at"].date().isoformat()}
    return Measure(float(row["gap"]), details=details, evidence=[times["post_id"][i - 1], row["post_id"]])


def regularity_cv(data: AccountData) -> Measure:
    """Coefficient of variation (population standard deviation / mean) of weekly authored counts."""
    if short := _too_short(data):
        return short
    counts = weekly_counts(data)
    mean = sum(counts) / len(counts)
    if mean == 0:
        return _none("no authored posts in the period")
    std = math.sqrt(sum((c - mean) ** 2 for c in counts) / len(counts))
    return Measure(std / mean)


def waking_hours_share(data: AccountData) -> Measure:
    """Authored posts published between the waking hours in the audience's time zone."""
    start, end = data.settings.waking_hours
    hour = pl.col("audience_local_time").dt.hour()
    m = _share(data, (hour >= start) & (hour < end), (hour < start) | (hour >= end))
    m.details.update(timezone=data.audience.timezone, waking_start=start, waking_end=end)
    return m


def transition_continuity(data: AccountData) -> Measure:
    """Posts per week after the first transition in the period over posts per week before it."""
    inside = [e for e in data.transitions if data.period.start_at <= e.start < data.period.end_before]
    if not inside:
        return _none("no government transition in the period")
    event = min(inside, key=lambda e: e.start)
    before_days = (event.start - data.period.start_at).total_seconds() / 86400
    after_days = (data.period.end_before - event.start).total_seconds() / 86400
    before = data.authored.filter(pl.col("published_at") < event.start).height
    if before_days <= 0 or before == 0:
        return _none(f"no authored posts before the transition {event.id!r}")
    before_rate, after_rate = before / (before_days / 7), (data.n - before) / (after_days / 7)
    details = {"transition": event.title, "before_per_week": before_rate, "after_per_week": after_rate}
    return Measure(after_rate / before_rate, details=details)


# outreach_vs_diplomacy --------------------------------------------------------------------------


def diplomacy_share(data: AccountData) -> Measure:
    return _share(data, pl.col("label") == "diplomacy", pl.col("label") == "outreach")


def reply_share(data: AccountData) -> Measure:
    """Replies to other accounts (not self-threads) over authored posts."""
    m = _share(data, pl.col("reply_to_other"))
    m.details["replies"] = m.details.get("count", 0)
    return m


def external_mention_share(data: AccountData) -> Measure:
    return _share(data, pl.col("mentions_external"))


def two_way_share(data: AccountData) -> Measure:
    return _share(data, pl.col("is_two_way"))


def cultural_asset_share(data: AccountData) -> Measure:
    return _share(data, pl.col("cultural_asset"))


def _engagement() -> pl.Expr:
    counts = [pl.col(c) for c in ("likes", "shares", "replies")]
    known = pl.any_horizontal(c.is_not_null() for c in counts)
    return pl.when(known).then(pl.sum_horizontal(c.fill_null(0) for c in counts))


def engagement_per_post(data: AccountData) -> Measure:
    """Mean likes + shares + replies over authored posts whose export carries counts."""
    eng = data.authored.select(_engagement().alias("e"))["e"].drop_nulls()
    if eng.is_empty():
        return _none("the export carries no engagement counts")
    return Measure(_mean(eng), details={"posts_with_counts": eng.len()})


def cultural_engagement_ratio(data: AccountData) -> Measure:
    """Mean engagement of cultural-asset posts over that of the other authored posts."""
    df = data.authored.with_columns(_engagement().alias("e")).filter(pl.col("e").is_not_null())
    if df.is_empty():
        return _none("the export carries no engagement counts")
    culture, other = df.filter(pl.col("cultural_asset")), df.filter(~pl.col("cultural_asset"))
    if culture.is_empty() or other.is_empty():
        return _none("needs both cultural-asset posts and other posts with engagement counts")
    other_mean = _mean(other["e"])
    if other_mean == 0:
        return _none("other posts have no engagement to compare with")
    return Measure(_mean(culture["e"]) / other_mean, evidence=_ids(culture))


# crisis_responsiveness --------------------------------------------------------------------------


def _responses(data: AccountData, kind: str) -> pl.DataFrame:
    return data.responses.filter(pl.col("event_type") == kind)


def crisis_events(data: AccountData) -> Measure:
    """The crisis events that concern the account in the period, each with its first response."""
    rows = _responses(data, "crisis").select(
        pl.col("event_id").alias("id"), "first_response_hours", "responded_within_24h", "first_post_id"
    )
    return Measure(rows.to_dicts(), details={"events": rows.height}, evidence=_first_posts(rows))


def _first_posts(rows: pl.DataFrame) -> list[str]:
    return [p for p in rows["first_post_id"].to_list() if p][:EVIDENCE_LIMIT]


def _rate(data: AccountData, kind: str) -> Measure:
    rows = _responses(data, kind)
    if rows.is_empty():
        return _none(f"no {kind} event concerns the account in the period")
    answered = int(rows["responded_within_24h"].sum())
    details = {"answered": answered, "events": rows.height}
    return Measure(answered / rows.height, details=details, evidence=_first_posts(rows))


def _median_hours(data: AccountData, kind: str) -> Measure:
    hours = _responses(data, kind)["first_response_hours"].drop_nulls()
    if hours.is_empty():
        return _none(f"no {kind} event was answered in the response window")
    return Measure(_median(hours))


def response_rate_24h(data: AccountData) -> Measure:
    return _rate(data, "crisis")


def median_first_response_hours(data: AccountData) -> Measure:
    return _median_hours(data, "crisis")


def opportunity_response_rate_24h(data: AccountData) -> Measure:
    return _rate(data, "opportunity")


def opportunity_median_first_response_hours(data: AccountData) -> Measure:
    return _median_hours(data, "opportunity")


def _response_posts(data: AccountData) -> pl.DataFrame:
    ids = _responses(data, "crisis")["matched_post_ids"].explode().drop_nulls().unique()
    return data.authored.filter(pl.col("post_id").is_in(ids.to_list()))


def response_audience_language_share(data: AccountData) -> Measure:
    """Share of the posts answering crisis events that are in the audience's languages."""
    posts = _response_posts(data)
    if posts.is_empty():
        return _none("no post answered a crisis event")
    return Measure(_mean(posts["audience_language"]), evidence=_ids(posts))


def follow_up_rate(data: AccountData) -> Measure:
    """Share of answered crisis events with another matching post within the follow-up window."""
    rows = _responses(data, "crisis").filter(pl.col("first_post_id").is_not_null())
    if rows.is_empty():
        return _none("no crisis event was answered")
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
        return _none("no post answered a crisis event")
    hits = posts.filter(pl.col("rebuttal"))
    return Measure(hits.height / posts.height, evidence=_ids(hits))


METRICS: dict[str, Metric] = {
    f.__name__: f
    for f in (
        language_shares, audience_language_share, audience_reach, home_language_share, languages_used,
        depth_parity_length, depth_parity_media, cadence_parity,
        posts_per_week, active_week_share, longest_gap_days, regularity_cv, waking_hours_share,
        transition_continuity,
        diplomacy_share, reply_share, external_mention_share, two_way_share, cultural_asset_share,
        cultural_engagement_ratio, engagement_per_post,
        crisis_events, response_rate_24h, median_first_response_hours, response_audience_language_share,
        follow_up_rate, rebuttal_share, opportunity_response_rate_24h, opportunity_median_first_response_hours,
    )
}
