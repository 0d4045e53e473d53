"""Reach that can be reached (issue 9, item 5): each message against the best reach attainable, on small
frames worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import combinations

import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.scoring.metrics.language import audience_reach
from audit.scoring.metrics.measures import AccountData, Period

INDONESIA = Audience({"id": 0.64, "jv": 0.34, "su": 0.12}, "Asia/Jakarta", {"ko": 1.0}, "host", "ID")
GLOBAL = Audience({"en": 0.18, "zh": 0.14, "es": 0.07, "fr": 0.04, "ar": 0.03, "ru": 0.03}, "Asia/Seoul",
                  {"ko": 1.0}, "global")
START = datetime(2025, 1, 1, 9, tzinfo=UTC)


def account(audience: Audience, rows: list[tuple[str, str, str]]) -> AccountData:
    """rows: (message_id, lang, text), one authored post each, an hour apart."""
    frame = pl.DataFrame({
        "post_id": [f"p{i}" for i in range(len(rows))],
        "published_at": [START + timedelta(hours=i) for i in range(len(rows))],
        "message_id": [m for m, _, _ in rows], "lang": [lang for _, lang, _ in rows],
        "text": [text for _, _, text in rows],
    }, schema_overrides={"published_at": pl.Datetime("us", "UTC")})
    langs, home = set(audience.languages), set(audience.home_languages)
    frame = frame.with_columns(pl.col("lang").is_in(langs).alias("audience_language"),
                               pl.col("lang").is_in(home).alias("home_language"))
    return AccountData(frame, Period(date(2025, 1, 1), date(2025, 1, 31)), audience, pl.DataFrame())


def test_posting_in_indonesian_is_the_best_reach_attainable_in_indonesia():
    """CLDR: 64% of Indonesia reads Indonesian, 34% Javanese. Indonesian is the best any post can do."""
    m = audience_reach(account(INDONESIA, [("m1", "id", "Selamat pagi"), ("m2", "id", "Terima kasih")]))
    assert m.value == 1.0
    assert (m.details["best_language"], m.details["best_share"]) == ("id", 0.64)


def test_reach_of_each_message_is_its_best_language_over_the_best_attainable():
    rows = [("m1", "id", "a"), ("m2", "id", "b"), ("m3", "jv", "c"), ("m4", "en", "d")]
    assert audience_reach(account(INDONESIA, rows)).value == pytest.approx((1 + 1 + 0.34 / 0.64 + 0) / 4)


def test_a_statement_in_the_six_un_languages_reaches_the_whole_global_audience():
    rows = [("m1", lang, f"statement in {lang}") for lang in GLOBAL.languages]
    assert audience_reach(account(GLOBAL, rows)).value == 1.0
    assert audience_reach(account(GLOBAL, [("m1", "en", "statement")])).value == 1.0


@pytest.mark.parametrize("size", range(1, 6))
def test_adding_a_language_to_a_message_never_lowers_global_reach(size):
    for langs in combinations(list(GLOBAL.languages), size):
        before = audience_reach(account(GLOBAL, [("m1", lang, lang) for lang in langs])).value
        for extra in set(GLOBAL.languages) - set(langs):
            after = audience_reach(account(GLOBAL, [("m1", lang, lang) for lang in (*langs, extra)])).value
            assert after >= before  # type: ignore[operator]
