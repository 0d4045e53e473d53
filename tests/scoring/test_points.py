"""Every metric reads its counts, means and medians from one query for all metrics of an account
(audit.scoring.metrics.points.prefetch): each must measure exactly what it measures with its own query alone,
on accounts with missing engagement counts, date-only posts, a global audience, a transition and no posts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.events.model import Event
from audit.scoring.assemble import series, weekly_series
from audit.scoring.metrics.measures import AccountData
from audit.scoring.metrics.parity import language_profile
from audit.scoring.metrics.points import QUERIES, counted, prefetch, ranked
from audit.scoring.metrics.table import METRICS
from tests.scoring.test_confidence import account_data

WORLD = Audience({"en": 0.4, "fr": 0.2, "es": 0.2, "ja": 0.1}, "Asia/Seoul", {"ko": 1.0}, "global")
HANDOVER = Event("gov", "New government", "transition", datetime(2025, 3, 10, tzinfo=UTC), None, ("KR",))


def varied(data: AccountData, seed: int, counts: bool = True, timed: float = 0.9) -> AccountData:
    """The same posts with media, labels, engagement counts (some missing), cultural assets and date-only times."""
    rng = np.random.default_rng(seed)
    n = data.n
    likes = [None if not counts or rng.random() < 0.2 else int(rng.integers(0, 50)) for _ in range(n)]
    return replace(data, authored=data.authored.with_columns(
        pl.Series("media_count", rng.integers(0, 2, n)), pl.Series("likes", likes, dtype=pl.Int64),
        pl.Series("cultural_asset", rng.random(n) < 0.3),
        pl.Series("label", rng.choice(["diplomacy", "outreach", "consular"], n)),
        pl.Series("time_precision", np.where(rng.random(n) < timed, "second", "day")),
    ))


ACCOUNTS = {
    "embassy": varied(account_data(30, seed=7), 1),
    "global, transition": replace(varied(account_data(40, seed=5), 2), audience=WORLD, transitions=(HANDOVER,)),
    "no counts, dates only": varied(account_data(12, seed=3), 3, counts=False, timed=0.0),
    "no posts": replace(account_data(8, seed=2), authored=account_data(8, seed=2).authored.clear()),
}


@pytest.mark.parametrize("account", sorted(ACCOUNTS))
@pytest.mark.parametrize("name", sorted(METRICS))
def test_a_metric_measures_the_same_from_the_shared_query_as_from_its_own(account: str, name: str) -> None:
    alone, batched = replace(ACCOUNTS[account]), replace(ACCOUNTS[account])
    prefetch(batched, QUERIES)
    assert set(batched.points) == set(QUERIES)
    assert METRICS[name].function(batched) == METRICS[name].function(alone)


@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_the_charts_and_the_language_profile_read_the_shared_query_alike(account: str) -> None:
    alone, batched = replace(ACCOUNTS[account]), replace(ACCOUNTS[account])
    prefetch(batched, QUERIES)
    weekly = weekly_series(alone.authored, alone.period)
    assert series(batched, weekly) == series(alone, weekly)
    assert language_profile(batched) == language_profile(alone)


@pytest.mark.parametrize("values", [["b", "a", "b", None, "c", "a"], [None, None, "x"], ["z"], []])
def test_counted_values_come_in_the_order_a_group_by_and_sort_gives(values: list[str | None]) -> None:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    counts = frame.select(counted("v")).item().to_list()
    by_count = frame.group_by("v").len().sort(["len", "v"], descending=[True, False])
    assert ranked(counts, "v", by_count=True) == list(by_count.iter_rows())
    assert ranked(counts, "v", by_count=False) == list(frame.group_by("v").len().sort("v").iter_rows())
