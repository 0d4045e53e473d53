"""`audit schedule run|status|install|uninstall` and `audit history`: periodic audits from the command line.

Exit codes of `audit schedule run`, for schedulers: 0 every due period is done, 1 a configuration or
usage error, 2 a period failed (or could not be delivered; retried next run), 75 (EX_TEMPFAIL)
another run of the same plan holds the lock.
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from audit.cli.common import echo_table, user_errors

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Periodic audits: run a plan's due periods, show its status, install its timer.")

PlanArg = Annotated[Path, typer.Argument(help="The plan file (TOML).", show_default=False)]


class Kind(StrEnum):
    cron = "cron"
    systemd = "systemd"


KindOpt = Annotated[Kind, typer.Option("--kind", help="cron (a crontab line) or systemd (a user timer).")]
CrontabOpt = Annotated[str | None, typer.Option(
    "--crontab", help="The crontab program to use (default: $AUDIT_CRONTAB or crontab).")]
SystemdDirOpt = Annotated[Path | None, typer.Option(
    "--systemd-dir", help="Where user units go (default: $AUDIT_SYSTEMD_DIR or ~/.config/systemd/user).")]
SystemctlOpt = Annotated[str | None, typer.Option(
    "--systemctl", help="The systemctl program to use (default: $AUDIT_SYSTEMCTL or systemctl).")]


@app.command()
def run(
    plan: PlanArg,
    force: Annotated[str | None, typer.Option("--force", metavar="PERIOD",
                                              help="Re-run this period (e.g. 2025-03) even if it ran.")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for a run already in progress instead of exiting 75.")]
    = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only what was done and errors.")] = False,
) -> None:
    """Audit every due period of PLAN that has not run successfully yet, oldest first.

    A period is due once it has fully ended in the plan's time zone ($AUDIT_NOW overrides the clock).
    Exit codes: 0 all done, 1 configuration error, 2 a period failed, 75 another run holds the plan.

    Example: audit schedule run plans/monthly-review.toml
    """
    from audit.api import EX_TEMPFAIL, PlanLocked, load_plan, run_plan

    with user_errors():
        try:
            summary = run_plan(load_plan(plan), force=force, wait=wait, say=_quiet if quiet else _progress)
        except PlanLocked as e:
            typer.echo(f"Error: {e}", err=True)
            raise typer.Exit(EX_TEMPFAIL) from None
    for outcome in summary.outcomes:
        line = f"{outcome.period}: {outcome.status}" + (f": {outcome.error}" if outcome.error else "")
        typer.echo(line, err=outcome.status != "ok")
    raise typer.Exit(summary.exit_code)


def _progress(message: str) -> None:
    typer.echo(f"… {message}", err=True)


def _quiet(_message: str) -> None:
    return None


@app.command()
def status(
    plan: PlanArg,
    every_run: Annotated[bool, typer.Option("--all", help="List every run, not only the latest per period.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show what ran, when, with what outcome, and what is due next.

    Example: audit schedule status plans/monthly-review.toml
    """
    from audit.api import load_plan, plan_status

    with user_errors():
        loaded = load_plan(plan)
        report = plan_status(loaded)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _print_status(report, every_run)


def _print_status(report: dict[str, Any], every_run: bool) -> None:
    typer.echo(f"Plan {report['plan']} ({report['path']}): {report['cadence']} in {report['timezone']}")
    typer.echo(f"History: {report['history']}\n")
    if every_run:
        rows = [{**r, "error": _short(r["error"])} for r in report["runs"]]
        echo_table(rows, ["id", "period", "status", "started", "finished", "error"])
    elif report["periods"]:
        rows = [{**p, "finished": p["finished"] or "-", "error": _short(p["error"])} for p in report["periods"]]
        echo_table(rows, ["period", "from", "to", "status", "runs", "finished", "error"])
    else:
        typer.echo("No period has ended yet.")
    _print_next(report)


