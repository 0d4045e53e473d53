"""Keyword matching over whole text columns: one regex per keyword list, never a loop per post.

Keywords match case-insensitively, as whole words in scripts written with spaces and as substrings
in scripts written without them (DESIGN.md, first_response_hours). Crisis events, lexicons and
signals all match through here.
"""


from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Final

import polars as pl

from audit.enrich.text import nfkc, scattered

_UNSPACED_SCRIPTS: Final = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan (syllables separated by tsheg, words not by spaces)
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF), (0x19E0, 0x19FF),  # Khmer, Khmer symbols
    (0x1950, 0x1AAF),  # Tai Le, New Tai Lue, Khmer symbols, Buginese, Tai Tham
    (0x1B00, 0x1B7F),  # Balinese
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x31FF),  # Hiragana, Katakana, Bopomofo, Hangul compatibility jamo, Katakana ext.
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),  # Han
    (0xA000, 0xA4CF),  # Yi
    (0xA960, 0xA97F), (0xAC00, 0xD7FF),  # Hangul
    (0xA980, 0xA9FF), (0xAA60, 0xAADF),  # Javanese, Myanmar ext., Tai Viet
    (0xFF66, 0xFFDC),  # half-width Katakana and Hangul
    (0x20000, 0x323AF),  # Han extensions
)


_BOUNDARY: Final = "[\\W" + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in _UNSPACED_SCRIPTS) + "]"


"""One character that ends a word: a non-word character, or one of a script written without spaces."""
_UNSPACED_CHAR: Final = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _UNSPACED_SCRIPTS) + "]")


MAX_LITERALS_AS_REGEX: Final = 5_000
"""Above this many literals the candidate scan uses `contains_any`, which has no regex size limit to reach."""


def written_without_spaces(keyword: str) -> bool:
    """True when the keyword uses a script whose words are not separated by spaces.

    Such keywords match as substrings: 地震 must match 東日本で地震が発生, where no word boundary
    exists. Hangul is included on purpose even though Korean puts spaces between words:
    particles attach to the noun (지진이, 지진으로, 지진에), so a whole-word match on 지진 would
    miss nearly every real sentence. The price is a rare false hit inside a longer compound.
    """
    return _UNSPACED_CHAR.search(keyword) is not None


def keyword_pattern(keywords: Sequence[str]) -> str | None:
    """One case-insensitive Rust-regex pattern for all keywords (None when there are none).

    polars' regex engine has no lookarounds, so a whole word is ``(^|B)kw(B|$)`` where B is one
    character that is not a word character (``\\w`` is Unicode-aware there, so this works for
    Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari...) or belongs to a script written
    without spaces: Japanese and Korean attach Latin words directly (COVID-19対策, Expo에서).
    A space inside a keyword matches any run of whitespace. Whole-word matching does not see
    through clitics (Arabic ال, French l'): list those forms as keywords.
    """
    return _lexicon(tuple(keywords))[0]


