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


def verdict_reason(result: Mapping[str, Any], values: Mapping[str, float], rubric: RubricView | None,
                   decided: Mapping[str, Any] | None = None) -> str:
    """'Adapter: overall 56.4 ≥ 50 (6.4 above the line) ... Exploiter would need: ...' or '' without rules.

    `decided` is the entry's `verdict_rule` (results since issue 9, item 7): the rule the scorer applied,
    each number with its interval, and "borderline" when an interval straddles a threshold."""
    rules = _rules(result)
    if decided and rubric is not None:
        return decided_reason(decided, rubric)
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


def decided_reason(decided: Mapping[str, Any], rubric: RubricView) -> str:
    """'Borderline adapter (rule: adapter): overall score 51.2 (range 44.0–58.3; needs ≥ 50), 1.2 above; ...'"""
    rule = str(decided.get("rule") or "")
    verdict = str(decided.get("verdict") or "")
    if not verdict:
        return "No verdict: none of the dimensions the verdict rests on could be measured in the period."
    head = ("Borderline " if decided.get("borderline") else "") + (verdict if decided.get("borderline") else
                                                                  verdict.capitalize())
    named = "no rule holds, so the default applies" if rule == "default" else f"rule: {rule}"
    conditions = decided.get("conditions") or []
    parts = [_decided_check(c, rubric) for c in conditions]
    text = f"{head} ({named})" + (": " + "; ".join(parts) if parts else "") + "."
    said = any(c.get("borderline") for c in conditions)  # its range is printed above; say only another rule's
    return f"{text} {decided['borderline_text']}" if decided.get("borderline_text") and not said else text


def _decided_check(c: Mapping[str, Any], rubric: RubricView) -> str:
    key = str(c.get("on") or "")
    name, unit = ("score on the verdict's dimensions", "score") if key == "overall" else _name(key, rubric)
    name = name[:1].lower() + name[1:]
    low, high = c.get("min"), c.get("max")
    bound, sign = (low, "≥") if low is not None else (high, "≤")
    value = c.get("value")
    span = c.get("interval")
    bare = unit if unit in ("score", "share") else "score"  # '2.3–2.9', not '2.3 / week–2.9 / week'
    ranged = f"range {_fmt(bare, span[0])}–{_fmt(unit, span[1])}; " if isinstance(span, list) and len(span) == 2 else ""
    gap = "" if not isinstance(value, (int, float)) or bound is None else \
        f", {_fmt(unit, abs(float(value) - float(bound)))} {'above' if c.get('held') else 'short'}"
    return f"{name} {_fmt(unit, value)} ({ranged}needs {sign} {_fmt(unit, bound)}){gap}"


def dimension_confidence(dim: Mapping[str, Any]) -> str:
    """'range 41–58 · 63 posts, 24 of 26 weeks' or the reason there is no range, for the score's cell."""
    confidence = dim.get("confidence")
    if not isinstance(confidence, Mapping) or dim.get("score") is None:
        return ""
    span = confidence.get("interval")
    rests = confidence.get("rests_on") or {}
    parts = [f"range {span[0]:.0f}–{span[1]:.0f}" if isinstance(span, list) and len(span) == 2 else
             str(confidence.get("note") or "")]
    if rests:
        events = int(rests.get("events") or 0)
        crises = (dim.get("metrics") or {}).get("events")
        parts.append(f"{rests.get('posts', 0)} posts, {rests.get('active_weeks', 0)} of {rests.get('weeks', 0)} weeks"
                     + (f", {events_text(events, len(crises) if isinstance(crises, list) else None)}"
                        if events else ""))
    return " · ".join(p for p in parts if p)


def dimension_findings(dim: Mapping[str, Any]) -> list[str]:
    """The findings printed beside a dimension. One with no score but findings (crisis responsiveness with no
    crisis in the period, only an opportunity) says first that it is not measured and why, then that the
    rest is context: a finding next to "not measured" must not read as what the score rests on."""
    findings = [str(f) for f in dim.get("findings") or []]
    if dim.get("score") is not None or not findings:
        return findings
    reason = next(iter((dim.get("not_measured") or {}).values()), "")
    first = findings[0][:1].lower() + findings[0][1:]
    return [f"Not measured: {reason}." if reason else "Not measured.", f"For context, not scored: {first}",
            *findings[1:]]


def events_text(total: int, crises: int | None) -> str:
    """'2 events (1 crisis)': the result counts crisis and opportunity events together, so page 1 and the
    account's page say the same number, and how many were crises (`crises` None: not known here)."""
    total = max(total, crises or 0)
    counted = f"{total} event{'s' if total != 1 else ''}"
    if crises is None or crises == total:
        return counted
    return f"{total} opportunity {counted.split()[1]}" if crises == 0 else f"{counted} ({crises} crisis)"


def _rules(result: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    definition = (result.get("rubric") or {}).get("definition") or {}
    return list((definition.get("verdict") or {}).get("rules") or [])


def _check(cond: Mapping[str, Any], values: Mapping[str, float], rubric: RubricView) -> dict[str, Any]:
    key = str(cond.get("score") or cond.get("metric") or "")
    value, low, high = values.get(key), cond.get("min"), cond.get("max")
    ok = (cond.get("unmeasured") == "holds") if value is None else \
        (low is None or value >= low) and (high is None or value <= high)
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


def comparability_note(account: Mapping[str, Any]) -> str:
    """'not comparable: crisis responsiveness not measured' for an account scored on other dimensions than
    most (the result's `comparable`), '' otherwise or for results written before it."""
    found = account.get("comparable")
    if not isinstance(found, Mapping) or found.get("comparable", True):
        return ""
    note = str(found.get("note") or "")
    detail = note[note.find("(") + 1:note.find(")")] if "(" in note and ")" in note else ""
    return f"not comparable: {detail}" if detail else "not comparable with most accounts"
