"""Words and numbers for people: metric labels, units, definitions, language and country names.

The AuditResult speaks in fractions, hours and metric ids; a policy reader wants "41 %",
"3.0 h" and "Share of posts in the audience's languages". Everything the report prints about a
metric goes through this module, so one metric reads the same on every page.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale


@dataclass(frozen=True)
class MetricInfo:
    """How a metric is named and printed; `definition` is used where the catalogue has no docstring."""

    label: str
    unit: str  # share, hours, days, per_week, ratio, count, number, languages, events
    definition: str = ""


METRIC_INFO: Mapping[str, MetricInfo] = {
    "language_shares": MetricInfo("Languages of the posts", "languages",
                                  "Detected language of each authored post, as a share of those posts."),
    "audience_language_share": MetricInfo("Posts in the audience's languages", "share",
                                          "Authored posts in one of the audience's languages over all authored posts."),
    "audience_reach": MetricInfo("Audience reach", "share"),
    "home_language_share": MetricInfo("Posts in the home language only", "share",
                                      "Authored posts in a home language that the audience does not read, over all "
                                      "authored posts (\"preaching to the converted\")."),
    "languages_used": MetricInfo("Languages used", "count",
                                 "Distinct detected languages among authored posts (undetermined left out)."),
    "depth_parity_length": MetricInfo("Depth parity: length", "ratio"),
    "depth_parity_media": MetricInfo("Depth parity: media", "ratio"),
    "cadence_parity": MetricInfo("Cadence parity", "ratio"),
    "posts_per_week": MetricInfo("Posts per week", "per_week"),
    "active_week_share": MetricInfo("Active weeks", "share",
                                    "Weeks of the period with at least one authored post over weeks in the period."),
    "longest_gap_days": MetricInfo("Longest silence", "days"),
    "regularity_cv": MetricInfo("Irregularity (CV of weekly posts)", "number"),
    "waking_hours_share": MetricInfo("Posts in the audience's waking hours", "share"),
    "transition_continuity": MetricInfo("Continuity across the transition", "ratio"),
    "diplomacy_share": MetricInfo("Public-diplomacy posts", "share",
                                  "Authored posts labelled diplomacy (addressed to or engaging foreign publics) over "
                                  "all authored posts."),
    "reply_share": MetricInfo("Replies to others", "share"),
    "external_mention_share": MetricInfo("Posts mentioning other accounts", "share",
                                         "Authored posts that mention an account other than the account itself."),
    "two_way_share": MetricInfo("Two-way posts", "share",
                                "Authored posts that reply, mention, ask a question or call on people to take part."),
    "cultural_asset_share": MetricInfo("Posts using cultural assets", "share",
                                       "Authored posts that use the country's cultural assets (the rubric's lexicon)."),
    "cultural_engagement_ratio": MetricInfo("Engagement of cultural posts vs others", "ratio"),
    "engagement_per_post": MetricInfo("Engagement per post", "number"),
    "crisis_events": MetricInfo("Crisis events in the period", "events"),
    "response_rate_24h": MetricInfo("Crises answered within 24 h", "share",
                                    "Crisis events concerning the account answered within 24 hours, over all such "
                                    "events."),
    "median_first_response_hours": MetricInfo("Median time to first response", "hours",
                                              "Median hours from a crisis event's start to the account's first "
                                              "matching post, over the events that were answered."),
    "response_audience_language_share": MetricInfo("Crisis posts in the audience's languages", "share"),
    "follow_up_rate": MetricInfo("Crises followed up", "share"),
    "rebuttal_share": MetricInfo("Crisis posts rebutting false reports", "share"),
    "opportunity_response_rate_24h": MetricInfo("Opportunities taken within 24 h", "share",
                                                "Opportunity events (viral cultural moments) concerning the account "
                                                "answered within 24 hours."),
    "opportunity_median_first_response_hours": MetricInfo("Median time to take an opportunity", "hours",
                                                          "Median hours from an opportunity event's start to the "
                                                          "account's first matching post."),
}

VERDICT_MEANINGS: Mapping[str, str] = {
    "adapter": "uses social media to upgrade its diplomatic practice",
    "exploiter": "uses social media to disrupt practice and gain advantage",
    "avoider": "neglects social media and carries on as usual",
}
"""Robertson's (2017) typology of responses to technological change."""

