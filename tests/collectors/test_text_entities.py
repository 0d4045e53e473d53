"""The one shared reading of entities written only inside a post's text.

Exports without entity fields (generic CSV, Facebook and Instagram DYI, Business Suite CSV) take
mentions, hashtags and links from the text with these expressions; each case is what a reader of
the post would call a mention, a hashtag or a link.
"""

from __future__ import annotations

import polars as pl
import pytest

from audit.collectors.base import hashtags_expr, mentions_expr, urls_expr


def _read(expr_of: object, text: str) -> list[str]:
    frame = pl.DataFrame({"text": [text]})
    return frame.select(expr_of(pl.col("text")))["text"][0].to_list()  # type: ignore[operator]


@pytest.mark.parametrize(("text", "expected"), [
    ("Thank you @UN_Women and @WHO!", ["UN_Women", "WHO"]),
    ("Write to press@mofa.example for accreditation", []),
    ("RT @kbsworld: Seoul hosts the summit", ["kbsworld"]),
    ("@embassy_jp @embassy_jp twice", ["embassy_jp"]),
    ("", []),
])
def test_mentions_are_handles_not_email_addresses(text: str, expected: list[str]) -> None:
    assert _read(mentions_expr, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Seoul welcomes you #VisitKorea #K_culture", ["VisitKorea", "K_culture"]),
    ("See https://mofa.example/page#section and issue #123", []),
    ("Tom &#35;amp; #한국", ["한국"]),
    ("#Peace #Peace", ["Peace"]),
])
def test_hashtags_skip_url_fragments_and_bare_numbers(text: str, expected: list[str]) -> None:
    assert _read(hashtags_expr, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Read the statement: https://mofa.example/en/press/1.", ["https://mofa.example/en/press/1"]),
    ("(details at http://t.co/abc)", ["http://t.co/abc"]),
    ("no link here, just mofa.example", []),
])
def test_links_lose_trailing_punctuation(text: str, expected: list[str]) -> None:
    assert _read(urls_expr, text) == expected
