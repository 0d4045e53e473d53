"""Page 1: the briefing a head of unit reads first and may forward alone.

The ministry's verdict and what decided it, the change since the previous audit (like with like: only
accounts audited both times; accounts that came or went are named apart), the accounts as a league table
with what each score rests on, the three problems that cost the most points with one action each, and
one thing to keep doing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from statistics import mean
from typing import Any

from audit.report.labels import VERDICT_MEANINGS, score_text, signed
from audit.report.margins import span_of, span_text
from audit.report.points import Shortfall, ministry_problems
from audit.report.verdicts import comparability_note, events_text, ministry_values, verdict_reason
from audit.result.rubric import RubricView

THIN_POSTS = 30
THIN_WEEKS = 8
THIN_EVENTS = 3
COUNT = re.compile(r"\b(\d+) of (\d+)\b")


def basis(account: Mapping[str, Any]) -> dict[str, Any]:
    """What an account's scores rest on (posts, active weeks, events), and whether that is thin."""
    weekly = (account.get("series") or {}).get("weekly") or []
    active = sum(1 for w in weekly if int(w.get("authored") or 0) > 0)
    crises = _events(account)
    confidence = account.get("confidence")
    rests = (confidence.get("rests_on") if isinstance(confidence, Mapping) else None) or {}
    events = int(rests.get("events") or 0)  # crisis and opportunity events, as the account's page counts them
    posts = int(account.get("posts") or 0)
    thin = posts < THIN_POSTS or (bool(weekly) and active < THIN_WEEKS)
    parts = [f"{posts} posts", f"{active} of {len(weekly)} weeks" if weekly else "",
             events_text(events, crises)]
    return {"text": " · ".join(p for p in parts if p), "thin": thin, "interval": interval(account),
            "comparable": comparability_note(account),
            "borderline": bool((account.get("confidence") or {}).get("borderline"))
            if isinstance(account.get("confidence"), Mapping) else bool(account.get("borderline"))}


def _events(account: Mapping[str, Any]) -> int:
    for dim in account["dimensions"].values():
        events = (dim.get("metrics") or {}).get("events")
        if isinstance(events, list):
            return len(events)
    return 0


def interval(entry: Mapping[str, Any]) -> str:
    """'41–58' from a validity interval if the result carries one (`interval` or `confidence.interval`)."""
    return span_text(span_of(entry))


def thin_count(text: str | None) -> int | None:
    """The M of 'today N of M' when M is too few to act on (fewer than THIN_EVENTS cases)."""
    found = [int(m.group(2)) for m in COUNT.finditer(text or "")]
    small = [m for m in found if m < THIN_EVENTS]
    return min(small) if small else None


def briefing(result: Mapping[str, Any], previous: Mapping[str, Any] | None, accounts: Sequence[Mapping[str, Any]],
             per_account: Sequence[Sequence[Shortfall]], rubric: RubricView | None) -> dict[str, Any]:
    ministry = result["ministry"]
    verdict = str(ministry.get("verdict") or "not measured")
    change = change_view(result, previous)
    return {
        "verdict": verdict,
        "verdict_sentence": ministry_sentence(result, verdict),
        "reason": verdict_reason(result, ministry_values(result), rubric, ministry.get("verdict_rule")),
        "change": change,
        "league": league(accounts, change),
        "problems": [_with_thin(p) for p in ministry_problems(per_account, weights=role_weights(result, accounts))],
        "keep": keep_doing(result),
        "weighted": bool(ministry.get("weighting")),
        "interval": interval(ministry),
    }


def role_weights(result: Mapping[str, Any], accounts: Sequence[Mapping[str, Any]]) -> list[float] | None:
    """Each account's weight in the ministry's score (the result's `ministry.weighting`), or None (equal)."""
    roles = ((result["ministry"].get("weighting") or {}).get("roles")) or {}
    return [float(roles.get(a.get("id"), 1.0)) for a in accounts] if roles else None


def ministry_sentence(result: Mapping[str, Any], verdict: str) -> str:
    """The ministry verdict in the ministry's own words (the rubric's sentence speaks of 'the account')."""
    counts = result["ministry"].get("verdicts") or {}
    split = ", ".join(f"{n} {v}{'s' if n != 1 else ''}" for v, n in counts.items() if n)
    meaning = VERDICT_MEANINGS.get(verdict, "")
    head = f"Taken together, the ministry {meaning}." if meaning else ""
    return f"{head} Its {len(result['accounts'])} accounts: {split}.".strip() if split else head


