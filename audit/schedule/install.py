"""Installing a plan's schedule for the current user: a crontab line, or a systemd user timer and service.

Both run `python -m audit schedule run PLAN` with the interpreter that installed them. A run with
nothing due exits at once, so the schedule may fire more often than periods end (cron has no time
zones: it fires hourly on the days a period can end in the plan's zone); a systemd timer states the
plan's time zone itself. The crontab binary, the systemd unit folder and systemctl are injectable
(options or environment variables) so tests never touch the real system.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from audit.errors import ScheduleError
from audit.files import write_text_atomic
from audit.schedule.plan import CADENCES, Plan

CRONTAB_ENV = "AUDIT_CRONTAB"
SYSTEMD_DIR_ENV = "AUDIT_SYSTEMD_DIR"
SYSTEMCTL_ENV = "AUDIT_SYSTEMCTL"
RUN_MINUTE = 15
"""Minutes after a period ends before the run: exports written at midnight have landed by then."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CRON_ALIASES = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *"}
TIMEOUT = 60


@dataclass(frozen=True)
class Installed:
    """What install/uninstall did or would do, for the CLI to print."""

    text: str
    changed: bool


def run_command(plan: Plan) -> list[str]:
    return [sys.executable, "-m", "audit", "schedule", "run", str(plan.path), "--quiet"]


def _after_end(plan: Plan) -> timedelta:
    return timedelta(hours=plan.grace_hours, minutes=RUN_MINUTE)


# cron ------------------------------------------------------------------------------------------------


def cron_schedule(plan: Plan) -> str:
    """Hourly on the day a period ends and the day after (machine time), shifted by the grace hours."""
    shift = _after_end(plan).days
    days = f"{1 + shift},{2 + shift}"
    if plan.cadence == "monthly":
        return f"{RUN_MINUTE} * {days} * *"
    if plan.cadence == "quarterly":
        return f"{RUN_MINUTE} * {days} 1,4,7,10 *"
    if plan.cadence == "weekly":
        return f"{RUN_MINUTE} * * * {(1 + shift) % 7},{(2 + shift) % 7}"
    fields = CRON_ALIASES.get(plan.cadence, plan.cadence).split()
    if plan.grace_hours:
        return f"{RUN_MINUTE} * * * *"
    return f"{RUN_MINUTE} * {fields[2]} {fields[3]} {fields[4]}"


def cron_marker(plan: Plan) -> str:
    return f"# audit schedule {plan.id}: {plan.path}"


def cron_entry(plan: Plan) -> str:
    """The marker comment and the crontab line ('%' escaped: cron reads it as a newline)."""
    log = plan.base / f"{plan.id}.schedule.log"
    command = " ".join(shlex.quote(a) for a in run_command(plan))
    line = f"{cron_schedule(plan)} cd {shlex.quote(str(plan.base))} && {command} >> {shlex.quote(str(log))} 2>&1"
    return f"{cron_marker(plan)}\n{line.replace('%', chr(92) + '%')}\n"


def install_cron(plan: Plan, crontab: str | None = None) -> Installed:
    current = read_crontab(crontab)
    updated = _without_entry(current, plan) + cron_entry(plan)
    _write_crontab(crontab, updated)
    return Installed(f"Installed in the crontab:\n{cron_entry(plan)}", changed=updated != current)


def uninstall_cron(plan: Plan, crontab: str | None = None) -> Installed:
    current = read_crontab(crontab)
    updated = _without_entry(current, plan)
    if updated == current:
        return Installed(f"No crontab entry for plan {plan.id} ({plan.path}); nothing to remove.", changed=False)
    _write_crontab(crontab, updated)
    return Installed(f"Removed the crontab entry of plan {plan.id}.", changed=True)


def _without_entry(crontab: str, plan: Plan) -> str:
    """The crontab without this plan's marker and the line after it; everything else untouched."""
    lines, kept, skip = crontab.splitlines(), [], False
    for line in lines:
        if line == cron_marker(plan):
            skip = True
            continue
        if not skip:
            kept.append(line)
        skip = False
    return "".join(f"{line}\n" for line in kept)


def _crontab_binary(crontab: str | None) -> str:
    return crontab or os.environ.get(CRONTAB_ENV) or "crontab"


def read_crontab(crontab: str | None) -> str:
    """The user's crontab; none at all is an empty one (crontab -l exits 1 saying 'no crontab')."""
    done = _call([_crontab_binary(crontab), "-l"], None)
    if done.returncode != 0:
        if "no crontab" in done.stderr.lower():
            return ""
        raise ScheduleError(f"crontab -l failed: {done.stderr.strip() or f'exit code {done.returncode}'}")
    return done.stdout if done.stdout.endswith("\n") or not done.stdout else done.stdout + "\n"


