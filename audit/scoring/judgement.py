"""Verdicts with their confidence, for an account and for the ministry (issue 9, item 7).

An account's verdict reads its verdict basis score, dimension scores and metrics (`decide`); the
bootstrap (`confidence`) gives each of those an interval, so the verdict can say when it is borderline.
The ministry's numbers are means over its accounts weighted by role (the rubric's `[weighting]`), and
their intervals come from the same resamples: resample b of the ministry is the weighted mean of
resample b of every account, the accounts being resampled independently.

A dimension that could not be measured for an account (no crisis in its host country, no events file)
is left out of that account's score and the other weights are renormalised: never counted as 0. Its
score then rests on fewer dimensions than its siblings' and is flagged as not comparable with theirs;
the verdict reads only the rubric's verdict basis, which every account is measured on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from audit.result.types import AccountResult
from audit.scoring.confidence import Samples, bootstrap, condition_metrics, method_text, rests_on
from audit.scoring.decision import decide
from audit.scoring.metrics.measures import AccountData
from audit.scoring.rubric.model import Rubric
from audit.scoring.scorer import DimensionScore


def account_judgement(data: AccountData, dims: Sequence[DimensionScore], scores: tuple[float | None, float | None],
                      rubric: Rubric, account_id: str, keep: dict[str, Samples] | None = None) -> dict[str, Any]:
    """The verdict keys of an account's result, its `confidence`, and each dimension's `confidence`.
    `scores`: the account's overall score and its verdict basis score."""
    overall, basis = scores
    values: dict[str, float | None] = {"overall": basis, **{d.id: d.score for d in dims}, **_metrics(dims)}
    measures = {name: m for d in dims for name, m in d.measures.items()}
    samples = bootstrap(data, rubric, condition_metrics(rubric), values, account_id, measures)
    if keep is not None:
        keep[account_id] = samples
    intervals = {k: samples.interval("basis" if k == "overall" else k, 1 if "." not in k else 4, v)
                 for k, v in values.items()}
    decision = decide(rubric, values, intervals, {d.id: d.title for d in dims})
    rests = rests_on(data)
    for d in dims:
        measured = d.score is not None
        d.confidence = {"rests_on": rests, "interval": samples.interval(d.id, 1, d.score) if measured else None,
                        "note": samples.held.get(d.id) if measured else "not measured"}
    return {
        "verdict": decision["verdict"], "verdict_explanation": decision["explanation"],
        "verdict_rule": {k: v for k, v in decision.items() if k != "explanation"},
        "confidence": {"rests_on": rests, "interval": samples.interval("overall", 1, overall),
                       "basis_interval": intervals["overall"], "method": method_text(samples),
                       "note": _account_note(samples, dims), "borderline": decision["borderline"]},
    }


def _metrics(dims: Sequence[DimensionScore]) -> dict[str, float | None]:
    return {f"{d.id}.{k}": float(v) for d in dims for k, v in d.metrics.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}


def _account_note(samples: Samples, dims: Sequence[DimensionScore]) -> str | None:
    """Why the account's interval leaves a dimension out (held at its score), or None."""
    held = [f"{d.title.lower()} ({samples.held[d.id]})" for d in dims if d.id in samples.held and d.score is not None]
    return "Held at its measured score: " + "; ".join(held) + "." if held else None


# The ministry -----------------------------------------------------------------------------------------


def role_weights(accounts: Sequence[AccountResult], rubric: Rubric) -> list[float]:
    return [rubric.role_weights.get(a["role"], 1.0) for a in accounts]


def weighted(values: Sequence[float | None], weights: Sequence[float]) -> float | None:
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None and w > 0]
    total = sum(w for _, w in pairs)
    return round(sum(v * w for v, w in pairs) / total, 4) if total else None


def ministry_values(accounts: Sequence[AccountResult], rubric: Rubric) -> dict[str, float | None]:
    """The numbers the ministry's verdict reads: basis score, dimension scores, metrics, weighted by role."""
    weights = role_weights(accounts, rubric)
    flats = [_flat(a) for a in accounts]  # once per account, not once per account and key
    keys = {k for flat in flats for k in flat}
    values = {k: weighted([flat.get(k) for flat in flats], weights) for k in keys}
    values["overall"] = weighted([(a.get("verdict_basis") or {}).get("score") for a in accounts], weights)
    return values


