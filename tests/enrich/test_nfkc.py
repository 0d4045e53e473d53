"""NFKC only on the rows it can change gives the same text as NFKC on every row (issue 13, item 4)."""

from __future__ import annotations

import unicodedata

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.enrich.keywords import prepare_for_matching
from audit.enrich.text import nfkc, nfkc_may_change

TEXTS = [
    "Plain ASCII, already normal.",
    "외교부 장관 회담",  # Hangul syllables: unchanged, not even scanned by the normaliser
    "\u1100\u1161\u11a8 jamo",  # conjoining jamo compose into 각
    "Ｅａｒｔｈｑｕａｋｅ！（速報）",  # full-width Latin and punctuation
    "ｶﾞｲﾑｼｮｳ",  # half-width katakana with a voiced mark: ガイムショウ
    "cafe\u0301 and café",  # a decomposed é composes
    "e\u0301\u0323",  # marks out of canonical order are reordered and composed
    "ﬁnance ² ½ \u00a0NBSP \u212b",  # ligature, super/fractions, no-break space, angstrom sign
    "\uf900 \ufb01 \ufe8d\ufe8e",  # CJK compatibility ideograph, Arabic presentation forms
    "สถานเอกอัครราชทูต ขอแสดงความเสียใจ",  # Thai marks: scanned, unchanged
    "\u0958 क\u093c दूतावास",  # Devanagari qa (a composition exclusion) and its decomposed form
    "",
    None,
]


def test_only_the_rows_nfkc_changes_differ_and_they_come_out_the_same() -> None:
    texts = pl.Series(TEXTS, dtype=pl.String)
    assert nfkc(texts).to_list() == texts.str.normalize("NFKC").to_list()
    assert prepare_for_matching(texts).to_list() == texts.str.normalize("NFKC").str.to_lowercase().to_list()


def test_the_input_is_left_alone() -> None:
    texts = pl.Series(["Ｅａｒｔｈ", "ok"])
    nfkc(texts)
    assert texts.to_list() == ["Ｅａｒｔｈ", "ok"]


def test_ascii_hangul_han_and_kana_are_not_scanned() -> None:
    plain = pl.Series(["Embassy news", "대사관 소식", "大使館のお知らせ", "大使馆消息", "Посольство"])
    assert not plain.str.contains(nfkc_may_change()).any()


def test_no_character_outside_the_class_changes_on_its_own() -> None:
    outside = pl.Series([chr(p) for p in range(0x110000) if not 0xD800 <= p <= 0xDFFF])
    kept = outside.filter(~outside.str.contains(nfkc_may_change()))
    assert kept.len() > 1_000_000
    assert kept.equals(kept.str.normalize("NFKC"))
    assert all(unicodedata.combining(c) == 0 for c in kept.to_list()[::97])


ALPHABET = st.sampled_from(
    list("aeAE한가각ガカｶﾞﾟ！？Ｅ１ ") + ["\u0301", "\u0323", "\u0308", "\u1161", "\u11a8", "\u1100", "\u3099",
                                       "\u0e48", "\u0e38", "\u093c", "\u0915", "\ufb01", "\u00a0", "\u212b"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=12), min_size=1, max_size=20))
def test_any_mix_of_tricky_characters(texts: list[str]) -> None:
    series = pl.Series(texts, dtype=pl.String)
    assert nfkc(series).to_list() == series.str.normalize("NFKC").to_list()
