"""The method appendix: the rubric the result was scored with, in words a reader can check.

The result JSON names its rubric by id and version; the renderer loads the rubric by that id for
its sources, metric scales and verdict rules. A report must still come out when the rubric cannot
be found (a result from another machine, a rubric renamed since), so a missing rubric becomes a
note in the appendix and a warning, never a failed render.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from audit.errors import AuditError
from audit.report.labels import format_number, metric_definition, metric_info
from audit.scoring.rubric.model import Dimension, MetricSpec, Rubric, VerdictRule, load_rubric


def find_rubric(reference: Mapping[str, Any]) -> tuple[Rubric | None, str | None]:
    """The rubric a result names, or None and why it could not be loaded."""
    rubric_id = reference.get("id")
    if not rubric_id:
        return None, "The result does not name its rubric, so the method cannot be shown."
    try:
        rubric = load_rubric(str(rubric_id))
    except AuditError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        return None, f"The rubric {rubric_id!r} could not be loaded ({first}); the method is not shown."
    return rubric, None


def version_note(rubric: Rubric, reference: Mapping[str, Any]) -> str | None:
    """A warning when the rubric found today is not the version the result was scored with."""
    scored_with = reference.get("version")
    if scored_with and str(scored_with) != rubric.version:
        return (f"The scores were computed with version {scored_with} of this rubric; the method below is "
                f"version {rubric.version}, which may set other targets or weights.")
    return None


def method_view(rubric: Rubric) -> dict[str, Any]:
    """Sources, dimensions with every metric's definition and scale, bands, grades, verdict rules."""
    numbers = {s.id: i for i, s in enumerate(rubric.sources, start=1)}
    total = sum(d.weight for d in rubric.dimensions) or 1.0
    return {
        "title": rubric.title, "id": rubric.id, "version": rubric.version, "description": rubric.description,
        "sources": [{"number": numbers[s.id], "citation": s.citation, "url": safe_url(s.url)}
                    for s in rubric.sources],
        "dimensions": [_dimension(d, total, numbers) for d in rubric.dimensions],
        "bands": _thresholds(rubric.bands), "grades": _thresholds(rubric.grades),
        "rules": [_rule(r) for r in rubric.verdict.rules],
        "default_verdict": rubric.verdict.default, "default_explanation": rubric.verdict.default_explanation,
        "waking_hours": "{:02d}:00–{:02d}:00".format(*rubric.settings.waking_hours),
        "response_window": f"{rubric.settings.response_window_hours:g} hours",
    }


def caveats(rubric: Rubric | None) -> list[str]:
    return [c.text for c in rubric.caveats] if rubric else []


def _dimension(d: Dimension, total: float, numbers: Mapping[str, int]) -> dict[str, Any]:
    return {
        "id": d.id, "title": d.title, "question": d.question, "weight": f"{d.weight / total * 100:.0f}%",
        "sources": ", ".join(f"[{numbers[s]}]" for s in d.sources if s in numbers),
        "metrics": [_metric(m) for m in d.metrics],
    }


def _metric(m: MetricSpec) -> dict[str, Any]:
    return {"name": breakable(m.name), "label": metric_info(m.name).label, "definition": metric_definition(m.name),
            "scale": scale_text(m), "weight": f"{m.weight:g}" if m.scored else "reported"}


def breakable(name: str) -> Markup:
    """A metric id that may wrap after its underscores (<wbr>), not in the middle of a word."""
    return Markup("_<wbr>").join(escape(part) for part in name.split("_"))


def scale_text(m: MetricSpec) -> str:
    """'0 at 10% → 100 at 60%' in the metric's own unit; '' for a metric that is only reported."""
    if m.floor is None or m.target is None or not m.scored:
        return ""
    unit = metric_info(m.name).unit
    return f"0 at {format_number(unit, m.floor)} → 100 at {format_number(unit, m.target)}"


def target_text(m: MetricSpec) -> str:
    """The target a reader compares a value with: '≥ 60%' or '≤ 7.0 days'."""
    if m.target is None or m.floor is None or not m.scored:
        return ""
    sign = "≥" if m.direction == "higher" else "≤"
    return f"{sign} {format_number(metric_info(m.name).unit, m.target)}"


def _thresholds(minimums: Mapping[str, float]) -> list[dict[str, str]]:
    return [{"name": name, "minimum": f"{minimum:g}"} for name, minimum in minimums.items()]


def _rule(rule: VerdictRule) -> dict[str, str]:
    return {"verdict": rule.verdict, "explanation": rule.explanation,
            "conditions": " and ".join(c.describe().replace("<=", "≤").replace(">=", "≥") for c in rule.conditions)}


def safe_url(url: object) -> str | None:
    """Only http(s) links become clickable: a result file is data, and `javascript:` is not a link."""
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        return url
    return None
