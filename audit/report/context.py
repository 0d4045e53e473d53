"""From an AuditResult to what the template prints: plain values, already in words and units.

The template stays free of logic and of defaults (it runs under StrictUndefined): every optional
key of the result is resolved here, with `.get` where the contract lets it be absent, and direct
indexing where it must be present (so a broken result fails loudly instead of printing blanks).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import audit.report.charts as charts
from audit.report.briefing import basis, briefing, interval
from audit.report.evidence import citations, evidence_groups, quote
from audit.report.labels import (
    ROLE_NAMES,
    VERDICT_MEANINGS,
    country_name,
    format_metric,
    language_name,
    long_date,
    parse_day,
    percent,
    period_text,
    score_text,
    short_date,
    timestamp,
)
from audit.report.langnote import language_warning
from audit.report.method import caveats, method_view, target_text
from audit.report.periods import coverage_view, history_view, trend_view
from audit.report.points import shortfalls, top_actions
from audit.report.verdicts import account_values, dimension_confidence, dimension_findings, verdict_reason
from audit.result.rubric import DEFAULT_BANDS, MetricView, RubricView

DEFAULT_WAKING = (8, 22)
DEFAULT_WINDOW_HOURS = 72.0


def build_context(result: Mapping[str, Any], previous: Mapping[str, Any] | None, rubric: RubricView | None,
                  rubric_note: str | None, problems: list[str], platforms: Mapping[str, str]) -> dict[str, Any]:
    """Everything report.html.j2 needs; chart warnings are appended to `problems`.

    `platforms` names platforms for people ("x" -> "X"); an unknown platform is printed as it is.
    """
    dims = dimension_order(result, rubric)
    found = [shortfalls(a, rubric) for a in result["accounts"]]
    accounts = [account_view(a, i, result, rubric, problems, platforms) | {"actions": _actions(f)}
                for i, (a, f) in enumerate(zip(result["accounts"], found, strict=True))]
    return {
        "briefing": briefing(result, previous, accounts, found, rubric),
        "meta": meta(result, platforms),
        "cover": cover(result),
        "summary": summary(result, dims),
        "guide": guide(rubric),
        "dimensions": dims,
        "scorecard": scorecard(result, accounts, dims, rubric),
        "accounts": accounts,
        "trend": trend_view(result, previous, dims) if previous is not None else None,
        "history": history_view(result, problems),
        "method": method_view(rubric) if rubric else None,
        "rubric_note": rubric_note,
        "caveats": caveats(rubric),
        "coverage": coverage_view(result),
    }


# Cover, metadata, summary ------------------------------------------------------------------------


def meta(result: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    ministry, period = result["ministry"], result["period"]
    tool = result.get("tool") or {}
    platforms = sorted({names.get(a.get("platform", ""), a.get("platform", "")) for a in result["accounts"]})
    return {
        "title": f"Public-diplomacy audit: {ministry.get('name', 'ministry')}",
        "author": str(tool.get("name") or "diplomacy-audit"),
        "description": (f"Audit of {len(result['accounts'])} social-media accounts of {ministry.get('name', '')} "
                        f"from {period.get('start', '?')} to {period.get('end', '?')}"),
        "keywords": ", ".join(["public diplomacy", "digital diplomacy", "social media audit",
                               str(ministry.get("name", "")), *[p for p in platforms if p]]),
        "generator": f"{tool.get('name', 'diplomacy-audit')} {tool.get('version', '')}".strip(),
        "created": str(result.get("generated_at") or ""),
    }


def cover(result: Mapping[str, Any]) -> dict[str, Any]:
    ministry, period = result["ministry"], result["period"]
    rubric = result.get("rubric") or {}
    tool = result.get("tool") or {}
    return {
        "ministry": ministry.get("name", "Ministry"),
        "country": country_name(ministry.get("country")),
        "period": period_text(period),
        "rubric": f"{rubric.get('title') or rubric.get('id', 'unknown rubric')} (version {rubric.get('version', '?')})",
        "generated": long_date(result.get("generated_at")) or "date not recorded",
        "tool": f"{tool.get('name', 'diplomacy-audit')} {tool.get('version', '')}".strip(),
        "accounts": len(result["accounts"]),
        "posts": sum(int(a.get("posts") or 0) for a in result["accounts"]),
    }


def summary(result: Mapping[str, Any], dims: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    ministry = result["ministry"]
    verdict = ministry.get("verdict") or "not measured"
    counts = ministry.get("verdicts") or Counter(a.get("verdict") for a in result["accounts"] if a.get("verdict"))
    return {
        "score": score_text(ministry.get("score")), "grade": ministry.get("grade") or "–",
        "band": ministry.get("band") or "", "verdict": verdict, "verdict_meaning": VERDICT_MEANINGS.get(verdict, ""),
        "explanation": ministry.get("verdict_explanation") or "",
        "verdict_counts": ", ".join(f"{n} {v}{'s' if n != 1 else ''}" for v, n in counts.items() if n),
        "findings": list(ministry.get("key_findings") or []),
        "extremes": _extremes(ministry.get("dimensions") or {}, dims),
        "thin_data": bool((result.get("coverage") or {}).get("warnings")),
        "parity": [row["finding"] for row in (ministry.get("language_parity") or {}).get("accounts") or []],
    }


def _extremes(scores: Mapping[str, float | None], dims: Sequence[Mapping[str, str]]) -> str:
    """'Strongest: Frequency (72.0); weakest: Crisis responsiveness (31.0).'"""
    titles = {d["id"]: d["title"] for d in dims}
    scored = sorted(((s, titles.get(k, k)) for k, s in scores.items() if s is not None), reverse=True)
    if len(scored) < 2:
        return ""
    (high, best), (low, worst) = scored[0], scored[-1]
    return f"Strongest dimension: {best} ({high:.1f}); weakest: {worst} ({low:.1f})."


def guide(rubric: RubricView | None) -> dict[str, Any]:
    """'How to read this report': bands, the dimensions and their questions, the verdicts."""
    bands = rubric.bands if rubric else DEFAULT_BANDS
    total = sum(d.weight for d in rubric.dimensions) if rubric else 0.0
    return {
        "bands": ", ".join(f"{name} from {minimum:g}" for name, minimum in bands.items()),
        "dimensions": [{"title": d.title, "question": d.question, "weight": f"{d.weight / total:.0%}"}
                       for d in rubric.dimensions] if rubric and total else [],
        "verdicts": [{"name": k, "meaning": v} for k, v in VERDICT_MEANINGS.items()],
    }


def dimension_order(result: Mapping[str, Any], rubric: RubricView | None) -> list[dict[str, str]]:
    """The rubric's dimensions in its order, else those found in the accounts, first seen first."""
    if rubric is not None:
        return [{"id": d.id, "title": d.title} for d in rubric.dimensions]
    found: dict[str, str] = {}
    for account in result["accounts"]:
        for dim_id, dim in account["dimensions"].items():
            found.setdefault(dim_id, dim.get("title") or dim_id.replace("_", " ").capitalize())
    return [{"id": k, "title": v} for k, v in found.items()]


