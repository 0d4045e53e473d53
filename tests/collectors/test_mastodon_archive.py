"""Mastodon account archive (outbox.json): the fixture folder and zip, each quirk and each bad input."""

from __future__ import annotations

import json
import shutil

import pytest

from audit.collectors.base import ReadContext
from audit.collectors.mastodon.archive import COLLECTOR, account_from_url
from audit.collectors.registry import detect
from audit.collectors.table import SELF_REPLY
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

ACTOR = "https://diplo.example/users/mofa_kr"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CTX = ReadContext(account_id="mofa-kr")


def note(sid="1", content="<p>Hello</p>", lang="en", **fields):
    body = {"id": f"{ACTOR}/statuses/{sid}", "type": "Note", "inReplyTo": None,
            "published": "2024-09-02T01:00:00Z", "url": f"https://diplo.example/@mofa_kr/{sid}",
            "attributedTo": ACTOR, "to": [PUBLIC], "cc": [f"{ACTOR}/followers"], "content": content,
            "attachment": [], "tag": []}
    if lang:
        body["contentMap"] = {lang: content}
    return {**body, **fields}


def create(obj, **fields):
    activity_id = f"{obj.get('id')}/activity" if isinstance(obj, dict) else "x"
    return {"id": activity_id, "type": "Create", "actor": ACTOR, "published": "2024-09-02T01:00:00Z",
            "object": obj, **fields}


def write_outbox(tmp_path, items, name="outbox.json", **extra):
    data = {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json",
            "type": "OrderedCollection", "totalItems": 99, "orderedItems": items, **extra}
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def read_items(tmp_path, items):
    export = open_export(write_outbox(tmp_path, items))
    return COLLECTOR.read(export, export.members(), CTX)


def only_row(tmp_path, item):
    batch = read_items(tmp_path, [item])
    assert batch.skipped == []
    return batch.posts.row(0, named=True)


# ---------------------------------------------------------------- the fixture


@pytest.fixture
def fixture_batch(fixtures):
    return read_export(fixtures / "mastodon_archive" / "archive", CTX)[1]


def test_fixture_is_detected_from_content_and_only_the_outbox_is_read(fixtures):
    export = open_export(fixtures / "mastodon_archive" / "archive")
    collector, members = detect(export, platform="mastodon")
    assert collector.name == "mastodon_archive"
    assert members == ["outbox.json"]  # actor.json and likes.json are not posts


def test_fixture_reads_every_public_status_and_counts_the_private_ones(fixture_batch):
    posts = fixture_batch.posts
    assert posts.height == 7  # 9 items although totalItems says 7; a direct message and a followers-only post
    assert [(s.index, s.reason) for s in fixture_batch.skipped] == [
        (5, "direct message (private, not audited)"), (7, "followers-only post (private, not audited)")]
    assert fixture_batch.declared_languages == ["en", "fr", "ja", "ko"]
    assert posts["kind"].to_list() == ["post", "post", "reply", "reply", "repost", "post", "quote"]


def test_fixture_text_is_plain_with_entities_decoded(fixture_batch):
    first = fixture_batch.posts.row(0, named=True)
    assert first["text"].startswith("Minister Cho met the UN Secretary-General & partners")
    assert "<COP29>" in first["text"]
    assert "\nRead more: https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=321&page=1" in first["text"]
    assert first["urls"] == ["https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=321&page=1"]
    assert first["mentions"] == ["UN@mastodon.social"]
    assert first["hashtags"] == ["ClimateAction"]
    assert first["media_count"] == 1
    assert first["likes"] is None and first["shares"] is None and first["replies"] is None


def test_fixture_replies_to_self_and_to_others(fixture_batch):
    replies = fixture_batch.posts.filter(kind="reply")
    assert replies["reply_to"].to_list() == [SELF_REPLY, "FranceDiplo@mastodon.social"]


def test_fixture_boost_has_no_text_and_links_the_boosted_post(fixture_batch):
    boost = fixture_batch.posts.filter(kind="repost").row(0, named=True)
    assert boost["post_id"] == "113100000000000005"
    assert boost["text"] == ""
    assert boost["url"] == "https://mastodon.social/users/UN/statuses/113099999999999998"


def test_fixture_quote_drops_the_re_fallback_paragraph(fixture_batch):
    quote = fixture_batch.posts.filter(kind="quote").row(0, named=True)
    assert quote["text"] == "Korea stands with the UN on humanitarian access."
    assert quote["urls"] == []


def test_zip_and_lone_outbox_read_the_same_posts(fixtures, fixture_batch):
    folder = fixtures / "mastodon_archive"
    zipped = read_export(folder / "archive.zip", CTX)[1]
    lone = read_export(folder / "archive" / "outbox.json", CTX)[1]
    assert zipped.posts.drop("source").equals(fixture_batch.posts.drop("source"))
    assert lone.posts.drop("source").equals(fixture_batch.posts.drop("source"))
    assert zipped.posts["source"][0].endswith("archive.zip!outbox.json#0")


