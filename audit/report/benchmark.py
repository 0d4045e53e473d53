"""Each account against the ministry's best account of the same role: the benchmark nearest to hand.

An embassy is best judged against the best embassy of the same ministry (same rubric, same period, same
kind of job), not against the ministry's own account. For each account that is not the best of its role,
the report prints one line: the gap in points on the overall score and on each dimension, and whether
that gap is larger than the two intervals allow (margins.py). A score that is not measured, or an overall
score built on other dimensions than the best account's, is named as not compared, never read as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.report.labels import ROLE_NAMES
from audit.report.margins import margin_words, score_of, span_of


def best_of_role(account: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any] | None:
    """The line comparing `account` with the best-scoring other account of its role, or None when there is
    none (it is the best or the only one of its role)."""
    peers = [a for a in result["accounts"] if a.get("role") == account.get("role")]
    scored = [a for a in peers if score_of(a) is not None]
    best = max(scored, key=lambda a: score_of(a) or 0.0, default=None)
    if best is None or best["id"] == account["id"] or len(peers) < 2:
        return None
    role = ROLE_NAMES.get(str(account.get("role")), str(account.get("role") or "account"))
    head = {"role": role, "best": str(best["name"])}
    if score_of(account) is None:
        return head | {"parts": [], "note": "not compared: this account's overall score is not measured"}
    return head | {"parts": [overall_gap(account, best)] + dimension_gaps(account, best), "note": ""}


def overall_gap(account: Mapping[str, Any], best: Mapping[str, Any]) -> str:
    """'overall −8.5 (52.8 against 61.3; within the margin of error)', or why the two are not compared."""
    differ = sorted(set(_scored(account)) ^ set(_scored(best)))
    if differ:
        titles = ", ".join(_title(account, best, d).lower() for d in differ)
        return f"overall not compared ({titles} measured for one of the two only)"
    return gap_text("overall", score_of(account), score_of(best), margin_words(span_of(account), span_of(best)))


def dimension_gaps(account: Mapping[str, Any], best: Mapping[str, Any]) -> list[str]:
    parts = []
    for dim_id, dim in account["dimensions"].items():
        theirs = best["dimensions"].get(dim_id) or {}
        name = _title(account, best, dim_id).lower()
        mine_score, their_score = score_of(dim), score_of(theirs)
        if mine_score is None or their_score is None:
            whose = "this account" if mine_score is None else str(best["name"])
            parts.append(f"{name} not compared, not measured for {whose}")
        else:
            parts.append(gap_text(name, mine_score, their_score, margin_words(span_of(dim), span_of(theirs))))
    return parts


def gap_text(name: str, mine: float | None, theirs: float | None, margin: str) -> str:
    if mine is None or theirs is None:
        return f"{name} not compared (not measured)"
    gap = mine - theirs
    sign = "−" if gap < -0.05 else ("+" if gap > 0.05 else "±")
    return f"{name} {sign}{abs(gap):.1f} ({mine:.1f} against {theirs:.1f}; {margin})"


def _scored(account: Mapping[str, Any]) -> list[str]:
    return [k for k, d in account["dimensions"].items() if score_of(d) is not None]


def _title(account: Mapping[str, Any], best: Mapping[str, Any], dim_id: str) -> str:
    dim = account["dimensions"].get(dim_id) or best["dimensions"].get(dim_id) or {}
    return str(dim.get("title") or dim_id.replace("_", " "))
