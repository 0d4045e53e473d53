"""Post signals read what a post says, not what its links contain."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from audit.collectors.table import PostColumns
from audit.enrich.audience import Audience
from audit.enrich.lexicons import SignalTerms
from audit.enrich.signals import add_signals

AUDIENCE = Audience(languages={"ja": 0.99}, timezone="Asia/Tokyo", home_languages={"ko": 1.0}, scope="host")


def two_way(text: str) -> bool:
    cols = PostColumns()
    cols.add(post_id="1", published_at=datetime(2025, 1, 1, tzinfo=UTC), text=text, kind="post", source="test")
    posts = cols.to_frame({"account_id": "emb-jp", "platform": "x"}).with_columns(lang=pl.lit("ja"))
    return bool(add_signals(posts, AUDIENCE, SignalTerms(), handle="emb_jp")["is_two_way"][0])


@pytest.mark.parametrize(("text", "asks"), [
    ("ビザ申請の案内です https://overseas.mofa.go.kr/jp-ja/brd/m_1/view.do?seq=1350", False),
    ("ビザ申請の案内です www.example.go.kr/notice?id=7 をご覧ください", False),
    ("韓国料理で一番好きなものは何ですか？", True),
    ("Which Korean dish do you like best? https://example.org/poll?q=1", True),
])
def test_a_question_mark_inside_a_link_is_not_a_question(text, asks):
    assert two_way(text) is asks
