"""Every account's language facts counted in one query (`language_facts_by`, issue 13) are what
`language_facts` says of each account's posts alone: the per-account function stays the definition."""

from __future__ import annotations

import polars as pl
import pytest

from audit.enrich.langid import language_facts, language_facts_by

POSTS = [  # (account, lang after the fallback, model's verdict, declared, source)
    ("emb-cn", "zh", "zh", "zh-Hant", "both"),
    ("emb-cn", "zh", "zh", "zh-cmn", "both"),
    ("emb-cn", "en", "und", "en", "declared"),
    ("emb-cn", "und", "und", None, None),
    ("emb-id", "id", "ms", "in", "both"),
    ("emb-id", "ms", "ms", "en", "detected"),
    ("emb-id", "ko", "ko", None, "detected"),
    ("mofa", "ko", "ko", "ko", "both"),
    ("mofa", "fr", "fr", "de", "detected"),
    ("mofa", "und", "und", "zxx", None),
]


def posts(columns: list[str]) -> pl.DataFrame:
    names = ["account_id", "lang", "detected_lang", "declared_lang", "lang_source"]
    frame = pl.DataFrame(POSTS, schema=names, orient="row")
    return frame.select(c for c in names if c in columns)


@pytest.mark.parametrize("columns", [
    ["account_id", "lang", "detected_lang", "declared_lang", "lang_source"],
    ["account_id", "lang", "declared_lang"],  # a table without the model's verdict or the source
])
def test_each_account_counted_with_the_others_is_counted_as_alone(columns: list[str]) -> None:
    table = posts(columns)
    together = language_facts_by(table, "account_id")
    assert sorted(together) == ["emb-cn", "emb-id", "mofa"]
    for account_id, facts in together.items():
        alone = language_facts(table.filter(pl.col("account_id") == account_id))
        assert facts == alone
        assert list(facts) == list(alone)  # same keys in the same order in the JSON


def test_an_account_without_posts_is_absent_and_counts_nothing_alone() -> None:
    table = posts(["account_id", "lang", "detected_lang", "declared_lang", "lang_source"])
    assert "emb-jp" not in language_facts_by(table, "account_id")
    assert language_facts(table.clear())["posts"] == 0
    assert language_facts(table.clear())["share"] is None
