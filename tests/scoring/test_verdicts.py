"""Verdicts a public-diplomacy scholar would accept: said in the account's own facts, borderline when an
interval straddles the deciding threshold, Robertson's busy avoider named, exploiters far ahead of peers,
and scores on different dimensions flagged as not comparable (issue 9, item 7)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.api import audit_from_paths, report_html
from audit.scoring.decision import decide
from audit.scoring.rubric.loading import load_rubric

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
TITLES = {"language_reach": "Language reach", "frequency": "Frequency",
          "outreach_vs_diplomacy": "Outreach versus diplomacy", "crisis_responsiveness": "Crisis responsiveness"}


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("public-diplomacy")


def values(overall: float, **metrics: float | None) -> dict[str, float | None]:
    """A verdict's inputs: the basis score and dimension scores at `overall` unless given, and metrics."""
    dims = {d: metrics.pop(d, overall) for d in TITLES}
    found = {"overall": overall, **dims, "frequency.posts_per_week": 3.0,
             "language_reach.home_language_share": 0.2, "outreach_vs_diplomacy.two_way_share": 0.3,
             "outreach_vs_diplomacy.reply_share": 0.1, "crisis_responsiveness.median_first_response_hours": None}
    return found | {k.replace("__", "."): v for k, v in metrics.items()}


def test_an_avoider_is_told_only_the_shortfalls_it_has(rubric):
    found = decide(rubric, values(44.0, frequency=99.5, language_reach=20.0, outreach_vs_diplomacy=25.0), {}, TITLES)
    assert found["verdict"] == "avoider" and found["rule"] == "default"
    assert "regularity" not in found["explanation"]
    assert "too little reach to foreign publics (language reach 20.0)" in found["explanation"]
    assert "too little two-way engagement (outreach versus diplomacy 25.0)" in found["explanation"]


def test_an_avoider_that_posts_too_rarely_is_told_its_cadence(rubric):
    found = decide(rubric, values(60.0, frequency__posts_per_week=0.5), {}, TITLES)
    assert found["verdict"] == "avoider"
    assert found["explanation"].endswith("posts per week 0.5 (needs ≥ 1.0).")


@pytest.mark.parametrize("interval, borderline", [
    pytest.param([47.0, 58.0], True, id="interval straddles 50"),
    pytest.param([51.0, 58.0], False, id="interval clear of 50"),
    pytest.param(None, False, id="no interval"),
])
def test_a_verdict_inside_the_interval_of_its_threshold_is_borderline(rubric, interval, borderline):
    found = decide(rubric, values(52.3), {"overall": interval}, TITLES)
    assert (found["verdict"], found["rule"], found["borderline"]) == ("adapter", "adapter", borderline)
    assert found["conditions"][0] == {"on": "overall", "value": 52.3, "min": 50.0, "max": None, "held": True,
                                      "interval": interval, "borderline": borderline}
    if borderline:
        assert found["borderline_text"] == ("Borderline: score on the verdict's dimensions 52.3 (interval "
                                            "47.0–58.0) against a threshold of 50.0.")


def test_an_avoider_within_reach_of_adapter_is_borderline_too(rubric):
    found = decide(rubric, values(48.0), {"overall": [41.0, 55.0]}, TITLES)
    assert (found["verdict"], found["borderline"]) == ("avoider", True)


def test_robertsons_technologically_advanced_avoider_is_said_in_words(rubric):
    busy = values(55.0, frequency__posts_per_week=12.0, language_reach__home_language_share=0.85,
                  outreach_vs_diplomacy__two_way_share=0.03)
    found = decide(rubric, busy, {}, TITLES)
    assert (found["verdict"], found["label"]) == ("avoider", "technologically advanced avoider")
    assert found["explanation"].startswith("Technologically advanced avoider (Robertson 2017): a busy account "
                                           "(12.0 posts a week) that writes 85% of its posts in the home language "
                                           "only and 3% two-way")


def far_ahead(**extra: Any) -> dict[str, float | None]:
    return values(80.0, outreach_vs_diplomacy=85.0, frequency__posts_per_week=9.0,
                  outreach_vs_diplomacy__two_way_share=0.6, outreach_vs_diplomacy__reply_share=0.3, **extra)


@pytest.mark.parametrize("response_hours, verdict", [
    pytest.param(None, "exploiter", id="no crisis to answer is no evidence against"),
    pytest.param(3.0, "exploiter", id="answers crises within hours"),
    pytest.param(30.0, "adapter", id="slow on crises"),
])
def test_an_exploiter_is_far_ahead_on_two_way_engagement_and_response_speed(rubric, response_hours, verdict):
    found = decide(rubric, far_ahead(crisis_responsiveness__median_first_response_hours=response_hours), {}, TITLES)
    assert found["verdict"] == verdict