def _flat(account: AccountResult) -> dict[str, float | None]:
    found: dict[str, float | None] = {}
    for dim_id, dim in account["dimensions"].items():
        found[dim_id] = dim["score"]
        found |= {f"{dim_id}.{k}": float(v) for k, v in dim["metrics"].items()
                  if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return found


def ministry_judgement(accounts: Sequence[AccountResult], rubric: Rubric,
                       samples: Mapping[str, Samples]) -> dict[str, Any]:
    """The ministry's verdict keys, from role-weighted means and the accounts' joint resamples."""
    values = ministry_values(accounts, rubric)
    intervals = {k: _joint_interval(accounts, rubric, samples, "basis" if k == "overall" else k, v)
                 for k, v in values.items()}
    score = weighted([a["score"] for a in accounts], role_weights(accounts, rubric))
    titles = {d.id: d.title for d in rubric.dimensions}
    decision = decide(rubric, values, intervals, titles)
    return {
        "verdict": decision["verdict"], "verdict_explanation": decision["explanation"],
        "verdict_rule": {k: v for k, v in decision.items() if k != "explanation"},
        "confidence": {"interval": _joint_interval(accounts, rubric, samples, "overall", score),
                       "basis_interval": intervals.get("overall"), "borderline": decision["borderline"],
                       "rests_on": _ministry_rests_on(accounts),
                       "dimensions": dimension_intervals(accounts, rubric, samples, values)},
    }


def dimension_intervals(accounts: Sequence[AccountResult], rubric: Rubric, samples: Mapping[str, Samples],
                        values: Mapping[str, float | None]) -> dict[str, list[float] | None]:
    """The ministry's interval on each dimension, from the accounts' joint resamples (as its overall one).

    None when an account measured on the dimension has no interval of its own (too few weeks or events,
    or held): a range over the other accounts alone would look surer than the ministry's score is."""
    found: dict[str, list[float] | None] = {}
    for dim in rubric.dimensions:
        measured = [a["id"] for a in accounts if a["dimensions"][dim.id]["score"] is not None]
        resampled = all(i in samples and dim.id in samples[i].values and dim.id not in samples[i].held
                        for i in measured)
        found[dim.id] = (_joint_interval(accounts, rubric, samples, dim.id, values.get(dim.id))
                         if measured and resampled else None)
    return found


def _joint_interval(accounts: Sequence[AccountResult], rubric: Rubric, samples: Mapping[str, Samples],
                    key: str, point: float | None) -> list[float] | None:
    """The interval of the role-weighted mean over accounts, resample by resample, taking in `point`."""
    found = [(samples[a["id"]].values.get(key), w) for a, w in zip(accounts, role_weights(accounts, rubric),
                                                                    strict=True) if a["id"] in samples]
    rows = [(v, w) for v, w in found if v is not None and len(v)]
    if not rows:
        return None
    stack = np.vstack([v for v, _ in rows])
    weights = np.array([w for _, w in rows])[:, None] * ~np.isnan(stack)
    with np.errstate(invalid="ignore"):
        means = np.nansum(np.nan_to_num(stack) * weights, axis=0) / weights.sum(axis=0)
    if np.isnan(means).all():
        return None
    digits = 4 if "." in key else 1
    low, high = (float(v) for v in np.nanpercentile(means, [2.5, 97.5]))
    if point is not None:
        low, high = min(low, point), max(high, point)
    return [round(low, digits), round(high, digits)]


def _ministry_rests_on(accounts: Sequence[AccountResult]) -> dict[str, int]:
    rests = [a["confidence"]["rests_on"] if "confidence" in a else {} for a in accounts]
    return {"accounts": len(accounts), "posts": sum(int(r.get("posts", 0)) for r in rests),
            "events": max((int(r.get("events", 0)) for r in rests), default=0)}


# Comparability ----------------------------------------------------------------------------------------


def comparability(accounts: Sequence[AccountResult], rubric: Rubric) -> dict[str, Any]:
    """Which accounts' scores rest on the same dimensions. The most common set is the reference (the larger
    on a tie); an account measured on another set is flagged: its score is not comparable with theirs."""
    sets = {a["id"]: tuple(d for d, body in a["dimensions"].items() if body["score"] is not None) for a in accounts}
    counts = Counter(sets.values())
    reference = max(counts, key=lambda s: (counts[s], len(s))) if counts else ()
    titles = {d.id: d.title for d in rubric.dimensions}
    flags = {i: {"dimensions": list(s), "comparable": s == reference,
                 "note": None if s == reference else _difference(s, reference, titles)} for i, s in sets.items()}
    return {"accounts": flags, "comparable": len(counts) <= 1, "reference": list(reference)}


def _difference(mine: Sequence[str], reference: Sequence[str], titles: Mapping[str, str]) -> str:
    missing = [titles.get(d, d).lower() for d in reference if d not in mine]
    extra = [titles.get(d, d).lower() for d in mine if d not in reference]
    parts = ([f"{', '.join(missing)} not measured"] if missing else []) + \
            ([f"also measured on {', '.join(extra)}"] if extra else [])
    return (f"Not comparable: scored on {len(mine)} dimensions ({'; '.join(parts)}), most accounts on "
            f"{len(reference)}.")
