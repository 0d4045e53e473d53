"""The rubric a result carries, read back for people: dimensions, metric words, bands, rules, settings.

A result scored by this version carries its whole rubric (`rubric.definition`), so a report drawn
from the result alone shows the method it was scored with, a custom rubric file included. These
views are all the report knows of rubrics: it never loads one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, cast

from audit.result.types import DimensionSnapshot, MetricSnapshot, RubricSnapshot, RuleSnapshot

DEFAULT_BANDS: Mapping[str, float] = MappingProxyType({"strong": 75.0, "adequate": 50.0, "weak": 25.0, "poor": 0.0})
"""Bands of a rubric that sets none, and of a result that carries no rubric (an older result)."""


@dataclass(frozen=True)
class MetricView:
    """A metric as the rubric set it, with the metric table's words for it."""

    name: str
    label: str
    unit: str
    scale: str
    definition: str
    weight: float
    floor: float | None
    target: float | None
    direction: str
    scored: bool

    @classmethod
    def of(cls, m: MetricSnapshot) -> MetricView:
        return cls(m["name"], m["label"], m["unit"], m["scale"], m["definition"], float(m["weight"]),
                   m.get("floor"), m.get("target"), m["direction"], bool(m["scored"]))


@dataclass(frozen=True)
class DimensionView:
    id: str
    title: str
    question: str
    weight: float
    sources: tuple[str, ...]
    metrics: tuple[MetricView, ...]

    @classmethod
    def of(cls, d: DimensionSnapshot) -> DimensionView:
        return cls(d["id"], d["title"], d.get("question", ""), float(d["weight"]), tuple(d.get("sources", [])),
                   tuple(MetricView.of(m) for m in d["metrics"]))


@dataclass(frozen=True)
class CitationView:
    id: str
    citation: str
    url: str | None


@dataclass(frozen=True)
class RuleView:
    """A verdict rule and its conditions as people read them ('overall >= 70')."""

    verdict: str
    explanation: str
    described: tuple[str, ...]

    @classmethod
    def of(cls, r: RuleSnapshot) -> RuleView:
        return cls(r["verdict"], r["explanation"], tuple(r.get("described", [])))


@dataclass(frozen=True)
class RubricView:
    """Read-only access to a result's rubric snapshot, in the shapes the report prints."""

    id: str
    version: str
    title: str
    description: str
    sources: tuple[CitationView, ...]
    dimensions: tuple[DimensionView, ...]
    bands: Mapping[str, float]
    grades: Mapping[str, float]
    rules: tuple[RuleView, ...]
    default_verdict: str
    default_explanation: str
    caveats: tuple[str, ...]
    waking_hours: tuple[int, int]
    response_window_hours: float

    @classmethod
    def of(cls, data: RubricSnapshot) -> RubricView:
        settings, verdict = data["settings"], data["verdict"]
        start, end = settings["waking_hours"]
        return cls(
            data["id"], data["version"], data["title"], data.get("description", ""),
            tuple(CitationView(s["id"], s["citation"], s.get("url")) for s in data["sources"]),
            tuple(DimensionView.of(d) for d in data["dimensions"]), dict(data["bands"]), dict(data["grades"]),
            tuple(RuleView.of(r) for r in verdict["rules"]), verdict["default"],
            verdict.get("default_explanation", ""),
            tuple(str(c.get("text", "")) for c in data.get("caveats", {}).get("items", [])),
            (int(start), int(end)), float(settings["response_window_hours"]),
        )

    def band_for(self, score: float) -> str:
        return first_reached(self.bands, score)

    def metric_words(self) -> dict[str, MetricView]:
        """Every metric of the rubric by name (the first dimension naming it wins)."""
        words: dict[str, MetricView] = {}
        for dim in self.dimensions:
            for m in dim.metrics:
                words.setdefault(m.name, m)
        return words


def first_reached(minimums: Mapping[str, float], score: float) -> str:
    """The first name, in the rubric's order (highest first), whose minimum `score` reaches; else the last."""
    for name, minimum in minimums.items():
        if score >= minimum:
            return name
    return list(minimums)[-1]


def rubric_of(result: Mapping[str, Any]) -> RubricView | None:
    """The rubric a result carries; None for a result that only names it (written before results carried it)."""
    definition = (result.get("rubric") or {}).get("definition")
    return RubricView.of(cast(RubricSnapshot, definition)) if isinstance(definition, dict) else None
