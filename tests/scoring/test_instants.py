"""Instants and keys read without a polars query (audit.scoring.metrics.instants, issue 13) must give what
the polars expressions they replace give: the same microseconds, weeks, first rows of each message and local
clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.enrich.signals import local_time, with_local_time
from audit.scoring.metrics.instants import first_of_each, microseconds, weeks_since
from audit.scoring.metrics.measures import AccountData, Period, week_of

PERIOD = Period(date(2025, 3, 1), date(2025, 4, 30))
TIMES = [datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 7, 23, 59, 59, 999_999, tzinfo=UTC),
         datetime(2025, 3, 8, tzinfo=UTC), datetime(2025, 3, 30, 1, 30, tzinfo=UTC),  # Europe's clocks change
         datetime(2025, 4, 30, 23, 59, tzinfo=UTC)]


def times() -> pl.Series:
    return pl.Series("published_at", TIMES, dtype=pl.Datetime("us", "UTC"))


def test_microseconds_and_weeks_are_polars_own():
    frame = times().to_frame()
    assert microseconds(times()).tolist() == frame["published_at"].dt.epoch("us").to_list()
    assert weeks_since(times(), PERIOD.start_at).tolist() == frame.select(week_of(PERIOD))["week"].to_list()


@pytest.mark.parametrize("keys", [["m1", "m2", "m1", "m3", "m2"], ["a", None, "a", None, "b"], [], ["x"]])
def test_the_first_row_of_each_key_is_where_polars_unique_keeps_it(keys):
    frame = pl.DataFrame({"k": keys}, schema={"k": pl.String}).with_row_index()
    kept = frame.unique("k", keep="first", maintain_order=True)["index"].to_list()
    assert first_of_each(frame["k"]).tolist() == kept


@pytest.mark.parametrize("zone", ["Europe/Paris", "Asia/Tokyo", "UTC", "America/St_Johns"])
def test_the_local_clock_made_without_a_query_is_the_converted_one(zone):
    posts = pl.DataFrame({"post_id": ["a", "b", "c", "d", "e"], "published_at": times(),
                          "audience_local_time": times(), "text": ["t"] * 5})
    audience = Audience({"en": 1.0}, zone, {"ko": 1.0}, "override", None)
    made = with_local_time(posts, audience)
    assert made.equals(posts.with_columns(local_time(audience)))
    assert posts["audience_local_time"].dtype == pl.Datetime("us", "UTC")  # the caller's frame is left as it was


def test_each_messages_first_post_read_off_sorted_posts_is_the_sorted_unique_one():
    messages = ["m1", "m2", "m1", "m3", "m2"]
    posts = pl.DataFrame({"post_id": list("abcde"), "published_at": times(), "message_id": messages})
    sorted_posts = AccountData(posts, PERIOD, Audience({"en": 1.0}, "UTC", {"ko": 1.0}, "override", None),
                               pl.DataFrame())
    shuffled = AccountData(posts.reverse(), PERIOD, sorted_posts.audience, pl.DataFrame())  # a query sorts them
    assert sorted_posts.messages.equals(shuffled.messages)
    assert sorted_posts.messages["message_id"].to_list() == ["m1", "m2", "m3"]
    assert sorted_posts.weekly == shuffled.weekly == [2, 0, 0, 0, 1, 0, 0, 0, 0]  # m1 on Mar 1, m2 Mar 7, m3 Mar 30
