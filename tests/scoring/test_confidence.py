"""Every score says what it rests on and how sure it is: a bootstrap over weeks, reproducible, and the
same whether a metric is resampled from per-week counts or re-measured on each resampled table."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from audit.collectors.table import PostColumns
from audit.enrich.audience import Audience
from audit.enrich.lexicons import SignalTerms
from audit.enrich.signals import add_signals
from audit.events.matching import first_responses
from audit.scoring.confidence import bootstrap, held_dimensions, rests_on, week_units
from audit.scoring.metrics.measures import AccountData, Period
from audit.scoring.rubric.loading import load_rubric

START = date(2025, 1, 1)


AUDIENCE = Audience({"ja": 0.95}, "Asia/Tokyo", {"ko": 1.0}, "host")


def account_data(weeks: int, posts_per_week: int = 3, seed: int = 1) -> AccountData:
    """An embassy in Japan posting a few times a week for `weeks` weeks, in Japanese or Korean, some replies."""
    rng = np.random.default_rng(seed)
    cols, langs = PostColumns(), []
    for week in range(weeks):
        for i in range(int(rng.integers(0, posts_per_week * 2 + 1))):
            at = datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(days=7 * week + int(rng.integers(0, 7)), hours=i)
            japanese = bool(rng.random() < 0.6)
            reply = bool(rng.random() < 0.2)
            cols.add(post_id=f"p{week}-{i}", published_at=at, source="test", likes=None, media_count=0,
                     text="日本の皆さん、ご意見をお聞かせください" if japanese else f"재외국민 안내 {week} {i}",
                     kind="reply" if reply else "post", reply_to="someone" if reply else None)
            langs.append("ja" if japanese else "ko")
    frame = cols.to_frame({"account_id": "emb-jp", "platform": "x"}).with_columns(pl.Series("lang", langs))
    authored = add_signals(frame, AUDIENCE, SignalTerms(), handle="emb_jp").sort("published_at")
    period = Period(START, START + timedelta(days=7 * weeks - 1))
    return AccountData(authored, period, AUDIENCE, first_responses(authored, [], {"emb-jp": "JP"}, "KR"))


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("public-diplomacy")


def test_an_interval_is_reproducible_and_rests_on_posts_weeks_and_events(rubric):
    data = account_data(26)
    first = bootstrap(data, rubric, {}, {}, "emb-jp")
    again = bootstrap(data, rubric, {}, {}, "emb-jp")
    assert first.interval("language_reach") == again.interval("language_reach") is not None
    low, high = first.interval("overall")
    assert low < high
    assert rests_on(data) == {"posts": data.n, "weeks": 26, "active_weeks": rests_on(data)["active_weeks"],
                              "events": 0}


@pytest.mark.parametrize("weeks, expected", [
    pytest.param(5, "interval not measured: 5 weeks", id="five weeks"),
    pytest.param(1, "interval not measured: 1 week", id="one week"),
])
def test_too_few_weeks_get_no_interval_and_say_why(rubric, weeks, expected):
    held = held_dimensions(account_data(weeks), rubric)
    assert held["language_reach"] == held["frequency"] == expected
    assert held["crisis_responsiveness"] == "interval not measured: 0 events"
    assert bootstrap(account_data(weeks), rubric, {}, {"frequency": 40.0}, "x").interval("frequency") is None


@pytest.mark.parametrize("metric", [
    "audience_language_share", "home_language_share", "reply_share", "two_way_share", "diplomacy_share",
    "posts_per_week", "active_week_share", "regularity_cv", "longest_gap_days", "waking_hours_share",
])
def test_a_metric_resampled_from_weekly_counts_equals_re_measuring_every_resampled_table(rubric, metric):
    data = account_data(20, seed=7)
    rng = np.random.default_rng(3)
    units = week_units(data, rng, 30, exact=True)
    fast, resampled = units.values(metric)
    assert resampled
    slow = units._measured(metric, units.physical)  # type: ignore[arg-type]
    np.testing.assert_allclose(fast, slow, rtol=1e-9, equal_nan=True)


def test_a_metric_no_form_reproduces_is_held_and_named_unless_the_rubric_asks_for_exact(rubric):
    data = account_data(20, seed=7)
    quick = bootstrap(data, rubric, {}, {}, "x")
    assert "depth_parity_length" in quick.fixed
    exact = bootstrap(data, replace(rubric, settings=replace(rubric.settings, bootstrap_exact=True,
                                                             bootstrap_resamples=20)), {}, {}, "x")
    assert exact.fixed == ()


def test_resamples_off_give_no_interval(rubric):
    off = replace(rubric, settings=replace(rubric.settings, bootstrap_resamples=0))
    samples = bootstrap(account_data(26), off, {}, {"language_reach": 50.0}, "x")
    assert samples.interval("language_reach") is None
    assert samples.held["language_reach"] == "interval not measured: bootstrap off"


@pytest.mark.parametrize("metric", ["audience_language_share", "two_way_share", "posts_per_week", "regularity_cv"])
def test_a_long_period_is_resampled_in_at_most_26_blocks_of_consecutive_weeks(rubric, metric):
    data = account_data(80, seed=5)
    units = week_units(data, np.random.default_rng(3), 30, exact=True)
    assert len(units.parts) == 26 and sum(p.n for p in units.parts) == data.n
    fast, resampled = units.values(metric)
    assert resampled and np.isfinite(fast).all()
    if metric != "regularity_cv":  # blocks of 3 or 4 weeks: a drawn block can overrun the last slots
        slow = units._measured(metric, units.physical)  # type: ignore[arg-type]
        np.testing.assert_allclose(fast, slow, rtol=0.05)
