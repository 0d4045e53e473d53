"""The bootstrap's unit aggregates of every account in one grouped query (audit.scoring.allunits) must give
each account exactly what its units measured alone give: the same twins' measures on every unit, the same
times, the same resamples to the last bit. The accounts are mixed in one table as the engine mixes them,
with a twin of one account under another id and audience (same posts, same message ids, same weeks): any
row read under the wrong account would change both."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.enrich.signals import local_time
from audit.scoring.allunits import AccountUnits, all_units, units_of, with_units
from audit.scoring.confidence import bootstrap, rests_on, week_units
from audit.scoring.metrics.measures import AccountData
from audit.scoring.rubric.loading import load_rubric
from audit.scoring.selection import in_account_order
from audit.scoring.unitwise import TWINS, unit_arrays
from tests.scoring.test_unitwise import accounts

CAIRO = Audience({"ar": 0.8, "en": 0.2}, "Africa/Cairo", {"ko": 1.0}, "host", "EG")
"""Another zone (with summer time in 2025) and other languages for the same posts."""


def ministry() -> dict[str, AccountData]:
    found = accounts()
    found["emb-eg"] = replace(found["emb-jp"], audience=CAIRO)  # the embassy's very posts, read in Cairo
    return {k: replace(d, authored=d.authored.filter(~pl.col("templated_repeat")).with_columns(  # as engine's
        pl.lit(k).alias("account_id"), local_time(d.audience))) for k, d in found.items()}


@pytest.fixture(scope="module")
def mixed() -> tuple[dict[str, AccountData], dict[str, AccountUnits]]:
    """Each account's data, and its rows of the table of all of them (accounts interleaved by time)."""
    datas = ministry()
    posts = pl.concat([d.authored.drop("audience_local_time") for d in datas.values()]).sort("published_at")
    plans = {k: replace(d, authored=d.authored.clear(), responses=d.responses.clear()) for k, d in datas.items()}
    return datas, all_units(posts.lazy(), plans)


@pytest.mark.parametrize("account", ["emb-jp", "mofa", "emb-sparse", "emb-eg"])
def test_each_account_reads_from_the_all_accounts_table_what_its_own_units_give(mixed, account):
    datas, units = mixed
    data = datas[account]
    alone = week_units(data, np.random.default_rng(3), 10, exact=False)
    shared = week_units(with_units(data, units[account]), np.random.default_rng(3), 10, exact=False)
    assert alone.tagged is not None and shared.tagged is None  # the shared rows were used, not the posts
    ready = [name for name, twin in TWINS.items() if twin.ready(data)]
    assert ready  # every account has twins to compare
    own = unit_arrays(data, alone.tagged, alone.draws.shape[1], list(TWINS))
    for name in TWINS:
        mine, theirs = shared.unit_arrays(name), own[name]
        np.testing.assert_array_equal(mine.measured, theirs.measured)
        np.testing.assert_array_equal(mine.value, theirs.value)
        assert mine.details.keys() == theirs.details.keys()
        for key, values in theirs.details.items():
            np.testing.assert_array_equal(mine.details[key], values)
    assert alone.times is not None and shared.times is not None
    for column, values in alone.times.items():
        np.testing.assert_array_equal(shared.times[column], values)
    assert rests_on(with_units(data, units[account])) == rests_on(data)


def test_a_bootstrap_on_the_shared_rows_resamples_to_the_same_bits(mixed):
    datas, units = mixed
    rubric = load_rubric("public-diplomacy")
    for account, data in datas.items():
        alone = bootstrap(data, rubric, {}, {}, account)
        shared = bootstrap(with_units(data, units[account]), rubric, {}, {}, account)
        assert shared.fixed == alone.fixed and shared.values.keys() == alone.values.keys()
        for key, values in alone.values.items():
            np.testing.assert_array_equal(shared.values[key], values)


def test_rows_planned_for_other_holes_or_another_audience_are_not_used(mixed):
    datas, units = mixed
    sparse, jp = datas["emb-sparse"], datas["emb-jp"]
    unplanned = with_units(replace(sparse, holes=()), units["emb-sparse"])
    assert week_units(unplanned, np.random.default_rng(3), 10, exact=False).tagged is not None
    elsewhere = with_units(replace(jp, audience=CAIRO), units["emb-jp"])
    assert week_units(elsewhere, np.random.default_rng(3), 10, exact=False).tagged is not None


def test_an_account_without_rows_keeps_its_data_as_it_is(mixed):
    datas, _ = mixed
    assert with_units(datas["mofa"], None) is datas["mofa"] and units_of(datas["mofa"]) is None


def test_posts_in_account_order_need_no_sort_and_give_each_account_the_same_units():
    datas = ministry()
    together = pl.concat([d.authored.drop("audience_local_time") for d in datas.values()])  # as reading leaves them
    plans = {k: replace(d, authored=d.authored.clear(), responses=d.responses.clear()) for k, d in datas.items()}
    assert in_account_order(together)
    unsorted = all_units(together.lazy(), plans, in_order=True)
    shuffled = all_units(together.sample(fraction=1.0, shuffle=True, seed=1).lazy(), plans)
    for account, units in unsorted.items():
        other = shuffled[account]
        assert (units.posts, units.active) == (other.posts, other.active)
        assert all(np.array_equal(units.columns[c], other.columns[c], equal_nan=True) for c in other.columns)
        assert all(np.array_equal(units.times[c], other.times[c]) for c in other.times)
