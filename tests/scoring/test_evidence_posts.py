"""The cited posts of an account's result (`evidence_posts`): in the order the findings cite them, each with
its UTC time as text and its text cut to QUOTE_CHARS characters (counted in characters, whatever the script)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from audit.scoring.assemble import EVIDENCE_COLUMNS, QUOTE_CHARS, evidence_posts

LONG = "대" * (QUOTE_CHARS + 5)


def authored() -> pl.DataFrame:
    times = [datetime(2025, 1, d, 9, 5, 7, 250, tzinfo=UTC) for d in (1, 2, 3)]
    rows = {"post_id": ["a", "b", "c"], "published_at": times,
            "kind": ["post", "reply", "quote"], "lang": ["en", "ko", "ja"], "label": ["outreach"] * 3,
            "label_reason": ["r"] * 3, "url": [None, "https://x.com/a/status/2", None], "text": ["first", LONG, None],
            "likes": [1, 2, 3]}
    return pl.DataFrame(rows, schema_overrides={"published_at": pl.Datetime("us", "UTC")})


def test_the_cited_posts_come_in_the_order_cited_quoted_and_dated_in_utc():
    cited = evidence_posts(authored(), ["c", "b", "zz", "a"])  # an id not among the posts is left out
    assert [p["post_id"] for p in cited] == ["c", "b", "a"]
    assert list(cited[0]) == list(EVIDENCE_COLUMNS)
    assert cited[1]["published_at"] == "2025-01-02T09:05:07Z"
    assert cited[1]["text"] == "대" * QUOTE_CHARS and cited[0]["text"] is None
    assert cited[2] == {"post_id": "a", "published_at": "2025-01-01T09:05:07Z", "kind": "post", "lang": "en",
                        "label": "outreach", "label_reason": "r", "url": None, "text": "first"}


def test_no_cited_post_no_evidence():
    assert evidence_posts(authored(), []) == []
    assert evidence_posts(authored().clear(), ["a"]) == []