# ---------------------------------------------------------------- quirks


def test_language_comes_from_content_map_and_is_null_without_one(tmp_path):
    assert only_row(tmp_path, create(note(lang="zh-TW")))["declared_lang"] == "zh"
    assert only_row(tmp_path, create(note(lang=None)))["declared_lang"] is None
    assert only_row(tmp_path, create(note(lang="und")))["declared_lang"] is None


def test_content_map_is_used_when_content_is_missing(tmp_path):
    obj = note(content="<p>Bonjour</p>", lang="fr")
    del obj["content"]
    assert only_row(tmp_path, create(obj))["text"] == "Bonjour"


def test_reply_to_another_server_without_a_mastodon_url_uses_the_mention_on_that_host(tmp_path):
    mention = {"type": "Mention", "href": "https://pleroma.example/users/alice",
               "name": "@alice@pleroma.example"}
    obj = note(inReplyTo="https://pleroma.example/objects/0b1c2d", tag=[mention])
    row = only_row(tmp_path, create(obj))
    assert (row["kind"], row["reply_to"]) == ("reply", "alice@pleroma.example")


def test_reply_to_unknown_account_keeps_the_reply_with_null_reply_to(tmp_path):
    row = only_row(tmp_path, create(note(inReplyTo="https://misskey.example/notes/9xyz")))
    assert (row["kind"], row["reply_to"]) == ("reply", None)


def test_self_reply_is_found_from_the_create_actor_or_actor_json(tmp_path):
    obj = note(inReplyTo=f"{ACTOR}/statuses/0")
    del obj["attributedTo"]
    assert only_row(tmp_path, create(obj))["reply_to"] == SELF_REPLY
    folder = tmp_path / "archive"
    folder.mkdir()
    item = create(obj)
    del item["actor"]
    write_outbox(folder, [item])
    (folder / "actor.json").write_text(json.dumps({"id": ACTOR, "type": "Person"}), encoding="utf-8")
    posts = read_export(folder, CTX)[1].posts
    assert posts["reply_to"].to_list() == [SELF_REPLY]


def test_a_similar_actor_url_is_not_self(tmp_path):
    obj = note(inReplyTo="https://diplo.example/users/mofa_kr_2/statuses/5")
    assert only_row(tmp_path, create(obj))["reply_to"] == "mofa_kr_2@diplo.example"


@pytest.mark.parametrize(("url", "account"), [
    ("https://mastodon.social/users/UN/statuses/1", "UN@mastodon.social"),
    ("https://mastodon.social/@UN/1", "UN@mastodon.social"),
    ("https://mastodon.social/@UN@other.example/1", "UN@other.example"),
    ("https://gts.example/@emb/statuses/01HX", "emb@gts.example"),
    ("https://pleroma.example/objects/abc", None),
])
def test_account_from_url(url, account):
    assert account_from_url(url) == account


def test_local_mentions_have_no_host_and_emoji_tags_are_ignored(tmp_path):
    tags = [{"type": "Mention", "href": f"{ACTOR}", "name": "@mofa_kr"},
            {"type": "Emoji", "name": ":flag:", "icon": {"type": "Image", "url": "x.png"}},
            {"type": "Hashtag", "href": "https://diplo.example/tags/k", "name": "#KCulture"},
            {"type": "Hashtag"}]
    row = only_row(tmp_path, create(note(tag=tags)))
    assert (row["mentions"], row["hashtags"]) == (["mofa_kr"], ["KCulture"])


def test_link_preview_attachments_are_not_media(tmp_path):
    attachment = [{"type": "Document", "mediaType": "video/mp4", "url": "media_attachments/files/1.mp4"},
                  {"type": "Link", "href": "https://www.mofa.go.kr/eng/"}]
    assert only_row(tmp_path, create(note(attachment=attachment)))["media_count"] == 1


def test_newer_archives_with_like_and_share_totals_fill_the_counts(tmp_path):
    obj = note(likes={"id": "l", "type": "Collection", "totalItems": 12},
               shares={"id": "s", "type": "Collection", "totalItems": 4})
    row = only_row(tmp_path, create(obj))
    assert (row["likes"], row["shares"], row["replies"]) == (12, 4, None)


def test_only_public_and_unlisted_posts_are_read_the_private_ones_counted(tmp_path):
    public = note(sid="3", to=[PUBLIC], cc=[f"{ACTOR}/followers"])
    unlisted = note(sid="4", to=[f"{ACTOR}/followers"], cc=[PUBLIC])
    followers = note(sid="1", to=[f"{ACTOR}/followers"], cc=[])
    direct = note(sid="2", to=["https://mastodon.social/users/UN"], cc=[])
    nobody = note(sid="5", to=[], cc=[])
    batch = read_items(tmp_path, [create(n) for n in (public, unlisted, followers, direct, nobody)])
    assert sorted(batch.posts["post_id"].to_list()) == ["3", "4"]
    assert sorted(s.reason for s in batch.skipped) == ["direct message (private, not audited)",
                                                       "direct message (private, not audited)",
                                                       "followers-only post (private, not audited)"]


