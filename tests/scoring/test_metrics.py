"""Every contract metric on a small frame whose values were worked out by hand.

The account: an embassy in Japan of a Korean ministry, four authored posts and one repost in a
14-day period (2025-01-01 .. 2025-01-14, two weeks):

    id  published (UTC)     lang text            words media  kind
    p1  01-01 10:00         ja   地震です          1.6   1      post     (4 characters / 2.5)
    p2  01-02 10:00         ko   지진 피해 안내    3     0      post
    p3  01-03 22:30         ko   지진 속보다       2     1      post
    p4  01-12 00:00         ja   地震              0.8   0      reply to @someone
    r1  01-05 00:00         ja   (repost)          -     0      repost   <- never counted

Audience: ja (0.95 of the public), Asia/Tokyo (UTC+9); home language ko.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from audit.collectors.table import AUTHORED_KINDS, PostColumns
from audit.enrich.audience import Audience
from audit.enrich.lexicons import SignalTerms
from audit.enrich.signals import add_signals
from audit.events.matching import first_responses
from audit.events.model import Event
from audit.scoring.metrics.cadence import weekly_counts
from audit.scoring.metrics.measures import AccountData, Period
from audit.scoring.metrics.table import METRICS, UNITS

AUDIENCE = Audience({"ja": 0.95}, "Asia/Tokyo", {"ko": 1.0}, "host")
PERIOD = Period(date(2025, 1, 1), date(2025, 1, 14))
QUAKE = Event("eq", "Quake", "crisis", datetime(2025, 1, 1, tzinfo=UTC), None, ("JP",), ("地震", "지진"))
TSUNAMI = Event("ts", "Tsunami", "crisis", datetime(2025, 1, 13, tzinfo=UTC), None, ("JP",), ("tsunami",))


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


def _posts() -> pl.DataFrame:
    cols = PostColumns()
    rows = [
        ("p1", _at(1, 10), "地震です", "ja", 1, "post", None),
        ("p2", _at(2, 10), "지진 피해 안내", "ko", 0, "post", None),
        ("p3", _at(3, 22, 30), "지진 속보다", "ko", 1, "post", None),
        ("p4", _at(12, 0), "地震", "ja", 0, "reply", "someone"),
        ("r1", _at(5, 0), "地震です", "ja", 0, "repost", None),
    ]
    for post_id, when, text, _lang, media, kind, reply_to in rows:
        cols.add(post_id=post_id, published_at=when, text=text, media_count=media, kind=kind, reply_to=reply_to,
                 source="test", likes=None)
    frame = cols.to_frame({"account_id": "emb-jp", "platform": "x"})
    return frame.with_columns(pl.Series("lang", [r[3] for r in rows]))


@pytest.fixture(scope="module")
def data() -> AccountData:
    enriched = add_signals(_posts(), AUDIENCE, SignalTerms(), handle="emb_jp")
    authored = enriched.filter(pl.col("kind").is_in(AUTHORED_KINDS)).sort("published_at")
    responses = first_responses(authored, [QUAKE, TSUNAMI], {"emb-jp": "JP"}, "KR")
    return AccountData(authored, PERIOD, AUDIENCE, responses)


EXPECTED = {
    "language_shares": {"ja": 0.5, "ko": 0.5},
    "audience_language_share": 0.5,
    "audience_reach": (1 + 0 + 0 + 1) / 4,  # ja is the best reach attainable (0.95 / 0.95); ko reaches none
    "home_language_share": 0.5,
    "languages_used": 2.0,
    "depth_parity_length": 1.2 / 2.5,  # words: median(4 / 2.5, 2 / 2.5) ja / median(3, 2) ko
    "depth_parity_media": 1.0,  # 1 of 2 audience posts has media, 1 of 2 home posts
    "cadence_parity": 1.0,
    "posts_per_week": 2.0,  # 4 / (14 / 7)
    "active_week_share": 1.0,  # weeks [3, 1]
    "longest_gap_days": 8.0625,  # 01-03 22:30 -> 01-12 00:00
    "regularity_cv": 0.5,  # population std 1 / mean 2
    "waking_hours_share": 0.75,  # Tokyo hours 19, 19, 07:30 (asleep), 09
    "diplomacy_share": 0.5,  # the two ja posts
    "reply_share": 0.25,
    "external_mention_share": 0.0,
    "two_way_share": 0.25,  # the reply
    "cultural_asset_share": 0.0,
    "response_rate_24h": 0.5,  # quake answered after 10 h, tsunami never
    "median_first_response_hours": 10.0,
    "response_audience_language_share": 1 / 3,  # p1 ja, p2 ko, p3 ko answered the quake
    "follow_up_rate": 1.0,  # p2 follows p1 within 72 h
    "rebuttal_share": 0.0,
}
NOT_MEASURED = {
    "transition_continuity": "no government transition in the period",
    "engagement_per_post": "the export carries no engagement counts",
    "cultural_engagement_ratio": "the export carries no engagement counts",
    "opportunity_response_rate_24h": "no opportunity event concerns the account in the period",
    "opportunity_median_first_response_hours": "no opportunity event concerns the account in the period",
}


def test_every_catalogue_metric_has_a_hand_computed_expectation():
    assert set(METRICS) == set(EXPECTED) | set(NOT_MEASURED) | {"events"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metric_value(data, name):
    value = METRICS[name].function(data).value
    expected = EXPECTED[name]
    assert value == (pytest.approx(expected) if isinstance(expected, float) else expected)


@pytest.mark.parametrize("name", sorted(NOT_MEASURED))
def test_unmeasurable_metric_says_why(data, name):
    measure = METRICS[name].function(data)
    assert measure.value is None
    assert measure.reason == NOT_MEASURED[name]


def test_events_lists_each_crisis_event_with_its_first_response(data):
    events = {e["id"]: e for e in METRICS["events"].function(data).value}
    assert events["eq"] == {"id": "eq", "first_response_hours": 10.0, "responded_within_24h": True,
                            "first_post_id": "p1"}
    assert events["ts"]["first_response_hours"] is None
    assert events["ts"]["responded_within_24h"] is False


def test_weekly_counts_start_on_the_first_day_of_the_period(data):
    assert weekly_counts(data) == [3, 1]


def test_reposts_never_count(data):
    assert "r1" not in data.authored["post_id"].to_list()


def test_period_of_design_example_has_181_days():
    assert Period(date(2025, 1, 1), date(2025, 6, 30)).days == 181
    assert Period(date(2025, 1, 1), date(2025, 6, 30)).weeks == 26


def test_longest_gap_cites_the_posts_on_both_sides(data):
    measure = METRICS["longest_gap_days"].function(data)
    assert measure.evidence == ["p3", "p4"]
    assert measure.details == {"gap_start": "2025-01-03", "gap_end": "2025-01-12"}


@pytest.mark.parametrize("name", sorted(METRICS))
def test_every_metric_has_its_words_in_the_table(name):
    row = METRICS[name]
    assert row.name == name and row.label and row.definition.endswith(".")
    assert row.unit in UNITS and row.scale


@pytest.mark.parametrize("name", ["posts_per_week", "active_week_share", "regularity_cv"])
def test_cadence_is_not_measured_on_a_period_shorter_than_a_week(data, name):
    short = AccountData(data.authored, Period(date(2025, 1, 1), date(2025, 1, 3)), AUDIENCE, data.responses)
    measure = METRICS[name].function(short)
    assert (measure.value, measure.reason) == (None, "the period is 3 days; cadence needs at least a full week")
