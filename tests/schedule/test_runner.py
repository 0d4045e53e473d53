"""The runner's scheduling logic, with a fake audit: catch-up, idempotence, failures, force, stale runs,
locks, outputs and trends. (Real audits run in schedule/test_history.py and schedule/test_cli.py.)"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from audit.errors import ConfigError, InputError, ScheduleError
from audit.schedule.history import History
from audit.schedule.lock import PlanLocked, plan_lock
from audit.schedule.periods import find_period
from audit.schedule.runner import run_plan
from tests.schedule.helpers import FakeAudit, FakeRender, make_plan, tools

APRIL = datetime(2025, 4, 10, tzinfo=UTC)


def statuses(plan_history: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(plan_history) as db:
        return list(db.execute("SELECT period, status FROM runs ORDER BY id"))


def test_catch_up_runs_every_due_period_in_order_with_its_local_days(tmp_path: Path) -> None:
    plan, audit = make_plan(tmp_path), FakeAudit()
    summary = run_plan(plan, now=APRIL, tools=tools(audit))
    assert [(o.period, o.status) for o in summary.outcomes] == [("2025-01", "ok"), ("2025-02", "ok"), ("2025-03", "ok")]
    assert summary.exit_code == 0
    assert audit.calls == [(date(2025, 1, 1), date(2025, 1, 31)), (date(2025, 2, 1), date(2025, 2, 28)),
                           (date(2025, 3, 1), date(2025, 3, 31))]
    json_file = tmp_path / "reports" / "test-plan" / "2025-02" / "test-plan-2025-02.json"
    assert json_file.is_file()
    assert not list((tmp_path / "reports").rglob(".audit-staging-*"))


def test_running_twice_does_no_work_twice(tmp_path: Path) -> None:
    plan, audit = make_plan(tmp_path), FakeAudit()
    run_plan(plan, now=APRIL, tools=tools(audit))
    again = run_plan(plan, now=APRIL, tools=tools(audit))
    assert again.outcomes == () and again.exit_code == 0
    assert len(audit.calls) == 3
    later = run_plan(plan, now=datetime(2025, 4, 30, 15, tzinfo=UTC), tools=tools(audit))  # April ended in Seoul
    assert [o.period for o in later.outcomes] == ["2025-04"]
    assert statuses(plan.history) == [(p, "ok") for p in ("2025-01", "2025-02", "2025-03", "2025-04")]


def test_a_failed_period_is_recorded_and_retried_next_time(tmp_path: Path) -> None:
    plan, audit = make_plan(tmp_path), FakeAudit()
    audit.fail[date(2025, 2, 1)] = InputError("exports/emb-jp/result.json", "expected a JSON object", "1:1")
    first = run_plan(plan, now=APRIL, tools=tools(audit))
    assert [(o.period, o.status) for o in first.outcomes] == [("2025-01", "ok"), ("2025-02", "failed"),
                                                              ("2025-03", "ok")]
    assert first.outcomes[1].error == "exports/emb-jp/result.json:1:1: expected a JSON object"
    assert first.exit_code == 2
    with History(plan.history) as history:
        failed = history.latest(plan.id)["2025-02"]
    assert (failed.status, failed.error) == ("failed", "exports/emb-jp/result.json:1:1: expected a JSON object")
    audit.fail.clear()
    second = run_plan(plan, now=APRIL, tools=tools(audit))
    assert [(o.period, o.status) for o in second.outcomes] == [("2025-02", "ok")]
    assert second.exit_code == 0


def test_an_unexpected_error_is_recorded_with_its_type(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    plan, audit = make_plan(tmp_path, end=date(2025, 1, 31)), FakeAudit()
    audit.fail[date(2025, 1, 1)] = KeyError("dimensions")
    summary = run_plan(plan, now=APRIL, tools=tools(audit))
    assert summary.outcomes[0].error == "KeyError: 'dimensions'"
    assert "period 2025-01 failed with an unexpected error" in caplog.text


def test_force_reruns_one_period(tmp_path: Path) -> None:
    plan, audit = make_plan(tmp_path), FakeAudit()
    run_plan(plan, now=APRIL, tools=tools(audit))
    forced = run_plan(plan, now=APRIL, force="2025-01", tools=tools(audit))
    assert [(o.period, o.status) for o in forced.outcomes] == [("2025-01", "ok")]
    assert audit.periods == ["2025-01", "2025-02", "2025-03", "2025-01"]
    assert statuses(plan.history)[-1] == ("2025-01", "ok")
    with pytest.raises(ScheduleError, match=r"period 2025-04 has not ended yet; it is due at 2025-04-30 15:00 UTC "
                                            r"\(2025-05-01 00:00 Asia/Seoul\)"):
        run_plan(plan, now=APRIL, force="2025-04", tools=tools(audit))
    with pytest.raises(ScheduleError, match="periods look like 2025-01"):
        run_plan(plan, now=APRIL, force="Q1", tools=tools(audit))


def test_a_stale_running_row_is_treated_as_not_done(tmp_path: Path) -> None:
    plan, audit = make_plan(tmp_path, end=date(2025, 2, 28)), FakeAudit()
    with History(plan.history) as history:
        history.start_run(plan.id, find_period("monthly", "Asia/Seoul", plan.start, plan.end, "2025-01"))
    summary = run_plan(plan, now=APRIL, tools=tools(audit))
    assert [o.period for o in summary.outcomes] == ["2025-01", "2025-02"]
    with History(plan.history) as history:
        runs = history.runs(plan.id)
    assert [(r.period, r.status) for r in runs] == [("2025-01", "failed"), ("2025-01", "ok"), ("2025-02", "ok")]
    assert runs[0].error is not None and runs[0].error.startswith("interrupted")


def test_a_held_lock_refuses_a_second_run_or_makes_it_wait(tmp_path: Path) -> None:
    plan, audit = make_plan(tmp_path, end=date(2025, 1, 31)), FakeAudit()
    with plan_lock(plan.lock_path), pytest.raises(PlanLocked, match="another run of this plan is in progress"):
        run_plan(plan, now=APRIL, tools=tools(audit))
    assert audit.calls == []
    released = threading.Event()

    def hold() -> None:
        with plan_lock(plan.lock_path):
            released.wait(5)
            time.sleep(0.3)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    released.set()
    summary = run_plan(plan, now=APRIL, wait=True, tools=tools(audit))
    holder.join()
    assert [o.status for o in summary.outcomes] == ["ok"]


def test_a_broken_accounts_file_is_a_config_error_before_any_period(tmp_path: Path) -> None:
    bad = tmp_path / "accounts.toml"
    bad.write_text("[ministry]\nname = 'x'\n", encoding="utf-8")
    plan, audit = make_plan(tmp_path, accounts=str(bad)), FakeAudit()
    with pytest.raises(ConfigError, match="accounts: expected at least one"):
        run_plan(plan, now=APRIL, tools=tools(audit))
    assert audit.calls == [] and not plan.history.exists()


def test_reports_get_the_previous_result_and_a_failed_render_keeps_the_old_reports(tmp_path: Path) -> None:
    plan, render = make_plan(tmp_path, pdf=True, html=True), FakeRender()
    run_plan(plan, now=APRIL, tools=tools(render=render))
    folder = tmp_path / "reports" / "test-plan"
    assert render.previous == [None, folder / "2025-01" / "test-plan-2025-01.json",
                               folder / "2025-02" / "test-plan-2025-02.json"]
    before = {p.name: p.read_bytes() for p in (folder / "2025-02").iterdir()}
    assert sorted(before) == ["test-plan-2025-02.html", "test-plan-2025-02.json", "test-plan-2025-02.pdf"]
    render.fail = True
    summary = run_plan(plan, now=APRIL, force="2025-02", tools=tools(render=render))
    assert summary.outcomes[0].error == "RuntimeError: renderer broke"
    assert {p.name: p.read_bytes() for p in (folder / "2025-02").iterdir()} == before


def test_the_previous_result_comes_from_the_history_when_its_file_is_gone(tmp_path: Path) -> None:
    plan, render = make_plan(tmp_path, pdf=True), FakeRender()
    run_plan(plan, now=datetime(2025, 2, 10, tzinfo=UTC), tools=tools(render=render))
    (tmp_path / "reports" / "test-plan" / "2025-01" / "test-plan-2025-01.json").unlink()
    seen: list[str] = []

    def render_reading(result: dict[str, object], **kw: Path | None) -> list[str]:
        seen.append(kw["previous"].read_text(encoding="utf-8") if kw["previous"] else "")  # type: ignore[union-attr]
        return render(result, **kw)  # type: ignore[arg-type]

    run_plan(plan, now=datetime(2025, 3, 10, tzinfo=UTC), tools=tools(render=render_reading))  # type: ignore[arg-type]
    assert '"start": "2025-01-01"' in seen[0]


def test_the_trend_is_built_from_the_history(tmp_path: Path) -> None:
    plan = make_plan(tmp_path)
    audit = FakeAudit(shares={"2025-01": 0.41, "2025-02": 0.47, "2025-03": 0.55})
    run_plan(plan, now=APRIL, tools=tools(audit))
    with History(plan.history) as history:
        march = history.result_of(history.latest(plan.id)["2025-03"].id)
    trend = march["trend"]
    assert trend["periods"] == ["2025-01", "2025-02", "2025-03"]
    assert trend["ministry"] == [41.0, 42.0, 43.0]
    assert trend["accounts"]["emb-jp"] == [32.0, 34.0, 36.0]
    assert set(trend["accounts"]) == {"emb-jp", "emb-th"}
    assert trend["metrics"]["emb-jp"]["audience_language_share"] == [0.41, 0.47, 0.55]
    assert set(trend["metrics"]["emb-jp"]) == {"audience_language_share", "posts_per_week", "reply_share",
                                              "response_rate_24h"}
    summary = march["trend_summary"]
    assert summary[0] == "Since 2025-02: 3 measures improved, 0 measures slipped."
    assert "Ministry: score rose from 42.0 to 43.0." in summary
    assert "emb-jp: score rose from 34.0 to 36.0." in summary
    assert "emb-jp: audience-language share rose from 47% to 55%." in summary
    with History(plan.history) as history:
        january = history.result_of(history.latest(plan.id)["2025-01"].id)
    assert january["trend"]["periods"] == ["2025-01"] and january["trend_summary"] == []


def test_a_failed_delivery_is_recorded_and_retried_without_reauditing(tmp_path: Path) -> None:
    extra = f'\n[delivery.folder]\npath = "{tmp_path / "share"}"\n'
    plan, audit = make_plan(tmp_path, extra, end=date(2025, 1, 31)), FakeAudit()
    attempts: list[str] = []

    def broken(_plan: object, item: object, _say: object) -> None:
        attempts.append("x")
        raise ScheduleError("the shared folder is not mounted")

    first = run_plan(plan, now=APRIL, tools=tools(audit, deliver=broken))
    assert [(o.period, o.status, o.error) for o in first.outcomes] == [
        ("2025-01", "delivery_failed", "the shared folder is not mounted")]
    assert first.exit_code == 2
    assert statuses(plan.history) == [("2025-01", "delivery_failed")]
    delivered: list[str] = []
    second = run_plan(plan, now=APRIL, tools=tools(audit, deliver=lambda p, item, s: delivered.append(item.period)))
    assert [(o.period, o.status) for o in second.outcomes] == [("2025-01", "ok")]
    assert delivered == ["2025-01"] and len(audit.calls) == 1
    assert statuses(plan.history) == [("2025-01", "ok")]
    assert run_plan(plan, now=APRIL, tools=tools(audit)).outcomes == ()


def test_a_run_killed_while_delivering_delivers_again(tmp_path: Path) -> None:
    extra = f'\n[delivery.folder]\npath = "{tmp_path}"\n'
    plan, audit = make_plan(tmp_path, extra, end=date(2025, 1, 31)), FakeAudit()
    run_plan(plan, now=APRIL, tools=tools(audit, deliver=lambda *a: None))
    with sqlite3.connect(plan.history) as db:
        db.execute("UPDATE runs SET status = 'delivering'")
    delivered: list[str] = []
    summary = run_plan(plan, now=APRIL, tools=tools(audit, deliver=lambda p, item, s: delivered.append(item.period)))
    assert [o.status for o in summary.outcomes] == ["ok"] and delivered == ["2025-01"] and len(audit.calls) == 1