def test_polls_are_posts_and_quotes_are_recognised_by_any_quote_key(tmp_path):
    poll = note(sid="1", type="Question", oneOf=[{"type": "Note", "name": "Yes"}])
    quote = note(sid="2", _misskey_quote="https://misskey.example/notes/1")
    batch = read_items(tmp_path, [create(poll), create(quote)])
    assert batch.posts["kind"].to_list() == ["post", "quote"]


def test_announce_with_an_embedded_object_uses_its_id_as_url(tmp_path):
    item = {"id": f"{ACTOR}/statuses/7/activity", "type": "Announce", "actor": ACTOR,
            "published": "2024-09-05T09:00:00Z", "object": {"id": "https://mastodon.social/users/UN/statuses/3"}}
    row = only_row(tmp_path, item)
    assert (row["post_id"], row["kind"], row["url"]) == ("7", "repost", "https://mastodon.social/users/UN/statuses/3")


# ---------------------------------------------------------------- bad records: skipped and counted


def test_malformed_records_are_skipped_with_reasons(tmp_path):
    no_time = note(sid="3")
    del no_time["published"]
    items = [
        "https://diplo.example/users/mofa_kr/statuses/1/activity",
        {"type": "Like", "actor": ACTOR, "object": "https://mastodon.social/users/UN/statuses/3"},
        create("https://diplo.example/users/mofa_kr/statuses/2"),
        create({"type": "Note", "content": "no id"}),
        create(no_time),
        create(note(sid="4", published="2024-09-02 01:00:00")),
        {"type": "Announce", "published": "2024-09-05T09:00:00Z", "object": "https://x.example/1"},
        create(note(sid="5")),
    ]
    batch = read_items(tmp_path, items)
    assert batch.posts["post_id"].to_list() == ["5"]
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (0, "expected an activity object, found str"),
        (1, "activity type 'Like' is not a post (expected Create or Announce)"),
        (2, "Create activity without an embedded Note (found 'str')"),
        (3, "Note has no id"),
        (4, "published None is not an ISO 8601 timestamp with an offset"),
        (5, "published '2024-09-02 01:00:00' is not an ISO 8601 timestamp with an offset"),
        (6, "Announce activity has no id"),
    ]
    assert batch.skipped[0].file == str(tmp_path / "outbox.json")


# ---------------------------------------------------------------- bad files


def test_empty_outbox_is_an_error_naming_the_file(tmp_path):
    path = write_outbox(tmp_path, [])
    with pytest.raises(InputError, match=r"outbox\.json: expected at least one post in .*, found none"):
        read_export(path, CTX)


def test_truncated_outbox_names_file_line_and_column(tmp_path, fixtures):
    text = (fixtures / "mastodon_archive" / "archive" / "outbox.json").read_text(encoding="utf-8")
    path = tmp_path / "outbox.json"
    path.write_text(text[:3000], encoding="utf-8")
    with pytest.raises(InputError, match=r"outbox\.json:\d+:\d+: expected valid JSON"):
        read_export(path, CTX, fmt="mastodon_archive")


def test_wrong_top_level_type(tmp_path):
    path = tmp_path / "outbox.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match=r"outbox\.json: expected a Mastodon account archive .*; no file"):
        read_export(path, CTX, fmt="mastodon_archive")
    export = open_export(path)
    with pytest.raises(InputError, match=r"top level: expected an ActivityPub outbox .*found a JSON array"):
        COLLECTOR.read(export, export.members(), CTX)


def test_collection_without_ordered_items(tmp_path):
    path = tmp_path / "outbox.json"
    collection = {"id": "outbox.json", "type": "OrderedCollection", "first": "p1"}
    path.write_text(json.dumps(collection), encoding="utf-8")
    with pytest.raises(InputError, match=r"outbox\.json:orderedItems: expected an OrderedCollection"):
        read_export(path, CTX, fmt="mastodon_archive")


def test_broken_actor_json_is_ignored(tmp_path, fixtures):
    folder = tmp_path / "archive"
    shutil.copytree(fixtures / "mastodon_archive" / "archive", folder)
    (folder / "actor.json").write_text("{", encoding="utf-8")
    assert read_export(folder, CTX)[1].posts.height == 7


def test_find_ignores_other_json_and_never_raises(tmp_path):
    likes = {"id": "likes.json", "type": "OrderedCollection", "orderedItems": ["https://x.example/1"]}
    (tmp_path / "likes.json").write_text(json.dumps(likes), encoding="utf-8")
    (tmp_path / "statuses.json").write_text('[{"id": "1", "created_at": "x"}]', encoding="utf-8")
    (tmp_path / "binary.json").write_bytes(b"\xff\xfe\x00garbage")
    assert COLLECTOR.find(open_export(tmp_path)) == []