@lru_cache(maxsize=1024)
def _lexicon(keywords: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """The pattern and the literal prefilter of a keyword list, built once per process and list.

    Every account matches the same rubric lexicons; building them again per account and language
    was a third of a 200-account audit's time.
    """
    forms = [_normalise(k) for k in keywords if k.strip()]
    substrings = [_escape(k) for k in forms if written_without_spaces(k)]
    words = [_escape(k) for k in forms if not written_without_spaces(k)]
    parts = [f"(?:{'|'.join(substrings)})"] if substrings else []
    parts += [f"(?:^|{_BOUNDARY})(?:{'|'.join(words)})(?:{_BOUNDARY}|$)"] if words else []
    literals = tuple(sorted({max(form.lower().split(), key=len) for form in forms}))
    return ("(?i)" + "|".join(parts) if parts else None), literals


def match_keywords(text: pl.Expr, keywords: Sequence[str]) -> pl.Expr:
    """Boolean: the text contains one of the keywords (rules in `keyword_pattern`); null text is False.

    Text is NFKC-normalised first so that full-width Ｅａｒｔｈｑｕａｋｅ and half-width ｶﾀｶﾅ,
    common in East Asian posts, match keywords typed normally.
    """
    pattern = keyword_pattern(keywords)
    if pattern is None:
        return pl.lit(False)
    return text.str.normalize("NFKC").str.contains(pattern).fill_null(False)


def prepare_for_matching(text: pl.Series) -> pl.Series:
    """Text as `keyword_mask` wants it: NFKC-normalised (only rows NFKC changes, `text.nfkc`) and
    lower-cased, computed once for many lexicons."""
    return nfkc(text).str.to_lowercase()


def keyword_mask(prepared: pl.Series, keywords: Sequence[str]) -> pl.Series:
    """`match_keywords` over text from `prepare_for_matching`, fast on large tables.

    A literal multi-pattern search (Aho-Corasick) first finds the few rows that contain a keyword at
    all; only those go through the word-boundary regex. Most posts contain no crisis or consular
    term, so this saves nearly all of the regex work on a million posts.
    """
    pattern = _lexicon(tuple(keywords))[0]
    if pattern is None:
        return pl.repeat(False, prepared.len(), dtype=pl.Boolean, eager=True)
    candidates = keyword_candidates(prepared, keywords)
    if candidates.is_empty():
        return pl.repeat(False, prepared.len(), dtype=pl.Boolean, eager=True)
    hits = prepared.gather(candidates).str.contains(pattern).fill_null(False)
    return scattered(prepared.len(), candidates, hits)


def keyword_candidates(prepared: pl.Series, keywords: Sequence[str]) -> pl.Series:
    """Indices of the rows of `prepare_for_matching` text that contain the longest word of a keyword.

    Every row `keyword_mask` can match is among them, so one scan with the terms of many lexicons
    finds the few rows that all of them need to look at.
    """
    literals = _lexicon(tuple(keywords))[1]
    if not literals:
        return pl.Series(dtype=pl.UInt32)
    if len(literals) > MAX_LITERALS_AS_REGEX:
        return prepared.str.contains_any(list(literals)).fill_null(False).arg_true()
    return prepared.str.contains(_any_literal(literals)).fill_null(False).arg_true()


@lru_cache(maxsize=1024)
def _any_literal(literals: tuple[str, ...]) -> str:
    """A regex that matches where one of the literals occurs, as `contains_any` finds them (case and all):
    the regex engine's literal search took 0.06-0.09 CPU s where `contains_any` took 0.10-0.15 on the same
    140,000 posts (a rubric's lexicon, issue 13)."""
    return "|".join(pl.escape_regex(literal) for literal in literals)


def language_keyword_mask(prepared: pl.Series, lang: pl.Series, table: Mapping[str, Sequence[str]]) -> pl.Series:
    """Per row, `keyword_mask` with the keyword list of the row's language (`lang`, a key of `table`).

    Two regex passes for all languages instead of a literal scan and a regex per language: each
    text is tagged with its language code and two NULs, and each alternative of the pattern starts
    with one code. The second NUL stands where the text's start was, as a word boundary. The second
    pass (the keywords) reads only the rows the first (their literals) found: 0.77 -> 0.45 CPU s for the
    six own-language lexicons on 140,000 posts.
    """
    lexicons = tuple((code, tuple(terms)) for code, terms in table.items())
    literals, pattern = _by_language(lexicons)
    if pattern is None:
        return pl.repeat(False, prepared.len(), dtype=pl.Boolean, eager=True)
    tagged = lang + "\x00\x00" + prepared
    rows = tagged.str.contains(literals).fill_null(False).arg_true()  # the keyword regex only where a literal is
    hits = tagged.gather(rows).str.contains(pattern)
    return scattered(prepared.len(), rows, hits)


@lru_cache(maxsize=64)
def _by_language(lexicons: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, str | None]:
    """The combined literal and keyword patterns of `language_keyword_mask` (None: no keyword at all)."""
    literal_parts, keyword_parts = [], []
    for code, keywords in lexicons:
        pattern, literals = _lexicon(keywords)
        if pattern is None:
            continue
        tag = f"^{pl.escape_regex(code)}\x00(?s:.*?)"
        literal_parts.append(tag + "(?:" + "|".join(pl.escape_regex(lit) for lit in literals) + ")")
        keyword_parts.append(tag + "(?i:" + pattern.removeprefix("(?i)") + ")")
    return "|".join(literal_parts), ("|".join(keyword_parts) if keyword_parts else None)


def hashtag_forms(keywords: Sequence[str]) -> list[str]:
    """The hashtags a keyword stands for: itself, and without spaces ("tsunami warning" -> tsunamiwarning)."""
    forms = {_normalise(k).lstrip("#") for k in keywords}
    forms |= {"".join(form.split()) for form in forms}
    return sorted(form for form in forms if form)


def match_hashtags(hashtags: pl.Expr, keywords: Sequence[str]) -> pl.Expr:
    """Boolean: one of the hashtags (a list column, without '#') equals a keyword form, ignoring case."""
    forms = hashtag_forms(keywords)
    if not forms:
        return pl.lit(False)
    pattern = f"(?i)^(?:{'|'.join(_escape(f) for f in forms)})$"
    element = pl.element().str.normalize("NFKC").str.contains(pattern)
    return hashtags.list.eval(element).list.any().fill_null(False)


def matches_event(keywords: Sequence[str]) -> pl.Expr:
    """Boolean over a posts table: its text or its hashtags match one of the keywords."""
    return match_keywords(pl.col("text"), keywords) | match_hashtags(pl.col("hashtags"), keywords)


def _normalise(keyword: str) -> str:
    return unicodedata.normalize("NFKC", keyword.strip())


def _escape(keyword: str) -> str:
    return r"\s+".join(pl.escape_regex(part) for part in keyword.split())
