"""Depth compared in a unit fair across scripts (issue 9, item 5): words for scripts with spaces, characters
over a documented characters-per-word factor for Chinese, Japanese and Thai (audit/scoring/metrics/depth.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.scoring.metrics.depth import SPACED_WORD, WORDS, words_of
from audit.scoring.metrics.language import depth_parity_length
from audit.scoring.metrics.measures import AccountData, Period

START = datetime(2025, 1, 1, 9, tzinfo=UTC)


def account(audience: Audience, rows: list[tuple[str, str]]) -> AccountData:
    """rows: (lang, text), one authored post each, an hour apart."""
    frame = pl.DataFrame({
        "post_id": [f"p{i}" for i in range(len(rows))],
        "published_at": [START + timedelta(hours=i) for i in range(len(rows))],
        "lang": [lang for lang, _ in rows], "text": [text for _, text in rows],
    }, schema_overrides={"published_at": pl.Datetime("us", "UTC")})
    frame = frame.with_columns(pl.col("lang").is_in(set(audience.languages)).alias("audience_language"),
                               pl.col("lang").is_in(set(audience.home_languages)).alias("home_language"))
    return AccountData(frame, Period(date(2025, 1, 1), date(2025, 1, 31)), audience, pl.DataFrame())


KO = "대사관은 오늘 한일 경제협력 세미나 결과를 정리해 보고했습니다."  # 8 words (eojeol), 35 characters
EN = "The embassy today reported the results of the Korea-Japan economic cooperation seminar."  # 12 words, 87 chars
JA = "大使館は本日、日韓経済協力セミナーの結果を報告しました。"  # 15 Han + 11 kana = 26 / 2.5 = 10.4 words


@pytest.mark.parametrize(("text", "lang", "words"), [
    (EN, "en", 12), (KO, "ko", 8), (JA, "ja", 10.4),
    ("关于地区局势的声明", "zh", 9 / 1.5), ("ยินดีต้อนรับ", "th", 12 / 4),
    ("See https://example.org/a?b=1 now", "en", 2),  # a link is no substance
    ("— 🙂 —", "en", 0),
])
def test_words_are_spaced_words_or_characters_over_the_scripts_factor(text, lang, words):
    got = pl.DataFrame({"text": [text], "lang": [lang]}).select(words_of())["words"][0]
    assert got == pytest.approx(words)


def test_depth_parity_compares_words_not_characters_across_scripts():
    """An English translation of a Korean post is as deep as the Korean: 12 words against 8 (1.5), not
    87 characters against 35 (2.5). A Japanese translation, 10.4 against 8."""
    embassy = Audience({"en": 0.5, "ja": 0.5}, "Asia/Tokyo", {"ko": 1.0}, "override", "JP")
    english = depth_parity_length(account(embassy, [("ko", KO), ("en", EN)]))
    assert english.value == pytest.approx(12 / 8)
    assert english.details == {"audience_median_words": 12, "home_median_words": 8,
                               "audience_median_chars": 87, "home_median_chars": 35}  # kept for older rubrics
    assert depth_parity_length(account(embassy, [("ko", KO), ("ja", JA)])).value == pytest.approx(1.3)


ALPHABET = [*"ab Zé9 \t\n\u00a0\u3000\u2003.,!-_/#@", *"日本語漢字かなカナー한국어ไทยก", "\u0301", "🙂", "٣", "Ⅻ"]
"""Latin and accented letters, digits (Arabic-Indic, Roman numeral), spaces of several kinds, punctuation,
Han, kana, the long-vowel mark, Hangul, Thai, a lone combining accent and an emoji."""


def _blanked_then_counted(texts: list[str]) -> list[int]:
    """The spaced words as they were first counted: each run of unspaced characters blanked, then the runs of
    non-spaces holding a letter or a digit counted (two passes)."""
    unspaced = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}ー]+"
    blanked = pl.col("t").str.replace_all(unspaced, " ")
    return pl.DataFrame({"t": texts}).select(blanked.str.count_matches(r"\S*[\p{L}\p{N}]\S*"))["t"].to_list()


@pytest.mark.parametrize("seed", range(5))
def test_spaced_words_count_in_one_pass_as_after_blanking_the_unspaced_scripts(seed):
    rng = np.random.default_rng(seed)
    texts = ["".join(rng.choice(ALPHABET, int(rng.integers(0, 40)))) for _ in range(400)]
    one_pass = pl.DataFrame({"t": texts}).select(pl.col("t").str.count_matches(SPACED_WORD))["t"].to_list()
    assert one_pass == _blanked_then_counted(texts)


def test_words_made_for_every_post_at_once_are_read_as_the_account_would_measure_them():
    """Scoring makes each post's words once for every account's posts (`engine.score_accounts`); an account
    reads that column where it would measure its own posts, and gets the very same lengths."""
    tokyo = Audience({"ja": 1.0}, "Asia/Tokyo", {"ko": 1.0}, "override", "JP")
    data = account(tokyo, [("ja", JA), ("ko", KO), ("en", EN)])
    made = replace(data, authored=data.authored.with_columns(pl.Series(WORDS, [1.0, 2.0, 3.0])))
    assert data.words.to_list() == [10.4, 8.0, 12.0]
    assert made.words.to_list() == [1.0, 2.0, 3.0]  # read, not measured again