# Scorecard --------------------------------------------------------------------------------------


def cell(score: float | None, band: str | None, rubric: RubricView | None) -> dict[str, Any]:
    """A score as text, band word and bar width, and a tier (0 best .. 3 worst) for shading."""
    if score is None:
        return {"text": "n/a", "band": "not measured", "tier": "none", "width": 0}
    return {"text": score_text(score), "band": band or "", "tier": f"tier-{_tier(score, rubric)}",
            "width": max(0, min(100, round(score)))}


def _tier(score: float, rubric: RubricView | None) -> int:
    minimums = sorted((rubric.bands if rubric else DEFAULT_BANDS).values(), reverse=True)
    reached = next((i for i, m in enumerate(minimums) if score >= m), len(minimums) - 1)
    return min(reached, 3)


def scorecard(result: Mapping[str, Any], accounts: Sequence[Mapping[str, Any]],
              dims: Sequence[Mapping[str, str]], rubric: RubricView | None) -> dict[str, Any]:
    rows = [{"name": a["name"], "anchor": a["anchor"], "platform": a["platform"], "posts": a["posts"],
             "overall": a["overall"], "grade": a["grade"], "verdict": a["verdict"],
             "cells": [a["dimension_cells"][d["id"]] for d in dims]}
            for a in accounts]
    ministry = result["ministry"]
    means = ministry.get("dimensions") or {}
    ranges = (ministry.get("confidence") or {}).get("dimensions") or {}
    total = {"overall": cell(ministry.get("score"), ministry.get("band"), rubric) | {"range": interval(ministry)},
             "grade": ministry.get("grade") or "–", "verdict": ministry.get("verdict") or "",
             "posts": sum(a["posts"] for a in accounts),
             "cells": [cell(means.get(d["id"]), _band(means.get(d["id"]), rubric), rubric)
                       | {"range": interval({"interval": ranges.get(d["id"])})} for d in dims]}
    return {"rows": rows, "ministry": total}


def _band(score: float | None, rubric: RubricView | None) -> str:
    """The band of a ministry mean, which the result gives as a number only."""
    if score is None or rubric is None:
        return ""
    return rubric.band_for(score)


# One account -------------------------------------------------------------------------------------


