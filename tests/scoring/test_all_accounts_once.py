"""What the audit does once for all accounts gives each account what its own pass gives (issue 13): the
signals and labels (`with_signals`, against `add_signals` of the account alone) and the responses to
events (`responses_for` of all accounts, against the account alone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from audit.accounts import Account, AccountsFile, Ministry
from audit.collectors.table import PostColumns
from audit.enrich.langid import merge_ms_id
from audit.enrich.signals import add_signals, local_time
from audit.events.model import Event
from audit.scoring.engine import (
    AuditRequest,
    addressees,
    audience_of,
    authored_of,
    responses_for,
    signal_terms,
    with_lexicon_masks,
    with_signals,
)
from audit.scoring.metrics.measures import Period
from audit.scoring.rubric.loading import load_rubric

START = datetime(2025, 1, 6, 9, tzinfo=UTC)
LINK = "https://www.mofa.go.kr/eng/brd/m_5674/view.do?seq=321"
POSTS = [  # (account, hours after START, language as detected, kind, text, links)
    ("emb-id", 0, "ms", "post", "Layanan paspor bagi WNI di Jakarta dibuka kembali.", [LINK]),
    ("emb-id", 2, "ko", "post", "재외국민 여러분, 지진 관련 영사 안내입니다.", [LINK]),
    ("emb-id", 5, "und", "post", "🇰🇷🇮🇩", []),
    ("emb-id", 30, "id", "reply", "Terima kasih @KemluRI atas kerja samanya! Gempa: kami siap membantu.", []),
    ("emb-my", 1, "ms", "post", "Permohonan pasport di konsulat: gempa bumi, sila hubungi kami?", [LINK]),
    ("emb-my", 3, "ko", "post", "지진 피해 교민 안전 확인 바랍니다.", []),
    ("emb-my", 200, "en", "post", "Join our Korean culture festival in Kuala Lumpur!", []),
    ("mofa", 4, "ko", "post", "외교부 장관은 오늘 지진 피해에 대해 위로를 전했습니다.", [LINK]),
    ("mofa", 6, "ko", "post", "국회에서 외교부 예산을 논의했습니다.", []),
    ("mofa", 8, "en", "post", "Earthquake: our condolences to the victims @UN", []),
    ("mofa", 9, "und", "repost", "RT earthquake", []),
]
QUAKE = Event(id="quake", title="Earthquake", type="crisis", start=START, countries=("ID", "MY"),
              keywords=("earthquake", "gempa", "지진"))
SUMMIT = Event(id="summit", title="Summit", type="opportunity", start=START + timedelta(hours=100),
               countries=("MY",), keywords=("festival",))


def account(account_id: str, host: str | None, handle: str) -> Account:
    return Account(id=account_id, name=account_id, role="embassy" if host else "ministry", platform="csv",
                   source="posts.csv", base=Path("."), host_country=host, handle=handle)


@pytest.fixture(scope="module")
def request_and_posts() -> tuple[AuditRequest, pl.DataFrame]:
    accounts = (account("emb-id", "ID", "@koreaemb_id"), account("emb-my", "MY", "@koreaemb_my"),
                account("mofa", None, "@mofa_kr"))
    request = AuditRequest(AccountsFile(Path("accounts.toml"), Ministry(name="MOFA", country="KR"), accounts),
                           load_rubric("public-diplomacy"), events=(QUAKE, SUMMIT))
    frames = []
    for i, (owner, hours, lang, kind, text, links) in enumerate(POSTS):
        cols = PostColumns()
        cols.add(post_id=f"p{i}", published_at=START + timedelta(hours=hours), source="test", text=text,
                 kind=kind, urls=links, reply_to="@KemluRI" if kind == "reply" else None)
        frames.append(cols.to_frame({"account_id": owner, "platform": "csv"}).with_columns(pl.lit(lang).alias("lang")))
    return request, with_lexicon_masks(request, pl.concat(frames))


@pytest.mark.parametrize("account_id", ["emb-id", "emb-my", "mofa"])
def test_signals_of_all_accounts_at_once_are_each_accounts_own(request_and_posts, account_id):
    request, posts = request_and_posts
    who = next(a for a in request.accounts.accounts if a.id == account_id)
    audience = audience_of(request, who)
    mine = posts.filter(pl.col("account_id") == account_id)
    alone = add_signals(mine.with_columns(merge_ms_id(pl.col("lang"), set(audience.languages)).alias("lang")),
                        audience, signal_terms(request), addressees(request.accounts, who))
    together = with_signals(request, posts).filter(pl.col("account_id") == account_id)
    assert_frame_equal(together.with_columns(local_time(audience)), alone)


def test_a_link_shared_by_two_accounts_makes_no_message_across_them(request_and_posts):
    request, posts = request_and_posts
    messages = dict(with_signals(request, posts).select("post_id", "message_id").iter_rows())
    assert messages["p1"] == "p0"  # the same embassy's Korean version of its message
    assert messages["p4"] == "p4" and messages["p7"] == "p7"  # other accounts' posts with that link


@pytest.mark.parametrize("account_id", ["emb-id", "emb-my", "mofa"])
def test_responses_of_all_accounts_at_once_are_each_accounts_own(request_and_posts, account_id):
    request, posts = request_and_posts
    period = Period(date(2025, 1, 1), date(2025, 1, 31))
    authored = authored_of(with_signals(request, posts), period)
    who = next(a for a in request.accounts.accounts if a.id == account_id)
    alone = responses_for([who], authored.filter(pl.col("account_id") == account_id), request.events, request,
                          period)
    together = responses_for(request.accounts.accounts, authored, request.events, request, period)
    assert_frame_equal(together.filter(pl.col("account_id") == account_id), alone)
    assert alone.height == {"emb-id": 1, "emb-my": 2, "mofa": 0}[account_id]
