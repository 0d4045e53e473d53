"""The method appendix: the rubric the result was scored with, in words a reader can check.

The result carries its whole rubric (`rubric.definition`), metric definitions and verdict rules
included, so the appendix is drawn from the result alone, a custom rubric file included. A result
that only names its rubric (written before results carried it) still renders: the appendix then
says that the method is not shown, and the caller gets a warning, never a failed render.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from audit.report.labels import format_number
from audit.result.rubric import DimensionView, MetricView, RubricView, RuleView


def method_view(rubric: RubricView) -> dict[str, Any]:
    """Sources, dimensions with every metric's definition and scale, bands, grades, verdict rules."""
    numbers = {s.id: i for i, s in enumerate(rubric.sources, start=1)}
    total = sum(d.weight for d in rubric.dimensions) or 1.0
    return {
        "title": rubric.title, "id": rubric.id, "version": rubric.version, "description": rubric.description,
        "sources": [{"number": numbers[s.id], "citation": s.citation, "url": safe_url(s.url)}
                    for s in rubric.sources],
        "dimensions": [_dimension(d, total, numbers) for d in rubric.dimensions],
        "bands": _thresholds(rubric.bands), "grades": _thresholds(rubric.grades),
        "rules": [_rule(r) for r in rubric.rules],
        "default_verdict": rubric.default_verdict, "default_explanation": rubric.default_explanation,
        "waking_hours": "{:02d}:00–{:02d}:00".format(*rubric.waking_hours),
        "response_window": f"{rubric.response_window_hours:g} hours",
    }


def caveats(rubric: RubricView | None) -> list[str]:
    return list(rubric.caveats) if rubric else []


def _dimension(d: DimensionView, total: float, numbers: Mapping[str, int]) -> dict[str, Any]:
    return {
        "id": d.id, "title": d.title, "question": d.question, "weight": f"{d.weight / total * 100:.0f}%",
        "sources": ", ".join(f"[{numbers[s]}]" for s in d.sources if s in numbers),
        "metrics": [_metric(m) for m in d.metrics],
    }


def _metric(m: MetricView) -> dict[str, Any]:
    return {"name": breakable(m.name), "label": m.label, "definition": m.definition,
            "scale": scale_text(m), "weight": f"{m.weight:g}" if m.scored else "reported"}


def breakable(name: str) -> Markup:
    """A metric id that may wrap after its underscores (<wbr>), not in the middle of a word."""
    return Markup("_<wbr>").join(escape(part) for part in name.split("_"))


def scale_text(m: MetricView) -> str:
    """'0 at 10% → 100 at 60%' in the metric's own unit; '' for a metric that is only reported."""
    if m.floor is None or m.target is None or not m.scored:
        return ""
    return f"0 at {format_number(m.unit, m.floor)} → 100 at {format_number(m.unit, m.target)}"


def target_text(m: MetricView) -> str:
    """The target a reader compares a value with: '≥ 60%' or '≤ 7.0 days'."""
    if m.target is None or m.floor is None or not m.scored:
        return ""
    sign = "≥" if m.direction == "higher" else "≤"
    return f"{sign} {format_number(m.unit, m.target)}"


def _thresholds(minimums: Mapping[str, float]) -> list[dict[str, str]]:
    return [{"name": name, "minimum": f"{minimum:g}"} for name, minimum in minimums.items()]


def _rule(rule: RuleView) -> dict[str, str]:
    return {"verdict": rule.verdict, "explanation": rule.explanation,
            "conditions": " and ".join(c.replace("<=", "≤").replace(">=", "≥") for c in rule.described)}


def safe_url(url: object) -> str | None:
    """Only http(s) links become clickable: a result file is data, and `javascript:` is not a link."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        return url
    return None
