"""A plan's trend compares like with like: the same accounts on the same dimensions. Adding an account never
reads as the ministry improving, and a month with no data is not measured, never 0 (issue 9, item 7)."""

from __future__ import annotations

from typing import Any

import pytest

from audit.schedule.trend import build_trend, like_for_like, trend_summary


def account(account_id: str, posts: int = 40, **scores: float | None) -> dict[str, Any]:
    """An account result with dimension scores (weights as in the default rubric) and its overall score."""
    weights = {"language_reach": 0.3, "frequency": 0.2, "outreach_vs_diplomacy": 0.3, "crisis_responsiveness": 0.2}
    dims = {d: {"score": scores.get(d), "weight": w, "metrics": {}} for d, w in weights.items()}
    measured = [(s, weights[d]) for d, s in scores.items() if s is not None]
    overall = sum(s * w for s, w in measured) / sum(w for _, w in measured) if measured else None
    return {"id": account_id, "posts": posts, "reposts": 0, "score": overall, "verdict": "adapter",
            "dimensions": dims}


def result(*accounts: dict[str, Any], ministry: float | None = None) -> dict[str, Any]:
    scores = [a["score"] for a in accounts if a["score"] is not None]
    score = ministry if ministry is not None else (sum(scores) / len(scores) if scores else None)
    return {"ministry": {"score": score}, "accounts": list(accounts)}


STEADY = {"language_reach": 50.0, "frequency": 50.0, "outreach_vs_diplomacy": 50.0}


def test_adding_a_strong_account_does_not_read_as_the_ministry_improving():
    before = result(account("emb-jp", **STEADY), account("emb-th", **STEADY))
    strong = account("emb-in", language_reach=95.0, frequency=95.0, outreach_vs_diplomacy=95.0)
    now = result(account("emb-jp", **STEADY), account("emb-th", **STEADY), strong)
    assert now["ministry"]["score"] > before["ministry"]["score"]  # the raw mean rose by 15 points
    same = like_for_like(before, now)
    assert (same["before"], same["now"], same["accounts"], same["added"]) == (50.0, 50.0, 2, ["emb-in"])
    summary = trend_summary(("2025-01", before), ("2025-02", now), None)
    assert not any(line.startswith("Ministry") for line in summary)
    assert "emb-in: new in this audit (left out of the ministry's change)." in summary


@pytest.mark.parametrize("crisis_before, crisis_now", [
    pytest.param(None, 100.0, id="a crisis measured only now"),
    pytest.param(0.0, None, id="a crisis measured only before"),
])
def test_an_account_is_compared_on_the_dimensions_measured_both_times(crisis_before, crisis_now):
    before = result(account("emb-jp", **STEADY, crisis_responsiveness=crisis_before))
    now = result(account("emb-jp", **STEADY, crisis_responsiveness=crisis_now))
    assert before["accounts"][0]["score"] != now["accounts"][0]["score"]
    assert like_for_like(before, now)["before"] == like_for_like(before, now)["now"] == 50.0
    assert trend_summary(("2025-01", before), ("2025-02", now), None) == ["No change of note since 2025-01."]


def test_a_month_without_data_is_not_measured_never_zero():
    quiet = account("emb-jp", posts=0, frequency=0.0, crisis_responsiveness=0.0)
    quiet["score"] = 0.0
    points = [("2025-01", result(account("emb-jp", **STEADY))), ("2025-02", result(quiet)),
              ("2025-03", result(account("emb-jp", **STEADY)))]
    trend = build_trend(points)
    assert trend["accounts"]["emb-jp"] == [50.0, None, 50.0]
    assert trend["ministry"] == [50.0, None, 50.0]
    assert [c["accounts"] for c in trend["changes"]] == [0, 0]
    summary = trend_summary(points[1], points[2], None)
    assert not any("rose" in line for line in summary)
    assert "emb-jp: new in this audit (left out of the ministry's change)." in summary
    assert trend_summary(points[0], points[1], None)[-1] == \
        "emb-jp: no data in this period; not measured, not scored 0."


def test_the_ministry_change_weighs_accounts_by_role_as_the_ministry_score_does():
    before = result(account("mofa", **STEADY), account("emb-jp", **STEADY))
    now = result(account("mofa", **{**STEADY, "frequency": 100.0}), account("emb-jp", **STEADY),
                 account("emb-in", **STEADY))
    now["ministry"]["weighting"] = {"roles": {"mofa": 2.0, "emb-jp": 1.0, "emb-in": 1.0}}
    same = like_for_like(before, now)
    mofa_now = (50 * 0.3 + 100 * 0.2 + 50 * 0.3) / 0.8  # 62.5 over its three measured dimensions
    assert same["now"] == round((2 * mofa_now + 1 * 50) / 3, 1) == 58.3
