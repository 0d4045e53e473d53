"""Holes in the export are not silences (issue 9, item 4): worked out by hand on one small account.

The period is 2025-01-01 .. 2025-02-25 (56 days, 8 weeks). Authored posts, all at 10:00 UTC:

    Jan 1, Jan 4 | a repost on Jan 10 | nothing until Feb 15 | Feb 15, Feb 18, Feb 22

Jan 10 10:00 -> Feb 15 10:00 is 36 days without data of any kind: a hole (30 days or more). The days
with data are 56 - 36 = 20; the weeks wholly inside the hole are weeks 2-5 (Jan 15 .. Feb 11), so the
weeks that count are 0, 1, 6 and 7, with 2, 0, 2 and 1 posts.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.scoring.metrics.cadence import active_week_share, longest_gap_days, posts_per_week, regularity_cv
from audit.scoring.metrics.crisis import response_rate_24h
from audit.scoring.metrics.measures import AccountData, Hole, Period, data_holes, holes_from_gaps, union_holes

PERIOD = Period(date(2025, 1, 1), date(2025, 2, 25))
AUDIENCE = Audience({"ja": 0.95}, "Asia/Tokyo", {"ko": 1.0}, "host")
AUTHORED = [datetime(2025, m, d, 10, tzinfo=UTC) for m, d in ((1, 1), (1, 4), (2, 15), (2, 18), (2, 22))]
REPOST = datetime(2025, 1, 10, 10, tzinfo=UTC)


def frame(times: list[datetime]) -> pl.DataFrame:
    return pl.DataFrame({"post_id": [f"p{i}" for i in range(len(times))], "published_at": times},
                        schema={"post_id": pl.String, "published_at": pl.Datetime("us", "UTC")})


def account(times: list[datetime], everything: list[datetime]) -> AccountData:
    holes = data_holes(frame(everything)["published_at"], PERIOD)
    return AccountData(frame(times), PERIOD, AUDIENCE, pl.DataFrame(), holes=holes)


@pytest.fixture
def with_hole() -> AccountData:
    return account(AUTHORED, [*AUTHORED, REPOST])


def test_a_stretch_of_30_days_without_any_data_is_a_hole(with_hole):
    assert with_hole.holes == (Hole(REPOST, AUTHORED[2]),)
    assert with_hole.holes[0].days == 36.0
    assert with_hole.covered_days == 20.0
    assert with_hole.covered_weeks() == [0, 1, 6, 7]


def test_posts_per_week_counts_only_the_days_with_data(with_hole):
    m = posts_per_week(with_hole)
    assert m.value == pytest.approx(5 / (20 / 7))  # 1.75, not 5 / 8 = 0.625
    assert m.details["days"] == 20 and m.details["hole_days"] == 36.0


def test_weeks_inside_a_hole_are_neither_active_nor_quiet(with_hole):
    m = active_week_share(with_hole)
    assert m.value == 0.75  # 3 of the 4 observed weeks, not 3 of 8
    assert (m.details["active_weeks"], m.details["weeks"]) == (3, 4)


def test_regularity_reads_the_observed_weeks_only(with_hole):
    mean = 5 / 4
    std = math.sqrt(sum((c - mean) ** 2 for c in (2, 0, 2, 1)) / 4)
    assert regularity_cv(with_hole).value == pytest.approx(std / mean)


def test_the_longest_silence_stops_where_the_hole_starts(with_hole):
    m = longest_gap_days(with_hole)
    assert m.value == 6.0  # Jan 4 -> the last data on Jan 10, not Jan 4 -> Feb 15 (42 days)
    assert (m.details["gap_start"], m.details["gap_end"]) == ("2025-01-04", "2025-01-10")
    assert m.evidence == ["p1"]  # the post that opened the silence; the hole's edge is no post


def test_without_the_hole_the_same_posts_read_as_a_long_silence():
    """The same posts with a repost every week in between: now it was observed, and it is a silence."""
    weekly = [REPOST + timedelta(weeks=k) for k in range(6)]  # Jan 10 .. Feb 14
    data = account(AUTHORED, [*AUTHORED, *weekly])
    assert data.holes == ()
    assert longest_gap_days(data).value == 42.0
    assert active_week_share(data).value == 3 / 8


@pytest.mark.parametrize("metric", [posts_per_week, active_week_share, regularity_cv, longest_gap_days])
def test_an_account_with_no_data_in_the_period_is_not_measured_never_zero(metric):
    data = account([], [])
    assert data.holes == (Hole(PERIOD.start_at, PERIOD.end_before),)
    m = metric(data)
    assert m.value is None and m.reason


def test_a_short_period_without_data_is_one_hole_too():
    period = Period(date(2025, 1, 1), date(2025, 1, 14))
    assert data_holes(frame([])["published_at"], period) == (Hole(period.start_at, period.end_before),)
    data = AccountData(frame([]), period, AUDIENCE, pl.DataFrame(), holes=data_holes(frame([])["published_at"], period))
    assert "no data at all" in (posts_per_week(data).reason or "")


def test_holes_a_live_collector_could_not_see_count_too_and_overlaps_count_once():
    """The collector records days it could not see (coverage.gaps with a cause); merged with the holes
    in the data, an overlap is left out once: Jan 10 10:00 .. Feb 15 10:00 and Feb 1 .. Feb 20 make one."""
    seen = holes_from_gaps([{"from": "2025-02-01", "to": "2025-02-20", "cause": "not_collected"},
                            {"from": "2025-02-24", "to": "2025-02-24"}])  # an empty span is no hole
    assert seen == (Hole(datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 2, 20, tzinfo=UTC)),)
    data = account(AUTHORED, [*AUTHORED, REPOST])
    merged = union_holes(data.holes, seen)
    assert merged == (Hole(REPOST, datetime(2025, 2, 20, tzinfo=UTC)),)
    assert AccountData(data.authored, PERIOD, AUDIENCE, pl.DataFrame(), holes=merged).covered_days == pytest.approx(
        56 - (40 + 14 / 24))


def test_crises_in_a_period_without_any_data_are_not_measured_never_missed():
    responses = pl.DataFrame({"event_id": ["eq"], "event_type": ["crisis"], "first_post_id": [None],
                              "first_response_hours": [None], "responded_within_24h": [False]},
                             schema_overrides={"first_post_id": pl.String, "first_response_hours": pl.Float64})
    empty = account([], [])
    m = response_rate_24h(AccountData(empty.authored, PERIOD, AUDIENCE, responses, holes=empty.holes))
    assert m.value is None and "no data at all" in (m.reason or "")
    observed = account([], [REPOST])  # a repost shows the account was there, and did not answer
    seen = AccountData(observed.authored, PERIOD, AUDIENCE, responses, holes=observed.holes)
    assert response_rate_24h(seen).value == 0
