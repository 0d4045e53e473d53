"""`audit schedule install|uninstall`: crontab lines and systemd user timers, with a fake crontab and
systemctl in tmp_path so that nothing touches the real system."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from audit.cli.schedule import app as schedule_app
from audit.schedule.install import cron_entry, cron_schedule, systemd_calendar, systemd_units
from tests.schedule.helpers import make_plan, write_plan

FAKE_CRONTAB = """#!/bin/sh
# A stand-in for crontab(1): -l prints the file, - replaces it from stdin.
if [ "$1" = "-l" ]; then
  if [ -f "$FAKE_CRONTAB_FILE" ]; then cat "$FAKE_CRONTAB_FILE"; else echo "no crontab for tester" >&2; exit 1; fi
elif [ "$1" = "-" ]; then
  cat > "$FAKE_CRONTAB_FILE"
fi
"""
FAKE_SYSTEMCTL = """#!/bin/sh
echo "$@" >> "$FAKE_SYSTEMCTL_LOG"
"""


def script(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def fake_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    paths = {"crontab": tmp_path / "crontab.txt", "log": tmp_path / "systemctl.log", "units": tmp_path / "units"}
    monkeypatch.setenv("AUDIT_CRONTAB", str(script(bin_dir, "crontab", FAKE_CRONTAB)))
    monkeypatch.setenv("AUDIT_SYSTEMCTL", str(script(bin_dir, "systemctl", FAKE_SYSTEMCTL)))
    monkeypatch.setenv("AUDIT_SYSTEMD_DIR", str(paths["units"]))
    monkeypatch.setenv("FAKE_CRONTAB_FILE", str(paths["crontab"]))
    monkeypatch.setenv("FAKE_SYSTEMCTL_LOG", str(paths["log"]))
    return paths


def cli() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(schedule_app, name="schedule")
    return app


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli(), ["schedule", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cron_lines_fire_on_the_days_periods_end(tmp_path: Path) -> None:
    assert cron_schedule(make_plan(tmp_path)) == "15 * 1,2 * *"
    assert cron_schedule(make_plan(tmp_path, cadence="quarterly")) == "15 * 1,2 1,4,7,10 *"
    assert cron_schedule(make_plan(tmp_path, cadence="weekly")) == "15 * * * 1,2"
    assert cron_schedule(make_plan(tmp_path, cadence="weekly", grace_hours=30)) == "15 * * * 2,3"
    assert cron_schedule(make_plan(tmp_path, cadence="0 9 * * 1")) == "15 * * * 1"
    assert cron_schedule(make_plan(tmp_path, cadence="@monthly")) == "15 * 1 * *"
    plan = make_plan(tmp_path)
    marker, line = cron_entry(plan).splitlines()
    assert marker == f"# audit schedule test-plan: {plan.path}"
    assert line == (f"15 * 1,2 * * cd {tmp_path} && {sys.executable} -m audit schedule run {plan.path} --quiet "
                    f">> {tmp_path / 'test-plan.schedule.log'} 2>&1")


def test_percent_signs_are_escaped_for_cron(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "100% done")
    line = cron_entry(plan).splitlines()[1]
    assert "100\\% done" in line and "100% done" not in line.replace("\\%", "")


def test_systemd_calendars_state_the_plans_time_zone(tmp_path: Path) -> None:
    assert systemd_calendar(make_plan(tmp_path)) == "*-*-01 00:15:00 Asia/Seoul"
    assert systemd_calendar(make_plan(tmp_path, cadence="quarterly", timezone="Europe/Berlin")) == \
        "*-01,04,07,10-01 00:15:00 Europe/Berlin"
    assert systemd_calendar(make_plan(tmp_path, cadence="weekly")) == "Mon *-*-* 00:15:00 Asia/Seoul"
    assert systemd_calendar(make_plan(tmp_path, grace_hours=26.5)) == "*-*-02 02:45:00 Asia/Seoul"
    assert systemd_calendar(make_plan(tmp_path, cadence="0 9 * * 1")) == "*-*-* *:15:00"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("keys", [{}, {"cadence": "quarterly"}, {"cadence": "weekly", "grace_hours": 30},
                                  {"cadence": "0 9 * * 1"}])
def test_systemd_accepts_the_calendars(tmp_path: Path, keys: dict[str, Any]) -> None:
    calendar = systemd_calendar(make_plan(tmp_path, **keys))
    done = subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Next elapse:" in done.stdout


def test_the_service_runs_the_plan_with_this_interpreter(tmp_path: Path) -> None:
    plan = make_plan(tmp_path / "a $dir")
    units = systemd_units(plan)
    assert sorted(units) == ["audit-plan-test-plan.service", "audit-plan-test-plan.timer"]
    service = units["audit-plan-test-plan.service"]
    assert (f'ExecStart="{sys.executable}" "-m" "audit" "schedule" "run" "{tmp_path}/a $$dir/plan.toml" "--quiet"'
            in service)
    assert "Type=oneshot" in service and "SuccessExitStatus=75" in service
    assert f"EnvironmentFile=-{tmp_path}/a $dir/test-plan.env" in service
    timer = units["audit-plan-test-plan.timer"]
    assert "OnCalendar=*-*-01 00:15:00 Asia/Seoul\nPersistent=true\nUnit=audit-plan-test-plan.service" in timer


def test_install_prints_unless_asked_to_write(tmp_path: Path, fake_system: dict[str, Path]) -> None:
    plan = write_plan(tmp_path)
    code, out, err = invoke("install", str(plan))
    assert code == 0 and out.startswith("# audit schedule test-plan:") and "add --write" in err
    assert not fake_system["crontab"].exists()
    code, out, _ = invoke("install", str(plan), "--kind", "systemd")
    assert code == 0 and f"# {fake_system['units'] / 'audit-plan-test-plan.timer'}" in out
    assert not fake_system["units"].exists()


def test_cron_install_keeps_other_lines_and_uninstall_removes_only_ours(
        tmp_path: Path, fake_system: dict[str, Path]) -> None:
    plan = write_plan(tmp_path)
    other = write_plan(tmp_path / "other", id="other-plan")
    fake_system["crontab"].write_text("MAILTO=me@example.org\n0 3 * * * backup\n", encoding="utf-8")
    assert invoke("install", str(plan), "--write")[0] == 0
    assert invoke("install", str(plan), "--write")[0] == 0  # again: replaced, not duplicated
    assert invoke("install", str(other), "--write")[0] == 0
    lines = fake_system["crontab"].read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["MAILTO=me@example.org", "0 3 * * * backup"]
    assert sum(1 for line in lines if line.startswith("# audit schedule test-plan:")) == 1
    assert len(lines) == 6
    code, out, _ = invoke("uninstall", str(plan))
    assert code == 0 and out == "Removed the crontab entry of plan test-plan.\n"
    lines = fake_system["crontab"].read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["MAILTO=me@example.org", "0 3 * * * backup"] and lines[2].startswith("# audit schedule other")
    assert invoke("uninstall", str(plan))[1].startswith("No crontab entry for plan test-plan")


def test_cron_install_starts_a_crontab_when_there_is_none(tmp_path: Path, fake_system: dict[str, Path]) -> None:
    plan = write_plan(tmp_path)
    code, out, _ = invoke("install", str(plan), "--write")
    assert code == 0 and out.startswith("Installed in the crontab:")
    assert fake_system["crontab"].read_text(encoding="utf-8").startswith("# audit schedule test-plan:")


def test_systemd_install_and_uninstall(tmp_path: Path, fake_system: dict[str, Path]) -> None:
    plan = write_plan(tmp_path)
    code, out, _ = invoke("install", str(plan), "--kind", "systemd", "--write")
    assert code == 0, out
    units = fake_system["units"]
    assert sorted(p.name for p in units.iterdir()) == ["audit-plan-test-plan.service", "audit-plan-test-plan.timer"]
    assert fake_system["log"].read_text(encoding="utf-8").splitlines() == [
        "--user daemon-reload", "--user enable --now audit-plan-test-plan.timer"]
    code, out, _ = invoke("uninstall", str(plan), "--kind", "systemd")
    assert code == 0 and out.startswith("Stopped and removed audit-plan-test-plan.timer")
    assert list(units.iterdir()) == []
    assert fake_system["log"].read_text(encoding="utf-8").splitlines()[2:] == [
        "--user disable --now audit-plan-test-plan.timer", "--user daemon-reload"]
    assert invoke("uninstall", str(plan), "--kind", "systemd")[1].startswith("No systemd units for plan test-plan")


def test_options_override_the_environment(tmp_path: Path, fake_system: dict[str, Path]) -> None:
    plan = write_plan(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    code, _, _ = invoke("install", str(plan), "--kind", "systemd", "--write", "--systemd-dir", str(elsewhere),
                        "--systemctl", os.environ["AUDIT_SYSTEMCTL"])
    assert code == 0 and (elsewhere / "audit-plan-test-plan.timer").is_file()


def test_a_failing_crontab_is_reported(tmp_path: Path, fake_system: dict[str, Path]) -> None:
    broken = script(tmp_path, "broken-crontab", "#!/bin/sh\necho 'cron is disabled for you' >&2\nexit 2\n")
    code, _, err = invoke("install", str(write_plan(tmp_path)), "--write", "--crontab", str(broken))
    assert code == 1 and err == "Error: crontab -l failed: cron is disabled for you\n"
    code, _, err = invoke("install", str(write_plan(tmp_path)), "--write", "--crontab", str(tmp_path / "none"))
    assert code == 1 and "not found; install it, or use --kind systemd" in err
