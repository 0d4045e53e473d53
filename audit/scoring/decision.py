"""The verdict, the rule that decided it with its numbers, and whether it is borderline (issue 9, item 7).

A verdict is borderline when the interval of a number the deciding rule reads straddles that rule's
threshold (overall 51.2, interval 44.0-58.3, against an adapter line of 50), or when every condition a
rule with another verdict failed on is within its interval of holding: on another sample of the same
practice the verdict could well have been the other one. The sentence that explains the verdict is
composed from the account's own numbers: a rule's explanation is a template filled with them, and the
default verdict names only the dimensions the account actually falls short on (never "too little
regularity" beside a frequency score of 99.5).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from audit.scoring.metrics.table import METRICS
from audit.scoring.rubric.model import Condition, Rubric, VerdictRule

Values = Mapping[str, float | None]
NOT_MEASURED = ("Not measured: none of the dimensions the verdict rests on could be measured in the period "
                "(no post or repost to measure them on), so no verdict is given.")
Intervals = Mapping[str, Sequence[float] | None]


@dataclass(frozen=True)
class Check:
    """One condition of a rule against a number and its interval."""

    key: str
    value: float | None
    min: float | None
    max: float | None
    held: bool
    interval: Sequence[float] | None

    @property
    def straddled(self) -> bool:
        """The interval reaches across the condition's threshold: the condition could go either way."""
        if self.interval is None:
            return False
        low, high = self.interval
        return any(b is not None and low <= b <= high for b in (self.min, self.max))

    def as_dict(self) -> dict[str, Any]:
        return {"on": self.key, "value": self.value, "min": self.min, "max": self.max, "held": self.held,
                "interval": list(self.interval) if self.interval else None, "borderline": self.straddled}


def check(cond: Condition, values: Values, intervals: Intervals) -> Check:
    value = values.get(cond.subject)
    if value is None:
        held = cond.unmeasured == "holds"
    else:
        held = (cond.min is None or value >= cond.min) and (cond.max is None or value <= cond.max)
    return Check(cond.subject, value, cond.min, cond.max, held, intervals.get(cond.subject))


def decide(rubric: Rubric, values: Values, intervals: Intervals, titles: Mapping[str, str]) -> dict[str, Any]:
    """The verdict, its sentence, the deciding rule with its numbers, and whether it is borderline.

    `values` holds 'overall' (the verdict basis score), dimension scores and 'dimension.metric' values.
    With no basis score (not one post or repost in the period to measure the basis dimensions on) there is
    no verdict: calling such an account an avoider would score an export's hole as a practice."""
    if values.get("overall") is None:
        return unmeasured_verdict()
    checked = [(rule, [check(c, values, intervals) for c in rule.conditions]) for rule in rubric.verdict.rules]
    held = next((i for i, (_, checks) in enumerate(checked) if all(c.held for c in checks)), None)
    if held is not None:
        rule, checks = checked[held]
        verdict, deciding, rivals = rule.verdict, checks, checked[:held]
        sentence = fill(rule.explanation, namespace(values))
    else:
        verdict, rule = rubric.verdict.default, None
        deciding = [c for c in checked[-1][1] if not c.held] if checked else []
        rivals = checked
        sentence = default_sentence(rubric, values, deciding, titles)
    near = list({c.key: c for c in [c for c in deciding if c.straddled] + _within_reach(rivals, verdict)}.values())
    return {"verdict": verdict, "rule": (rule.label or rule.verdict) if rule else "default",
            "label": rule.label if rule else "", "explanation": sentence,
            "conditions": [c.as_dict() for c in deciding], "borderline": bool(near),
            "borderline_text": borderline_text(near, titles) if near else ""}


def unmeasured_verdict() -> dict[str, Any]:
    """No verdict: none of the dimensions the verdict rests on could be measured."""
    return {"verdict": None, "rule": "not measured", "label": "", "explanation": NOT_MEASURED,
            "conditions": [], "borderline": False, "borderline_text": ""}


def _within_reach(rivals: Sequence[tuple[VerdictRule, list[Check]]], verdict: str) -> list[Check]:
    """Failed conditions of a rule with another verdict that are all within their intervals of holding."""
    for rule, checks in rivals:
        failed = [c for c in checks if not c.held]
        if rule.verdict != verdict and failed and all(c.straddled for c in failed):
            return failed
    return []


def default_sentence(rubric: Rubric, values: Values, failed: Sequence[Check], titles: Mapping[str, str]) -> str:
    """The default verdict in the account's own terms: the basis dimensions it falls short on, and the
    nearest rule's other conditions it fails, with their numbers."""
    v = rubric.verdict
    reasons = [fill(v.shortfalls[d], {"score": score}) for d in v.basis or list(titles)
               if d in v.shortfalls and (score := values.get(d)) is not None and score < v.shortfall_below]
    reasons += [condition_text(c, titles) for c in failed if "." in c.key]
    head = v.default_explanation.rstrip(". ") or v.default.capitalize()
    return f"{head}: {'; '.join(reasons)}." if reasons else f"{head}."


def condition_text(c: Check, titles: Mapping[str, str]) -> str:
    """'posts per week 0.6 (needs ≥ 1)'."""
    name, unit = subject_words(c.key, titles)
    bound, sign = (c.min, "≥") if c.min is not None else (c.max, "≤")
    return f"{name} {shown(unit, c.value)} (needs {sign} {shown(unit, bound)})"


def borderline_text(near: Sequence[Check], titles: Mapping[str, str]) -> str:
    """'Borderline: overall score 51.2 (interval 44.0–58.3) against a threshold of 50.'"""
    parts = []
    for c in near:
        name, unit = subject_words(c.key, titles)
        low, high = c.interval or (None, None)
        bound = c.min if c.min is not None and low is not None and low <= c.min <= (high or 0) else c.max
        parts.append(f"{name} {shown(unit, c.value)} (interval {shown(unit, low)}–{shown(unit, high)}) against a "
                     f"threshold of {shown(unit, bound)}")
    return "Borderline: " + "; ".join(parts) + "."


def subject_words(key: str, titles: Mapping[str, str]) -> tuple[str, str]:
    """A condition's subject in words, and the unit its numbers are shown in."""
    if key == "overall":
        return "score on the verdict's dimensions", "score"
    if key in titles:
        return f"{titles[key].lower()} score", "score"
    metric = key.partition(".")[2]
    row = METRICS.get(metric)
    return (row.label.lower(), row.unit) if row else (metric.replace("_", " "), "number")


def shown(unit: str, value: float | None) -> str:
    if value is None:
        return "not measured"
    if unit == "share":
        return f"{value:.0%}"
    return f"{value:.1f}" if unit in ("score", "per_week", "hours", "days", "ratio", "number") else f"{value:g}"


def namespace(values: Values) -> dict[str, Any]:
    """Values a rule's explanation can name: {overall}, {language_reach.score}, {frequency.posts_per_week}."""
    found: dict[str, Any] = {"overall": values.get("overall")}
    for key, value in values.items():
        dim, _, metric = key.partition(".")
        space = found.setdefault(dim, SimpleNamespace()) if dim != "overall" else None
        if isinstance(space, SimpleNamespace):
            setattr(space, metric or "score", value)
    return found


def fill(template: str, values: Mapping[str, Any]) -> str:
    """A rubric sentence with the account's numbers; the template itself when a number is missing."""
    try:
        return template.format_map(values)  # what string.Formatter().vformat gives, in C
    except (KeyError, AttributeError, ValueError, TypeError, IndexError):
        return template
