"""The text is cleaned for detection once per audit: detection, the `letters` signal and the templated
repeats (marked for every account at once) come out as when each cleaned the text itself (issue 13)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from audit.accounts import load_accounts
from audit.enrich.langid import detect_languages
from audit.enrich.lexicons import LETTERS_COLUMN, SignalTerms, text_facts
from audit.enrich.messages import REPEAT_COLUMN, mark_messages, templated_repeats
from audit.enrich.signals import add_signals
from audit.enrich.stage import with_languages
from audit.enrich.text import clean_for_detection, letter_count
from audit.posts.collect import collect_accounts
from audit.scoring.engine import AuditRequest, audience_of
from audit.scoring.rubric.loading import load_rubric

EVAL = Path(__file__).resolve().parents[2] / "fixtures" / "eval"


@pytest.mark.parametrize("country", ["gb", "jp", "kr", "sa"])
def test_the_evaluation_posts_are_enriched_the_same_with_the_shared_column(country: str) -> None:
    accounts = load_accounts(EVAL / f"accounts-{country}.toml")
    posts = with_languages(collect_accounts(accounts).posts, 3, 0.5)
    assert {LETTERS_COLUMN, REPEAT_COLUMN} <= set(posts.columns)
    rubric = load_rubric("public-diplomacy")
    terms = SignalTerms.from_tables(rubric.lexicons, rubric.cultural_terms(accounts.ministry.country))
    for account in accounts.accounts:
        mine = posts.filter(pl.col("account_id") == account.id)
        audience = audience_of(AuditRequest(accounts=accounts, rubric=rubric), account)
        shared = add_signals(mine, audience, terms, account.handle)
        alone = add_signals(mine.drop(LETTERS_COLUMN, REPEAT_COLUMN), audience, terms, account.handle)
        assert not {LETTERS_COLUMN, REPEAT_COLUMN} & set(shared.columns)
        assert_frame_equal(shared, alone)


NOISY = st.lists(st.sampled_from([
    "Visit https://mofa.go.kr/eng/x?id=1 ", "@MofaJapan_jp", "さんの", "#외교부", " 🇰🇷👍🏽 ", ":flag_kr:", "RT @a: ",
    "G20 SUMMIT IN SEOUL ", "Ｅａｒｔｈ！", "外務省", "سفارة", "\n", "  ", "10:30:00", "mail@example.org", "x" * 1100,
]), max_size=6).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(NOISY, st.text(max_size=40), st.none()), min_size=1, max_size=8))
def test_detection_and_templates_read_the_shared_column_as_their_own_cleaning(texts: list[str | None]) -> None:
    series = pl.Series(texts, dtype=pl.String)
    cleaned = series.to_frame("text").select(clean_for_detection(pl.col("text"))).to_series()
    assert_frame_equal(detect_languages(series, workers=1, cleaned=cleaned), detect_languages(series, workers=1))
    posts = pl.DataFrame({
        "post_id": [str(i) for i in range(len(texts))], "text": series, "kind": "post",
        "urls": pl.Series([[]] * len(texts), dtype=pl.List(pl.String)),
        "published_at": pl.datetime_range(pl.datetime(2025, 1, 1), pl.datetime(2025, 1, 1, len(texts) - 1),
                                          "1h", eager=True, time_zone="UTC"),
    })
    letters = cleaned.to_frame("c").select(letter_count(pl.col("c"))).to_series()
    shared = posts.with_columns(text_facts(posts, cleaned, letters))
    assert_frame_equal(mark_messages(shared).drop(LETTERS_COLUMN), mark_messages(posts))


def test_repeats_marked_for_several_accounts_at_once_are_those_of_each_account() -> None:
    at = pl.datetime_range(pl.datetime(2025, 1, 1), pl.datetime(2025, 1, 1, 5), "1h", eager=True, time_zone="UTC")
    posts = pl.DataFrame({"account_id": ["a", "b", "a", "b", "a", "b"], "kind": "post", "published_at": at,
                          "text": ["Good morning Tokyo! #1", "Good morning Tokyo!", "Good morning, Tokyo 2",
                                   "Bonjour", "Good morning Tokyo!", "Bonjour!"]})
    together = templated_repeats(posts)
    one_by_one = pl.concat([templated_repeats(p).to_frame().with_columns(i=p["i"])
                            for p in posts.with_row_index("i").partition_by("account_id")]).sort("i")
    assert together.to_list() == one_by_one["templated_repeat"].to_list() == [False, False, True, False, True, True]
