"""Running a plan: every due period that has not run successfully yet, oldest first, under the plan's lock.

For each period: a 'running' row is committed, the audit runs, the trend is added from the history,
the JSON, PDF and HTML are written atomically, and only then the scores and the 'ok' status are
committed in one transaction. A process killed anywhere in between leaves the earlier reports and
the history as they were; its 'running' row is closed as interrupted on the next run, which redoes
the period. Deliveries come after the commit, so a failed e-mail is retried without re-auditing.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from audit.collectors.registry import DISPLAY_NAMES
from audit.errors import AuditError, FetchError, ScheduleError
from audit.files import write_text_atomic
from audit.result.io import result_json
from audit.result.types import AuditResult
from audit.schedule.delivery import Delivered, deliver
from audit.schedule.history import History, RunRow
from audit.schedule.live import collect_accounts, period_events
from audit.schedule.lock import plan_lock
from audit.schedule.periods import PlanPeriod, current_time, due_periods, find_period
from audit.schedule.plan import Plan
from audit.schedule.trend import TREND_PERIODS, add_trend
from audit.scoring.engine import audit_files
from audit.scoring.rubric.model import Rubric
from audit.sources.http import HttpClient

PAUSE_ENV = "AUDIT_TEST_PAUSE_AFTER"
PAUSE_SECONDS = 3600
STAGING_PREFIX = ".audit-staging-"
PERIOD_FAILED = 2
log = logging.getLogger("audit.schedule")

Say = Callable[[str], None]
AuditFn = Callable[..., AuditResult]
RenderFn = Callable[..., list[str]]
DeliverFn = Callable[[Plan, Delivered, Say], None]


def _silent(_message: str) -> None:
    return None


@dataclass(frozen=True)
class Tools:
    """The steps a run calls; None means the real one. Tests replace them to stay fast and offline."""

    audit: AuditFn | None = None
    render: RenderFn | None = None
    deliver: DeliverFn | None = None
    http: HttpClient | None = None
    """The client for `collect = true` and `[events.fetch]`; None makes one per use (tests pass a replay)."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one period in this run."""

    period: str
    status: str
    error: str | None = None
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunSummary:
    plan: str
    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)

    @property
    def exit_code(self) -> int:
        """0 when every period is done and delivered, 2 when one failed (the scheduler should alert)."""
        return PERIOD_FAILED if any(o.status != "ok" for o in self.outcomes) else 0


def run_plan(plan: Plan, *, now: datetime | None = None, force: str | None = None, wait: bool = False,
             say: Say = _silent, tools: Tools | None = None) -> RunSummary:
    """Audit the due periods not yet done (or re-run `force`); raises PlanLocked if another run holds the plan."""
    moment, tools = current_time(now), tools or Tools()
    rubric = check_inputs(plan)
    forced = _forced_period(plan, force, moment) if force else None
    with plan_lock(plan.lock_path, wait), History(plan.history) as history:
        if stale := history.interrupt_stale(plan.id):
            say(f"Closed {stale} run(s) left unfinished by a process that stopped; they are redone now")
        work = [(forced, "audit")] if forced else pending(plan, history, moment)
        if not work:
            say(f"Nothing to do: every due period of {plan.id} is done")
        elif plan.collect and any(action == "audit" for _, action in work):
            _collect(plan, [period for period, action in work if action == "audit"], tools, say)
        outcomes = tuple(_do(plan, period, action, history, rubric, tools, say) for period, action in work)
    return RunSummary(plan.id, outcomes)


def check_inputs(plan: Plan) -> Rubric:
    """Load the accounts, events and rubric once up front: a broken file is a config error (exit 1),
    not one failed period after another."""
    from audit.accounts import load_accounts
    from audit.events.loading import load_events
    from audit.scoring.rubric.loading import load_rubric

    load_accounts(plan.accounts)
    if plan.events is not None:
        load_events(plan.events)
    return load_rubric(plan.rubric)


def _forced_period(plan: Plan, label: str, now: datetime) -> PlanPeriod:
    period = find_period(plan.cadence, plan.timezone, plan.start, plan.end, label)
    if not period.is_due(now, plan.grace):
        raise ScheduleError(f"period {period.label} has not ended yet; it is due at {describe_due(plan, period)}")
    return period


