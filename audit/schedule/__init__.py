"""Periodic audits: a plan file, its due periods, a run history in SQLite, trends and delivery.

    plan = load_plan(Path("monthly-review.toml"))
    summary = run_plan(plan)            # every due period not yet done, oldest first
    summary.exit_code                   # 0 done, 2 a period failed (PlanLocked is raised: 75)

See docs/scheduling.md for the plan file, the history tables and the exit codes.
"""

from audit.schedule.history import History
from audit.schedule.lock import EX_TEMPFAIL, PlanLocked, plan_lock
from audit.schedule.periods import PlanPeriod, current_time, due_periods, find_period, next_period, plan_periods
from audit.schedule.plan import EmailDelivery, FolderDelivery, Plan, load_plan
from audit.schedule.runner import Outcome, RunSummary, Tools, run_plan
from audit.schedule.status import plan_status

__all__ = [
    "EX_TEMPFAIL", "EmailDelivery", "FolderDelivery", "History", "Outcome", "PlanPeriod", "Plan", "PlanLocked",
    "RunSummary", "Tools", "current_time", "due_periods", "find_period", "load_plan", "next_period",
    "plan_lock", "plan_periods", "plan_status", "run_plan",
]
