"""Every account's lexicons matched in one pass give each account's posts the same signals as matching
them account by account, Malay and Indonesian merged as each account's audience reads them (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from audit.accounts import Account, AccountsFile, Ministry
from audit.collectors.table import PostColumns
from audit.enrich.langid import merge_ms_id
from audit.enrich.signals import add_signals
from audit.scoring.engine import AuditRequest, audience_of, signal_terms, with_lexicon_masks
from audit.scoring.rubric.loading import load_rubric

POSTS = [  # (account, language as detected, text): the model's ms/id label is a coin toss
    ("emb-id", "ms", "Layanan paspor dan lapor diri bagi WNI di Jakarta dibuka kembali."),
    ("emb-id", "id", "Ikuti kami dan daftar sekarang untuk festival budaya Korea!"),
    ("emb-id", "en", "The embassy will be closed for maintenance; visa services resume Monday."),
    ("emb-my", "id", "Majlis sambutan komuniti Korea di Kuala Lumpur, jom sertai kami!"),
    ("emb-my", "ms", "Permohonan pasport dan pengesahan dokumen di konsulat."),
    ("emb-my", "ko", "재외국민 여러분, 영사 업무 안내입니다."),
    ("mofa", "id", "Berita bohong tentang visa tidak benar: hoaks."),
    ("mofa", "en", "Earthquake: our condolences to the victims; stay safe."),
]


def account(account_id: str, host: str | None) -> Account:
    return Account(id=account_id, name=account_id, role="embassy" if host else "ministry", platform="csv",
                   source="posts.csv", base=Path("."), host_country=host)


@pytest.fixture(scope="module")
def request_and_posts() -> tuple[AuditRequest, pl.DataFrame]:
    accounts = (account("emb-id", "ID"), account("emb-my", "MY"), account("mofa", None))
    request = AuditRequest(AccountsFile(Path("accounts.toml"), Ministry(name="MOFA", country="KR"), accounts),
                           load_rubric("public-diplomacy"))
    frames = []
    for i, (owner, lang, text) in enumerate(POSTS):
        cols = PostColumns()
        cols.add(post_id=f"p{i}", published_at=datetime(2025, 1, 6, 9, tzinfo=UTC) + timedelta(days=i),
                 source="test", text=text, kind="post")
        frames.append(cols.to_frame({"account_id": owner, "platform": "csv"}).with_columns(pl.lit(lang).alias("lang")))
    return request, pl.concat(frames)


@pytest.mark.parametrize("account_id", ["emb-id", "emb-my", "mofa"])
def test_one_pass_for_all_accounts_gives_each_the_signals_of_its_own_pass(request_and_posts, account_id):
    request, posts = request_and_posts
    who = next(a for a in request.accounts.accounts if a.id == account_id)
    audience, terms = audience_of(request, who), signal_terms(request)

    def signals(frame: pl.DataFrame) -> pl.DataFrame:
        mine = frame.filter(pl.col("account_id") == account_id)
        mine = mine.with_columns(merge_ms_id(pl.col("lang"), set(audience.languages)).alias("lang"))
        return add_signals(mine, audience, terms, None)

    once = signals(with_lexicon_masks(request, posts))
    assert_frame_equal(once, signals(posts))
    assert not any(c.startswith("_lexicon_") for c in once.columns)


def test_the_merge_decides_which_own_language_lexicon_matches(request_and_posts):
    request, posts = request_and_posts
    masked = with_lexicon_masks(request, posts)
    consular = dict(zip(masked["post_id"], masked["_lexicon_consular_term"], strict=True))
    assert consular["p0"]  # Indonesian passport service, labelled ms, read as id in Indonesia
    assert consular["p4"]  # Malaysian passport service, labelled ms in Malaysia
