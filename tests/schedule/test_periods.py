"""Due periods: month ends, leap years, time zones (due at LOCAL midnight), quarters, ISO weeks, cron."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from audit.errors import ConfigError, ScheduleError
from audit.schedule.periods import (
    containing,
    current_time,
    due_periods,
    find_period,
    next_period,
    plan_periods,
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def labels(cadence: str, zone: str, start: date, end: date | None, now: datetime, **kw: timedelta) -> list[str]:
    return [p.label for p in due_periods(cadence, zone, start, end, now, **kw)]


def test_month_ends_and_year_ends() -> None:
    jan = containing("monthly", "UTC", utc(2025, 1, 31, 23, 59))
    assert (jan.label, jan.first_day, jan.last_day) == ("2025-01", date(2025, 1, 1), date(2025, 1, 31))
    dec = containing("monthly", "UTC", utc(2024, 12, 15))
    assert (dec.label, dec.last_day) == ("2024-12", date(2024, 12, 31))
    assert containing("monthly", "UTC", dec.end).label == "2025-01"
    assert [p.last_day.day for p in plan_periods("monthly", "UTC", date(2025, 1, 1), date(2025, 12, 1))] == [
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def test_february_of_a_leap_year_has_29_days() -> None:
    feb = containing("monthly", "Asia/Seoul", datetime(2024, 2, 10, tzinfo=ZoneInfo("Asia/Seoul")))
    assert (feb.first_day, feb.last_day) == (date(2024, 2, 1), date(2024, 2, 29))
    assert containing("monthly", "UTC", utc(2025, 2, 10)).last_day == date(2025, 2, 28)
    assert labels("monthly", "UTC", date(2024, 2, 1), None, utc(2024, 2, 29, 23, 59)) == []
    assert labels("monthly", "UTC", date(2024, 2, 1), None, utc(2024, 3, 1)) == ["2024-02"]


def test_a_month_is_due_at_local_midnight_after_it_ends() -> None:
    # Asia/Seoul is UTC+9: January has ended at 2025-02-01 00:00 KST = 2025-01-31 15:00 UTC.
    assert labels("monthly", "Asia/Seoul", date(2025, 1, 1), None, utc(2025, 1, 31, 14, 59, 59)) == []
    assert labels("monthly", "Asia/Seoul", date(2025, 1, 1), None, utc(2025, 1, 31, 15, 0)) == ["2025-01"]
    # The same instant is still January 31 in UTC and in New York: not due there.
    assert labels("monthly", "UTC", date(2025, 1, 1), None, utc(2025, 1, 31, 15, 0)) == []
    # America/New_York: UTC-5 in January, UTC-4 (summer time) in March.
    ny = "America/New_York"
    assert labels("monthly", ny, date(2025, 1, 1), None, utc(2025, 2, 1, 4, 59)) == []
    assert labels("monthly", ny, date(2025, 1, 1), None, utc(2025, 2, 1, 5, 0)) == ["2025-01"]
    march = containing("monthly", ny, utc(2025, 3, 15))
    assert march.due_at().astimezone(UTC) == utc(2025, 4, 1, 4, 0)


def test_grace_hours_delay_the_due_time() -> None:
    now = utc(2025, 2, 1, 5, 0)
    assert labels("monthly", "UTC", date(2025, 1, 1), None, now) == ["2025-01"]
    assert labels("monthly", "UTC", date(2025, 1, 1), None, now, grace=timedelta(hours=6)) == []
    assert labels("monthly", "UTC", date(2025, 1, 1), None, now + timedelta(hours=1), grace=timedelta(hours=6)) \
        == ["2025-01"]


def test_quarters() -> None:
    q = containing("quarterly", "Europe/Berlin", utc(2025, 5, 20))
    assert (q.label, q.first_day, q.last_day) == ("2025-Q2", date(2025, 4, 1), date(2025, 6, 30))
    assert labels("quarterly", "UTC", date(2024, 11, 5), None, utc(2025, 7, 1)) == ["2024-Q4", "2025-Q1", "2025-Q2"]
    assert containing("quarterly", "UTC", utc(2024, 12, 31)).end == datetime(2025, 1, 1, tzinfo=ZoneInfo("UTC"))


def test_iso_weeks_start_on_monday() -> None:
    w = containing("weekly", "Asia/Seoul", utc(2025, 1, 1))
    assert (w.label, w.first_day, w.last_day) == ("2025-W01", date(2024, 12, 30), date(2025, 1, 5))
    assert containing("weekly", "UTC", utc(2021, 1, 3)).label == "2020-W53"
    # Due at Monday 00:00 in Seoul = Sunday 15:00 UTC.
    assert labels("weekly", "Asia/Seoul", date(2025, 1, 1), None, utc(2025, 1, 5, 14, 59)) == []
    assert labels("weekly", "Asia/Seoul", date(2025, 1, 1), None, utc(2025, 1, 5, 15)) == ["2025-W01"]


def test_cron_periods_run_from_one_fire_time_to_the_next() -> None:
    seoul = ZoneInfo("Asia/Seoul")
    p = containing("0 9 * * 1", "Asia/Seoul", datetime(2025, 1, 8, tzinfo=seoul))
    assert p.label == "2025-01-06T0900"
    assert (p.start, p.end) == (datetime(2025, 1, 6, 9, tzinfo=seoul), datetime(2025, 1, 13, 9, tzinfo=seoul))
    assert (p.first_day, p.last_day) == (date(2025, 1, 6), date(2025, 1, 12))
    # Monday 09:00 KST = Monday 00:00 UTC.
    assert not p.is_due(utc(2025, 1, 12, 23, 59))
    assert p.is_due(utc(2025, 1, 13, 0, 0))
    every_two_months = labels("0 0 1 */2 *", "UTC", date(2025, 1, 1), None, utc(2025, 7, 1))
    assert every_two_months == ["2025-01-01", "2025-03-01", "2025-05-01"]
    assert containing("0 0 1 */2 *", "UTC", utc(2025, 3, 1)).last_day == date(2025, 4, 30)


def test_catch_up_lists_every_missed_period_in_order_and_stops_at_the_end() -> None:
    start, end = date(2025, 1, 1), date(2025, 6, 30)
    assert labels("monthly", "Asia/Seoul", start, end, utc(2025, 4, 10)) == ["2025-01", "2025-02", "2025-03"]
    assert labels("monthly", "Asia/Seoul", start, end, utc(2026, 1, 1)) == [
        "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert next_period("monthly", "Asia/Seoul", start, end, utc(2025, 4, 10)).label == "2025-04"  # type: ignore[union-attr]
    assert next_period("monthly", "Asia/Seoul", start, end, utc(2026, 1, 1)) is None
    # A start in the middle of a month audits that whole month.
    assert labels("monthly", "UTC", date(2025, 1, 15), None, utc(2025, 2, 1)) == ["2025-01"]


def test_find_period_by_label() -> None:
    start, end = date(2025, 1, 1), date(2025, 6, 30)
    assert find_period("monthly", "UTC", start, end, "2025-03").first_day == date(2025, 3, 1)
    assert find_period("quarterly", "UTC", start, None, "2025-Q3").last_day == date(2025, 9, 30)
    assert find_period("weekly", "UTC", start, None, "2025-W10").first_day == date(2025, 3, 3)
    assert find_period("0 9 * * 1", "Asia/Seoul", start, None, "2025-01-13T0900").last_day == date(2025, 1, 19)
    with pytest.raises(ScheduleError, match=r"'March' is not a period of a monthly plan; periods look like 2025-01"):
        find_period("monthly", "UTC", start, end, "March")
    with pytest.raises(ScheduleError, match=r"period 2025-07 is outside the plan \(from 2025-01 to 2025-06-30\)"):
        find_period("monthly", "UTC", start, end, "2025-07")
    with pytest.raises(ScheduleError, match="not a period of a cron"):
        find_period("0 9 * * 1", "Asia/Seoul", start, None, "2025-01-14T0900")


def test_the_clock_can_be_injected(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = utc(2025, 2, 1)
    assert current_time(moment) == moment
    assert current_time(datetime(2025, 2, 1)) == moment
    monkeypatch.setenv("AUDIT_NOW", "2025-02-01T09:00:00+09:00")
    assert current_time() == moment
    monkeypatch.setenv("AUDIT_NOW", "2025-02-01")
    assert current_time() == moment
    monkeypatch.setenv("AUDIT_NOW", "yesterday")
    with pytest.raises(ConfigError, match="AUDIT_NOW: expected an ISO 8601 time"):
        current_time()
    monkeypatch.delenv("AUDIT_NOW")
    assert abs(current_time() - datetime.now(UTC)) < timedelta(seconds=5)
