"""Words and numbers for people: values in their unit, dates, verdicts, language and country names.

The AuditResult speaks in fractions, hours and codes; a policy reader wants "41 %", "3.0 h" and
"Japanese". A metric's label, unit and definition come from the metric table through the rubric
the result carries; this module only prints them, so one metric reads the same on every page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError

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
        top = sorted(value.items(), key=lambda kv: -float(kv[1] or 0))  # the language chart beside it shows all
        rest = f", {len(top) - 3} more" if len(top) > 3 else ""
        return ", ".join(f"{language_name(k)} {percent(v)}" for k, v in top[:3]) + rest
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


EXTRA_LANGUAGES: Mapping[str, str] = {  # codes the language detector returns that CLDR has no English name for
    "als": "Alemannic", "azb": "South Azerbaijani", "bcl": "Central Bikol", "bh": "Bihari", "bxr": "Buriat",
    "cbk": "Chavacano", "diq": "Zazaki", "dty": "Doteli", "eml": "Emilian-Romagnol", "gom": "Goan Konkani",
    "mhr": "Eastern Mari", "nah": "Nahuatl", "pnb": "Western Punjabi", "tts": "Isan (Northeastern Thai)",
}
LANGUAGE_LIST = re.compile(r"(?P<lead>\(|languages?: |language\(s\): |of posts in )"
                           r"(?P<codes>[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?(?:, [a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)*)"
                           r"(?=[).,;]|$)")
IN_LANGUAGE = re.compile(r"(?<=\()(?P<lead>(?:readout )?in )(?P<codes>[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)(?=[ ,)])")


@cache
def language_name(code: str) -> str:
    """'ja' -> 'Japanese', 'zh-Hant' -> 'Chinese (Traditional)'; a code nobody names is printed as it is."""
    if code == "und":
        return "Undetermined"
    name = Locale("en").languages.get(code.replace("-", "_")) or EXTRA_LANGUAGES.get(code)
    return str(name) if name else _display_name(code) or code


def _display_name(code: str) -> str | None:
    try:
        return str(Locale.parse(code.replace("-", "_")).get_display_name("en"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def is_language_code(code: str) -> bool:
    return language_name(code) != code


def name_languages(text: str) -> str:
    """Language codes listed in a sentence, in words: "(audience languages: th, en, tts)" ->
    "(audience languages: Thai, English, Isan (Northeastern Thai))", "(in ko, ...)" -> "(in Korean, ...)".
    Only a list in brackets or after "languages:" whose every item is a known code is changed, so ordinary
    words are left alone."""
    def named(match: re.Match[str]) -> str:
        codes = match["codes"].split(", ")
        if not all(is_language_code(c) for c in codes):
            return match[0]
        return match["lead"] + ", ".join(language_name(c) for c in codes)
    return IN_LANGUAGE.sub(named, LANGUAGE_LIST.sub(named, text))


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


GLOSSARY: tuple[tuple[str, str], ...] = (  # the report's terms of art, in the words a policy reader uses
    ("Authored post", "A post, reply or quote the account wrote itself. Reposts (retweets, boosts, forwards) show "
     "activity but are not scored as the account's own voice."),
    ("Audience language", "A language the account's audience reads: the host country's languages for an "
     "embassy, the most-read languages worldwide for a ministry account, with the share of people reading each."),
    ("Home language", "A language of the sending country. A post only in it mostly reaches people who already "
     "know the country (\"preaching to the converted\")."),
    ("Band", "The word printed beside every score for the range it falls in (for example strong, adequate, weak, "
     "poor); the cut-offs are under Bands and verdicts. The report uses bands only, so one word describes one "
     "score; the letter grades of the rubric stay in the result file."),
    ("Points", "Score points out of 100. A metric adds 0 at its floor and 100 at its target; \"costs N points\" "
     "is what a score would gain if the metric met its target."),
    ("Depth parity", "Whether posts for the foreign audience get the same care as posts for home: their median "
     "length (or their share carrying images or video) divided by that of home-language posts; 1.0 means equal."),
    ("Cadence parity", "Posts in the audience's languages per post in the home language; 1.0 means the foreign "
     "audience hears from the account as often as the home audience."),
    ("CV (coefficient of variation)", "How irregular posting is: the spread of weekly post counts divided by "
     "their mean. 0 is the same number every week; above 1, bursts and silences."),
    ("Waking hours", "The hours when most of the audience is awake; posts outside them are less likely to be "
     "seen. An account speaking to one country (an embassy) is timed in its audience's time zone. A global "
     "account (ministry-level, speaking to the world, with no time zone named for its audience) is timed "
     "against every time zone at once, each weighted by how many of the world's readers of its languages "
     "live there: a post counts for the share of those readers in whose waking hours it appeared."),
    ("Response window", "How long after a crisis or a cultural moment a matching post still counts as an answer; "
     "the 24-hour mark is the standard for a timely response."),
    ("Continuity across a transition", "Posts per week after a change of government, as a share of the rate "
     "before it: whether the account kept speaking while its principals changed."),
    ("CLDR", "The Unicode Common Locale Data Repository: the public table of which languages each country's "
     "population reads, and what share of it, from which the audience's languages are taken."),
    ("Not measured (n/a)", "The data could not support the metric (no events, no home-language posts, no "
     "engagement counts in the export). It is left out of the score, never counted as zero."),
    ("Thin data", "A score that rests on fewer than 30 authored posts or 8 active weeks: read it as a signal "
     "to check, not a finding."),
)
"""Terms the report uses, explained once in Appendix A instead of on every page."""

