"""End to end: a post's language falls back on the platform's tag, the enriched table (`--posts-out`) says
where each language came from, and the result counts the posts of unknown language (issue 9, item 1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from audit.api import audit_from_paths

ACCOUNTS = """
[ministry]
name = "Ministry (test)"
country = "KR"

[[accounts]]
id = "emb-id"
name = "Embassy in Indonesia (test)"
role = "embassy"
host_country = "ID"
platform = "csv"
source = "posts.csv"
"""
# text, the platform's tag -> the language used, where it came from
POSTS = [
    ("Thank you Rudy!", "en", "en", "declared"),  # too unsure for the model alone: und
    ("FAKE NEWS!", "en", "en", "declared"),  # the model alone: Slovak at 0.72
    ("Terima kasih atas kunjungan Anda ke Kedutaan Besar hari ini", "in", "id", "both"),  # X writes id as "in"
    ("The minister met her counterpart to discuss trade and security.", "ko", "en", "detected"),  # 0.96: the model wins
    ("ok", "", "und", None),
    ("👍👍", "", "und", None),
]


def test_the_enriched_posts_and_the_result_say_where_languages_come_from(tmp_path: Path) -> None:
    rows = pl.DataFrame({"published_at": [f"2025-03-0{i + 1}T10:00:00Z" for i in range(len(POSTS))],
                         "text": [p[0] for p in POSTS], "declared_lang": [p[1] for p in POSTS]})
    rows.write_csv(tmp_path / "posts.csv")
    (tmp_path / "accounts.toml").write_text(ACCOUNTS, encoding="utf-8")
    frames: list[pl.DataFrame] = []
    result = audit_from_paths(tmp_path / "accounts.toml", enriched=frames.append,
                              since=date(2025, 3, 1), until=date(2025, 3, 31))
    posts = pl.concat(frames).sort("published_at")
    assert posts["lang"].to_list() == [p[2] for p in POSTS]
    assert posts["lang_source"].to_list() == [p[3] for p in POSTS]
    assert posts["detected_lang"].to_list()[:2] == ["und", "sk"]
    facts = result["accounts"][0]["language_detection"]
    assert (facts["posts"], facts["und"], facts["from_declared"]) == (6, 2, 2)
    assert facts["und_share"] > facts["warn_above"] == 0.1
    assert result["language_detection"]["und"] == 2