def account_view(account: Mapping[str, Any], index: int, result: Mapping[str, Any], rubric: RubricView | None,
                 problems: list[str], names: Mapping[str, str]) -> dict[str, Any]:
    dims = account["dimensions"]
    verdict = account.get("verdict") or "not measured"
    crises = crisis_rows(account, result)
    evidence = evidence_groups(account)
    cites = citations(evidence)
    return {
        "anchor": f"account-{index + 1}-{slug(str(account['id']))}",
        "id": account["id"], "name": account["name"],
        "platform": names.get(account.get("platform", ""), account.get("platform") or "unknown platform"),
        "subtitle": subtitle(account, names),
        "posts": int(account.get("posts") or 0),
        "overall": cell(account.get("score"), account.get("band"), rubric),
        "grade": account.get("grade") or "–",
        "verdict": verdict, "verdict_meaning": VERDICT_MEANINGS.get(verdict, ""),
        "explanation": account.get("verdict_explanation") or "",
        "facts": facts(account),
        "key_findings": list(account.get("key_findings") or []),
        "score_value": account.get("score"),
        "basis": basis(account),
        "dimension_cells": {k: cell(d.get("score"), d.get("band"), rubric) for k, d in dims.items()},
        "dimensions": [dimension_view(k, d, rubric) | {"cites": cites.get(k, [])} for k, d in dims.items()],
        "reason": verdict_reason(result, account_values(account), rubric, account.get("verdict_rule")),
        "charts": account_charts(account, result, crises, rubric, problems),
        "crisis_rows": crises,
        "evidence": evidence,
        "language_warning": language_warning(account.get("language_detection") or {}),
        "global_hours": bool((account.get("series") or {}).get("awake_by_hour")),
    }


def _actions(found: Sequence[Any]) -> list[dict[str, Any]]:
    """The three actions worth most points to the account, none already met."""
    return [{"text": s.advice, "points": f"{s.points:.1f}", "dimension": s.dimension, "label": s.label}
            for s in top_actions(found)]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "account"


def subtitle(account: Mapping[str, Any], names: Mapping[str, str]) -> str:
    parts = [names.get(account.get("platform", ""), account.get("platform") or ""),
             account.get("handle") or "", ROLE_NAMES.get(account.get("role", ""), account.get("role") or "")]
    host = country_name(account.get("host_country"))
    if host:
        parts.append(f"in {host}")
    return " · ".join(p for p in parts if p)


