"""`audit schedule run|status` end to end: exit codes a scheduler acts on, $AUDIT_NOW, the lock, and a
run killed with SIGKILL halfway (in a subprocess) that the next run completes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from audit.cli.schedule import app as schedule_app
from audit.schedule.lock import plan_lock
from audit.schedule.plan import load_plan
from tests.schedule.helpers import ACCOUNTS, ROOT, copy_fixture_plan, schedule_module, write_plan

MID_FEBRUARY = "2025-02-15T00:00:00Z"
MID_MARCH = "2025-03-15T00:00:00Z"


def cli() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(schedule_app, name="schedule")
    return app


def invoke(*args: str, now: str = MID_FEBRUARY) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli(), ["schedule", *args], env={"AUDIT_NOW": now})
    return result.exit_code, result.stdout, result.stderr


def json_only(plan: Path) -> Path:
    text = plan.read_text(encoding="utf-8").replace('output = "reports/{plan}/{period}/"',
                                                    'output = "reports/{plan}/{period}/"\npdf = false\nhtml = false')
    plan.write_text(text, encoding="utf-8")
    return plan


def runs(plan: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(load_plan(plan).history) as db:
        return list(db.execute("SELECT period, status FROM runs ORDER BY id"))


def test_exit_0_when_done_and_nothing_twice(tmp_path: Path) -> None:
    plan = json_only(copy_fixture_plan(tmp_path))
    code, out, err = invoke("run", str(plan))
    assert (code, out) == (0, "2025-01: ok\n"), err
    assert "2025-01: ok" in err and "… Auditing 2025-01 (2025-01-01 to 2025-01-31)" in err
    code, out, err = invoke("run", str(plan), "--quiet")
    assert (code, out, err) == (0, "", "")
    assert runs(plan) == [("2025-01", "ok")]


def test_exit_1_for_a_bad_plan_and_for_a_period_that_has_not_ended(tmp_path: Path) -> None:
    code, _, err = invoke("run", str(write_plan(tmp_path, timezone="Seoul")))
    assert code == 1
    assert err == (f"Error: {tmp_path / 'plan.toml'}: plan.timezone: expected an IANA time zone such as "
                   "'Asia/Seoul', found 'Seoul'\n")
    code, _, err = invoke("run", str(write_plan(tmp_path)), "--force", "2025-02")
    assert code == 1 and "Error: period 2025-02 has not ended yet" in err
    assert invoke("run", str(write_plan(tmp_path)), now="soon")[0] == 1


def test_exit_2_when_a_period_fails(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(ACCOUNTS.read_text(encoding="utf-8").replace("../demo/exports/emb-jp/result.json",
                                                                     "missing/result.json"), encoding="utf-8")
    plan = write_plan(tmp_path, accounts=str(accounts))
    code, _, err = invoke("run", str(plan), "--quiet")
    assert code == 2
    assert err.startswith("2025-01: failed: ") and "missing/result.json" in err
    assert runs(plan) == [("2025-01", "failed")]


def test_exit_75_while_another_run_holds_the_plan(tmp_path: Path) -> None:
    plan = write_plan(tmp_path)
    with plan_lock(load_plan(plan).lock_path):
        code, _, err = invoke("run", str(plan))
    assert code == 75
    assert err.startswith(f"Error: another run of this plan is in progress (process {os.getpid()})")
    assert "--wait" in err


def test_status_shows_what_ran_and_what_is_due_next(tmp_path: Path) -> None:
    plan = json_only(copy_fixture_plan(tmp_path))
    code, out, _ = invoke("status", str(plan))
    assert code == 0 and "2025-01  2025-01-01  2025-01-31  due     0" in out
    assert "1 period(s) to run: 2025-01" in out
    assert ("Next: 2025-02 (2025-02-01 to 2025-02-28) is due at 2025-02-28T15:00:00Z "
            "(2025-03-01T00:00:00+09:00 Asia/Seoul).") in out
    invoke("run", str(plan))
    code, out, _ = invoke("status", str(plan), "--json")
    report = json.loads(out)
    assert [(p["period"], p["status"], p["runs"]) for p in report["periods"]] == [("2025-01", "ok", 1)]
    assert report["next"]["due_utc"] == "2025-02-28T15:00:00Z" and report["running"] is False
    code, out, _ = invoke("status", str(plan), now="2026-01-01T00:00:00Z")
    assert "6 period(s) to run" not in out and "5 period(s) to run: 2025-02, 2025-03, 2025-04, 2025-05, 2025-06" in out
    assert "The plan has ended" in out


def start_paused(plan: Path, pause: str, *extra: str) -> subprocess.Popen[str]:
    """`audit schedule run` in a subprocess that stops at the pause point, once it has got there."""
    env = {**os.environ, "AUDIT_NOW": MID_MARCH, "AUDIT_TEST_PAUSE_AFTER": pause}
    process = subprocess.Popen([*schedule_module(), "run", str(plan), *extra], cwd=ROOT, env=env,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    for line in process.stderr:
        if line.startswith("paused after"):
            return process
        assert time.monotonic() < deadline, "the run never reached its pause point"
    pytest.fail(f"the run ended before its pause point (exit {process.wait()})")


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    if process.stderr:
        process.stderr.close()


def test_a_run_killed_halfway_leaves_everything_whole_and_is_redone(tmp_path: Path) -> None:
    plan = json_only(copy_fixture_plan(tmp_path))
    process = start_paused(plan, "outputs:2025-02")  # January done, February written but not committed
    try:
        assert invoke("run", str(plan), now=MID_MARCH)[0] == 75  # never two runs of one plan at once
        status = json.loads(invoke("status", str(plan), "--json", now=MID_MARCH)[1])
        assert status["running"] is True
    finally:
        kill(process)
    assert runs(plan) == [("2025-01", "ok"), ("2025-02", "running")]
    january = load_plan(plan).output_folder("2025-01") / "monthly-review-2025-01.json"
    before = january.read_bytes()
    status = json.loads(invoke("status", str(plan), "--json", now=MID_MARCH)[1])
    assert [(p["period"], p["status"]) for p in status["periods"]] == [("2025-01", "ok"), ("2025-02", "interrupted")]
    code, _, err = invoke("run", str(plan), now=MID_MARCH)
    assert code == 0, err
    assert "Closed 1 run(s) left unfinished" in err
    assert runs(plan) == [("2025-01", "ok"), ("2025-02", "failed"), ("2025-02", "ok")]
    assert january.read_bytes() == before
    february = json.loads((load_plan(plan).output_folder("2025-02") / "monthly-review-2025-02.json").read_text())
    assert february["trend"]["periods"] == ["2025-01", "2025-02"]


def test_a_forced_rerun_killed_mid_audit_keeps_the_previous_reports(tmp_path: Path) -> None:
    plan = json_only(copy_fixture_plan(tmp_path))
    assert invoke("run", str(plan), now=MID_MARCH)[0] == 0
    folder = load_plan(plan).output_folder("2025-01")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    kill(start_paused(plan, "audit", "--force", "2025-01"))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert runs(plan)[-1] == ("2025-01", "running")
    code, _, _ = invoke("run", str(plan), now=MID_MARCH)
    assert code == 0
    assert runs(plan)[-2:] == [("2025-01", "failed"), ("2025-01", "ok")]
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)


@pytest.mark.skipif(os.environ.get("AUDIT_SKIP_PDF") == "1", reason="PDF rendering disabled")
def test_a_real_pdf_run_passes_the_previous_result_to_the_report(tmp_path: Path) -> None:
    """One real PDF+HTML period, rendered with the previous period's result (the trend section)."""
    pytest.importorskip("audit.report")
    plan = copy_fixture_plan(tmp_path)
    text = plan.read_text(encoding="utf-8").replace("start = 2025-01-01", "start = 2025-02-01")
    plan.write_text(text.replace('output = "reports/{plan}/{period}/"',
                                 'output = "reports/{plan}/{period}/"\npdf = false\nhtml = false'), encoding="utf-8")
    assert invoke("run", str(plan), now=MID_MARCH)[0] == 0  # February, JSON only
    plan.write_text(text, encoding="utf-8")
    code, _, err = invoke("run", str(plan), now="2025-04-15T00:00:00Z")  # March, with PDF and HTML
    assert code == 0, err
    folder = load_plan(plan).output_folder("2025-03")
    assert (folder / "monthly-review-2025-03.pdf").read_bytes().startswith(b"%PDF-")
    html = (folder / "monthly-review-2025-03.html").read_text(encoding="utf-8")
    assert 'href="#trend"' in html  # the report's "since the previous audit" section, from `previous`
