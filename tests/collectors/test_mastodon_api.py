"""Saved Mastodon API statuses: the real samples, the fixture pages, each quirk and each bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from audit.collectors.base import ReadContext
from audit.collectors.mastodon.api import COLLECTOR
from audit.collectors.mastodon.records import add_status, content_links, content_text
from audit.collectors.registry import detect
from audit.collectors.table import SELF_REPLY, PostColumns, dedupe_posts
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

CTX = ReadContext(account_id="mofa-kr")
ME = {"id": "1", "acct": "mofa_kr", "url": "https://diplo.example/@mofa_kr"}


def status(sid="10", content="<p>Hello</p>", **fields):
    return {"id": sid, "created_at": "2024-09-02T01:00:00.000Z", "in_reply_to_id": None,
            "in_reply_to_account_id": None, "visibility": "public", "language": "en",
            "uri": f"https://diplo.example/users/mofa_kr/statuses/{sid}",
            "url": f"https://diplo.example/@mofa_kr/{sid}", "replies_count": 1, "reblogs_count": 2,
            "favourites_count": 3, "content": content, "reblog": None, "account": ME,
            "media_attachments": [], "mentions": [], "tags": [], "quote": None, **fields}


def read_statuses(tmp_path, data, name="statuses.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    export = open_export(path)
    return COLLECTOR.read(export, export.members(), CTX)


def only_row(tmp_path, data):
    batch = read_statuses(tmp_path, data)
    assert batch.skipped == []
    return batch.posts.row(0, named=True)


# ---------------------------------------------------------------- the real samples


def test_real_samples_are_detected_without_the_header_files(samples):
    collector, members = detect(open_export(samples / "mastodon"), platform="mastodon")
    assert collector.name == "mastodon_api"
    assert "api_v1_accounts_id_statuses__page1.json" in members
    assert not [m for m in members if m.endswith(".http.json")]
    assert len(members) == 7


def test_real_linked_pages_read_ten_posts(samples):
    batch = read_export(samples / "mastodon", CTX)[1]
    pages = batch.posts.filter(batch.posts["source"].str.contains("api_v1_accounts_id_statuses__page"))
    assert pages.height == 10
    assert pages["text"].to_list()[0] == "Toot number 9!"
    assert pages["published_at"].is_sorted(descending=True)
    assert set(pages["declared_lang"]) == {"en"}
    assert (pages["likes"].to_list(), pages["kind"].unique().to_list()) == ([0] * 10, ["post"])
    assert dedupe_posts(batch.posts).height == batch.posts.height == 15


def test_real_reblog_takes_the_boosted_words_and_keeps_the_wrapper_id(samples):
    row = only_row_of(samples, "status__reblog.json")
    assert (row["post_id"], row["kind"], row["text"]) == ("117020586027094262", "repost", "Toot!")
    assert row["declared_lang"] == "en"  # the wrapper's language is null
    assert row["url"] == "http://localhost:3000/@mastodonpy_test/117020586019094258"


def test_real_reply_with_quote_is_a_self_reply_without_the_re_line(samples):
    row = only_row_of(samples, "status__reply_with_quote.json")
    assert (row["kind"], row["reply_to"]) == ("reply", SELF_REPLY)
    assert row["text"] == "@mastodonpy_test yoooo check this out"
    assert row["mentions"] == ["mastodonpy_test"]
    assert row["urls"] == []


def test_real_card_media_and_japanese_samples(samples):
    assert only_row_of(samples, "status__with_link_card.json")["urls"] == ["http://example.org/"]
    assert only_row_of(samples, "status__with_media_attachment.json")["media_count"] == 1
    tagged = only_row_of(samples, "api_v1_timelines_tag__lang_ja_tags.json")
    assert (tagged["declared_lang"], tagged["hashtags"]) == ("ja", ["hoot"])
    assert tagged["text"] == "#hoot (hashtag toot)"


def only_row_of(samples, name):
    batch = read_export(samples / "mastodon" / name, CTX)[1]
    assert batch.skipped == []
    return batch.posts.row(0, named=True)


# ---------------------------------------------------------------- the fixture pages


@pytest.fixture
def fixture_batch(fixtures):
    return read_export(fixtures / "mastodon_api" / "pages", CTX)[1]


def test_fixture_reads_both_pages_and_skips_the_direct_message(fixture_batch):
    assert fixture_batch.posts.height == 7
    skipped = [(s.index, s.reason) for s in fixture_batch.skipped]
    assert skipped == [(1, "direct message (private, not audited)")]
    assert fixture_batch.skipped[0].file.endswith("statuses_page2_max_id.json")
    assert len(fixture_batch.files) == 2
    assert fixture_batch.declared_languages == ["en", "fr", "ja", "ko"]


def test_fixture_kinds_and_reply_targets(fixture_batch):
    posts = fixture_batch.posts
    assert posts["kind"].to_list() == ["quote", "repost", "reply", "reply", "post", "reply", "post"]
    assert posts.filter(kind="reply")["reply_to"].to_list() == [
        "FranceDiplo@mastodon.social", SELF_REPLY, "109000000000000333"]


def test_fixture_counts_map_to_likes_shares_replies(fixture_batch):
    first = fixture_batch.posts.filter(post_id="113100000000000001").row(0, named=True)
    assert (first["likes"], first["shares"], first["replies"], first["views"]) == (88, 25, 3, None)
    assert first["media_count"] == 1
    assert first["text"].startswith("Minister Cho met the UN Secretary-General & partners")


# ---------------------------------------------------------------- quirks


def test_reply_to_is_the_mentioned_acct_else_the_account_id(tmp_path):
    fr = {"id": "55", "username": "FranceDiplo", "acct": "FranceDiplo@mastodon.social", "url": "u"}
    mentioned = status(in_reply_to_id="9", in_reply_to_account_id="55", mentions=[fr])
    assert only_row(tmp_path, mentioned)["reply_to"] == "FranceDiplo@mastodon.social"
    other, own = (status(in_reply_to_id="9", in_reply_to_account_id=who) for who in ("77", "1"))
    assert only_row(tmp_path, other)["reply_to"] == "77"
    assert only_row(tmp_path, own)["reply_to"] == SELF_REPLY


def test_quote_without_reply_is_a_quote(tmp_path):
    row = only_row(tmp_path, status(quote={"state": "pending", "quoted_status_id": "3"}))
    assert (row["kind"], row["reply_to"]) == ("quote", None)


def test_null_language_and_missing_lists_are_tolerated(tmp_path):
    data = status(language=None, mentions=None, tags=[{"url": "no name"}], media_attachments={})
    row = only_row(tmp_path, data)
    assert (row["declared_lang"], row["mentions"], row["hashtags"], row["media_count"]) == (None, [], [], 0)


def test_counts_absent_stay_null(tmp_path):
    data = status()
    for key in ("replies_count", "reblogs_count", "favourites_count"):
        del data[key]
    row = only_row(tmp_path, data)
    assert (row["likes"], row["shares"], row["replies"]) == (None, None, None)


def test_content_helpers_keep_author_links_only():
    html = ('<p class="quote-inline">RE: <a href="https://a.example/@x/1">a.example/@x/1</a></p>'
            '<p>Hi <a href="https://a.example/@x" class="u-url mention">@<span>x</span></a> '
            '<a href="https://d.example/tags/k" class="mention hashtag" rel="tag">#<span>k</span></a> '
            '<a href="https://e.example/?a=1&amp;b=2" rel="nofollow noopener">e.example</a>'
            '<br/>bye &amp; thanks</p>')
    assert content_links(html) == ["https://e.example/?a=1&b=2"]
    assert content_text(html) == "Hi @x #k e.example\nbye & thanks"
    assert content_text(None) == "" and content_links(None) == []


def test_overlapping_pages_are_deduped_later(tmp_path, fixtures):
    folder = tmp_path / "pages"
    shutil.copytree(fixtures / "mastodon_api" / "pages", folder)
    shutil.copy(folder / "statuses_page1.json", folder / "statuses_page1_again.json")
    posts = read_export(folder, CTX)[1].posts
    assert posts.height == 11
    assert dedupe_posts(posts).height == 7


def test_empty_last_page_beside_its_headers_is_read_as_a_page(tmp_path, fixtures):
    folder = tmp_path / "pages"
    shutil.copytree(fixtures / "mastodon_api" / "pages", folder)
    (folder / "statuses_page3.json").write_text("[]\n", encoding="utf-8")
    shutil.copy(folder / "statuses_page1.http.json", folder / "statuses_page3.http.json")
    (folder / "unrelated.json").write_text("[]", encoding="utf-8")
    export = open_export(folder)
    pages = ["statuses_page1.json", "statuses_page2_max_id.json", "statuses_page3.json"]
    assert COLLECTOR.find(export) == pages


# ---------------------------------------------------------------- bad records: skipped and counted


def test_malformed_statuses_are_skipped_with_reasons(tmp_path):
    no_id = status()
    del no_id["id"]
    data = [status(sid="1"), "oops", no_id, status(sid="3", created_at="yesterday"),
            status(sid="4", created_at=None), status(sid="5", id=True)]
    batch = read_statuses(tmp_path, data)
    assert batch.posts["post_id"].to_list() == ["1"]
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (1, "expected a status object, found str"),
        (2, "status has no id"),
        (3, "created_at 'yesterday' is not an ISO 8601 timestamp with an offset"),
        (4, "created_at None is not an ISO 8601 timestamp with an offset"),
        (5, "status has no id"),
    ]


# ---------------------------------------------------------------- bad files


def test_truncated_page_names_file_line_and_column(tmp_path, fixtures):
    text = (fixtures / "mastodon_api" / "pages" / "statuses_page1.json").read_text(encoding="utf-8")
    path = tmp_path / "statuses.json"
    path.write_text(text[:5000], encoding="utf-8")
    with pytest.raises(InputError, match=r"statuses\.json:\d+:\d+: expected valid JSON"):
        read_export(path, CTX)


def test_wrong_top_level_type(tmp_path):
    path = tmp_path / "statuses.json"
    path.write_text('"created_at content account"', encoding="utf-8")
    export = open_export(path)
    with pytest.raises(InputError, match=r"top level: expected a JSON array of Mastodon .*a JSON string"):
        COLLECTOR.read(export, export.members(), CTX)


def test_saved_api_error_is_named(tmp_path):
    with pytest.raises(InputError, match=r"top level: expected Mastodon statuses, found a saved API error: "):
        read_statuses(tmp_path, {"error": "Record not found"})


def test_empty_page_alone_is_not_a_known_format(tmp_path):
    path = tmp_path / "statuses.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match=r"statuses\.json: expected .*no file in it is in a known format"):
        read_export(path, CTX, platform="mastodon")


def test_find_never_raises_on_other_files(tmp_path):
    (tmp_path / "binary.json").write_bytes(b"\x00\xff\xfe")
    (tmp_path / "statuses.http.json").write_text('[{"created_at": 1, "content": 2, "account": 3}]')
    (tmp_path / "notes.txt").write_text('[{"created_at": 1, "content": 2, "account": 3}]')
    assert COLLECTOR.find(open_export(tmp_path)) == []


@pytest.mark.parametrize(("visibility", "reason"), [
    ("public", None), ("unlisted", None),
    ("private", "followers-only post (private, not audited)"),
    ("direct", "direct message (private, not audited)"),
    ("limited", "limited post (private, not audited)"),
])
def test_only_public_and_unlisted_statuses_become_rows(visibility, reason):
    status = {"id": "1", "created_at": "2025-01-01T00:00:00Z", "content": "<p>secret words</p>",
              "visibility": visibility, "account": {"id": "9"}}
    cols = PostColumns()
    assert add_status(cols, status, "test#0") == reason
    assert len(cols.to_frame({"account_id": "a", "platform": "mastodon"})) == (0 if reason else 1)
