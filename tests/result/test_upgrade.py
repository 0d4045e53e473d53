"""Results written by version 1 (before the crisis metric took the contract's name `events`) are still
read: a kept result file, `audit render --previous` and a plan's history all see them as version 2."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from audit.api import load_result, report_html
from audit.errors import ConfigError
from audit.result.io import result_json
from audit.result.upgrade import SCHEMA_VERSION, upgrade_result
from audit.schedule.history import History
from audit.schedule.periods import PlanPeriod
from audit.schedule.trend import build_trend, trend_summary
from audit.scoring.rubric.loading import rubric_from_dict
from audit.sources.userfile import read_user_toml

DATA = Path(__file__).resolve().parents[1] / "data"
V1 = DATA / "demo_result_v1.json"  # the demo's golden as committed before schema 2, byte for byte
V2 = DATA / "demo_result_before_layout.json"  # the same demo result, schema 2
RUBRIC = Path(__file__).resolve().parents[2] / "rubrics" / "public-diplomacy.toml"


def v1() -> dict:
    return json.loads(V1.read_text(encoding="utf-8"))


def crisis_metrics(result: dict) -> list[dict]:
    return [a["dimensions"]["crisis_responsiveness"]["metrics"] for a in result["accounts"]]


def test_a_version_1_file_is_read_as_version_2_with_only_the_version_and_the_key_changed():
    assert v1()["schema_version"] == 1 and all("crisis_events" in m for m in crisis_metrics(v1()))
    upgraded = load_result(V1)
    assert upgraded["schema_version"] == SCHEMA_VERSION == 2
    assert result_json(upgraded) == V2.read_text(encoding="utf-8")


def test_the_upgrade_keeps_the_order_of_metrics_and_leaves_the_callers_result_alone():
    old = v1()
    upgraded = upgrade_result(old)
    assert [list(m) for m in crisis_metrics(upgraded)] == [
        ["events" if k == "crisis_events" else k for k in m] for m in crisis_metrics(old)]
    assert old == v1()


@pytest.mark.parametrize("result", [
    pytest.param(json.loads(V2.read_text(encoding="utf-8")), id="version 2"),
    pytest.param({"schema_version": 3, "accounts": "later"}, id="a newer version, for check_result to refuse"),
    pytest.param([1, 2], id="not a result"),
])
def test_what_is_not_version_1_is_returned_as_it_is(result):
    assert upgrade_result(result) is result


def test_a_version_1_result_carrying_its_rubric_names_the_metric_events_in_that_rubric_too():
    old = v1()
    old["rubric"]["definition"] = {"dimensions": [{"id": "crisis_responsiveness", "metrics": [
        {"name": "crisis_events", "weight": 0}, {"name": "response_rate_24h", "weight": 0.3}]}]}
    metrics = upgrade_result(old)["rubric"]["definition"]["dimensions"][0]["metrics"]
    assert [m["name"] for m in metrics] == ["events", "response_rate_24h"]


def test_a_version_1_report_shows_its_crisis_events_and_compares_with_a_version_1_previous():
    old = v1()
    page, _ = report_html(old, previous=v1())
    again, _ = report_html(upgrade_result(old), previous=upgrade_result(v1()))
    assert page == again
    event = old["events"][0]["title"]
    assert event in page


def test_a_plan_history_holding_version_1_runs_reads_them_as_version_2(tmp_path: Path):
    may = PlanPeriod("2025-05", datetime(2025, 5, 1, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC))
    june = PlanPeriod("2025-06", datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 7, 1, tzinfo=UTC))
    with History(tmp_path / "history.sqlite") as history:
        run = history.start_run("plan", may)
        history.finish_run(run, v1(), tmp_path / "may.json", [])
        assert history.result_of(run)["schema_version"] == 2
        ((label, earlier),) = history.results_before("plan", june, limit=3)
    assert label == "2025-05" and all("events" in m for m in crisis_metrics(earlier))


def test_a_rubric_naming_the_old_metric_says_its_new_name():
    data = read_user_toml(RUBRIC, "a rubric file (TOML)")
    text = json.dumps(data).replace('"name": "events"', '"name": "crisis_events"')
    with pytest.raises(ConfigError, match="'crisis_events' is now called 'events'"):
        rubric_from_dict(json.loads(text), RUBRIC)


def test_results_written_before_confidence_still_trend_and_render_without_ranges():
    """Issue 9, item 7 added keys (confidence, verdict_rule, comparable, weighting) without a new version:
    a result without them compares like with like in a plan's trend and renders with no range."""
    old, new = load_result(V1), load_result(V2)
    assert "confidence" not in new["accounts"][0] and "weighting" not in new["ministry"]
    trend = build_trend([("2025-01", old), ("2025-02", new)])
    assert trend["changes"] == [{"period": "2025-02", "before": new["ministry"]["score"],
                                 "now": new["ministry"]["score"], "accounts": 4, "same_accounts": True,
                                 "added": [], "removed": []}]
    assert trend_summary(("2025-01", old), ("2025-02", new), None) == ["No change of note since 2025-01."]
    page, _ = report_html(new)
    assert "Range " not in page and "borderline" not in page.lower()