def pending(plan: Plan, history: History, now: datetime) -> list[tuple[PlanPeriod, str]]:
    """(period, 'audit' | 'deliver') for every due period whose latest run is missing, failed or undelivered."""
    latest = history.latest(plan.id)
    work: list[tuple[PlanPeriod, str]] = []
    for period in due_periods(plan.cadence, plan.timezone, plan.start, plan.end, now, plan.grace):
        row = latest.get(period.label)
        if row is None or row.status == "failed":
            work.append((period, "audit"))
        elif row.status == "delivery_failed":
            work.append((period, "deliver" if _outputs_exist(row) else "audit"))
    return work


def _outputs_exist(row: RunRow) -> bool:
    return bool(row.outputs) and all(Path(p).is_file() for p in row.outputs)


def describe_due(plan: Plan, period: PlanPeriod) -> str:
    due = period.due_at(plan.grace)
    return f"{due.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({due:%Y-%m-%d %H:%M} {plan.timezone})"


def _do(plan: Plan, period: PlanPeriod, action: str, history: History, rubric: Rubric, tools: Tools,
        say: Say) -> Outcome:
    if action == "deliver":
        row = history.latest(plan.id)[period.label]
        say(f"Retrying the delivery of {period.label}")
        files = [Path(p) for p in row.outputs]
        return _deliver(plan, period.label, row.id, history.result_of(row.id), files, history, tools, say)
    return audit_period(plan, period, history, rubric, tools, say)


# One period ----------------------------------------------------------------------------------------


def audit_period(plan: Plan, period: PlanPeriod, history: History, rubric: Rubric, tools: Tools, say: Say) -> Outcome:
    """Audit one period, write its outputs, commit it; then deliver it."""
    say(f"Auditing {period.label} ({period.first_day} to {period.last_day})")
    run_id = history.start_run(plan.id, period)
    try:
        result = _audit(plan, period, tools, say)
        pause_point("audit", period)
        add_trend(result, period.label, history.results_before(plan.id, period, TREND_PERIODS - 1), rubric)
        with previous_result(history, plan, period) as previous:
            files = write_outputs(plan, period, result, previous, tools, say)
        pause_point("outputs", period)
        history.finish_run(run_id, result, files[0], files, status="delivering" if plan.delivers else "ok")
    except Exception as e:
        return _failed(history, run_id, period, e, say)
    if plan.delivers:
        return _deliver(plan, period.label, run_id, result, files, history, tools, say)
    say(f"{period.label}: ok")
    return Outcome(period.label, "ok", files=tuple(map(str, files)))


def _collect(plan: Plan, periods: list[PlanPeriod], tools: Tools, say: Say) -> None:
    """`collect = true`: fetch what is new once, back to the earliest period this run audits."""
    for warning in collect_accounts(plan.accounts, min(p.first_day for p in periods), tools.http, say):
        say(f"Warning: {warning}")


def _audit(plan: Plan, period: PlanPeriod, tools: Tools, say: Say) -> AuditResult:
    audit: AuditFn = tools.audit or audit_files
    if plan.fetch_events is None:
        return audit(plan.accounts, events=plan.events, rubric=plan.rubric, since=period.first_day,
                     until=period.last_day, progress=say)
    try:
        with period_events(plan.fetch_events, plan.accounts, plan.events, period.first_day, period.last_day,
                           tools.http, say) as events:
            return audit(plan.accounts, events=events, rubric=plan.rubric, since=period.first_day,
                         until=period.last_day, progress=say)
    except FetchError as e:
        raise ScheduleError(f"fetching the crisis events of {period.label}: {e}") from None


@contextmanager
def previous_result(history: History, plan: Plan, period: PlanPeriod) -> Iterator[Path | None]:
    """The previous period's result JSON: its file if it is still there, else a copy from the history."""
    row = history.previous_run(plan.id, period)
    if row is None:
        yield None
    elif row.result_path and Path(row.result_path).is_file():
        yield Path(row.result_path)
    else:
        with tempfile.TemporaryDirectory(prefix="audit-previous-") as folder:
            path = Path(folder) / f"{plan.id}-{row.period}.json"
            path.write_text(json.dumps(history.result_of(row.id), ensure_ascii=False), encoding="utf-8")
            yield path