ROLE_NAMES: Mapping[str, str] = {
    "ministry": "ministry account", "embassy": "embassy", "consulate": "consulate", "mission": "mission",
    "leader": "leader", "spokesperson": "spokesperson",
}

PLATFORM_NAMES: Mapping[str, str] = {
    "x": "X", "facebook": "Facebook", "instagram": "Instagram", "telegram": "Telegram", "mastodon": "Mastodon",
    "bluesky": "Bluesky", "youtube": "YouTube", "csv": "CSV export",
}


def metric_info(name: str) -> MetricInfo:
    """The metric's label and unit; an unknown metric (a newer catalogue) still gets a readable label."""
    return METRIC_INFO.get(name) or MetricInfo(name.replace("_", " ").capitalize(), "number")


def metric_definition(name: str, rubric_text: str | None = None) -> str:
    """The rubric's own wording first, then the catalogue docstring, then our table."""
    if rubric_text:
        return rubric_text
    from audit.scoring.metrics.catalogue import METRICS

    function = METRICS.get(name)
    doc = inspect.getdoc(function) if function is not None else None
    if doc:
        return doc.split("\n\n")[0].replace("\n", " ").replace("->", "→")
    return metric_info(name).definition or "No definition recorded."


def format_metric(name: str, value: Any) -> str:
    """A metric value as a reader sees it, in the metric's unit."""
    if value is None:
        return "n/a"
    unit = metric_info(name).unit
    if unit == "languages" and isinstance(value, Mapping):
        return ", ".join(f"{k} {percent(v)}" for k, v in list(value.items())[:6])
    if unit == "events" and isinstance(value, list):
        return f"{len(value)} event{'s' if len(value) != 1 else ''}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return format_number(unit, float(value))


def format_number(unit: str, value: float) -> str:
    """One number in a unit: shares as percentages, times with their unit, ratios with a ×."""
    match unit:
        case "share":
            return percent(value)
        case "hours":
            return f"{value:.1f} h"
        case "days":
            return f"{value:.1f} days"
        case "per_week":
            return f"{value:.1f} / week"
        case "ratio":
            return f"{value:.2f}×"
        case "count":
            return f"{value:.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def score_text(score: float | None) -> str:
    return "n/a" if score is None else f"{score:.1f}"


def signed(delta: float | None) -> str:
    """A change with its sign and an arrow, so it reads without colour."""
    if delta is None:
        return "n/a"
    if abs(delta) < 0.05:
        return "±0.0"
    arrow = "▲" if delta > 0 else "▼"
    return f"{delta:+.1f} {arrow}"


@cache
def language_name(code: str) -> str:
    """'ja' -> 'Japanese'; unknown codes are printed as they are."""
    if code == "und":
        return "Undetermined"
    name = Locale("en").languages.get(code.replace("-", "_"))
    return str(name) if name else code


@cache
def country_name(code: str | None) -> str:
    if not code:
        return ""
    name = Locale("en").territories.get(code.upper())
    return str(name) if name else code


def long_date(value: str | None) -> str:
    """'2025-03-10' or '2025-03-10T05:00:00Z' -> '10 March 2025'; unparseable text is shown as it is."""
    day = parse_day(value)
    return f"{day.day} {day:%B %Y}" if day else (value or "")


def short_date(value: str | None) -> str:
    day = parse_day(value)
    return f"{day.day} {day:%b %Y}" if day else (value or "")


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def timestamp(value: str | None) -> str:
    """An ISO timestamp as '10 Mar 2025, 05:00 UTC'."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"
