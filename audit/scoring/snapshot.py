"""The rubric as a result carries it: the whole rubric file's content plus each metric's words.

Written into every result (`rubric.definition`), so that `audit render` shows the method the
scores were computed with, even for a custom rubric file that the reader does not have.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from audit.errors import AuditError
from audit.result.types import DimensionSnapshot, MetricSnapshot, RubricInfo, RubricSnapshot
from audit.scoring.metrics.table import METRICS
from audit.scoring.rubric.export import rubric_dict
from audit.scoring.rubric.loading import load_rubric
from audit.scoring.rubric.model import Dimension, MetricSpec, Rubric


def rubric_info(rubric: Rubric) -> RubricInfo:
    """Id, version and title (as every result has them) and the full definition."""
    return {"id": rubric.id, "version": rubric.version, "title": rubric.title, "definition": rubric_snapshot(rubric)}


def rubric_snapshot(rubric: Rubric) -> RubricSnapshot:
    """The rubric, TOML-shaped, with metric words and readable verdict conditions."""
    data = rubric_dict(rubric)
    data["dimensions"] = [_dimension(d, raw) for d, raw in zip(rubric.dimensions, data["dimensions"], strict=True)]
    for rule, raw in zip(rubric.verdict.rules, data["verdict"]["rules"], strict=True):
        raw["described"] = [c.describe() for c in rule.conditions]
    return cast(RubricSnapshot, data)


def _dimension(dimension: Dimension, raw: dict[str, Any]) -> DimensionSnapshot:
    metrics = [_metric(spec, m) for spec, m in zip(dimension.metrics, raw["metrics"], strict=True)]
    return cast(DimensionSnapshot, {**raw, "metrics": metrics})


def _metric(spec: MetricSpec, raw: dict[str, Any]) -> MetricSnapshot:
    row = METRICS[spec.name]
    words = {"label": row.label, "unit": row.unit, "scale": row.scale, "definition": row.definition,
             "direction": spec.direction, "scored": spec.scored}
    return cast(MetricSnapshot, {**raw, **words})


def attach_rubric(result: Mapping[str, Any]) -> tuple[Mapping[str, Any], list[str]]:
    """A result that carries its rubric, and notes: an older result gets the bundled rubric of its id.

    Results written before they carried their rubric name it only; the bundled rubric of that id is
    the best account of their method there is, and a different version is said, never hidden.
    """
    reference = result.get("rubric") or {}
    if not isinstance(reference, Mapping) or "definition" in reference or not reference.get("id"):
        return result, []
    try:
        rubric = load_rubric(str(reference["id"]))
    except AuditError:
        return result, []
    notes = []
    if reference.get("version") and str(reference["version"]) != rubric.version:
        notes.append(f"The scores were computed with version {reference['version']} of this rubric; the method "
                     f"shown is version {rubric.version}, which may set other targets or weights.")
    return {**result, "rubric": {**reference, "definition": rubric_snapshot(rubric)}}, notes
