"""The language stage's passes made cheaper (issue 13, session 3) give what the plain forms gave: whitespace
collapsed, letters counted, templated repeats, the literal scan and the own-language lexicons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_series_equal

from audit.enrich.keywords import _by_language, keyword_candidates, language_keyword_mask, prepare_for_matching
from audit.enrich.messages import templated_repeats
from audit.enrich.text import NOISE_PATTERN, RT_PREFIX_PATTERN, clean_for_detection, counted_class, letter_count

PIECES = ["Hello", "WORLD", " ", "  ", "\t", "\n", "\u3000", "\u00a0", "Ἀθῆναι", "ΟΔΟΣ", "İstanbul", "東京", "서울",
          "ß", "c++", "u.s.", "(g20)", "a|b", "https://t.co/x", "@mofa", "#tag", "🇰🇷", "ｶﾀｶﾅ", "Ｅａｒｔｈ", "."]
texts = st.lists(st.lists(st.sampled_from(PIECES), max_size=8).map("".join), min_size=1, max_size=30)


def column(values: list[str]) -> pl.Series:
    return pl.Series("text", [*values, None], dtype=pl.String)


@given(texts)
@settings(max_examples=60, deadline=None)
def test_cleaning_collapses_whitespace_as_a_pass_over_every_run_did(values: list[str]) -> None:
    frame = column(values).to_frame()
    plain = (pl.col("text").fill_null("").str.replace(RT_PREFIX_PATTERN, "").str.replace_all(NOISE_PATTERN, " ")
             .str.replace_all(r"\s+", " ").str.strip_chars(" "))
    assert_series_equal(frame.select(clean_for_detection(pl.col("text"))).to_series(), frame.select(plain).to_series())


@pytest.mark.parametrize("category", ["L", "Ll", "Lu"])
@given(values=texts)
@settings(max_examples=40, deadline=None)
def test_a_class_counted_as_length_less_the_rest_is_the_count_of_its_matches(category: str, values: list[str]) -> None:
    frame = column(values).to_frame()
    plain = frame.select(pl.col("text").str.count_matches(rf"\p{{{category}}}")).to_series()
    assert_series_equal(frame.select(counted_class(pl.col("text"), category)).to_series(), plain)


def test_letters_of_a_missing_text_are_none() -> None:
    frame = column(["ab 1"]).to_frame()
    assert frame.select(letter_count(pl.col("text"))).to_series().to_list() == [2, 0]


@given(texts, st.lists(st.sampled_from(["c++", "u.s.", "(g20)", "a|b", "東京", "hello", "world", "ß"]), min_size=1))
@settings(max_examples=60, deadline=None)
def test_the_literal_scan_finds_the_rows_contains_any_finds(values: list[str], keywords: list[str]) -> None:
    prepared = prepare_for_matching(column(values))
    literals = sorted({max(k.lower().split(), key=len) for k in keywords})
    plain = prepared.str.contains_any(literals).fill_null(False).arg_true()
    assert_series_equal(keyword_candidates(prepared, keywords), plain, check_names=False)


@given(texts, st.lists(st.sampled_from(["en", "el", "und", "ja", "fr"]), min_size=31, max_size=31))
@settings(max_examples=60, deadline=None)
def test_own_language_terms_match_as_both_passes_over_every_row_did(values: list[str], langs: list[str]) -> None:
    table = {"en": ("hello", "world"), "el": ("οδος",), "ja": ("東京",), "und": ("hello", "東京", "c++", "u.s.")}
    prepared = prepare_for_matching(column(values))
    lang = pl.Series(langs[:prepared.len()])
    literals, pattern = _by_language(tuple(table.items()))
    assert pattern is not None
    tagged = lang + "\x00\x00" + prepared
    plain = (tagged.str.contains(literals) & tagged.str.contains(pattern)).fill_null(False)
    assert_series_equal(language_keyword_mask(prepared, lang, table), plain, check_names=False)


@given(st.lists(st.tuples(st.sampled_from(["Good morning!", "good   MORNING 2", "Other text", "hi"]),
                          st.sampled_from(["a", "b"]), st.integers(0, 200), st.sampled_from(["post", "reply"])),
                max_size=40))
@settings(max_examples=60, deadline=None)
def test_templated_repeats_are_those_of_the_window_over_every_post(rows: list[tuple[str, str, int, str]]) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    posts = pl.DataFrame({"text": [r[0] for r in rows], "account_id": [r[1] for r in rows],
                          "published_at": [start + timedelta(hours=r[2]) for r in rows], "kind": [r[3] for r in rows]},
                         schema={"text": pl.String, "account_id": pl.String, "published_at": pl.Datetime("us", "UTC"),
                                 "kind": pl.String})
    key = clean_for_detection(pl.col("text")).str.to_lowercase().str.replace_all(r"[^\p{L}\p{M}]+", "")
    eligible = pl.col("kind").is_in(["post", "quote"]) & (key.str.len_chars() >= 4)
    previous = pl.col("published_at").shift(1).over(key, "account_id", order_by="published_at")
    plain = posts.select((eligible & ((pl.col("published_at") - previous) <= timedelta(hours=72)).fill_null(False))
                         .alias("templated_repeat")).to_series()
    assert_series_equal(templated_repeats(posts), plain)
