"""Who a post is for and how it engages, as a public-diplomacy scholar would code it.

Each case is one post of one account with the audience, mode and label the codebook
(fixtures/eval/CODEBOOK.md) gives it. The wording is written for these tests, not taken from the
evaluation set, so they check the rules, not the set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
import pytest

from audit.collectors.table import PostColumns
from audit.enrich.audience import audience_for
from audit.enrich.lexicons import SignalTerms
from audit.enrich.signals import Addressees, add_signals
from audit.scoring.rubric.loading import load_rubric
from audit.scoring.rubric.model import DEFAULT_RUBRIC_ID

RUBRIC = load_rubric(DEFAULT_RUBRIC_ID)
TERMS = SignalTerms.from_tables(RUBRIC.lexicons, ())
OWN = Addressees("own_ex")


@dataclass(frozen=True)
class Post:
    text: str
    lang: str
    kind: str = "post"
    reply_to: str | None = None
    mentions: tuple[str, ...] = ()


def enrich(posts: list[Post], home: str, host: str | None, who: Addressees = OWN) -> pl.DataFrame:
    cols = PostColumns()
    for i, p in enumerate(posts):
        cols.add(post_id=str(i), published_at=datetime(2025, 3, 1, 9, tzinfo=UTC), text=p.text, kind=p.kind,
                 reply_to=p.reply_to, mentions=list(p.mentions), source="test")
    frame = cols.to_frame({"account_id": "a", "platform": "x"}).with_columns(
        pl.Series("lang", [p.lang for p in posts], pl.String))
    audience = audience_for(home_country=home, host_country=host, global_languages=RUBRIC.settings.global_audience,
                            min_share=RUBRIC.settings.audience_language_min_share)
    return add_signals(frame, audience, TERMS, who)


def coded(post: Post, home: str, host: str | None, who: Addressees = OWN) -> tuple[str, str, str]:
    row = enrich([post], home, host, who).row(0, named=True)
    return row["audience"], row["mode"], row["label"]


KOREAN_EMBASSY_IN_JAPAN = [
    (Post("韓国の伝統音楽コンサートを東京で開催しました。多くの方にご来場いただきました。", "ja"),
     ("host_public", "one_way", "diplomacy")),
    (Post("韓国語スピーチ大会の出場者を募集します。ぜひご応募ください！", "ja"),
     ("host_public", "two_way", "diplomacy")),
    (Post("대사는 오늘 일본 외무성 차관과 면담하고 양국 관계를 논의했습니다.", "ko"),
     ("home_public", "one_way", "outreach")),
    (Post("[안전공지] 태풍 접근에 따라 규슈 지역 체류 중인 우리 국민께서는 외출을 자제하시기 바랍니다.", "ko"),
     ("nationals_abroad", "one_way", "consular")),
    (Post("도쿄 한인회 송년회에 대사가 참석해 교민 여러분과 한 해를 돌아보았습니다.", "ko"),
     ("nationals_abroad", "one_way", "outreach")),
    (Post("日本国籍の方の韓国入国にはK-ETAの申請が必要です。詳しくは大使館ホームページへ。", "ja"),
     ("host_public", "one_way", "consular")),
    (Post("【職員募集】大使館では現地職員を募集しています。応募締切は3月末です。", "ja"),
     ("host_public", "one_way", "other")),
    (Post("🇰🇷🇯🇵", "und"), ("host_public", "one_way", "other")),
]


@pytest.mark.parametrize(("post", "expected"), KOREAN_EMBASSY_IN_JAPAN)
def test_a_korean_embassy_in_japan(post, expected):
    assert coded(post, "KR", "JP") == expected


BRITISH_MINISTRY = [
    # English is home language and world language at once: the subject decides
    (Post("The Foreign Secretary answered questions from MPs in Parliament on the aid budget.", "en"),
     ("home_public", "one_way", "outreach")),
    (Post("The UK condemns the missile strikes on Kyiv and will keep standing with Ukraine.", "en"),
     ("global_public", "one_way", "diplomacy")),
    (Post("British nationals in Japan: a typhoon is approaching Okinawa. Follow the advice of local authorities.",
          "en"), ("nationals_abroad", "one_way", "consular")),
    (Post("Thank you for hosting our delegation today.", "en", mentions=("UNICEF",)),
     ("peers", "two_way", "diplomacy")),
    (Post("Thanks for asking! The scholarship opens in October.", "en", kind="reply", reply_to="reader_42",
          mentions=("reader_42",)), ("global_public", "two_way", "diplomacy")),
]


@pytest.mark.parametrize(("post", "expected"), BRITISH_MINISTRY)
def test_an_english_speaking_ministry_is_judged_by_subject_not_language(post, expected):
    assert coded(post, "GB", None) == expected


def test_an_english_post_of_a_british_embassy_abroad_addresses_the_host_public():
    post = Post("Great to see British and Thai engineers building the new metro line together.", "en")
    assert coded(post, "GB", "TH") == ("host_public", "one_way", "diplomacy")


def test_pointing_to_a_sibling_account_engages_nobody():
    who = Addressees("mofa_en_ex", siblings=("@mofa_ko_ex",))
    post = Post("This account is also available in Korean: @mofa_ko_ex", "en", mentions=("mofa_ko_ex",))
    assert coded(post, "KR", None, who) == ("global_public", "one_way", "other")


def test_a_listed_peer_is_a_peer_whatever_its_handle():
    post = Post("Congratulations on a successful summit!", "en", mentions=("riyadh_team",))
    assert coded(post, "KR", None, Addressees("own_ex"))[0] == "global_public"
    assert coded(post, "KR", None, Addressees("own_ex", peers=("@riyadh_team",)))[0] == "peers"


def test_every_label_says_why():
    posts = [p for p, _ in KOREAN_EMBASSY_IN_JAPAN]
    reasons = enrich(posts, "KR", "JP").select("label_reason", "audience_reason")
    assert reasons.null_count().row(0) == (0, 0)
    assert all(reason for reason in reasons["label_reason"])


def test_diplomacy_share_is_not_the_audience_language_share():
    """Issue 9: 'diplomacy' was a language check counted twice. A British ministry posting in
    English about Parliament and about Ukraine writes 100% in an audience language, half of it
    public diplomacy."""
    posts = [BRITISH_MINISTRY[0][0], BRITISH_MINISTRY[1][0]]
    enriched = enrich(posts, "GB", None)
    assert enriched["audience_language"].mean() == 1.0
    assert (enriched["label"] == "diplomacy").mean() == 0.5
