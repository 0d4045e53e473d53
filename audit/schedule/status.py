"""What a plan has done and what comes next, for `audit schedule status`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from audit.schedule.history import History, RunRow
from audit.schedule.lock import is_locked
from audit.schedule.periods import PlanPeriod, current_time, due_periods, next_period
from audit.schedule.plan import Plan


def plan_status(plan: Plan, now: datetime | None = None) -> dict[str, Any]:
    """The plan, one line per due period (its latest run), every run, and the next period's due time."""
    moment = current_time(now)
    runs = _runs(plan)
    live = is_locked(plan.lock_path)
    latest = {row.period: row for row in runs}
    due = due_periods(plan.cadence, plan.timezone, plan.start, plan.end, moment, plan.grace)
    upcoming = next_period(plan.cadence, plan.timezone, plan.start, plan.end, moment, plan.grace)
    return {
        "plan": plan.id, "path": str(plan.path), "cadence": plan.cadence, "timezone": plan.timezone,
        "history": str(plan.history), "now": _stamp(moment), "running": live,
        "periods": [_period_line(p, latest.get(p.label), runs, live) for p in due],
        "next": _next(plan, upcoming),
        "runs": [{**asdict(r), "outputs": list(r.outputs)} for r in runs],
    }


def _runs(plan: Plan) -> list[RunRow]:
    """Every run (none when the history does not exist yet: status never creates files)."""
    if not plan.history.exists():
        return []
    with History(plan.history) as history:
        return history.runs(plan.id)


def _period_line(period: PlanPeriod, row: RunRow | None, runs: list[RunRow], live: bool) -> dict[str, Any]:
    status = "due" if row is None else row.status
    if status in ("running", "delivering") and not live:
        status = "interrupted"
    return {
        "period": period.label, "from": str(period.first_day), "to": str(period.last_day), "status": status,
        "runs": sum(1 for r in runs if r.period == period.label),
        "started": row.started if row else None, "finished": row.finished if row else None,
        "error": row.error if row else None,
    }


def _next(plan: Plan, period: PlanPeriod | None) -> dict[str, Any] | None:
    if period is None:
        return None
    due = period.due_at(plan.grace)
    return {"period": period.label, "from": str(period.first_day), "to": str(period.last_day),
            "due_utc": _stamp(due), "due_local": due.isoformat()}


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
