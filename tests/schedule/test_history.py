"""The history database after several REAL runs on fixture data, its one-transaction writes, and
`audit history`."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from audit.cli.schedule import history as history_command
from audit.schedule.history import MINISTRY, History
from audit.schedule.periods import find_period
from audit.schedule.plan import Plan, load_plan
from audit.schedule.runner import run_plan
from tests.schedule.helpers import copy_fixture_plan, make_plan, period_result

APRIL = datetime(2025, 4, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plan]:
    """The fixture plan (JSON only), really audited for January to March 2025."""
    path = copy_fixture_plan(tmp_path_factory.mktemp("history"))
    text = path.read_text(encoding="utf-8").replace('output = "reports/{plan}/{period}/"',
                                                    'output = "reports/{plan}/{period}/"\npdf = false\nhtml = false')
    path.write_text(text, encoding="utf-8")
    plan = load_plan(path)
    summary = run_plan(plan, now=APRIL)
    assert [(o.period, o.status) for o in summary.outcomes] == [("2025-01", "ok"), ("2025-02", "ok"),
                                                                ("2025-03", "ok")]
    yield plan


def query(plan: Plan, sql: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(plan.history) as db:
        return list(db.execute(sql, args))


def result_file(plan: Plan, period: str) -> dict[str, object]:
    path = plan.output_folder(period) / f"{plan.id}-{period}.json"
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_runs_are_recorded_with_their_days_status_and_result(ran: Plan) -> None:
    rows = query(ran, "SELECT plan, period, period_start, period_end, status, error, result_path FROM runs")
    assert [r[:6] for r in rows] == [
        ("monthly-review", "2025-01", "2025-01-01", "2025-01-31", "ok", None),
        ("monthly-review", "2025-02", "2025-02-01", "2025-02-28", "ok", None),
        ("monthly-review", "2025-03", "2025-03-01", "2025-03-31", "ok", None),
    ]
    assert rows[1][6] == str(ran.output_folder("2025-02") / "monthly-review-2025-02.json")
    (stored,) = query(ran, "SELECT result FROM runs WHERE period = '2025-03'")[0]
    assert json.loads(str(stored)) == result_file(ran, "2025-03")
    assert query(ran, "SELECT count(*) FROM latest_runs") == [(3,)]


def test_scores_dimensions_and_metrics_match_the_result_json(ran: Plan) -> None:
    result = result_file(ran, "2025-02")
    run_id = query(ran, "SELECT id FROM runs WHERE period = '2025-02'")[0][0]
    accounts = query(ran, "SELECT account, score, grade, verdict FROM accounts WHERE run = ? ORDER BY account", run_id)
    ministry = result["ministry"]
    assert isinstance(ministry, dict) and isinstance(result["accounts"], list)
    expected = [(MINISTRY, ministry["score"], ministry["grade"], ministry["verdict"])] + sorted(
        (a["id"], a["score"], a["grade"], a["verdict"]) for a in result["accounts"])
    assert accounts == sorted(expected)
    jp = next(a for a in result["accounts"] if a["id"] == "emb-jp")
    for dimension, body in jp["dimensions"].items():
        assert query(ran, "SELECT score FROM dimension_scores WHERE run = ? AND account = 'emb-jp' AND dimension = ?",
                     run_id, dimension) == [(body["score"],)]
    assert query(ran, "SELECT dimension, score FROM dimension_scores WHERE run = ? AND account = ? ORDER BY 1",
                 run_id, MINISTRY) == sorted(ministry["dimensions"].items())
    share = jp["dimensions"]["language_reach"]["metrics"]["audience_language_share"]
    assert query(ran, "SELECT value FROM metrics WHERE run = ? AND account = 'emb-jp' AND metric = ?",
                 run_id, "audience_language_share") == [(share,)]
    ja = jp["dimensions"]["language_reach"]["metrics"]["language_shares"]["ja"]
    assert query(ran, "SELECT value FROM metrics WHERE run = ? AND account = 'emb-jp' AND metric = ?",
                 run_id, "language_shares.ja") == [(ja,)]


def test_the_real_results_carry_the_trend(ran: Plan) -> None:
    march = result_file(ran, "2025-03")
    trend = march["trend"]
    assert isinstance(trend, dict)
    assert trend["periods"] == ["2025-01", "2025-02", "2025-03"]
    assert trend["ministry"] == [result_file(ran, p)["ministry"]["score"]  # type: ignore[index]
                                 for p in ("2025-01", "2025-02", "2025-03")]
    assert march["trend_summary"][0].startswith("Since 2025-02: ")  # type: ignore[index]


def test_a_run_lands_in_one_transaction_or_not_at_all(tmp_path: Path) -> None:
    plan = make_plan(tmp_path)
    period = find_period("monthly", "Asia/Seoul", plan.start, plan.end, "2025-01")
    broken = period_result(date(2025, 1, 1), date(2025, 1, 31))
    del broken["accounts"][1]["dimensions"]  # fails after the ministry and first account rows were inserted
    with History(plan.history) as history:
        run_id = history.start_run(plan.id, period)
        with pytest.raises(KeyError):
            history.finish_run(run_id, broken, tmp_path / "r.json", [])
    assert query(plan, "SELECT status FROM runs") == [("running",)]
    for table in ("accounts", "dimension_scores", "metrics"):
        assert query(plan, f"SELECT count(*) FROM {table}") == [(0,)]


def cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(history_command)
    app.command("noop")(lambda: None)  # two commands, so typer keeps `history` as a sub-command
    return app


def test_the_history_command_prints_series(ran: Plan) -> None:
    runner = CliRunner()
    scores = [result_file(ran, p)["ministry"]["score"] for p in ("2025-01", "2025-02", "2025-03")]  # type: ignore[index]
    out = runner.invoke(cli(), ["history", str(ran.path), "--csv"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines() == ["period,value"] + [f"2025-0{i + 1},{s!r}" for i, s in enumerate(scores)]
    table = runner.invoke(cli(), ["history", str(ran.path), "--account", "emb-jp", "--metric", "posts_per_week"])
    assert table.stdout.splitlines()[0].split() == ["period", "value"] and len(table.stdout.splitlines()) == 4
    every = runner.invoke(cli(), ["history", str(ran.path), "--metric", "frequency.posts_per_week", "--csv"])
    assert every.stdout.splitlines()[0] == "period,account,value"
    assert {line.split(",")[1] for line in every.stdout.splitlines()[1:]} == {"emb-jp", "emb-th"}
    dimension = runner.invoke(cli(), ["history", str(ran.path), "--metric", "language_reach", "--csv"])
    assert len(dimension.stdout.splitlines()) == 4


def test_the_history_command_explains_unknown_names(ran: Plan, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli(), ["history", str(ran.path), "--metric", "followers"])
    assert bad.exit_code == 1
    assert "Error: no metric 'followers' in the history; known: score, crisis_responsiveness" in bad.stderr
    who = runner.invoke(cli(), ["history", str(ran.path), "--account", "emb-xx"])
    assert "Error: no account 'emb-xx' in the history of plan monthly-review; known: _ministry, emb-jp, emb-th" \
        in who.stderr
    fresh = make_plan(tmp_path)
    none = runner.invoke(cli(), ["history", str(fresh.path)])
    assert none.exit_code == 1 and "no history yet" in none.stderr