def _print_next(report: dict[str, Any]) -> None:
    waiting = [p["period"] for p in report["periods"] if p["status"] not in ("ok", "running")]
    if report["running"]:
        typer.echo("\nA run is in progress now.")
    if waiting:
        typer.echo(f"\n{len(waiting)} period(s) to run: {', '.join(waiting)} (audit schedule run {report['path']})")
    upcoming = report["next"]
    if upcoming is None:
        typer.echo("\nThe plan has ended: no period is due after the last one.")
    else:
        typer.echo(f"\nNext: {upcoming['period']} ({upcoming['from']} to {upcoming['to']}) is due at "
                   f"{upcoming['due_utc']} ({upcoming['due_local']} {report['timezone']}).")


def _short(text: str | None, limit: int = 100) -> str:
    if not text:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@app.command()
def install(
    plan: PlanArg,
    kind: KindOpt = Kind.cron,
    write: Annotated[bool, typer.Option("--write", help="Install it for the current user (else only print).")]
    = False,
    crontab: CrontabOpt = None,
    systemd_dir: SystemdDirOpt = None,
    systemctl: SystemctlOpt = None,
) -> None:
    """Print (or with --write install) the crontab line or systemd user timer that runs PLAN at its cadence.

    Example: audit schedule install plans/monthly-review.toml --kind systemd --write
    """
    from audit.api import load_plan
    from audit.api import schedule_install as inst

    with user_errors():
        loaded = load_plan(plan)
        if not write:
            text = inst.cron_entry(loaded) if kind is Kind.cron else inst.describe_systemd(loaded, systemd_dir)
            typer.echo(text.rstrip("\n"))
            typer.echo("\n(Printed only; add --write to install it for the current user.)", err=True)
            return
        done = (inst.install_cron(loaded, crontab) if kind is Kind.cron
                else inst.install_systemd(loaded, systemd_dir, systemctl))
    typer.echo(done.text.rstrip("\n"))


@app.command()
def uninstall(
    plan: PlanArg,
    kind: KindOpt = Kind.cron,
    crontab: CrontabOpt = None,
    systemd_dir: SystemdDirOpt = None,
    systemctl: SystemctlOpt = None,
) -> None:
    """Remove what `audit schedule install --write` installed for PLAN (other crontab lines stay).

    Example: audit schedule uninstall plans/monthly-review.toml --kind systemd
    """
    from audit.api import load_plan
    from audit.api import schedule_install as inst

    with user_errors():
        loaded = load_plan(plan)
        done = (inst.uninstall_cron(loaded, crontab) if kind is Kind.cron
                else inst.uninstall_systemd(loaded, systemd_dir, systemctl))
    typer.echo(done.text)


def history(
    plan: PlanArg,
    account: Annotated[str | None, typer.Option("--account", help="An account id (default: the ministry).")]
    = None,
    metric: Annotated[str | None, typer.Option(
        "--metric", help="score (default), a dimension id, or a metric such as posts_per_week.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")] = False,
) -> None:
    """Print a plan's series over its periods: the ministry's score, or an account's score or metric.

    Without --account, a metric is listed for every account.
    Example: audit history plans/monthly-review.toml --account emb-jp --metric audience_language_share
    """
    from audit.api import History, load_plan
    from audit.errors import ScheduleError

    with user_errors():
        loaded = load_plan(plan)
        if not loaded.history.exists():
            raise ScheduleError(f"no history yet at {loaded.history}; run `audit schedule run {plan}` first")
        with History(loaded.history) as db:
            rows = db.series(loaded.id, metric, account)
    _print_series(rows, per_account=account is None and {r[1] for r in rows} - {"_ministry"} != set(),
                  as_csv=as_csv)


def _print_series(rows: list[tuple[str, str, float | None]], per_account: bool, as_csv: bool) -> None:
    columns = ["period", "account", "value"] if per_account else ["period", "value"]
    table = [dict(zip(["period", "account", "value"], (p, a, _value(v, as_csv)), strict=True)) for p, a, v in rows]
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        return
    if not table:
        typer.echo("No completed runs yet.")
        return
    echo_table(table, columns)  # type: ignore[arg-type]


def _value(value: float | None, as_csv: bool) -> str:
    if value is None:
        return "" if as_csv else "n/a"
    return repr(value) if as_csv else f"{value:.4g}"


if __name__ == "__main__":  # pragma: no cover - `python -m audit.schedule_cli` before the lead wires it in
    app()
