"""Periods of a plan: which stretches of time are audited, how they are labelled, and when each is due.

A period is a half-open stretch [start, end) of wall-clock time in the plan's time zone: a calendar
month, quarter or ISO week starting at local midnight, or the time from one cron fire to the next.
It is due once it has fully ended there (plus the plan's grace hours). The engine audits inclusive
calendar days, so a period hands it its local calendar days: [start's day, end's day - 1].
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter  # type: ignore[import-untyped]

from audit.errors import ConfigError, ScheduleError

NOW_ENV = "AUDIT_NOW"
CRON_CHECK_FIRES = 60


@dataclass(frozen=True)
class PlanPeriod:
    """One audited stretch of time; `label` names it in paths, the history and the CLI."""

    label: str
    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return self.end.date() - timedelta(days=1)

    def due_at(self, grace: timedelta = timedelta(0)) -> datetime:
        return self.end + grace

    def is_due(self, now: datetime, grace: timedelta = timedelta(0)) -> bool:
        return now >= self.due_at(grace)


# The clock -----------------------------------------------------------------------------------------


def current_time(now: datetime | None = None) -> datetime:
    """`now` if given, else $AUDIT_NOW (for tests and dry runs), else the system clock; always aware."""
    if now is not None:
        return now if now.tzinfo else now.replace(tzinfo=UTC)
    text = os.environ.get(NOW_ENV, "").strip()
    return parse_now(text) if text else datetime.now(UTC)


def parse_now(text: str) -> datetime:
    """An ISO 8601 time ('2025-02-01T00:00:00Z', '2025-02-01T09:00+09:00') or day; naive means UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        expected = f"expected an ISO 8601 time such as 2025-02-01T00:00:00Z, found {text!r}"
        raise ConfigError(NOW_ENV, [expected]) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Cadences ------------------------------------------------------------------------------------------


def containing(cadence: str, zone: str, moment: datetime) -> PlanPeriod:
    """The period of `cadence` that contains `moment` (any time zone)."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    if cadence == "monthly":
        first = date(local.year, local.month, 1)
        return _calendar_period(tz, first, _add_months(first, 1), f"{first.year}-{first.month:02d}")
    if cadence == "quarterly":
        quarter = (local.month - 1) // 3 + 1
        first = date(local.year, 3 * quarter - 2, 1)
        return _calendar_period(tz, first, _add_months(first, 3), f"{first.year}-Q{quarter}")
    if cadence == "weekly":
        monday = local.date() - timedelta(days=local.weekday())
        year, week, _ = monday.isocalendar()
        return _calendar_period(tz, monday, monday + timedelta(days=7), f"{year}-W{week:02d}")
    return _cron_period(cadence, tz, local)


def following(cadence: str, zone: str, period: PlanPeriod) -> PlanPeriod:
    """The period right after `period`."""
    return containing(cadence, zone, period.end)


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _calendar_period(tz: ZoneInfo, first: date, after: date, label: str) -> PlanPeriod:
    """Labels: 2025-01 for a month, 2025-Q1 for a quarter, 2025-W02 for an ISO week (all sort in time order)."""
    return PlanPeriod(label, datetime.combine(first, time(), tz), datetime.combine(after, time(), tz))


def _cron_period(expression: str, tz: ZoneInfo, local: datetime) -> PlanPeriod:
    start = _canonical(croniter(expression, local + timedelta(seconds=1)).get_prev(datetime), tz)
    end = _canonical(croniter(expression, start).get_next(datetime), tz)
    return PlanPeriod(cron_label(start), start, end)


def _canonical(moment: datetime, tz: ZoneInfo) -> datetime:
    """The same instant with the fold that zoneinfo itself would give it."""
    return moment.astimezone(UTC).astimezone(tz)


def cron_label(start: datetime) -> str:
    """The period's first day, with its local start time when it does not start at midnight."""
    return start.strftime("%Y-%m-%d") if start.time() == time() else start.strftime("%Y-%m-%dT%H%M")


