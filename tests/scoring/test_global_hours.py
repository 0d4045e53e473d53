"""A global account's posting hours are drawn in UTC against the hours when most of its readers are awake."""

from datetime import date

import polars as pl

from audit.enrich.audience import Audience, audience_for
from audit.report.charts import hours_chart
from audit.scoring.metrics.measures import AccountData, Period
from audit.scoring.metrics.worldtime import awake_by_utc_hour


def test_one_zone_is_awake_in_its_own_waking_hours_read_in_utc() -> None:
    awake = awake_by_utc_hour((("Asia/Tokyo", 1.0),), date(2025, 1, 15), 8, 22)
    # Tokyo is UTC+9: 08:00-21:59 there is 23:00-12:59 UTC.
    assert [h for h, share in enumerate(awake) if share == 1.0] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 23]
    assert all(share == 0.0 for h, share in enumerate(awake) if 13 <= h <= 22)


def test_two_zones_weigh_by_their_readers() -> None:
    awake = awake_by_utc_hour((("Asia/Tokyo", 0.75), ("Europe/Paris", 0.25)), date(2025, 1, 15), 8, 22)
    assert awake[10] == 1.0  # 19:00 in Tokyo, 11:00 in Paris
    assert awake[15] == 0.25  # 00:00 in Tokyo, 16:00 in Paris
    assert awake[23] == 0.75  # 08:00 in Tokyo, 00:00 in Paris


def test_the_chart_of_a_global_account_says_utc() -> None:
    hours = [1] * 24
    awake = [1.0 if h < 12 else 0.0 for h in range(24)]
    chart = hours_chart(hours, "Asia/Seoul", (8, 22), awake)
    assert chart is not None and chart.alt.startswith("Posting hours in UTC: 50%")
    local = hours_chart(hours, "Asia/Seoul", (8, 22))
    assert local is not None and local.alt.startswith("Posting hours in Asia/Seoul: 58%")


def test_a_ministry_account_given_a_timezone_is_read_on_that_clock() -> None:
    world = {"en": 0.5, "fr": 0.5}
    default = audience_for(home_country="KR", host_country=None, global_languages=world, min_share=0.05)
    given = audience_for(home_country="KR", host_country=None, global_languages=world, min_share=0.05,
                         override_timezone="Europe/Paris")
    assert not default.timezone_given and given.timezone_given and given.timezone == "Europe/Paris"
    assert _speaks_to_world(default) and not _speaks_to_world(given)


def _speaks_to_world(audience: Audience) -> bool:
    return AccountData(pl.DataFrame(), Period(date(2025, 1, 1), date(2025, 1, 31)), audience,
                       pl.DataFrame()).speaks_to_world
