"""The text cleaned for detection is made once per audit and shared: detection, the `letters` signal and
the templated-repeat key read the same column and come out as when each cleaned the text itself (issue 13)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from audit.accounts import load_accounts
from audit.enrich.langid import detect_languages
from audit.enrich.messages import mark_messages
from audit.enrich.signals import SignalTerms, add_signals
from audit.enrich.text import CLEAN_COLUMN, with_clean_text
from audit.posts.collect import collect_accounts
from audit.scoring.engine import AuditRequest, audience_of, with_languages
from audit.scoring.rubric.loading import load_rubric

EVAL = Path(__file__).resolve().parents[2] / "fixtures" / "eval"


@pytest.mark.parametrize("country", ["gb", "jp", "kr", "sa"])
def test_the_evaluation_posts_are_enriched_the_same_with_the_shared_column(country: str) -> None:
    accounts = load_accounts(EVAL / f"accounts-{country}.toml")
    posts = with_languages(collect_accounts(accounts).posts, 3, 0.5)
    assert CLEAN_COLUMN in posts.columns
    rubric = load_rubric("public-diplomacy")
    terms = SignalTerms.from_tables(rubric.lexicons, rubric.cultural_terms(accounts.ministry.country))
    for account in accounts.accounts:
        mine = posts.filter(pl.col("account_id") == account.id)
        audience = audience_of(AuditRequest(accounts=accounts, rubric=rubric), account)
        shared = add_signals(mine, audience, terms, account.handle)
        alone = add_signals(mine.drop(CLEAN_COLUMN), audience, terms, account.handle)
        assert CLEAN_COLUMN not in shared.columns
        assert_frame_equal(shared, alone)


NOISY = st.lists(st.sampled_from([
    "Visit https://mofa.go.kr/eng/x?id=1 ", "@MofaJapan_jp", "さんの", "#외교부", " 🇰🇷👍🏽 ", ":flag_kr:", "RT @a: ",
    "G20 SUMMIT IN SEOUL ", "Ｅａｒｔｈ！", "外務省", "سفارة", "\n", "  ", "10:30:00", "mail@example.org", "x" * 1100,
]), max_size=6).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(NOISY, st.text(max_size=40), st.none()), min_size=1, max_size=8))
def test_detection_and_templates_read_the_shared_column_as_their_own_cleaning(texts: list[str | None]) -> None:
    series = pl.Series(texts, dtype=pl.String)
    cleaned = with_clean_text(pl.DataFrame({"text": series}))[CLEAN_COLUMN]
    assert_frame_equal(detect_languages(series, workers=1, cleaned=cleaned), detect_languages(series, workers=1))
    posts = pl.DataFrame({
        "post_id": [str(i) for i in range(len(texts))], "text": series, "kind": "post",
        "urls": pl.Series([[]] * len(texts), dtype=pl.List(pl.String)),
        "published_at": pl.datetime_range(pl.datetime(2025, 1, 1), pl.datetime(2025, 1, 1, len(texts) - 1),
                                          "1h", eager=True, time_zone="UTC"),
    })
    assert_frame_equal(mark_messages(with_clean_text(posts)).drop(CLEAN_COLUMN), mark_messages(posts))
