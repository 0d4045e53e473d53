"""Robertson's comparison at ministry level (issue 9, item 5): each foreign-language ministry account's
cadence and depth against the home-language account's, worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.scoring.metrics.measures import AccountData, Period
from audit.scoring.metrics.parity import SEVERE, language_profile, ministry_parity

GLOBAL = Audience({"en": 0.18, "zh": 0.14}, "Asia/Seoul", {"ko": 1.0}, "global")
KO = "대사관은 오늘 한일 경제협력 세미나 결과를 정리해 보고했습니다."  # 8 words
EN = "Statement on the situation in the region."  # 7 words


def profile(texts: list[tuple[str, str]], days: int = 28) -> dict[str, object]:
    """One post a day at most: texts are (lang, text); the period is `days` long."""
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    frame = pl.DataFrame({"post_id": [f"p{i}" for i in range(len(texts))],
                          "published_at": [start + timedelta(days=i) for i in range(len(texts))],
                          "lang": [lang for lang, _ in texts], "text": [text for _, text in texts]},
                         schema_overrides={"published_at": pl.Datetime("us", "UTC")})
    period = Period(date(2025, 1, 1), date(2025, 1, 1) + timedelta(days=days - 1))
    return language_profile(AccountData(frame, period, GLOBAL, pl.DataFrame()))


def account(account_id: str, prof: dict[str, object], host: str | None = None) -> dict[str, object]:
    return {"id": account_id, "name": account_id.upper(), "host_country": host, "language_profile": prof}


def test_profile_of_an_account_is_its_main_language_cadence_and_depth():
    p = profile([("ko", KO)] * 20 + [("en", EN)] * 4)
    assert p == {"main_language": "ko", "main_share": round(20 / 24, 4), "home": True,
                 "posts_per_week": 24 / 4, "median_words": 8.0}


def test_an_english_account_posting_less_and_shorter_is_severely_limited():
    """Korean: 20 posts in 4 weeks (5 a week) of 8 words; English: 4 posts (1 a week) of 7 words."""
    home, english = profile([("ko", KO)] * 20), profile([("en", EN)] * 4)
    result = ministry_parity([account("mofa-ko", home), account("mofa-en", english), account("emb-jp", english, "JP")])
    assert (result["home_account"], result["home_language"], result["not_measured"]) == ("mofa-ko", "ko", None)
    (row,) = result["accounts"]  # the embassy has a host country: not a ministry-level account
    assert (row["id"], row["language"]) == ("mofa-en", "en")
    assert row["cadence_ratio"] == pytest.approx(1 / 5) and row["depth_ratio"] == pytest.approx(7 / 8)
    assert row["severely_limited"] == ["frequency"]
    assert row["finding"] == ("The English account (MOFA-EN) is severely limited in frequency: 0.20× the Korean "
                              "account's posts a week and 0.88× its median length in words (MOFA-KO).")


def test_robertsons_sentence_when_both_fall_short():
    home = profile([("ko", KO + " " + KO)] * 20)  # 16 words a post
    english = profile([("en", EN)] * 4)
    (row,) = ministry_parity([account("mofa-ko", home), account("mofa-en", english)])["accounts"]
    assert row["depth_ratio"] == pytest.approx(7 / 16) and row["depth_ratio"] < SEVERE
    assert "is severely limited in content depth and frequency" in row["finding"]


def test_an_english_account_that_keeps_pace_is_said_to():
    home, english = profile([("ko", KO)] * 8), profile([("en", EN)] * 8)
    (row,) = ministry_parity([account("mofa-ko", home), account("mofa-en", english)])["accounts"]
    assert row["severely_limited"] == [] and "keeps pace with the Korean account" in row["finding"]


@pytest.mark.parametrize(("accounts", "reason"), [
    ([("mofa-en", "en")], "no ministry-level account is written mainly in a home language"),
    ([("mofa-ko", "ko")], "no ministry-level account is written mainly in a foreign language"),
])
def test_without_both_kinds_of_account_it_is_not_measured(accounts, reason):
    text = {"ko": KO, "en": EN}
    result = ministry_parity([account(i, profile([(lang, text[lang])] * 4)) for i, lang in accounts])
    assert result["not_measured"] == reason and result["accounts"] == []
