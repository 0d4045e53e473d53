"""A rubric as data again: the dict written into results and `audit rubric show --json`, and the show table."""


from __future__ import annotations

from typing import Any

from audit.scoring.metrics.table import METRICS
from audit.scoring.rubric.model import LEXICON_KINDS, Citation, Dimension, Rubric, Settings, VerdictRule


def rubric_dict(r: Rubric) -> dict[str, Any]:
    """JSON-able and TOML-shaped: `rubric_from_dict(rubric_dict(r))` gives back an equal rubric."""
    return _drop_none({
        "id": r.id, "version": r.version, "title": r.title, "description": r.description,
        "sources": [_source_dict(s) for s in r.sources],
        "settings": settings_dict(r.settings), "bands": dict(r.bands), "grades": dict(r.grades),
        "dimensions": [_dimension_dict(d) for d in r.dimensions],
        "lexicons": {kind: {lang: list(t) for lang, t in r.lexicons[kind].items()} for kind in LEXICON_KINDS},
        "cultural_assets": {c: {"terms": list(t)} for c, t in r.cultural_assets.items()},
        "verdict": {"default": r.verdict.default, "default_explanation": r.verdict.default_explanation,
                    "rules": [_rule_dict(rule) for rule in r.verdict.rules], "basis": list(r.verdict.basis),
                    "shortfalls": dict(r.verdict.shortfalls), "shortfall_below": r.verdict.shortfall_below},
        "caveats": {"items": [{"id": c.id, "text": c.text} for c in r.caveats]},
        "weighting": {"roles": dict(r.role_weights)},
    })


def _source_dict(s: Citation) -> dict[str, Any]:
    return _drop_none({"id": s.id, "citation": s.citation, "url": s.url, "supports": list(s.supports)})


def settings_dict(s: Settings) -> dict[str, Any]:
    return {
        "response_window_hours": s.response_window_hours, "follow_up_window_hours": s.follow_up_window_hours,
        "waking_hours": list(s.waking_hours), "audience_language_min_share": s.audience_language_min_share,
        "home_language_min_share": s.home_language_min_share, "min_detect_letters": s.min_detect_letters,
        "min_detect_confidence": s.min_detect_confidence,
        "trust_declared_below": s.trust_declared_below, "global_audience": dict(s.global_audience),
        "bootstrap_resamples": s.bootstrap_resamples, "bootstrap_min_weeks": s.bootstrap_min_weeks,
        "bootstrap_min_events": s.bootstrap_min_events, "bootstrap_exact": s.bootstrap_exact,
    }


def _dimension_dict(d: Dimension) -> dict[str, Any]:
    metrics = [_drop_none({"name": m.name, "weight": m.weight, "floor": m.floor, "target": m.target,
                           "finding": m.finding, "advice": m.advice}) for m in d.metrics]
    return {"id": d.id, "title": d.title, "question": d.question, "weight": d.weight,
            "sources": list(d.sources), "metrics": metrics}


def _rule_dict(rule: VerdictRule) -> dict[str, Any]:
    conditions = [_drop_none({"score": c.score, "metric": c.metric, "min": c.min, "max": c.max,
                              "unmeasured": c.unmeasured if c.unmeasured != "fails" else None})
                  for c in rule.conditions]
    label = {"label": rule.label} if rule.label else {}
    return {"verdict": rule.verdict, **label, "explanation": rule.explanation, "conditions": conditions}


def _drop_none(table: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if v is not None}


def rubric_table(rubric: Rubric) -> list[dict[str, Any]]:
    """One row per metric: dimension, metric, its label, unit and definition (from the metric table), weight,
    floor, target, direction, and its share of the overall score when every metric is measured."""
    rows = []
    for dim in rubric.dimensions:
        scored_total = sum(m.weight for m in dim.metrics if m.scored)
        for m in dim.metrics:
            share = dim.weight * m.weight / scored_total if scored_total else 0.0
            words = METRICS[m.name]
            rows.append({"dimension": dim.id, "metric": m.name, "label": words.label, "unit": words.unit,
                         "weight": m.weight, "floor": m.floor, "target": m.target, "direction": m.direction,
                         "overall_weight": round(share, 4), "definition": words.definition})
    return rows
