"""The bootstrap measures a metric on every unit at once (audit.scoring.unitwise): each twin must give what
the metric's own function gives on each unit's table, and whole audits of several accounts must resample
to the same values with the twins as with every metric run unit by unit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.events.model import Event
from audit.scoring import resample, unitwise
from audit.scoring.confidence import bootstrap, week_units
from audit.scoring.metrics.measures import AccountData, Hole, Measure
from audit.scoring.metrics.table import METRICS
from audit.scoring.rubric.loading import load_rubric
from audit.scoring.unitwise import TWINS, unit_measures
from tests.scoring.test_confidence import START, account_data

FORM_KEYS = {"count", "posts", "audience_posts", "home_posts", "messages", "posts_with_counts"}
"""The details the resample forms read (resample.RATIO_DETAILS, MEAN_DETAILS)."""
WORLD = Audience({"en": 0.4, "fr": 0.2, "es": 0.2, "ja": 0.1}, "Asia/Seoul", {"ko": 1.0}, "global")
HANDOVER = Event("gov", "New government", "transition", datetime(2025, 3, 10, tzinfo=UTC), None, ("KR",))


def varied(data: AccountData, seed: int) -> AccountData:
    """The same posts with media, engagement counts (some missing), cultural assets and date-only times."""
    rng = np.random.default_rng(seed)
    n = data.n
    likes = [None if rng.random() < 0.2 else int(rng.integers(0, 50)) for _ in range(n)]
    return replace(data, authored=data.authored.with_columns(
        pl.Series("media_count", rng.integers(0, 2, n)), pl.Series("likes", likes, dtype=pl.Int64),
        pl.Series("cultural_asset", rng.random(n) < 0.3),
        pl.Series("time_precision", np.where(rng.random(n) < 0.1, "day", "second")),
    ))


def accounts() -> dict[str, AccountData]:
    """A small ministry: an embassy over 30 weeks, a global account over 80 (26 blocks) with a change of
    government, and a sparse embassy with a hole in its export and some empty units."""
    embassy = varied(account_data(30, seed=7), 1)
    world = replace(varied(account_data(80, seed=5), 2), audience=WORLD, transitions=(HANDOVER,))
    sparse = varied(account_data(40, posts_per_week=1, seed=11), 3)
    hole = Hole(datetime.combine(START, datetime.min.time(), UTC) + timedelta(weeks=10),
                datetime.combine(START, datetime.min.time(), UTC) + timedelta(weeks=17))
    sparse = replace(sparse, authored=sparse.authored.filter(~pl.col("published_at").is_between(hole.start, hole.end)),
                     holes=(hole,))
    return {"emb-jp": embassy, "mofa": world, "emb-sparse": sparse}


@pytest.fixture(scope="module")
def ministry() -> dict[str, AccountData]:
    return accounts()


@pytest.mark.parametrize("name", sorted(TWINS))
@pytest.mark.parametrize("account", ["emb-jp", "mofa", "emb-sparse"])
def test_a_twin_gives_on_every_unit_what_its_metric_gives_on_the_units_table(ministry, name, account):
    data = ministry[account]
    units = week_units(data, np.random.default_rng(3), 10, exact=False)
    assert units.tagged is not None
    twins = unit_measures(data, units.tagged, len(units.parts), [name])[name]
    own = [METRICS[name].function(part) if part.n else Measure(None) for part in units.parts]
    assert [t.value is None for t in twins] == [o.value is None for o in own]
    for twin, mine in zip(twins, own, strict=True):
        if mine.value is not None:
            assert twin.value == pytest.approx(mine.value, rel=1e-12)
        assert {k: twin.details[k] for k in FORM_KEYS & twin.details.keys()} == \
            {k: mine.details[k] for k in FORM_KEYS & mine.details.keys()}


def test_every_account_resamples_alike_with_twins_and_unit_by_unit(ministry, monkeypatch):
    rubric = load_rubric("public-diplomacy")
    fast = {a: bootstrap(d, rubric, {}, {}, a) for a, d in ministry.items()}
    monkeypatch.setattr(resample, "TWINS", {})  # the reference: every metric run on every unit's table
    slow = {a: bootstrap(d, rubric, {}, {}, a) for a, d in ministry.items()}
    for account in ministry:
        assert fast[account].fixed == slow[account].fixed
        assert fast[account].values.keys() == slow[account].values.keys()
        for key, values in fast[account].values.items():
            np.testing.assert_allclose(values, slow[account].values[key], rtol=1e-12, equal_nan=True)
    assert unitwise.UNIT not in ministry["emb-jp"].authored.columns
