"""Margins of error between scores: when a gap means something, and ranks that admit ties.

Every score in a result may carry a 95% interval. A reader comparing two accounts or two ministries
needs to know whether the gap between them is larger than those intervals allow: we call a gap
"larger than the margin of error" only when the two intervals do not overlap (a conservative test: some
overlapping pairs differ too, none of the separated ones is a fluke of the sampled weeks). Ranks follow
the same rule: an entry's rank runs from one plus the number of entries surely above it to the count
less those surely below it, so two ministries whose intervals overlap share a rank range ("2–3").
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from datetime import date
from typing import Any, TypeGuard

Span = tuple[float, float]
BEYOND = "larger than the margin of error"
WITHIN = "within the margin of error"
UNKNOWN = "no range to judge the gap by"
PERIOD_SLACK_DAYS = 3  # H1 (181 days) and H2 (184 days) are the same length for a comparison
PERIOD_SLACK_SHARE = 0.05


def span_of(entry: Mapping[str, Any]) -> Span | None:
    """The interval an account, a ministry or a dimension carries (`interval` or `confidence.interval`)."""
    found = entry.get("interval")
    confidence = entry.get("confidence")
    if found is None and isinstance(confidence, Mapping):
        found = confidence.get("interval")
    if isinstance(found, Mapping):  # {"low": .., "high": ..}, as some older results wrote it
        found = [found.get("low"), found.get("high")]
    if isinstance(found, (list, tuple)) and len(found) == 2 and all(_number(v) for v in found):
        return float(found[0]), float(found[1])
    return None


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def score_of(entry: Mapping[str, Any] | None) -> float | None:
    value = (entry or {}).get("score")
    return float(value) if _number(value) else None


def ministry_dimension(result: Mapping[str, Any], dim_id: str) -> tuple[float | None, Span | None]:
    """A ministry's score on one dimension and a range for it.

    The range is the result's `ministry.confidence.dimensions` (the interval of the role-weighted mean over
    the accounts' joint resamples). Results written before it carry none: there the range is the weighted
    mean of its accounts' ranges on that dimension (weights as the ministry's score: `ministry.weighting`),
    wider than the interval of the mean would be, hence a cautious margin; None when an account scored on
    the dimension has no range.
    """
    score = (result["ministry"].get("dimensions") or {}).get(dim_id)
    carried = (result["ministry"].get("confidence") or {}).get("dimensions")
    if isinstance(carried, Mapping):
        found = carried.get(dim_id)
        span = (float(found[0]), float(found[1])) if isinstance(found, (list, tuple)) and len(found) == 2 else None
        return (float(score) if _number(score) else None), span
    roles = (result["ministry"].get("weighting") or {}).get("roles") or {}
    parts = [(float(roles.get(a["id"], 1.0)), span_of(d)) for a in result["accounts"]
             if score_of(d := (a["dimensions"].get(dim_id) or {})) is not None]
    if not parts or any(s is None for _, s in parts):
        return (float(score) if _number(score) else None), None
    total = sum(w for w, _ in parts)
    low = sum(w * s[0] for w, s in parts if s) / total
    high = sum(w * s[1] for w, s in parts if s) / total
    return (float(score) if _number(score) else None), (round(low, 1), round(high, 1))


def separated(a: Span | None, b: Span | None) -> bool | None:
    """True when the two intervals do not overlap, None when either is missing."""
    if a is None or b is None:
        return None
    return a[0] > b[1] or b[0] > a[1]


def margin_words(a: Span | None, b: Span | None) -> str:
    found = separated(a, b)
    return UNKNOWN if found is None else (BEYOND if found else WITHIN)


def span_text(span: Span | None) -> str:
    return f"{span[0]:.0f}–{span[1]:.0f}" if span else ""


def rank_ranges(entries: Sequence[tuple[Hashable, float, Span | None]]) -> dict[Hashable, tuple[int, int]]:
    """Each entry's best and worst rank: a score without an interval counts as its value alone."""
    spans = [(key, span or (score, score)) for key, score, span in entries]
    found = {}
    for key, (low, high) in spans:
        above = sum(1 for k, s in spans if k != key and s[0] > high)
        below = sum(1 for k, s in spans if k != key and s[1] < low)
        found[key] = (1 + above, len(spans) - below)
    return found


def rank_text(rank: tuple[int, int]) -> str:
    """'2' or '2–3' (a tie under overlapping intervals)."""
    best, worst = rank
    return str(best) if best == worst else f"{best}–{worst}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(rank: tuple[int, int]) -> str:
    """'3rd' or '2nd to 3rd'."""
    best, worst = rank
    return ordinal(best) if best == worst else f"{ordinal(best)} to {ordinal(worst)}"


def period_days(result: Mapping[str, Any]) -> int | None:
    period = result.get("period") or {}
    if _number(period.get("days")):
        return int(period["days"])
    try:
        return (date.fromisoformat(str(period["end"])[:10]) - date.fromisoformat(str(period["start"])[:10])).days + 1
    except (KeyError, ValueError):
        return None


def not_comparable(reference: Mapping[str, Any], other: Mapping[str, Any]) -> str:
    """Why `other`'s scores cannot be ranked beside `reference`'s: another rubric, rubric major version or
    period length; '' when they can."""
    mine, theirs = reference.get("rubric") or {}, other.get("rubric") or {}
    if mine.get("id") != theirs.get("id"):
        return f"scored with the rubric {theirs.get('id', 'unknown')!s}, not {mine.get('id', 'unknown')!s}"
    major, their_major = major_version(mine.get("version")), major_version(theirs.get("version"))
    if major != their_major:
        return f"scored with rubric version {their_major}.x, not {major}.x"
    days, their_days = period_days(reference), period_days(other)
    if days is None or their_days is None:
        return "its period has no length to compare"
    if abs(days - their_days) > max(PERIOD_SLACK_DAYS, PERIOD_SLACK_SHARE * max(days, their_days)):
        return f"a period of {their_days} days, not {days}"
    return ""


def major_version(version: Any) -> str:
    return str(version or "?").split(".")[0]