def test_a_strong_adapter_posting_daily_is_not_an_exploiter_without_two_way_practice(rubric):
    found = decide(rubric, values(85.0, frequency__posts_per_week=14.0, outreach_vs_diplomacy__two_way_share=0.3),
                   {}, TITLES)
    assert found["verdict"] == "adapter"


@pytest.fixture(scope="module")
def demo_runs() -> dict[str, dict[str, Any]]:
    return {name: audit_from_paths(DEMO / "accounts.toml", events=events, since=date(2025, 1, 1),
                                   until=date(2025, 6, 30))
            for name, events in (("with events", DEMO / "events.toml"), ("without", None))}


def test_accounts_scored_on_different_dimensions_are_flagged_not_comparable(demo_runs):
    with_events = {a["id"]: a["comparable"] for a in demo_runs["with events"]["accounts"]}
    assert [i for i, c in with_events.items() if not c["comparable"]] == ["mofa-en", "emb-th"]
    assert with_events["emb-th"]["note"] == ("Not comparable: scored on 3 dimensions (crisis responsiveness not "
                                             "measured), most accounts on 4.")
    assert not demo_runs["with events"]["ministry"]["comparability"]["comparable"]
    assert all(a["comparable"]["comparable"] for a in demo_runs["without"]["accounts"])


def test_a_missing_dimension_is_left_out_never_zero_and_the_verdict_reads_only_the_basis(demo_runs):
    for run in demo_runs.values():
        for account in run["accounts"]:
            dims = account["dimensions"]
            measured = [(d["score"], d["weight"]) for d in dims.values() if d["score"] is not None]
            assert account["score"] == pytest.approx(sum(s * w for s, w in measured) / sum(w for _, w in measured),
                                                     abs=0.06)
    ministry = [run["ministry"] for run in demo_runs.values()]
    assert ministry[0]["verdict"] == ministry[1]["verdict"]
    assert ministry[0]["verdict_rule"]["conditions"][0]["on"] == "overall"


def test_the_ministry_score_weighs_accounts_by_role(demo_runs):
    run = demo_runs["without"]
    weights = run["ministry"]["weighting"]["roles"]
    assert weights == {"mofa-en": 2.0, "emb-jp": 1.0, "emb-sa": 1.0, "emb-th": 1.0}
    expected = sum(a["score"] * weights[a["id"]] for a in run["accounts"]) / sum(weights.values())
    assert run["ministry"]["score"] == pytest.approx(expected, abs=0.06)


def test_every_score_carries_what_it_rests_on_and_an_interval(demo_runs):
    for account in demo_runs["with events"]["accounts"]:
        confidence = account["confidence"]
        assert set(confidence["rests_on"]) == {"posts", "weeks", "active_weeks", "events"}
        low, high = confidence["interval"]
        assert low <= account["score"] <= high
        crisis = account["dimensions"]["crisis_responsiveness"]["confidence"]
        if account["dimensions"]["crisis_responsiveness"]["score"] is not None:
            assert crisis["interval"] is None and crisis["note"].startswith("interval not measured: ")


def test_no_verdict_when_nothing_the_verdict_rests_on_could_be_measured(rubric):
    unmeasured = dict.fromkeys(values(0.0), None)
    found = decide(rubric, unmeasured, {}, TITLES)
    assert (found["verdict"], found["rule"], found["conditions"], found["borderline"]) == (
        None, "not measured", [], False)
    assert found["explanation"].startswith("Not measured: none of the dimensions the verdict rests on")


def test_an_export_with_no_data_in_the_period_gets_no_verdict_not_avoider(tmp_path: Path):
    """An export that ends before the period is a hole, not a ministry that avoids the medium."""
    export = tmp_path / "posts.csv"
    export.write_text("id,published_at,text\n1,2025-01-05T10:00:00Z,Hello from the embassy today\n", encoding="utf-8")
    result = audit_from_paths(export, platform="csv", since=date(2026, 1, 1), until=date(2026, 3, 31))
    account, ministry = result["accounts"][0], result["ministry"]
    assert account["verdict"] is None and ministry["verdict"] is None
    assert ministry["verdicts"] == {"adapter": 0, "exploiter": 0, "avoider": 0}
    assert account["verdict_rule"]["rule"] == "not measured"
    page, _ = report_html(result)
    assert "No verdict: none of the dimensions the verdict rests on could be measured" in page
    assert "Nothing to act on yet" in page and "Every measured metric meets its target" not in page
