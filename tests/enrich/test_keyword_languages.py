"""Own-language lexicons match in one pass for all languages, with the same answer as one pass per language."""

from __future__ import annotations

import polars as pl
import pytest

from audit.enrich.keywords import keyword_candidates, keyword_mask, language_keyword_mask, prepare_for_matching

TABLE = {
    "en": ("visa", "passport renewal", "consular"),
    "ja": ("領事", "旅券"),
    "ko": ("영사", "여권"),
    "th": ("วีซ่า",),
}
TEXTS = [
    ("en", "Visa appointments open Monday"),  # a word at the very start of the text
    ("en", "Apply for PASSPORT   RENEWAL online"),  # case and runs of spaces
    ("en", "Our visas page"),  # not the whole word
    ("en", "領事 services in Japanese, but the post is English"),  # a Japanese term in an English post
    ("ja", "本日、領事窓口は休館です"),  # a term inside unspaced text
    ("ja", "ＶＩＳＡ申請"),  # full width, and an English term in a Japanese post
    ("ko", "여권 발급 안내"),
    ("th", "ขอวีซ่าได้ที่สถานทูต"),
    ("fr", "visa consulaire"),  # a language without terms
    ("und", "영사 and visa"),  # undetermined: any language's terms
    ("en", None),
]


def _one_pass_per_language(prepared: pl.Series, lang: pl.Series, table: dict[str, tuple[str, ...]]) -> list[bool]:
    return [any(keyword_mask(pl.Series([text], dtype=pl.String), table.get(code, ())).to_list()) for code, text in
            zip(lang.to_list(), prepared.to_list(), strict=True)]


@pytest.mark.parametrize("table", [TABLE, {"en": TABLE["en"]}, {}], ids=["four languages", "one", "none"])
def test_one_pass_agrees_with_a_pass_per_language(table: dict[str, tuple[str, ...]]) -> None:
    everything = tuple(term for terms in table.values() for term in terms)
    with_und = {**table, "und": everything}
    lang = pl.Series([code for code, _ in TEXTS])
    prepared = prepare_for_matching(pl.Series([text for _, text in TEXTS], dtype=pl.String))
    expected = _one_pass_per_language(prepared, lang, with_und)
    assert language_keyword_mask(prepared, lang, with_und).to_list() == expected


def test_the_examples_read_as_expected() -> None:
    lang = pl.Series([code for code, _ in TEXTS])
    prepared = prepare_for_matching(pl.Series([text for _, text in TEXTS], dtype=pl.String))
    everything = tuple(term for terms in TABLE.values() for term in terms)
    found = language_keyword_mask(prepared, lang, {**TABLE, "und": everything}).to_list()
    assert found == [True, True, False, False, True, False, True, True, False, True, False]


def test_candidates_are_the_rows_holding_a_term() -> None:
    prepared = prepare_for_matching(pl.Series(["Visa office", "nothing here", None, "旅券の更新"]))
    assert keyword_candidates(prepared, ("visa", "旅券")).to_list() == [0, 3]
    assert keyword_candidates(prepared, ()).to_list() == []