def write_outputs(plan: Plan, period: PlanPeriod, result: Mapping[str, Any], previous: Path | None, tools: Tools,
                  say: Say) -> list[Path]:
    """<output folder>/<plan>-<period>.json, .pdf and .html.

    All are written into a staging folder beside them first and moved into place only when every one
    is complete, so a failure or a kill while rendering leaves the previous reports of the period whole.
    """
    folder = plan.output_folder(period.label)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder)
    with tempfile.TemporaryDirectory(dir=folder, prefix=STAGING_PREFIX) as staging:
        staged = _render_all(plan, period, result, previous, Path(staging), tools, say)
        files = [folder / path.name for path in staged]
        for source, target in zip(staged, files, strict=True):
            os.replace(source, target)
    say(f"Wrote {', '.join(str(p) for p in files)}")
    return files


def _render_all(plan: Plan, period: PlanPeriod, result: Mapping[str, Any], previous: Path | None, staging: Path,
                tools: Tools, say: Say) -> list[Path]:
    stem = f"{plan.id}-{period.label}"
    json_path = staging / f"{stem}.json"
    write_text_atomic(json_path, result_json(result))
    pdf = staging / f"{stem}.pdf" if plan.pdf else None
    html = staging / f"{stem}.html" if plan.html else None
    if pdf is not None or html is not None:
        render = tools.render or _renderer()
        for warning in render(result, pdf=pdf, html=html, previous=previous):
            say(f"Warning: {warning}")
    return [json_path, *(p for p in (pdf, html) if p is not None)]


def _remove_stale_staging(folder: Path) -> None:
    """Staging folders left by a killed run (we hold the plan's lock, so none is in use)."""
    for stale in folder.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def _renderer() -> RenderFn:
    try:
        from audit.report.render import render_report
    except ImportError as e:
        raise ScheduleError(f"the report renderer is not available ({e}); set pdf = false and html = false "
                            "in the plan to write only the JSON") from None
    return functools.partial(render_report, platforms=DISPLAY_NAMES)


def _failed(history: History, run_id: int, period: PlanPeriod, error: Exception, say: Say) -> Outcome:
    message = describe_error(error)
    history.fail_run(run_id, message)
    if not isinstance(error, AuditError):
        log.error("period %s failed with an unexpected error", period.label, exc_info=error)
    say(f"{period.label}: failed: {message}")
    return Outcome(period.label, "failed", message)


def describe_error(error: BaseException) -> str:
    """One line: the user's message for an AuditError, the type and message for anything else."""
    if isinstance(error, AuditError):
        return "; ".join(str(error).splitlines()) or type(error).__name__
    return f"{type(error).__name__}: {error}"


def _deliver(plan: Plan, label: str, run_id: int, result: Mapping[str, Any], files: list[Path], history: History,
             tools: Tools, say: Say) -> Outcome:
    """Deliver and record the outcome; a failure is 'delivery_failed', retried on the next run."""
    outputs = tuple(map(str, files))
    try:
        (tools.deliver or deliver)(plan, Delivered(plan.id, label, result, tuple(files)), say)
    except Exception as e:
        message = describe_error(e)
        history.set_status(run_id, "delivery_failed", message)
        say(f"{label}: delivery failed (retried on the next run): {message}")
        return Outcome(label, "delivery_failed", message, outputs)
    history.set_status(run_id, "ok")
    say(f"{label}: ok")
    return Outcome(label, "ok", files=outputs)


def pause_point(stage: str, period: PlanPeriod) -> None:
    """Tests only: with AUDIT_TEST_PAUSE_AFTER=<stage>[:<period>], stop here so a test can kill the run."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    name, _, label = wanted.partition(":")
    if name == stage and label in ("", period.label):
        print(f"paused after {stage} of {period.label} ({PAUSE_ENV})", file=sys.stderr, flush=True)
        time.sleep(PAUSE_SECONDS)