def _with_thin(problem: dict[str, Any]) -> dict[str, Any]:
    return problem | {"points_text": f"{problem['points']:.1f}", "thin": thin_count(problem["action"])}


def keep_doing(result: Mapping[str, Any]) -> str:
    """The best dimension score of any account resting on enough data: the practice to keep and to copy
    ("" when no account scores adequate or better anywhere).

    One crisis answered well, or a score over a dozen posts, is not yet a practice to hold up to the
    other accounts: such scores are passed over while a better-founded one exists, and flagged when not."""
    scored = [(float(d["score"]), a, d) for a in result["accounts"] for d in a["dimensions"].values()
              if isinstance(d.get("score"), (int, float)) and float(d["score"]) >= worth_keeping(result)]
    solid = [t for t in scored if not thin_dimension(t[1], t[2])]
    best = max(solid or scored, key=lambda t: t[0], default=None)
    if best is None:
        return ""
    score, account, dim = best
    finding = next(iter(dim.get("findings") or []), "")
    caveat = "" if solid else " (it rests on little data: confirm before holding it up to the other accounts)"
    return f"{account['name']} on {str(dim.get('title', '')).lower()} ({score:.1f}): {finding}".strip() + caveat


def worth_keeping(result: Mapping[str, Any]) -> float:
    """The lower edge of the rubric's second-best band (adequate, 50, in the default rubric): a weak
    score is never held up as the practice to keep, even when it is the best the ministry has."""
    bands = ((result.get("rubric") or {}).get("definition") or {}).get("bands") or {}
    edges = sorted((float(v) for v in bands.values()), reverse=True)
    return edges[1] if len(edges) > 1 else 50.0


def thin_dimension(account: Mapping[str, Any], dim: Mapping[str, Any]) -> bool:
    """A dimension scored on events rests on fewer than THIN_EVENTS of them; any other, on thin posts."""
    events = (dim.get("metrics") or {}).get("events")
    return len(events) < THIN_EVENTS if isinstance(events, list) else bool(basis(account)["thin"])


def change_view(result: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Change since the previous audit over the accounts audited both times, each dimension alike."""
    if previous is None:
        return None
    before = {a["id"]: a for a in previous["accounts"]}
    both = [(a, before[a["id"]]) for a in result["accounts"] if a["id"] in before]
    now_ids = {a["id"] for a in result["accounts"]}
    dims = list(result["ministry"].get("dimensions") or {})
    return {
        "period": f"{previous['period'].get('start', '?')} to {previous['period'].get('end', '?')}",
        "score": _mean_change([(a.get("score"), b.get("score")) for a, b in both]),
        "dims": [{"id": d, "title": _title(result, d),
                  "delta": _mean_change([(_dim(a, d), _dim(b, d)) for a, b in both])} for d in dims],
        "verdict_before": previous["ministry"].get("verdict") or "",
        "compared": len(both),
        "added": [a["name"] for a in result["accounts"] if a["id"] not in before],
        "removed": [a.get("name", a["id"]) for a in previous["accounts"] if a["id"] not in now_ids],
        "accounts": {a["id"]: _delta(a.get("score"), b.get("score")) for a, b in both},
    }


def _title(result: Mapping[str, Any], dim_id: str) -> str:
    for account in result["accounts"]:
        if dim_id in account["dimensions"]:
            return str(account["dimensions"][dim_id].get("title") or dim_id)
    return dim_id


def _dim(account: Mapping[str, Any], dim_id: str) -> Any:
    return ((account.get("dimensions") or {}).get(dim_id) or {}).get("score")


def _delta(now: Any, before: Any) -> float | None:
    ok = all(isinstance(v, (int, float)) for v in (now, before))
    return float(now) - float(before) if ok else None


def _mean_change(pairs: Sequence[tuple[Any, Any]]) -> str:
    """Mean change over pairs measured both times; a period with no data is left out, never read as 0."""
    deltas = [d for d in (_delta(n, b) for n, b in pairs) if d is not None]
    return signed(mean(deltas)) if deltas else "n/a"


def league(accounts: Sequence[Mapping[str, Any]], change: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Accounts best first, each with its change and what its score rests on."""
    ranked = sorted(accounts, key=lambda a: -(a["score_value"] if a["score_value"] is not None else -1))
    deltas = (change or {}).get("accounts") or {}
    return [{"name": a["name"], "anchor": a["anchor"], "platform": a["platform"], "overall": a["overall"],
             "grade": a["grade"], "verdict": a["verdict"], "basis": a["basis"],
             "change": (signed(deltas.get(a["id"])) if a["id"] in deltas else "new") if change else "",
             "score": score_text(a["score_value"])} for a in ranked]
