"""Points at stake: what each shortfall costs an account and the ministry, so advice is ranked by what it buys.

An account's score is the weighted mean of its measured dimensions, each the weighted mean of its
measured metrics. A metric at p points out of 100 therefore costs the account
(100 - p) x its share of the dimension's measured weight x the dimension's share of the measured
dimension weight. The ministry's score is the mean of the account scores weighted by role (the result's
`ministry.weighting`; equal weights in results without it), so it loses that times the account's weight
over the scored accounts' total weight. The scorer writes advice in rubric order, one sentence per scored metric
below 100 that has advice; we pair them back the same way, and leave a dimension's advice unpaired (and
unranked) when the counts do not match.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from audit.result.rubric import RubricView

MIN_POINTS = 0.5
"""A shortfall worth less than half a point of the account's score is met in all but rounding: no advice."""


@dataclass(frozen=True)
class Shortfall:
    """One metric below its target in one account, with what closing it would add to the account's score."""

    account_id: str
    account: str
    dimension: str
    metric: str
    label: str
    points: float
    advice: str | None
    finding: str | None


def shortfalls(account: Mapping[str, Any], rubric: RubricView | None) -> list[Shortfall]:
    """Every scored metric of `account` below 100, costliest first."""
    if rubric is None:
        return []
    dims = account["dimensions"]
    measured = {d.id: d.weight for d in rubric.dimensions if (dims.get(d.id) or {}).get("score") is not None}
    total = sum(measured.values())
    found = [s for d in rubric.dimensions if d.id in measured
             for s in _dimension_shortfalls(account, d, measured[d.id] / total)] if total else []
    return sorted(found, key=lambda s: -s.points)


def _dimension_shortfalls(account: Mapping[str, Any], dim: Any, share: float) -> list[Shortfall]:
    data = account["dimensions"][dim.id]
    points = data.get("metric_scores") or {}
    scored = [m for m in dim.metrics if m.weight > 0 and m.name in points]
    weight = sum(m.weight for m in scored)
    short = [m for m in scored if float(points[m.name]) < 100]
    advice = list(data.get("advice") or [])
    paired = advice if len(advice) == len(short) else [None] * len(short)
    findings = list(data.get("findings") or [])
    return [Shortfall(str(account["id"]), str(account["name"]), str(data.get("title") or dim.title), m.name,
                      m.label, (100 - float(points[m.name])) * m.weight / weight * share, tip,
                      _finding_for(m.label, findings))
            for m, tip in zip(short, paired, strict=True) if weight]


def _finding_for(label: str, findings: Sequence[str]) -> str | None:
    """Findings carry no metric name; none is better than a wrong one, so we only pair an unambiguous match."""
    del label
    return findings[0] if len(findings) == 1 else None


def top_actions(found: Sequence[Shortfall], limit: int = 3) -> list[Shortfall]:
    """The `limit` costliest shortfalls that come with advice and are not met in all but rounding."""
    return [s for s in found if s.advice and s.points >= MIN_POINTS][:limit]


def ministry_problems(per_account: Sequence[Sequence[Shortfall]], limit: int = 3,
                      weights: Sequence[float] | None = None) -> list[dict[str, Any]]:
    """The metrics that cost the ministry most, summed over accounts as the ministry's score weighs them."""
    shares = list(weights) if weights is not None else [1.0] * len(per_account)
    scored = [(found, w) for found, w in zip(per_account, shares, strict=True) if found is not None]
    total = sum(w for _, w in scored) or 1.0
    by_metric: dict[str, list[tuple[Shortfall, float]]] = {}
    for found, weight in scored:
        for s in found:
            by_metric.setdefault(s.metric, []).append((s, weight))
    cost = {k: sum(s.points * w for s, w in group) / total for k, group in by_metric.items()}
    ranked = sorted(by_metric, key=lambda k: -cost[k])
    return [_problem(sorted((s for s, _ in by_metric[k]), key=lambda s: -s.points), cost[k]) for k in ranked[:limit]
            if sum(s.points for s, _ in by_metric[k]) >= MIN_POINTS]


def _problem(group: Sequence[Shortfall], points: float) -> dict[str, Any]:
    worst = next((s for s in group if s.advice), group[0])
    return {"label": group[0].label, "dimension": group[0].dimension,
            "points": points,
            "accounts": [{"name": s.account, "points": s.points} for s in group],
            "action": worst.advice or worst.finding or "", "action_account": worst.account}
