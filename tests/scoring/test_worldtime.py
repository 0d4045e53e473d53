"""A global audience's waking hours: its time zones weighted by population, never the capital's clock
(issue 9, item 4). The rule is in audit/scoring/metrics/worldtime.py; the figures below are worked out
by hand from it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.scoring.metrics.cadence import waking_hours_share
from audit.scoring.metrics.measures import AccountData, Period
from audit.scoring.metrics.worldtime import audience_zones, awake_share

UN = ("ar", "en", "es", "fr", "ru", "zh")
TOKYO_NEW_YORK = (("Asia/Tokyo", 0.75), ("America/New_York", 0.25))


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def series(times: list[datetime]) -> pl.Series:
    return pl.Series("published_at", times, dtype=pl.Datetime("us", "UTC"))


@pytest.mark.parametrize(("when", "expected"), [
    (at(1, 15, 1), 1.0),  # Tokyo 10:00, New York 20:00: both awake
    (at(1, 15, 13), 0.25),  # Tokyo 22:00 (asleep: waking is [8, 22)), New York 08:00
    (at(1, 15, 4, 30), 0.75),  # Tokyo 13:30, New York 23:30
    (at(1, 15, 12), 0.75),  # January: New York is UTC-5, 07:00
    (at(7, 15, 12), 1.0),  # July: daylight saving, New York 08:00
])
def test_a_posts_waking_share_is_the_weight_of_the_zones_awake(when, expected):
    assert awake_share(series([when]), TOKYO_NEW_YORK, 8, 22).to_list() == [expected]


@pytest.mark.parametrize(("when", "expected"), [(at(1, 15, 2, 45), 1.0), (at(1, 15, 2, 15), 0.0)])
def test_half_hour_zones_are_read_to_the_quarter_hour(when, expected):
    """India is UTC+5:30: 02:45 UTC is 08:15 there (awake), 02:15 UTC is 07:45 (asleep)."""
    assert awake_share(series([when]), [("Asia/Kolkata", 1.0)], 8, 22).to_list() == [expected]


def test_the_un_languages_audience_lives_in_many_zones_weighted_by_population():
    zones = dict(audience_zones(UN))
    assert sum(zones.values()) == pytest.approx(1.0)
    assert max(zones, key=lambda z: zones[z]) == "Asia/Shanghai"
    assert 0.2 < zones["Asia/Shanghai"] < 0.4 and zones["America/New_York"] > zones["Europe/London"]
    assert dict(audience_zones(("ja",)))["Asia/Tokyo"] > 0.99  # Japanese readers live in Japan


def test_no_single_hour_wakes_the_whole_world_but_13_utc_comes_close():
    share = awake_share(series([at(1, 15, h) for h in range(24)]), audience_zones(UN), 8, 22).to_list()
    assert max(share) == share[13] and share[13] > 0.9
    assert min(share) < 0.25


def global_account(times: list[datetime]) -> AccountData:
    audience = Audience({"en": 0.18, "zh": 0.14, "es": 0.07, "fr": 0.04, "ar": 0.03, "ru": 0.03}, "Asia/Seoul",
                        {"ko": 1.0}, "global")
    authored = pl.DataFrame({"post_id": [f"p{i}" for i in range(len(times))], "published_at": times,
                             "time_precision": ["second"] * len(times), "text": [f"t{i}" for i in range(len(times))]},
                            schema={"post_id": pl.String, "published_at": pl.Datetime("us", "UTC"),
                                    "time_precision": pl.String, "text": pl.String})
    authored = authored.with_columns(pl.col("published_at").dt.convert_time_zone("Asia/Seoul")
                                     .alias("audience_local_time"))
    return AccountData(authored, Period(date(2025, 1, 1), date(2025, 1, 31)), audience, pl.DataFrame())


def test_a_global_account_is_not_timed_by_seoul():
    """Every post at 10:00 in Seoul (01:00 UTC): all in Seoul's waking hours, but at 01:00 UTC half of
    the global audience (the Americas, Europe, Africa) is asleep."""
    posts = [at(1, d, 1) for d in range(1, 29)]
    m = waking_hours_share(global_account(posts))
    expected = awake_share(series(posts[:1]), audience_zones(UN), 8, 22)[0]
    assert m.value == pytest.approx(expected) and 0.4 < expected < 0.6
    assert "global audience" in m.details["timezone"]
    assert m.details["timezone"] != "Asia/Seoul"


ODD_CLOCKS = (("America/St_Johns", 0.25), ("Australia/Lord_Howe", 0.25), ("Pacific/Chatham", 0.25),
              ("Europe/London", 0.25))
"""Zones whose clocks change by half an hour or at a time that is not a whole UTC hour."""


@pytest.mark.parametrize("zones", [ODD_CLOCKS, TOKYO_NEW_YORK], ids=["odd clocks", "Tokyo and New York"])
def test_every_quarter_hour_of_a_year_reads_each_zones_own_clock_on_the_days_it_changes(zones):
    """The fast path reads a zone's offset once a day; each quarter-hour must still wake the zones that
    converting it to every zone wakes, on the days the clocks change too."""
    times = pl.datetime_range(at(1, 1, 0), datetime(2026, 1, 1, tzinfo=UTC), "15m", eager=True, time_zone="UTC")
    hours = [times.dt.convert_time_zone(zone).dt.hour() for zone, _ in zones]
    expected = sum(((h >= 8) & (h < 22)).cast(pl.Float64) * weight for h, (_, weight) in zip(hours, zones,
                                                                                            strict=True))
    found = awake_share(times.dt.cast_time_unit("us").rename("published_at"), zones, 8, 22)
    assert found.to_list() == pytest.approx(expected.to_list(), abs=1e-12)