def _write_crontab(crontab: str | None, text: str) -> None:
    done = _call([_crontab_binary(crontab), "-"], text)
    if done.returncode != 0:
        raise ScheduleError(f"crontab - failed: {done.stderr.strip() or f'exit code {done.returncode}'}")


def _call(command: list[str], stdin: str | None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        raise ScheduleError(f"{command[0]} not found; install it, or use --kind systemd") from None
    except subprocess.TimeoutExpired:
        raise ScheduleError(f"{' '.join(command)} did not answer within {TIMEOUT} s") from None


# systemd -------------------------------------------------------------------------------------------


def unit_name(plan: Plan) -> str:
    return f"audit-plan-{plan.id}"


def systemd_calendar(plan: Plan) -> str:
    """OnCalendar in the plan's own time zone, RUN_MINUTE (plus grace) after each period ends."""
    after = _after_end(plan)
    clock = f"{after.seconds // 3600:02d}:{after.seconds % 3600 // 60:02d}:00 {plan.timezone}"
    if plan.cadence == "monthly":
        return f"*-*-{1 + after.days:02d} {clock}"
    if plan.cadence == "quarterly":
        return f"*-01,04,07,10-{1 + after.days:02d} {clock}"
    if plan.cadence == "weekly":
        return f"{WEEKDAYS[after.days % 7]} *-*-* {clock}"
    return f"*-*-* *:{RUN_MINUTE:02d}:00"


def systemd_units(plan: Plan) -> dict[str, str]:
    """File name -> content of the service and its timer."""
    name, base = unit_name(plan), plan.base
    exec_start = " ".join(_systemd_quote(a) for a in run_command(plan))
    cron_note = "" if plan.cadence in CADENCES else (
        "# A cron cadence: the timer fires hourly; runs with nothing due exit at once.\n")
    service = (
        f"[Unit]\nDescription=Periodic audit {plan.id} ({_unit_text(str(plan.path))})\n\n"
        f"[Service]\nType=oneshot\nWorkingDirectory={_unit_text(str(base))}\n"
        f"EnvironmentFile=-{_unit_text(str(base / (plan.id + '.env')))}\n"
        f"ExecStart={exec_start}\nSuccessExitStatus=75\n"
    )
    timer = (
        f"[Unit]\nDescription=Run the periodic audit {plan.id} ({plan.cadence})\n\n"
        f"[Timer]\n{cron_note}OnCalendar={systemd_calendar(plan)}\nPersistent=true\nUnit={name}.service\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return {f"{name}.service": service, f"{name}.timer": timer}


def _unit_text(text: str) -> str:
    """'%' starts a specifier in unit files."""
    return text.replace("%", "%%")


def _systemd_quote(arg: str) -> str:
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def systemd_dir(folder: Path | None = None) -> Path:
    if folder is not None:
        return folder
    if env := os.environ.get(SYSTEMD_DIR_ENV):
        return Path(env)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user"


def _systemctl(systemctl: str | None, *args: str, check: bool = True) -> None:
    binary = systemctl or os.environ.get(SYSTEMCTL_ENV) or "systemctl"
    done = _call([binary, "--user", *args], None)
    if check and done.returncode != 0:
        raise ScheduleError(f"systemctl --user {' '.join(args)} failed: "
                            f"{done.stderr.strip() or f'exit code {done.returncode}'}")


def install_systemd(plan: Plan, folder: Path | None = None, systemctl: str | None = None) -> Installed:
    target = systemd_dir(folder)
    for name, text in systemd_units(plan).items():
        write_text_atomic(target / name, text)
    _systemctl(systemctl, "daemon-reload")
    _systemctl(systemctl, "enable", "--now", f"{unit_name(plan)}.timer")
    return Installed(f"Installed and started {unit_name(plan)}.timer in {target}\n"
                     f"(see `systemctl --user list-timers {unit_name(plan)}.timer`)", changed=True)


def uninstall_systemd(plan: Plan, folder: Path | None = None, systemctl: str | None = None) -> Installed:
    target = systemd_dir(folder)
    files = [target / name for name in systemd_units(plan)]
    if not any(f.exists() for f in files):
        return Installed(f"No systemd units for plan {plan.id} in {target}; nothing to remove.", changed=False)
    _systemctl(systemctl, "disable", "--now", f"{unit_name(plan)}.timer", check=False)
    for f in files:
        f.unlink(missing_ok=True)
    _systemctl(systemctl, "daemon-reload")
    return Installed(f"Stopped and removed {unit_name(plan)}.timer and .service from {target}.", changed=True)


def describe_systemd(plan: Plan, folder: Path | None = None) -> str:
    """The unit files as they would be written, each under a comment naming its path."""
    target = systemd_dir(folder)
    return "\n".join(f"# {target / name}\n{text}" for name, text in systemd_units(plan).items())
