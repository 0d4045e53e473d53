"""The rubric: what is measured, how it is scored, and where each criterion comes from.

A rubric is data (`rubrics/*.toml`), so that a ministry can adapt targets, weights, lexicons and
advice without touching code. Metrics are chosen by name from the catalogue in code; the rubric
only sets their weights, floors, targets and sentences. Loading checks the whole file and reports
every problem at once with its key path (``dimensions[1].metrics[0].name: ...``), so a user fixes
the file in one pass. The file format is described in `rubrics/public-diplomacy.toml` itself.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from audit.result.rubric import DEFAULT_BANDS, first_reached

DEFAULT_RUBRIC_ID = "public-diplomacy"
VERDICTS = ("exploiter", "adapter", "avoider")
LEXICON_KINDS = ("crisis", "participation", "rebuttal", "consular", "nationals", "community", "meeting",
                 "administration", "domestic")
TEMPLATE_KEYS = frozenset({"value", "floor", "target", "account"})
WEIGHT_TOLERANCE = 0.001

TOP_KEYS = ("id", "version", "title", "description", "sources", "settings", "bands", "grades", "dimensions",
            "lexicons", "cultural_assets", "verdict", "caveats", "weighting")
REQUIRED_TOP_KEYS = ("id", "version", "title", "sources", "dimensions", "verdict")
SOURCE_KEYS = ("id", "citation", "url", "supports")
DIMENSION_KEYS = ("id", "title", "question", "weight", "sources", "metrics")
METRIC_KEYS = ("name", "weight", "floor", "target", "finding", "advice")
VERDICT_KEYS = ("default", "default_explanation", "rules", "basis", "shortfalls", "shortfall_below")
RULE_KEYS = ("verdict", "label", "explanation", "conditions")
CONDITION_KEYS = ("score", "metric", "min", "max", "unmeasured")
UNMEASURED = ("fails", "holds")
SOURCE_SUPPORT_EXTRAS = ("verdict", "caveats")

References = tuple[set[str], dict[str, bool]]
"""What verdict conditions may refer to: dimension ids, and '<dimension>.<metric>' -> is it a number."""

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
DIMENSION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
PRIMARY_LANG = re.compile(r"^[a-z]{2,3}$")

DEFAULT_GRADES: Mapping[str, float] = MappingProxyType({"A": 85.0, "B": 70.0, "C": 55.0, "D": 40.0, "E": 0.0})
DEFAULT_GLOBAL_AUDIENCE: Mapping[str, float] = MappingProxyType(
    {"en": 0.18, "zh": 0.14, "es": 0.07, "fr": 0.04, "ar": 0.03, "ru": 0.03}
)


# The model -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A citation the report prints next to the criteria it supports."""

    id: str
    citation: str
    url: str | None = None
    supports: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricSpec:
    """One catalogue metric as the rubric uses it: its weight, its scale and its sentences.

    A weight of 0 means "reported, not scored". The scale runs from `floor` (scores 0) to `target`
    (scores 100); a floor above the target means lower values are better (hours, days of silence).
    """

    name: str
    weight: float
    floor: float | None = None
    target: float | None = None
    finding: str | None = None
    advice: str | None = None

    @property
    def scored(self) -> bool:
        return self.weight > 0

    @property
    def direction(self) -> str:
        """'higher' or 'lower' (is better), or 'reported' for a metric that is not scored."""
        if not self.scored or self.floor is None or self.target is None:
            return "reported"
        return "higher" if self.target > self.floor else "lower"

    def score(self, value: float) -> float:
        """0..100 by linear interpolation between floor (0) and target (100), clamped at both ends."""
        if self.floor is None or self.target is None or self.floor == self.target:
            raise ValueError(f"metric {self.name!r} has no scale (floor and target) to score on")
        if math.isnan(value):
            raise ValueError(f"metric {self.name!r}: cannot score NaN; report it as not measured")
        fraction = (value - self.floor) / (self.target - self.floor)
        return 100.0 * min(1.0, max(0.0, fraction))


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    weight: float
    metrics: tuple[MetricSpec, ...]
    question: str = ""
    sources: tuple[str, ...] = ()

    def metric(self, name: str) -> MetricSpec:
        for spec in self.metrics:
            if spec.name == name:
                return spec
        raise KeyError(f"dimension {self.id!r} has no metric {name!r}")


@dataclass(frozen=True)
class Settings:
    """Parameters the pipeline needs besides the metrics' own scales."""

    response_window_hours: float = 72.0
    follow_up_window_hours: float = 72.0
    waking_hours: tuple[int, int] = (8, 22)
    audience_language_min_share: float = 0.10
    home_language_min_share: float = 0.10
    min_detect_letters: int = 3
    min_detect_confidence: float = 0.5
    trust_declared_below: float = 0.8
    """A detection less sure than this (or und) gives way to the language the platform declared."""
    global_audience: Mapping[str, float] = field(default_factory=lambda: DEFAULT_GLOBAL_AUDIENCE)
    bootstrap_resamples: int = 200
    """Resamples of the confidence interval (audit.scoring.confidence); 0 turns intervals off."""
    bootstrap_min_weeks: int = 8
    bootstrap_min_events: int = 5
    bootstrap_exact: bool = False
    """Re-measure, in every resample, the metrics no fast form reproduces (slower) instead of holding them."""


