"""The trend of a plan: scores and key metrics over its periods, and what changed since the last one.

Built from the history alone (the results of earlier periods), so a report can show the trend
without re-reading any export. Added to the AuditResult as "trend" and "trend_summary".

Changes compare like with like (issue 9, item 7; issue 12): the ministry's change is computed over
the accounts audited in both periods, each on the dimensions measured in both, so adding an account
never reads as the ministry improving; accounts added or removed are reported apart. A period in which
an account has no data at all (not a post, not a repost) is not measured for it: None, never 0.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from audit.result.types import AuditResult
from audit.scoring.rubric.model import Rubric

KEY_METRICS = ("audience_language_share", "posts_per_week", "reply_share", "response_rate_24h")
SHARE_METRICS = frozenset({"audience_language_share", "reply_share", "response_rate_24h"})
METRIC_NAMES = {
    "audience_language_share": "audience-language share",
    "posts_per_week": "posts per week",
    "reply_share": "reply share",
    "response_rate_24h": "share of crises answered within 24 hours",
}
TREND_PERIODS = 12
"""How many periods (the current one included) the trend reaches back."""
SCORE_STEP = 1.0
SHARE_STEP = 2
"""Smallest change worth a sentence: one score point, two percentage points."""
RATE_STEP = 0.2
RATE_RELATIVE_STEP = 0.1

Point = tuple[str, Mapping[str, Any]]


def add_trend(result: AuditResult, label: str, earlier: Sequence[Point], rubric: Rubric | None) -> None:
    """Put "trend" and "trend_summary" into `result` (the audit of period `label`)."""
    result["trend"] = build_trend([*earlier[-(TREND_PERIODS - 1):], (label, result)])
    result["trend_summary"] = trend_summary(earlier[-1], (label, result), rubric) if earlier else []


def build_trend(points: Sequence[Point]) -> dict[str, Any]:
    """Series aligned on the periods: None where an account or metric is missing or has no data in a period.

    `changes` gives, for each period after the first, the ministry's change over the accounts audited in
    both periods (like with like) and the accounts added or removed, which that change leaves out."""
    ids = _account_ids(points)
    return {
        "periods": [label for label, _ in points],
        "ministry": [_ministry_score(r) for _, r in points],
        "accounts": {i: [(_measured(r, i) or {}).get("score") for _, r in points] for i in ids},
        "metrics": {i: {m: [metric_value(_measured(r, i), m) for _, r in points] for m in KEY_METRICS} for i in ids},
        "changes": [{"period": label, **like_for_like(before, now)}
                    for (_, before), (label, now) in zip(points, points[1:], strict=False)],
    }


def has_data(account: Mapping[str, Any] | None) -> bool:
    """False for an account with no data at all in the period (not measured there, never 0)."""
    return account is not None and bool((account.get("posts") or 0) + (account.get("reposts") or 0))


def _measured(result: Mapping[str, Any], account_id: str) -> dict[str, Any] | None:
    account = _account(result, account_id)
    return account if has_data(account) else None


def _ministry_score(result: Mapping[str, Any]) -> float | None:
    """The period's ministry score; None when no account had any data in it."""
    return result["ministry"].get("score") if any(has_data(a) for a in result["accounts"]) else None


def common_score(account: Mapping[str, Any], dims: Sequence[str]) -> float | None:
    """The account's score over the given dimensions only, by their weights (renormalised)."""
    pairs = [(body.get("score"), float(body.get("weight") or 0)) for d, body in account["dimensions"].items()
             if d in dims and isinstance(body.get("score"), (int, float))]
    total = sum(w for _, w in pairs)
    return sum(s * w for s, w in pairs) / total if total else None