def short_periods(expression: str, zone: str) -> str | None:
    """The first day on which the cron expression fires twice (its periods would hold no whole day)."""
    tz = ZoneInfo(zone)
    fires = croniter(expression, datetime(2024, 1, 1, tzinfo=tz) - timedelta(seconds=1))
    previous = fires.get_next(datetime)
    for _ in range(CRON_CHECK_FIRES):
        fire = fires.get_next(datetime)
        if fire.date() == previous.date():
            return str(fire.date())
        previous = fire
    return None


# A plan's periods ----------------------------------------------------------------------------------


def plan_periods(cadence: str, zone: str, start: date, end: date | None) -> Iterator[PlanPeriod]:
    """Every period of the plan in order, from the one holding `start` to the one holding `end` (or on)."""
    tz = ZoneInfo(zone)
    period = containing(cadence, zone, datetime.combine(start, time(), tz))
    last = containing(cadence, zone, datetime.combine(end, time(), tz)) if end else None
    while last is None or period.start <= last.start:
        yield period
        period = following(cadence, zone, period)


def due_periods(cadence: str, zone: str, start: date, end: date | None, now: datetime,
                grace: timedelta = timedelta(0)) -> list[PlanPeriod]:
    """The plan's periods that have fully ended by `now`, oldest first."""
    due = []
    for period in plan_periods(cadence, zone, start, end):
        if not period.is_due(now, grace):
            break
        due.append(period)
    return due


def next_period(cadence: str, zone: str, start: date, end: date | None, now: datetime,
                grace: timedelta = timedelta(0)) -> PlanPeriod | None:
    """The first period not yet due at `now`, or None when the plan has ended."""
    for period in plan_periods(cadence, zone, start, end):
        if not period.is_due(now, grace):
            return period
    return None


_LABELS = {
    "monthly": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarterly": re.compile(r"^(\d{4})-Q([1-4])$"),
    "weekly": re.compile(r"^(\d{4})-W(\d{2})$"),
}


def find_period(cadence: str, zone: str, start: date, end: date | None, label: str) -> PlanPeriod:
    """The plan's period called `label`; a ScheduleError says what labels look like otherwise."""
    moment = _label_moment(cadence, zone, label.strip())
    period = containing(cadence, zone, moment) if moment else None
    if period is None or period.label != label.strip():
        raise ScheduleError(f"{label!r} is not a period of a {_cadence_name(cadence)} plan; "
                            f"periods look like {example_label(cadence, zone, start)}")
    first = next(plan_periods(cadence, zone, start, end))
    if period.start < first.start or (end and period.start > containing(cadence, zone, _midnight(end, zone)).start):
        raise ScheduleError(f"period {label} is outside the plan (from {first.label}"
                            f"{' to ' + str(end) if end else ''})")
    return period


def _label_moment(cadence: str, zone: str, label: str) -> datetime | None:
    pattern = _LABELS.get(cadence)
    try:
        if pattern is None:
            return datetime.fromisoformat(_cron_iso(label)).replace(tzinfo=ZoneInfo(zone))
        match = pattern.match(label)
        if not match:
            return None
        year, number = int(match[1]), int(match[2])
        day = {"monthly": lambda: date(year, number, 1), "quarterly": lambda: date(year, 3 * number - 2, 1),
               "weekly": lambda: date.fromisocalendar(year, number, 1)}[cadence]()
    except ValueError:
        return None
    return _midnight(day, zone)


def _cron_iso(label: str) -> str:
    """2025-01-06T0900 -> 2025-01-06T09:00 (labels avoid ':' because they name folders)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{4})?", label) is None:
        raise ValueError(label)
    return label if "T" not in label else f"{label[:13]}:{label[13:]}"


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone))


def example_label(cadence: str, zone: str, start: date) -> str:
    return containing(cadence, zone, _midnight(start, zone)).label


def _cadence_name(cadence: str) -> str:
    return cadence if cadence in _LABELS else f"cron ({cadence})"
