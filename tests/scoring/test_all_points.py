"""The point metrics' fixed aggregates of every account in one grouped query (audit.scoring.allpoints) must
give each account exactly what its own select gives: the same counts, shares, means, medians and evidence.
The accounts are mixed in one table as the engine mixes them, with a twin of one account under another id
(the very same posts and texts): a row read under the wrong account would double its counts, and its
evidence, picked among distinct texts, would lose posts to the twin's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import polars as pl
import pytest

from audit.scoring.allpoints import AccountPoints, all_points
from audit.scoring.assemble import series
from audit.scoring.metrics.depth import WORDS, words_of
from audit.scoring.metrics.measures import AccountData
from audit.scoring.metrics.points import FIXED, QUERIES, prefetch, roots
from audit.scoring.metrics.table import METRICS
from audit.scoring.selection import in_account_order
from tests.scoring.test_all_units import ministry


def fresh(data: AccountData) -> AccountData:
    """The same data with nothing computed yet."""
    return replace(data)


@pytest.fixture(scope="module", params=[False, True], ids=["words measured per account", "words made for all posts"])
def mixed(request) -> tuple[dict[str, AccountData], dict[str, AccountPoints], bool]:
    """Each account's data, and its row of the table of all of them (accounts interleaved by time); with
    each post's words made beforehand, as `engine.score_accounts` makes them, or without."""
    datas = ministry()
    if request.param:
        datas = {k: replace(d, authored=d.authored.with_columns(words_of())) for k, d in datas.items()}
    posts = pl.concat([d.authored.drop("audience_local_time") for d in datas.values()])
    return datas, all_points(posts.sort("published_at", maintain_order=True).lazy(), datas), request.param


@pytest.mark.parametrize("account", ["emb-jp", "mofa", "emb-sparse", "emb-eg"])
def test_each_account_reads_from_the_all_accounts_row_what_its_own_select_gives(mixed, account):
    datas, points, words_made = mixed
    alone, shared = fresh(datas[account]), fresh(datas[account])
    prefetch(alone, QUERIES)
    points[account].fill(shared)
    assert METRICS and set(shared.points) >= {n for n, q in FIXED.items()  # those of the words when made for all
                                              if words_made or all(WORDS not in roots(e) for e in q.values())}
    assert series and {"waking_hours", "charts"} <= set(shared.points)  # and those of the account's clock
    prefetch(shared, QUERIES)
    assert unordered_counts(shared.points) == unordered_counts(alone.points)


def unordered_counts(points: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The values with each `points.counted` list as a set of pairs: value_counts gives them in no set
    order (`points.ranked` orders them), while evidence lists keep theirs."""
    def plain(value: Any) -> Any:
        is_counts = isinstance(value, list) and value and isinstance(value[0], dict)
        return frozenset(tuple(c.items()) for c in value) if is_counts else value
    return {n: {k: plain(v) for k, v in q.items()} for n, q in points.items()}


def test_a_row_counted_on_other_posts_is_not_read():
    datas = ministry()
    data = fresh(datas["mofa"])
    AccountPoints(data.n + 1, {"reply_share": {"hits": 0, "ids": []}}, {"reply_share": FIXED["reply_share"]}).fill(data)
    assert data.points == {}


def test_accounts_not_asked_for_have_no_row():
    datas = ministry()
    posts = pl.concat([d.authored.drop("audience_local_time") for d in datas.values()])
    asked = {k: datas[k] for k in ("mofa", "emb-eg")}
    assert set(all_points(posts.lazy(), asked)) == set(asked)
    assert all_points(posts.lazy(), {"mofa": datas["mofa"]}) == {}  # one account: its own select is as quick


def test_posts_in_account_order_need_no_sort_and_give_each_account_the_same_row():
    datas = ministry()
    together = pl.concat([d.authored.drop("audience_local_time") for d in datas.values()])  # as reading leaves them
    assert in_account_order(together)
    unsorted = all_points(together.lazy(), datas, in_order=True)
    shuffled = all_points(together.sample(fraction=1.0, shuffle=True, seed=1).lazy(), datas)
    assert {k: (p.posts, unordered_counts(p.values)) for k, p in unsorted.items()} == {
        k: (p.posts, unordered_counts(p.values)) for k, p in shuffled.items()}
