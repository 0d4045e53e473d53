"""Why a verdict, and by how much: the rubric's verdict rules checked against one account or the ministry.

The result carries the verdict and the rules (in its rubric snapshot) but not which condition decided it;
a reader asked to act on "avoider" needs to know that it is 6 points short of "adapter", or 0.4 above
the line. We re-read the same conditions the scorer used (first rule whose conditions all hold wins) and
say, in words, what held, what failed and by how much.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import mean
from typing import Any

from audit.report.labels import format_number
from audit.result.rubric import RubricView


def account_values(account: Mapping[str, Any]) -> dict[str, float]:
    """The numbers verdict conditions may name: 'overall', dimension ids and 'dimension.metric'."""
    values = {"overall": account.get("score")}
    for dim_id, dim in account["dimensions"].items():
        values[dim_id] = dim.get("score")
        values |= {f"{dim_id}.{k}": v for k, v in (dim.get("metrics") or {}).items()}
    return {k: float(v) for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def ministry_values(result: Mapping[str, Any]) -> dict[str, float]:
    """The ministry's numbers as the scorer forms them: its score, dimension means, metric means over accounts."""
    ministry = result["ministry"]
    values = {"overall": ministry.get("score"), **(ministry.get("dimensions") or {})}
    pooled: dict[str, list[float]] = {}
    for account in result["accounts"]:
        for key, value in account_values(account).items():
            if "." in key:
                pooled.setdefault(key, []).append(value)
    values |= {k: mean(v) for k, v in pooled.items()}
    return {k: float(v) for k, v in values.items() if isinstance(v, (int, float))}


def verdict_reason(result: Mapping[str, Any], values: Mapping[str, float], rubric: RubricView | None) -> str:
    """'Adapter: overall 56.4 ≥ 50 (6.4 above the line) ... Exploiter would need: ...' or '' without rules."""
    rules = _rules(result)
    if not rules or rubric is None:
        return ""
    checked = [(r, [_check(c, values, rubric) for c in r.get("conditions") or []]) for r in rules]
    held = next((i for i, (_, cs) in enumerate(checked) if all(c["ok"] for c in cs)), None)
    parts = [_held_text(*checked[held]) if held is not None else
             f"{rubric.default_verdict.capitalize()}: no verdict rule holds."]
    above = checked[held - 1] if held else (checked[-1] if held is None else None)
    if above is not None:
        parts.append(_short_text(*above))
    return " ".join(parts)


def _rules(result: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    definition = (result.get("rubric") or {}).get("definition") or {}
    return list((definition.get("verdict") or {}).get("rules") or [])


def _check(cond: Mapping[str, Any], values: Mapping[str, float], rubric: RubricView) -> dict[str, Any]:
    key = str(cond.get("score") or cond.get("metric") or "")
    value, low, high = values.get(key), cond.get("min"), cond.get("max")
    ok = value is not None and (low is None or value >= low) and (high is None or value <= high)
    bound = low if low is not None else high
    gap = None if value is None or bound is None else abs(value - float(bound))
    name, unit = _name(key, rubric)
    sign = "≥" if low is not None else "≤"
    return {"ok": ok, "text": f"{name} {_fmt(unit, value)} (needs {sign} {_fmt(unit, bound)})",
            "gap": f"{_fmt(unit, gap)} {'above' if ok else 'short'}" if gap is not None else "not measured"}


def _name(key: str, rubric: RubricView) -> tuple[str, str]:
    if key == "overall":
        return "overall score", "score"
    dims = {d.id: d for d in rubric.dimensions}
    if key in dims:
        return dims[key].title, "score"
    dim_id, _, metric = key.partition(".")
    spec = next((m for m in dims[dim_id].metrics if m.name == metric), None) if dim_id in dims else None
    return (spec.label, spec.unit) if spec else (metric.replace("_", " "), "number")


def _fmt(unit: str, value: Any) -> str:
    if not isinstance(value, (int, float)):
        return "not measured"
    return f"{value:.1f}" if unit == "score" else format_number(unit, float(value))


def _held_text(rule: Mapping[str, Any], checks: Sequence[Mapping[str, Any]]) -> str:
    return f"{str(rule['verdict']).capitalize()} because " + "; ".join(
        f"{c['text']}, {c['gap']}" for c in checks) + "."


def _short_text(rule: Mapping[str, Any], checks: Sequence[Mapping[str, Any]]) -> str:
    failed = [c for c in checks if not c["ok"]]
    return f"{str(rule['verdict']).capitalize()} would need " + "; ".join(
        f"{c['text']}, {c['gap']}" for c in failed) + "."