def shared_dimensions(before: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """Dimensions scored for an account in both periods."""
    return [d for d, body in now["dimensions"].items() if body.get("score") is not None
            and (before["dimensions"].get(d) or {}).get("score") is not None]


def like_for_like(before: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, Any]:
    """The ministry's score then and now over the accounts with data in both periods, each account on the
    dimensions scored in both, weighted by role as the ministry's score is; and who came and went. When the
    same accounts were scored on the same dimensions both times, these are the ministry's own scores."""
    weights = (now["ministry"].get("weighting") or {}).get("roles") or {}
    pairs, alike = [], True
    for account in now["accounts"]:
        earlier = _measured(before, account["id"])
        if earlier is None or not has_data(account):
            continue
        dims = shared_dimensions(earlier, account)
        alike = alike and _scored(earlier) == _scored(account) == dims
        old, new = score_on(earlier, dims), score_on(account, dims)
        if old is not None and new is not None:
            pairs.append((old, new, float(weights.get(account["id"], 1.0))))
    added = [a["id"] for a in now["accounts"] if _measured(before, a["id"]) is None and has_data(a)]
    removed = [a["id"] for a in before["accounts"] if has_data(a) and _measured(now, a["id"]) is None]
    total = sum(w for _, _, w in pairs)
    old_mean = sum(o * w for o, _, w in pairs) / total if total else None
    new_mean = sum(n * w for _, n, w in pairs) / total if total else None
    if alike and not added and not removed and pairs:
        old_mean, new_mean = before["ministry"].get("score"), now["ministry"].get("score")
    return {"before": _round(old_mean), "now": _round(new_mean), "accounts": len(pairs), "same_accounts":
            not added and not removed, "added": added, "removed": removed}


def _scored(account: Mapping[str, Any]) -> list[str]:
    return [d for d, body in account["dimensions"].items() if body.get("score") is not None]


def score_on(account: Mapping[str, Any], dims: Sequence[str]) -> float | None:
    """The account's own score when it was scored on exactly `dims`, else its score over `dims` only."""
    return account.get("score") if _scored(account) == list(dims) else common_score(account, dims)


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _account_ids(points: Sequence[Point]) -> list[str]:
    """The current accounts first (in the result's order), then accounts that were dropped."""
    ids: dict[str, None] = {}
    for _, result in reversed(points):
        ids.update((a["id"], None) for a in result["accounts"] if a["id"] not in ids)
    return list(ids)


def _account(result: Mapping[str, Any], account_id: str) -> dict[str, Any] | None:
    return next((a for a in result["accounts"] if a["id"] == account_id), None)


def metric_value(account: dict[str, Any] | None, metric: str) -> float | None:
    """A metric by name from whichever dimension holds it (names are unique in the catalogue)."""
    for dimension in (account or {}).get("dimensions", {}).values():
        value = (dimension.get("metrics") or {}).get(metric)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def _metric_dimension(account: dict[str, Any], metric: str) -> str | None:
    return next((d for d, body in account.get("dimensions", {}).items() if metric in (body.get("metrics") or {})),
                None)


# The summary --------------------------------------------------------------------------------------


def trend_summary(before: Point, now: Point, rubric: Rubric | None) -> list[str]:
    """Sentences: a count, then what improved, what slipped, and changes that are neither."""
    changes = list(_changes(before[1], now[1], rubric))
    groups = {kind: [text for k, text in changes if k == kind] for kind in ("improved", "slipped", "changed")}
    if not changes:
        return [f"No change of note since {before[0]}."]
    lead = f"Since {before[0]}: {_count(groups['improved'])} improved, {_count(groups['slipped'])} slipped."
    return [lead, *groups["improved"], *groups["slipped"], *groups["changed"]]


def _count(items: list[str]) -> str:
    return f"{len(items)} measure{'s' if len(items) != 1 else ''}"


def _changes(before: Mapping[str, Any], now: Mapping[str, Any], rubric: Rubric | None) -> Iterator[tuple[str, str]]:
    same = like_for_like(before, now)
    label = "Ministry" if same["same_accounts"] else \
        f"Ministry (the {same['accounts']} account{'s' if same['accounts'] != 1 else ''} audited both times)"
    yield from _score_change(label, {"score": same["before"]}, {"score": same["now"]})
    for account in now["accounts"]:
        earlier = _measured(before, account["id"])
        if not has_data(account):
            yield "changed", f"{account['id']}: no data in this period; not measured, not scored 0."
            continue
        if earlier is None:
            yield "changed", f"{account['id']}: new in this audit (left out of the ministry's change)."
            continue
        dims = shared_dimensions(earlier, account)
        yield from _score_change(account["id"], {**earlier, "score": _round(score_on(earlier, dims))},
                                 {**account, "score": _round(score_on(account, dims))})
        yield from _verdict_change(account["id"], earlier, account)
        for metric in KEY_METRICS:
            yield from _metric_change(account, earlier, metric, rubric)
    for gone in (i for i in same["removed"] if _account(now, i) is None):
        yield "changed", f"{gone}: no longer audited or no data (left out of the ministry's change)."


def _score_change(name: str, before: dict[str, Any], now: dict[str, Any]) -> Iterator[tuple[str, str]]:
    old, new = before.get("score"), now.get("score")
    if old is None or new is None or abs(new - old) < SCORE_STEP:
        return
    bands = f" ({before.get('band')} to {now.get('band')})" if before.get("band") != now.get("band") else ""
    word = "rose" if new > old else "fell"  # band words, the report's one scale (not the rubric's grades)
    yield ("improved" if new > old else "slipped"), f"{name}: score {word} from {old:.1f} to {new:.1f}{bands}."


def _verdict_change(name: str, before: dict[str, Any], now: dict[str, Any]) -> Iterator[tuple[str, str]]:
    old, new = before.get("verdict"), now.get("verdict")
    if old and new and old != new:
        kind = "slipped" if new == "avoider" else "improved" if old == "avoider" else "changed"
        yield kind, f"{name}: verdict changed from {old} to {new}."


def _metric_change(now: dict[str, Any], before: dict[str, Any], metric: str,
                   rubric: Rubric | None) -> Iterator[tuple[str, str]]:
    old, new = metric_value(before, metric), metric_value(now, metric)
    if old is None or new is None or not _notable(metric, old, new):
        return
    word = "rose" if new > old else "fell"
    text = f"{now['id']}: {METRIC_NAMES[metric]} {word} from {_shown(metric, old)} to {_shown(metric, new)}."
    direction = _direction(rubric, _metric_dimension(now, metric), metric)
    better = (new > old) == (direction == "higher")
    yield ("changed" if direction == "reported" else "improved" if better else "slipped"), text


def _notable(metric: str, old: float, new: float) -> bool:
    if metric in SHARE_METRICS:
        return abs(round(new * 100) - round(old * 100)) >= SHARE_STEP
    return abs(new - old) >= RATE_STEP and abs(new - old) >= RATE_RELATIVE_STEP * max(abs(old), abs(new))


def _shown(metric: str, value: float) -> str:
    return f"{value * 100:.0f}%" if metric in SHARE_METRICS else f"{value:.1f}"


def _direction(rubric: Rubric | None, dimension: str | None, metric: str) -> str:
    """'higher' or 'lower' is better as the rubric scores it; 'higher' when the rubric cannot tell."""
    if rubric is None or dimension is None:
        return "higher"
    try:
        return rubric.dimension(dimension).metric(metric).direction
    except KeyError:
        return "higher"
