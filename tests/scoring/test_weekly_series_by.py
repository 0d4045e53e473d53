"""Every account's chart weeks and kinds counted in one grouped query (`weekly_series_by`, issue 13) are what
`weekly_series` counts on each account's posts alone: one account's posts never land in another's weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from audit.scoring.assemble import weekly_series, weekly_series_by
from audit.scoring.metrics.measures import Period

PERIOD = Period(date(2025, 1, 1), date(2025, 1, 31))  # 31 days: 5 weeks, the last of 3 days
START = datetime(2025, 1, 1, 10, tzinfo=UTC)
POSTS = {  # account -> (days after Jan 1, 10:00 UTC, kind)
    "mofa": [(0, "post"), (0, "repost"), (6, "reply"), (29, "quote"), (30, "post")],
    "emb-jp": [(1, "repost"), (2, "repost"), (8, None), (15, "post")],  # a post of no known kind: a kind, no week
    "emb-sa": [(3, None)],  # only a post of no known kind: no week at all
}


def posts() -> pl.DataFrame:
    rows = [(account, START + timedelta(days=d), kind) for account, made in POSTS.items() for d, kind in made]
    schema = {"account_id": pl.String, "published_at": pl.Datetime("us", "UTC"), "kind": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row").sample(fraction=1.0, shuffle=True, seed=5)  # any order


@pytest.mark.parametrize("account", list(POSTS))
def test_each_accounts_weeks_counted_with_the_others_are_its_own(account: str) -> None:
    alone = weekly_series(posts().filter(pl.col("account_id") == account), PERIOD)
    assert weekly_series_by(posts(), PERIOD)[account] == alone


def test_the_weeks_and_kinds_worked_out_by_hand() -> None:
    weeks, kinds = weekly_series_by(posts(), PERIOD)["mofa"]
    assert [(w["week_start"], w["authored"], w["reposts"]) for w in weeks] == [
        ("2025-01-01", 2, 1), ("2025-01-08", 0, 0), ("2025-01-15", 0, 0), ("2025-01-22", 0, 0), ("2025-01-29", 2, 0)]
    assert kinds == {"post": 2, "quote": 1, "reply": 1, "repost": 1}
    assert weekly_series_by(posts(), PERIOD)["emb-jp"][1] == {None: 1, "post": 1, "repost": 2}  # null first


def test_an_account_without_posts_is_absent() -> None:
    assert "emb-th" not in weekly_series_by(posts(), PERIOD)


def test_no_posts_of_a_known_kind_count_no_week() -> None:
    only_unknown = posts().filter(pl.col("account_id") == "emb-sa")
    assert weekly_series_by(only_unknown, PERIOD) == {"emb-sa": weekly_series(only_unknown, PERIOD)}
    assert weekly_series_by(posts().clear(), PERIOD) == {}
