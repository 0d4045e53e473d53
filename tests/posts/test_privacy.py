"""Only public posts are audited: a private post's words appear in no output, only its count.

The Mastodon fixture archive holds a direct message and a followers-only post among public ones;
the other cases add what X, Telegram and YouTube exports mark private to otherwise public exports.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from audit.api import audit_from_paths, report_html
from audit.posts.output import write_posts
from audit.result.io import result_json

ACCOUNTS = Path(__file__).resolve().parents[2] / "fixtures" / "accounts" / "ministry.toml"
PRIVATE_WORDS = (
    "颱風警報期間請注意安全",  # the followers-only post
    "Could we confirm the call for Friday",  # the direct message
)


def test_private_posts_reach_no_output_and_are_counted(tmp_path):
    frames: list[pl.DataFrame] = []
    result = audit_from_paths(ACCOUNTS, enriched=frames.append)
    posts_csv = tmp_path / "posts.csv"
    write_posts(pl.concat(frames, how="vertical_relaxed"), posts_csv)
    page, _ = report_html(result)
    outputs = {"json": result_json(result), "html": page, "posts": posts_csv.read_text(encoding="utf-8")}
    for name, text in outputs.items():
        for words in PRIVATE_WORDS:
            assert words not in text, f"private words {words!r} in the {name} output"
    reasons = [s["reason"] for s in result["coverage"]["skipped"]]
    assert reasons.count("followers-only post (private, not audited)") == 2  # read from the folder and the zip
    assert reasons.count("direct message (private, not audited)") == 2


# --- anything else a format marks private -------------------------------------------------------

FIXTURES = ACCOUNTS.parents[1]
SECRET = "Dinner for the delegation moved to the residence at 8pm"


def _x_archive_with_circle_tweets_and_messages(tmp_path: Path) -> Path:
    """A real-layout X archive plus the two files X keeps private posts in."""
    archive = Path(shutil.copytree(FIXTURES / "x_archive" / "older_tweet_js", tmp_path / "x"))
    tweet = {"tweet": {"id_str": "1", "created_at": "Tue Nov 12 08:00:00 +0000 2019", "full_text": SECRET}}
    (archive / "data" / "twitter-circle-tweet.js").write_text(
        "window.YTD.twitter_circle_tweet.part0 = " + json.dumps([tweet]), encoding="utf-8")
    message = {"dmConversation": {"messages": [{"messageCreate": {"text": SECRET}}]}}
    (archive / "data" / "direct-messages.js").write_text(
        "window.YTD.direct_messages.part0 = " + json.dumps([message]), encoding="utf-8")
    return archive


def _telegram_full_export_with_a_conversation(tmp_path: Path) -> Path:
    def chat(name: str, kind: str, chat_id: int, text: str) -> dict[str, object]:
        message = {"id": 1, "type": "message", "date": "2024-11-16T09:30:00", "date_unixtime": "1731717000",
                   "from": name, "from_id": f"channel{chat_id}", "text": text}
        return {"name": name, "type": kind, "id": chat_id, "messages": [message]}

    chats = [chat("MOFA", "public_channel", 1, "Consular hours change on Monday"),
             chat("Press officer", "personal_chat", 2, SECRET)]
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"about": "Here is the data you requested.", "chats": {"list": chats}}),
                    encoding="utf-8")
    return path


def _youtube_page_with_a_private_video(tmp_path: Path) -> Path:
    def video(vid: str, title: str, privacy: str) -> dict[str, object]:
        snippet = {"publishedAt": "2024-11-16T06:00:00Z", "channelId": "UCdemoMOFAkorea00000001A", "title": title}
        return {"kind": "youtube#video", "id": vid, "snippet": snippet, "status": {"privacyStatus": privacy}}

    items = [video("Public00001", "Consular hours change on Monday", "public"),
             video("Unlisted002", "Briefing for the press, unlisted", "unlisted"),
             video("Private0003", SECRET, "private")]
    path = tmp_path / "videos.json"
    path.write_text(json.dumps({"kind": "youtube#videoListResponse", "items": items}), encoding="utf-8")
    return path


@pytest.mark.parametrize(("platform", "make", "reason"), [
    ("x", _x_archive_with_circle_tweets_and_messages, "Twitter Circle tweets (private, not audited)"),
    ("x", _x_archive_with_circle_tweets_and_messages, "direct messages (private, not audited)"),
    ("telegram", _telegram_full_export_with_a_conversation, "not a channel: a conversation, not the account's "
                                                            "posts (private, not audited)"),
    ("youtube", _youtube_page_with_a_private_video, "video Private0003 is private (private, not audited)"),
], ids=["x-circle", "x-dm", "telegram-personal-chat", "youtube-private-video"])
def test_what_a_format_marks_private_reaches_no_output_and_is_counted(tmp_path, platform, make, reason):
    frames: list[pl.DataFrame] = []
    result = audit_from_paths(make(tmp_path), platform=platform, enriched=frames.append)
    posts_csv = tmp_path / "posts.csv"
    write_posts(pl.concat(frames, how="vertical_relaxed"), posts_csv)
    page, _ = report_html(result)
    for name, text in {"json": result_json(result), "html": page, "posts": posts_csv.read_text("utf-8")}.items():
        assert SECRET not in text, f"private words in the {name} output"
    coverage = result["coverage"]
    reasons = [s["reason"] for s in coverage["skipped"]]
    reasons += [entry["reason"] for file in coverage["files"] for entry in file.get("not_read", [])]
    assert any(reason in r for r in reasons), reasons
    if platform == "youtube":
        assert "Briefing for the press, unlisted" in posts_csv.read_text("utf-8"), "unlisted is public"
