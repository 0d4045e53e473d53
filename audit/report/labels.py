"""Words and numbers for people: values in their unit, dates, verdicts, language and country names.

The AuditResult speaks in fractions, hours and codes; a policy reader wants "41 %", "3.0 h" and
"Japanese". A metric's label, unit and definition come from the metric table through the rubric
the result carries; this module only prints them, so one metric reads the same on every page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale

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

def format_metric(unit: str, value: Any) -> str:
    """A metric value as a reader sees it, in the metric's unit (from the metric table, via the result)."""
    if value is None:
        return "n/a"
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


def period_text(period: Mapping[str, Any]) -> str:
    text = f"{long_date(period.get('start'))} – {long_date(period.get('end'))}"
    return f"{text} ({period['days']} days)" if period.get("days") else text
