"""Scoring takes the rows and columns each step reads, and no more (issue 13: every filter copies what it
carries, the text among it): an account's authored posts without the columns no metric reads, the posts
events are matched in with the seven columns that matching reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from audit.scoring.metrics.measures import Period
from audit.scoring.selection import (
    PERIOD_READS,
    RESPONSE_READS,
    UNREAD_IN_SCORING,
    authored_of,
    authored_posts,
    of_period,
    period_reads,
)

PERIOD = Period(date(2025, 3, 1), date(2025, 3, 31))
DAY = datetime(2025, 3, 10, 9, tzinfo=UTC)
POSTS = [  # (post id, when, kind, templated repeat)
    ("late", DAY + timedelta(hours=5), "post", False),
    ("early", DAY, "reply", False),
    ("again", DAY + timedelta(hours=1), "post", True),
    ("shared", DAY + timedelta(hours=2), "repost", False),
    ("before", datetime(2025, 2, 27, tzinfo=UTC), "post", False),
]


@pytest.fixture
def signalled() -> pl.DataFrame:
    ids, times, kinds, repeats = zip(*POSTS, strict=True)
    return pl.DataFrame({"account_id": ["mofa"] * len(ids), "post_id": ids, "published_at": times, "kind": kinds,
                         "templated_repeat": repeats, "text": [f"text of {i}" for i in ids],
                         "hashtags": [[] for _ in ids], "audience": ["host"] * len(ids),
                         "source": ["Twitter Web App"] * len(ids), "lang": ["en"] * len(ids)},
                        schema_overrides={"hashtags": pl.List(pl.String)})


def test_authored_posts_are_the_periods_in_time_order_each_repeat_counted_once(signalled: pl.DataFrame) -> None:
    authored, repeats = authored_posts(signalled, PERIOD)
    assert authored["post_id"].to_list() == ["early", "late"]
    assert repeats == 1


def test_authored_posts_leave_out_the_columns_scoring_never_reads(signalled: pl.DataFrame) -> None:
    authored, _ = authored_posts(signalled, PERIOD)
    assert not set(authored.columns) & set(UNREAD_IN_SCORING)
    assert {"text", "lang", "post_id", "published_at", "kind"} <= set(authored.columns)


def test_the_posts_events_are_matched_in_carry_only_what_matching_reads(signalled: pl.DataFrame) -> None:
    authored = authored_of(signalled, PERIOD)
    assert authored.columns == list(RESPONSE_READS)
    assert sorted(authored["post_id"]) == ["early", "late"]


@pytest.mark.parametrize(("keep_all", "expected"), [(False, [c for c in PERIOD_READS if c in ("kind", "published_at",
                                                                                               "lang")]),
                                                    (True, None)])
def test_the_periods_posts_keep_every_column_only_for_posts_out(signalled: pl.DataFrame, keep_all: bool,
                                                                 expected: list[str] | None) -> None:
    kept = of_period(period_reads(signalled, keep_all), PERIOD)
    assert kept.columns == (expected or signalled.columns)
    assert kept.height == 4  # the post of February is outside