def facts(account: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The few numbers a reader needs to weigh the scores: volume, audience, skipped records."""
    audience = account.get("audience") or {}
    rows = [("Authored posts", str(account.get("posts", 0))), ("Reposts", str(account.get("reposts", 0)))]
    rows.append(("Audience languages", _languages_text(audience.get("languages") or {}) or "not recorded"))
    rows.append(("Audience time zone", str(audience.get("timezone") or "not recorded")))
    scope = {"host": "the host country's public", "global": "a global audience (ministry-level account)",
             "override": "set in the accounts file"}.get(str(audience.get("scope")), "")
    if scope:
        rows.append(("Audience model", scope))
    rows.append(("Records skipped", str(account.get("skipped_records", 0))))
    return rows


def _languages_text(languages: Mapping[str, float]) -> str:
    top = sorted(languages.items(), key=lambda kv: -kv[1])[:5]
    return ", ".join(f"{language_name(k)} ({percent(v)})" for k, v in top)


def dimension_view(dim_id: str, dim: Mapping[str, Any], rubric: RubricView | None) -> dict[str, Any]:
    specs = _specs(dim_id, rubric)
    metrics = dim.get("metrics") or {}
    points = dim.get("metric_scores") or {}
    names = [n for n in specs if n in metrics] + [n for n in metrics if n not in specs]
    return {
        "id": dim_id, "title": dim.get("title") or dim_id.replace("_", " ").capitalize(),
        "cell": cell(dim.get("score"), dim.get("band"), rubric),
        "confidence": dimension_confidence(dim),
        "weight": dim.get("weight"),
        "findings": dimension_findings(dim),
        "metrics": [{"label": _label(n, specs), "value": format_metric(_unit(n, specs), metrics[n]),
                     "points": score_text(points.get(n)) if n in points else "–",
                     "target": target_text(specs[n]) if n in specs else ""} for n in names],
        "not_measured": [{"label": _label(n, specs), "reason": str(reason)}
                         for n, reason in (dim.get("not_measured") or {}).items()],
    }


def _label(name: str, specs: Mapping[str, MetricView]) -> str:
    """The metric's label from the rubric the result carries; a readable form of its name otherwise."""
    return specs[name].label if name in specs else name.replace("_", " ").capitalize()


def _unit(name: str, specs: Mapping[str, MetricView]) -> str:
    return specs[name].unit if name in specs else "number"


def _specs(dim_id: str, rubric: RubricView | None) -> dict[str, MetricView]:
    if rubric is None:
        return {}
    for d in rubric.dimensions:
        if d.id == dim_id:
            return {m.name: m for m in d.metrics}
    return {}


# Charts ------------------------------------------------------------------------------------------


def account_charts(account: Mapping[str, Any], result: Mapping[str, Any], crises: Sequence[Mapping[str, Any]],
                   rubric: RubricView | None, problems: list[str]) -> dict[str, charts.Chart | None]:
    series = account.get("series") or {}
    audience = account.get("audience") or {}
    waking = rubric.waking_hours if rubric else DEFAULT_WAKING
    with charts.chart_style(problems):
        return {
            "cadence": charts.cadence_chart(series.get("weekly") or [], account_gaps(account, result),
                                            markers(account, result), audit_days(result["period"])),
            "languages": charts.language_chart(account.get("language_shares") or {}, audience.get("languages") or {},
                                               list(audience.get("home_languages") or [])),
            "hours": charts.hours_chart(series.get("hours") or [], str(audience.get("timezone") or "UTC"),
                                        (int(waking[0]), int(waking[1])), series.get("awake_by_hour")),
            "labels": charts.label_chart(series.get("labels") or {}),
            "crisis": charts.crisis_chart(crises, window_hours(rubric)),
        }


def window_hours(rubric: RubricView | None) -> float:
    return rubric.response_window_hours if rubric else DEFAULT_WINDOW_HOURS


def account_gaps(account: Mapping[str, Any], result: Mapping[str, Any]) -> list[tuple[date, date]]:
    gaps = (result.get("coverage") or {}).get("gaps") or []
    spans = [(parse_day(g.get("from")), parse_day(g.get("to"))) for g in gaps if g.get("account_id") == account["id"]]
    return [(start, end) for start, end in spans if start and end]


def markers(account: Mapping[str, Any], result: Mapping[str, Any]) -> list[charts.Marker]:
    """The transitions that concern the account (the engine's rule, so the chart and the continuity
    metric agree) and the crisis events it was measured on."""
    home = (result["ministry"].get("country") or "").upper()
    places = {(account.get("host_country") or home).upper(), home}  # home transitions concern every account
    crisis_ids = {e.get("id") for e in crisis_events(account)}
    found = []
    for event in result.get("events") or []:
        day = parse_day(event.get("start"))
        concerned = not event.get("countries") or bool(places & set(event.get("countries")))
        wanted = (event.get("type") == "transition" and concerned) or event.get("id") in crisis_ids
        if day and wanted and _in_period(day, result["period"]):
            found.append(charts.Marker(day, str(event.get("type")), str(event.get("title") or event.get("id"))))
    return found


def audit_days(period: Mapping[str, Any]) -> tuple[date, date] | None:
    """The audit's first and last day, the span every time axis is clipped to."""
    start, end = parse_day(period.get("start")), parse_day(period.get("end"))
    return (start, end) if start and end and start <= end else None


def _in_period(day: date, period: Mapping[str, Any]) -> bool:
    start, end = parse_day(period.get("start")), parse_day(period.get("end"))
    return (start is None or day >= start) and (end is None or day <= end)


def crisis_events(account: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The `events` metric wherever the rubric put it (normally crisis_responsiveness)."""
    for dim in account["dimensions"].values():
        events = (dim.get("metrics") or {}).get("events")
        if isinstance(events, list):
            return events
    return []


def crisis_rows(account: Mapping[str, Any], result: Mapping[str, Any]) -> list[dict[str, Any]]:
    catalogue = {e.get("id"): e for e in result.get("events") or []}
    posts = {p.get("post_id"): p for p in account.get("evidence_posts") or []}
    rows = []
    for item in crisis_events(account):
        event = catalogue.get(item.get("id"), {})
        hours = item.get("first_response_hours")
        rows.append({"title": event.get("title") or item.get("id") or "unnamed event",
                     "date": short_date(event.get("start")) or "date unknown",
                     "start": timestamp(event.get("start")),
                     "hours": float(hours) if hours is not None else None,
                     "within": "yes" if item.get("responded_within_24h") else "no",
                     "post_id": item.get("first_post_id") or "",
                     "post_url": _post_url(posts.get(item.get("first_post_id")), account)})
    return rows


def _post_url(post: Mapping[str, Any] | None, account: Mapping[str, Any]) -> str | None:
    """The link to the post that answered a crisis, when the result quotes that post."""
    return quote(post, account)["url"] if post is not None else None


