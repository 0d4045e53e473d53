"""The shape of an AuditResult (schema_version 2), as TypedDicts that mypy checks from engine to report.

The keys follow DESIGN.md's JSON contract; the comments say what a key means where its name does
not. Values that are free-form by nature (a metric's value, a chart series) stay `Any`.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class ToolInfo(TypedDict):
    name: str
    version: str


class PeriodInfo(TypedDict):
    start: str
    end: str
    days: int


class MetricSnapshot(TypedDict):
    """A metric as the rubric set it, with the metric table's words for it."""

    name: str
    weight: float
    floor: NotRequired[float | None]
    target: NotRequired[float | None]
    finding: NotRequired[str]
    advice: NotRequired[str]
    label: str
    unit: str
    scale: str
    definition: str
    direction: str  # higher, lower or reported
    scored: bool


class DimensionSnapshot(TypedDict):
    id: str
    title: str
    question: NotRequired[str]
    weight: float
    sources: NotRequired[list[str]]
    metrics: list[MetricSnapshot]


class RuleSnapshot(TypedDict):
    verdict: str
    explanation: str
    conditions: list[dict[str, Any]]
    described: list[str]  # each condition as people read it: "overall >= 70"


class VerdictSnapshot(TypedDict):
    default: str
    default_explanation: NotRequired[str]
    rules: list[RuleSnapshot]


class RubricInfo(TypedDict):
    """The rubric a result was scored with: its id, version and title, and (from this version on) all of it."""

    id: str
    version: str
    title: str
    definition: NotRequired[RubricSnapshot]


class RubricSnapshot(TypedDict):
    """The whole rubric, shaped like its TOML file, with each metric's words from the metric table."""

    id: str
    version: str
    title: str
    description: NotRequired[str]
    sources: list[dict[str, Any]]
    settings: dict[str, Any]
    bands: dict[str, float]
    grades: dict[str, float]
    dimensions: list[DimensionSnapshot]
    lexicons: NotRequired[dict[str, Any]]
    cultural_assets: NotRequired[dict[str, Any]]
    verdict: VerdictSnapshot
    caveats: NotRequired[dict[str, list[dict[str, Any]]]]  # {"items": [{"id", "text"}]}


class DimensionResult(TypedDict):
    title: str
    score: float | None
    band: str | None
    weight: float
    metrics: dict[str, Any]
    metric_scores: dict[str, float]
    not_measured: dict[str, str]
    findings: list[str]
    advice: list[str]
    evidence: list[str]
    confidence: NotRequired[dict[str, Any]]
    """{rests_on, interval: [low, high] | None, note}: what the dimension score rests on and its interval."""


class AccountResult(TypedDict):
    id: str
    name: str
    role: str
    platform: str
    handle: str | None
    host_country: str | None
    posts: int  # authored posts in the period
    reposts: int
    skipped_records: int
    score: float | None
    grade: str | None
    band: str | None
    verdict: str | None  # None: not measured (no basis dimension could be measured in the period)
    verdict_explanation: str
    audience: dict[str, Any]
    language_shares: dict[str, float]
    dimensions: dict[str, DimensionResult]
    key_findings: list[str]
    evidence_posts: list[dict[str, Any]]
    series: dict[str, Any]
    language_detection: NotRequired[dict[str, Any]]
    templated_repeats: NotRequired[int]
    """Authored posts left out as templated repeats (the same text up to numbers within three days)."""
    events_in_holes: NotRequired[list[str]]
    """Ids of crisis/opportunity events in the period whose whole response window fell in a hole in the
    export: left out of crisis responsiveness (not counted as missed), named in coverage.warnings."""
    verdict_basis: NotRequired[dict[str, Any]]
    """{score, dimensions}: the score the verdict rules read, over the rubric's verdict basis dimensions."""
    verdict_rule: NotRequired[dict[str, Any]]
    """{verdict, rule, label, conditions: [{on, value, min, max, held, interval, borderline}], borderline,
    borderline_text}: the rule that decided the verdict, with its numbers (issue 9, item 7)."""
    confidence: NotRequired[dict[str, Any]]
    """{rests_on: {posts, weeks, active_weeks, events}, interval: [low, high] | None, basis_interval, method,
    note, borderline}: what the score rests on and its bootstrap interval."""
    comparable: NotRequired[dict[str, Any]]
    """{dimensions, comparable, note}: whether the score rests on the same dimensions as most accounts'."""
    language_profile: NotRequired[dict[str, Any]]
    """{main_language, main_share, home, posts_per_week, median_words}: what the ministry's language parity
    compares (scoring/metrics/parity.py)."""


class MinistryResult(TypedDict):
    name: str
    country: str
    score: float | None
    grade: str | None
    band: str | None
    verdict: str | None  # None: not measured (no account's basis dimensions could be measured)
    verdict_explanation: str
    dimensions: dict[str, float | None]
    verdicts: dict[str, int]
    key_findings: list[str]
    verdict_rule: NotRequired[dict[str, Any]]
    confidence: NotRequired[dict[str, Any]]
    """{interval, basis_interval, borderline, rests_on: {accounts, posts, events}}."""
    weighting: NotRequired[dict[str, Any]]
    """{roles: {account id: weight}}: each account's weight in the ministry's means (the rubric's [weighting])."""
    comparability: NotRequired[dict[str, Any]]
    """{comparable, reference}: whether all accounts' scores rest on the same dimensions, and the most common set."""
    language_parity: NotRequired[dict[str, Any]]
    """{definition, threshold, home_account, home_language, accounts: [{id, language, cadence_ratio, depth_ratio,
    severely_limited, finding}], not_measured}: Robertson's comparison of the ministry-level accounts."""


class Coverage(TypedDict):
    warnings: list[str]
    files: list[dict[str, Any]]
    skipped: list[dict[str, Any]]
    duplicates_removed: int
    duplicates_by_reason: NotRequired[dict[str, int]]
    """Dropped repeats by reason: same (overlapping exports), edited (first kept), moved (first kept)."""
    gaps: list[dict[str, Any]]


class EventInfo(TypedDict):
    id: str
    title: str
    type: str
    start: str
    end: str | None
    countries: list[str]
    keywords: list[str]


class AuditResult(TypedDict):
    schema_version: int
    tool: ToolInfo
    rubric: RubricInfo
    generated_at: str
    period: PeriodInfo
    ministry: MinistryResult
    accounts: list[AccountResult]
    events: list[EventInfo]
    language_detection: dict[str, Any]
    coverage: Coverage
    trend: NotRequired[dict[str, Any]]  # periodic audits: the series since earlier periods of the plan
    trend_summary: NotRequired[list[str]]
