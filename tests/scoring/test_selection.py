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
    authored_by_account,
    authored_of,
    authored_posts,
    in_account_order,
    of_period,
    period_reads,
    split_accounts,
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


HAND_MADE = ("account_id", "kind", "published_at", "lang")
"""The columns of PERIOD_READS the hand-made posts have."""


@pytest.mark.parametrize(("keep_all", "expected"), [(False, [c for c in PERIOD_READS if c in HAND_MADE]),
                                                    (True, None)])
def test_the_periods_posts_keep_every_column_only_for_posts_out(signalled: pl.DataFrame, keep_all: bool,
                                                                 expected: list[str] | None) -> None:
    kept = of_period(period_reads(signalled, keep_all), PERIOD)
    assert kept.columns == (expected or signalled.columns)
    assert kept.height == 4  # the post of February is outside


def mixed(signalled: pl.DataFrame) -> pl.DataFrame:
    """Two accounts' posts interleaved, the second's at the first's times (ties across accounts)."""
    other = signalled.with_columns(pl.lit("emb-jp").alias("account_id"), pl.col("post_id") + "-jp")
    return pl.concat([signalled, other]).sample(fraction=1.0, shuffle=True, seed=7)


def test_every_accounts_authored_posts_at_once_are_those_each_gets_alone(signalled: pl.DataFrame) -> None:
    table = mixed(signalled)
    together = authored_by_account(table, PERIOD)
    assert set(together) == {"mofa", "emb-jp"}
    for account in ("mofa", "emb-jp"):
        authored, repeats = authored_posts(table.filter(pl.col("account_id") == account), PERIOD)
        assert together[account][0].equals(authored) and together[account][1] == repeats == 1


def test_an_account_with_no_authored_post_in_the_period_has_none_at_once(signalled: pl.DataFrame) -> None:
    shared_only = signalled.filter(pl.col("kind") == "repost")
    assert authored_by_account(shared_only, PERIOD) == {}


def test_each_accounts_posts_split_keep_their_order(signalled: pl.DataFrame) -> None:
    table = mixed(signalled)
    split = split_accounts(table)
    for account in ("mofa", "emb-jp"):
        assert split[account].equals(table.filter(pl.col("account_id") == account))
    assert split_accounts(signalled)["mofa"] is signalled  # one account: the table itself, no copy


def test_a_post_without_a_time_is_not_of_the_period(signalled: pl.DataFrame) -> None:
    timeless = signalled.with_columns(pl.when(pl.col("post_id") == "late").then(None).otherwise(pl.col("published_at"))
                                      .alias("published_at"))
    assert sorted(of_period(timeless, PERIOD)["post_id"]) == ["again", "early", "shared"]
    inside = signalled.filter(pl.col("post_id") != "before")
    assert of_period(inside, PERIOD) is inside  # all of the period: the table itself, no copy


@pytest.mark.parametrize(("order", "together"), [
    (["mofa", "mofa", "emb-jp", "emb-jp"], True),  # each account's posts together, in time order
    (["mofa", "emb-jp", "mofa", "emb-jp"], False),  # interleaved
])
def test_posts_as_collect_leaves_them_need_no_sort(order: list[str], together: bool) -> None:
    times = [DAY, DAY + timedelta(hours=1), DAY, DAY + timedelta(hours=2)] if together else [DAY] * 4
    posts = pl.DataFrame({"account_id": order, "published_at": times})
    assert in_account_order(posts) is together


def test_a_post_back_in_time_or_without_a_time_needs_the_sort() -> None:
    back = pl.DataFrame({"account_id": ["mofa"] * 3, "published_at": [DAY, DAY + timedelta(hours=1), DAY]})
    timeless = pl.DataFrame({"account_id": ["mofa"] * 3, "published_at": [DAY + timedelta(hours=5), None, DAY]},
                            schema_overrides={"published_at": pl.Datetime("us", "UTC")})
    assert not in_account_order(back) and not in_account_order(timeless)
    assert in_account_order(back.clear())


def test_every_accounts_authored_posts_in_collect_order_are_those_each_gets_alone(signalled: pl.DataFrame) -> None:
    other = signalled.with_columns(pl.lit("emb-jp").alias("account_id"), pl.col("post_id") + "-jp")
    table = pl.concat([signalled, other]).sort(pl.col("account_id").rle_id(), "published_at", maintain_order=True)
    assert in_account_order(table)
    together, told = authored_by_account(table, PERIOD), authored_by_account(table, PERIOD, in_order=True)
    split = split_accounts(table, in_order=True)  # slices of the table as it is
    for account in ("mofa", "emb-jp"):
        mine = table.filter(pl.col("account_id") == account)
        assert together[account][0].equals(authored_posts(mine, PERIOD)[0]) and told[account][0].equals(
            together[account][0])
        assert split[account].equals(mine)
