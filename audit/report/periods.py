"""The report's views across time and data: the trend since the previous audit, a plan's history charts,
and the data-coverage appendix."""


from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import audit.report.charts as charts
import audit.report.trends as trends
from audit.report.labels import (
    percent,
    period_text,
    score_text,
    short_date,
    signed,
)
from audit.report.langnote import language_warnings

SKIPPED_ROWS = 50
REASON_ROWS = 10


def trend_view(result: Mapping[str, Any], previous: Mapping[str, Any],
               dims: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """Score changes since the previous audit, per account and dimension, with accounts that came or went."""
    before = {a["id"]: a for a in previous["accounts"]}
    now_ids = {a["id"] for a in result["accounts"]}
    rows = [_trend_row(a, before.get(a["id"]), dims) for a in result["accounts"]]
    prev_rubric, rubric = previous.get("rubric") or {}, result.get("rubric") or {}
    same_rubric = (prev_rubric.get("id"), prev_rubric.get("version")) == (rubric.get("id"), rubric.get("version"))
    return {
        "period": period_text(previous["period"]),
        "ministry": _trend_row(result["ministry"], previous["ministry"], dims, name="Ministry (mean)"),
        "rows": rows,
        "gone": [a.get("name", a["id"]) for a in previous["accounts"] if a["id"] not in now_ids],
        "rubric_note": None if same_rubric else (
            f"The previous audit used rubric {prev_rubric.get('id', '?')} version {prev_rubric.get('version', '?')}; "
            f"this one uses {rubric.get('id', '?')} version {rubric.get('version', '?')}. Changes may partly come "
            "from the rubric, not the accounts."),
    }


def _trend_row(now: Mapping[str, Any], before: Mapping[str, Any] | None, dims: Sequence[Mapping[str, str]],
               name: str | None = None) -> dict[str, Any]:
    return {
        "name": name or now.get("name", ""),
        "new": before is None,
        "before": score_text(before.get("score")) if before else "new",
        "now": score_text(now.get("score")),
        "delta": signed(_delta(now.get("score"), before.get("score"))) if before else "–",
        "verdict": _verdict_change(before.get("verdict") if before else None, now.get("verdict")),
        "dims": [signed(_delta(_dim_score(now, d["id"]), _dim_score(before, d["id"]))) if before else "–"
                 for d in dims],
    }


def _dim_score(entry: Mapping[str, Any], dim_id: str) -> float | None:
    """An account's dimension score, or a ministry's dimension mean (a bare number)."""
    value = (entry.get("dimensions") or {}).get(dim_id)
    if isinstance(value, Mapping):
        score = value.get("score")
        return float(score) if isinstance(score, (int, float)) else None
    return float(value) if isinstance(value, (int, float)) else None


def _delta(now: Any, before: Any) -> float | None:
    if isinstance(now, (int, float)) and isinstance(before, (int, float)):
        return float(now) - float(before)
    return None


def _verdict_change(before: str | None, now: str | None) -> str:
    if not before or before == now:
        return now or ""
    return f"{before} → {now}"


def coverage_view(result: Mapping[str, Any]) -> dict[str, Any]:
    coverage = result.get("coverage") or {}
    names = {a["id"]: a["name"] for a in result["accounts"]}
    skipped = list(coverage.get("skipped") or [])
    detection = result.get("language_detection") or {}
    return {
        "period": period_text(result["period"]),
        "files": [_file_row(f, names) for f in coverage.get("files") or []],
        "skipped": [{"file": str(s.get("file", "")), "index": "" if s.get("index") is None else str(s["index"]),
                     "reason": str(s.get("reason", ""))} for s in skipped[:SKIPPED_ROWS]],
        "skipped_total": len(skipped),
        "skipped_rest": max(0, len(skipped) - SKIPPED_ROWS),
        "reasons": [{"reason": r, "count": n} for r, n in
                    Counter(str(s.get("reason", "")) for s in skipped).most_common(REASON_ROWS)],
        "duplicates": coverage.get("duplicates_removed"),
        "not_read": [{"reason": r, "count": n} for r, n in Counter(
            str(e.get("reason", "")) for f in coverage.get("files") or [] for e in f.get("not_read") or []
        ).most_common()],
        "gaps": [{"account": names.get(g.get("account_id"), g.get("account_id", "")),
                  "from": short_date(g.get("from")), "to": short_date(g.get("to")),
                  "days": f"{float(g.get('days') or 0):.0f}", "cause": gap_cause(g)}
                 for g in coverage.get("gaps") or []],
        "detection": _detection_text(detection),
        "recorded": "coverage" in result,
        "warnings": [str(w) for w in coverage.get("warnings") or []] + language_warnings(result),
    }


def gap_cause(gap: Mapping[str, Any]) -> str:
    """Why a gap has no data: the collector could not see it (with its reason), or nothing was read there."""
    if gap.get("cause") == "not_collected":
        return f"The collector could not see it: {gap.get('reason') or 'no reason recorded'}"
    return "No data of any kind: read as a hole in the export and left out of the scores"


def _file_row(f: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, str]:
    return {"path": str(f.get("path", "")), "format": str(f.get("format", "")),
            "account": names.get(f.get("account_id") or "", str(f.get("account_id") or "")),
            "posts": str(f.get("posts", "")), "skipped": str(f.get("skipped", ""))}


def _detection_text(detection: Mapping[str, Any]) -> str:
    if not detection:
        return ""
    text = f"Languages were detected with {detection.get('model', 'an offline model')}."
    share, compared = detection.get("share"), detection.get("compared")
    if isinstance(share, (int, float)) and compared:
        text += (f" Where the platform declared a language ({compared} posts), the detected language differed "
                 f"for {percent(float(share))} of them.")
    fallback = detection.get("from_declared")
    if isinstance(fallback, int) and fallback:
        text += (f" For {fallback} posts the model was unsure or the text too short, so the language the "
                 "platform declared was used.")
    return text


HISTORY_METRICS = (  # key metrics of a plan's trend: (name, title, axis label, is a share)
    ("audience_language_share", "Audience-language share", "share of posts", True),
    ("posts_per_week", "Posts per week", "posts", False),
    ("reply_share", "Replies to others", "share of posts", True),
    ("response_rate_24h", "Crises answered within 24 h", "share of events", True),
)


def history_view(result: Mapping[str, Any], problems: list[str]) -> dict[str, Any] | None:
    """A plan's multi-period trend (result["trend"], from its history): charts and what changed, in words."""
    trend = result.get("trend") or {}
    periods = [str(p) for p in trend.get("periods") or []]
    if len(periods) < 2:
        return None
    names = {a["id"]: a.get("name", a["id"]) for a in result["accounts"]}
    scores = {"Ministry": trend.get("ministry") or [], **{names.get(i, i): v for i, v in
                                                          (trend.get("accounts") or {}).items()}}
    with charts.chart_style(problems):
        score_chart = trends.trend_chart(periods, scores, "Overall score", "score (0-100)", score_axis=True)
        metric_charts = [trends.trend_chart(periods, _metric_series(trend, names, name), title, label, share)
                         for name, title, label, share in HISTORY_METRICS]
    return {"periods": periods, "summary": list(result.get("trend_summary") or []),
            "charts": [c for c in [score_chart, *metric_charts] if c is not None]}


def _metric_series(trend: Mapping[str, Any], names: Mapping[str, str], metric: str) -> dict[str, Any]:
    return {names.get(i, i): values.get(metric) or [] for i, values in (trend.get("metrics") or {}).items()}