@dataclass(frozen=True)
class Condition:
    """One test of a verdict rule: a score ('overall' or a dimension id) or a metric, within bounds."""

    score: str | None = None
    metric: str | None = None
    min: float | None = None
    max: float | None = None
    unmeasured: str = "fails"
    """'holds' for evidence that can only count against a verdict: a crisis response speed is judged when
    there were crises, and no crisis is no evidence against an exploiter."""

    @property
    def subject(self) -> str:
        return self.score if self.score is not None else f"{self.metric}"

    def describe(self) -> str:
        """Readable form for reports: 'overall >= 70', '0.1 <= frequency.posts_per_week <= 3'."""
        low = f"{format_bound(self.min)} <= " if self.min is not None and self.max is not None else ""
        unmeasured = " (or not measured)" if self.unmeasured == "holds" else ""
        if self.max is not None:
            return f"{low}{self.subject} <= {format_bound(self.max)}{unmeasured}"
        return f"{self.subject} >= {format_bound(self.min)}{unmeasured}"


@dataclass(frozen=True)
class VerdictRule:
    verdict: str
    explanation: str
    conditions: tuple[Condition, ...]
    label: str = ""
    """A name for this way of reaching the verdict ('technologically advanced avoider'), or ''."""


@dataclass(frozen=True)
class Verdict:
    """Robertson's typology as rules: the first rule whose conditions all hold gives the verdict."""

    default: str
    default_explanation: str = ""
    rules: tuple[VerdictRule, ...] = ()
    basis: tuple[str, ...] = ()
    """The dimensions a rule's `score = "overall"` is computed from (all when empty). The default rubric
    leaves out crisis responsiveness, which needs an events file and a crisis, so that a verdict does
    not hinge on whether an events file was given."""
    shortfalls: Mapping[str, str] = field(default_factory=dict)
    """Per basis dimension, the words for falling short on it; the default verdict's sentence names only the
    dimensions the account scores below `shortfall_below` on, so it never contradicts the scores."""
    shortfall_below: float = 50.0


@dataclass(frozen=True)
class Lexicons(Mapping[str, Mapping[str, tuple[str, ...]]]):
    """Term lists per kind and language; also a read-only mapping kind -> language -> terms."""

    crisis: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    participation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rebuttal: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    consular: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    nationals: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    community: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    meeting: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    administration: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    domestic: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> Mapping[str, tuple[str, ...]]:
        if kind not in LEXICON_KINDS:
            raise KeyError(kind)
        table: Mapping[str, tuple[str, ...]] = getattr(self, kind)
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(LEXICON_KINDS)

    def __len__(self) -> int:
        return len(LEXICON_KINDS)


@dataclass(frozen=True)
class Caveat:
    id: str
    text: str


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    title: str
    sources: tuple[Citation, ...]
    dimensions: tuple[Dimension, ...]
    verdict: Verdict
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    bands: Mapping[str, float] = field(default_factory=lambda: DEFAULT_BANDS)
    grades: Mapping[str, float] = field(default_factory=lambda: DEFAULT_GRADES)
    lexicons: Lexicons = field(default_factory=Lexicons)
    cultural_assets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    caveats: tuple[Caveat, ...] = ()
    path: Path | None = field(default=None, compare=False)
    role_weights: Mapping[str, float] = field(default_factory=dict)
    """`[weighting] roles`: an account's weight in the ministry's means by its role (1 for a role not listed)."""

    def dimension(self, dimension_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(f"rubric {self.id!r} has no dimension {dimension_id!r}")

    def source(self, source_id: str) -> Citation:
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(f"rubric {self.id!r} has no source {source_id!r}")

    def band_for(self, score: float) -> str:
        """The name of the best band whose minimum the score reaches."""
        return first_reached(self.bands, score)

    def grade_for(self, score: float) -> str:
        """The best letter grade whose minimum the score reaches."""
        return first_reached(self.grades, score)

    def lexicon(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Terms of one kind (crisis, participation, rebuttal, consular) by language."""
        if kind not in LEXICON_KINDS:
            raise ValueError(f"unknown lexicon {kind!r}; expected one of {', '.join(LEXICON_KINDS)}")
        return dict(self.lexicons[kind])

    def cultural_terms(self, country: str) -> tuple[str, ...]:
        """The cultural-asset terms of a home country (empty when the rubric lists none)."""
        return self.cultural_assets.get(country.upper(), ())

    @property
    def metric_count(self) -> int:
        return sum(len(d.metrics) for d in self.dimensions)


def format_bound(value: float | None) -> str:
    return f"{value:g}" if value is not None else "?"


# Loading ---------------------------------------------------------------------------------------


# Building (data already checked) ---------------------------------------------------------------


# Checking: every problem, with its key path -------------------------------------------------------


# Generic checks --------------------------------------------------------------------------------


# Sources -----------------------------------------------------------------------------------------


# Settings ----------------------------------------------------------------------------------------


# Bands and grades --------------------------------------------------------------------------------


# Dimensions and metrics --------------------------------------------------------------------------


# Templates ---------------------------------------------------------------------------------------


# Lexicons, cultural assets, caveats ----------------------------------------------------------------


# Verdict rules -----------------------------------------------------------------------------------


# Export ------------------------------------------------------------------------------------------


# The table `audit rubric show` prints ------------------------------------------------------------


