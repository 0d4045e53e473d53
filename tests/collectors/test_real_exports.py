"""Real exports written by others (fixtures/real, provenance in fixtures/real/PROVENANCE.md).

Only the public `inspect_path` is used. Every expectation was counted from the files themselves
(kinds follow the tool's conventions: "RT @" is a repost, a reply wins over a quote, a status link
makes a quote). Cases the tool gets wrong today are strict xfails whose reason names the bug, so
fixing one turns its test into an unexpected pass that asks for the mark to be removed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from audit import inspect_path

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "real"


@dataclass(frozen=True)
class Expected:
    """What reading one real export should give."""

    path: str
    format: str
    kinds: dict[str, int]
    first: str
    last: str
    langs: tuple[str, ...] = ()
    skipped: dict[str, int] = field(default_factory=dict)
    """Substring of a skip reason -> how many records were skipped for it."""
    post_ids: tuple[str, ...] = ()
    """Some post ids that must be in the table."""
    source_timezone: str | None = None

    @property
    def posts(self) -> int:
        return sum(self.kinds.values())





CASES = [
    pytest.param(Expected(
        "x_archive/tweetback_lincolnhwy_2022_tweets.js", "x_archive",
        {"post": 67, "reply": 28, "repost": 5, "quote": 5},
        "2022-10-13T16:28:01+00:00", "2022-11-12T18:58:48+00:00", ("en",),
        post_ids=("1591505811536490496", "1590782143520997377"),
    ), id="x-tweetback-lincolnhwy"),
    pytest.param(Expected(
        "x_archive/tweetback_develwoutacause_2022_tweets.js", "x_archive",
        {"reply": 48, "repost": 37, "quote": 6, "post": 9},
        "2022-09-15T19:54:36+00:00", "2023-01-09T00:18:57+00:00", ("en",),
        post_ids=("1612242487984390145", "1612242485325225984"),
    ), id="x-tweetback-develwoutacause"),
    pytest.param(Expected(
        "x_archive/grailbird_lildude", "x_grailbird",
        {"post": 32, "repost": 4, "reply": 3},
        "2007-09-11T00:00:00+00:00", "2021-04-01T16:27:20+00:00", ("en",),
        post_ids=("1377658852339023885", "307194800464068608", "297160432"),
    ), id="x-grailbird-lildude"),
    pytest.param(Expected(
        "telegram_desktop/innerdvations_public_channel_2021.json", "telegram_desktop",
        {"post": 3, "reply": 2}, "2021-03-22T16:16:36+00:00", "2021-03-22T16:18:09+00:00",
        post_ids=("44444444444/2", "44444444444/7"), source_timezone="Europe/Berlin",
    ), id="telegram-public-channel-2021"),
    pytest.param(Expected(
        "telegram_desktop/innerdvations_private_channel_2021.json", "telegram_desktop",
        {"post": 3, "reply": 2}, "2021-03-22T16:16:36+00:00", "2021-03-22T16:18:09+00:00",
        post_ids=("10036995664/3",), source_timezone="Europe/Berlin",
    ), id="telegram-private-channel-2021"),
    pytest.param(Expected(
        "mastodon_archive/goodboishibe_2022", "mastodon_archive",
        {"post": 53, "repost": 1}, "2022-07-10T02:34:28+00:00", "2022-07-15T19:25:01+00:00", ("en",),
        skipped={"direct": 2}, post_ids=("108620707827530645", "108646238711140572"),
    ), id="mastodon-archive-goodboishibe"),
    pytest.param(Expected(
        "bluesky_feed/atprotodart_getListFeed_2023.json", "bluesky_feed",
        {"reply": 10, "post": 3}, "2023-09-13T11:45:55.713000+00:00", "2023-09-15T22:36:17.485000+00:00",
        ("en",), post_ids=("at://did:plc:iijrtk7ocored6zuziwmqq3c/app.bsky.feed.post/3k7hppwclet2b",),
    ), id="bluesky-listfeed-2023"),
    pytest.param(Expected(
        "bluesky_feed/atprotodart_getTimeline_2023_trimmed35.json", "bluesky_feed",
        {"reply": 25, "post": 9, "repost": 1}, "2023-05-20T01:16:02.770000+00:00",
        "2023-05-21T00:48:01.666000+00:00",
    ), id="bluesky-timeline-2023"),
    pytest.param(Expected(
        # two videos of two channels: without a handle the first channel's is kept, the other counted
        "youtube_api/videos_list__multi_2019.json", "youtube_api",
        {"post": 1}, "2019-03-21T20:37:49+00:00", "2019-03-21T20:37:49+00:00", ("en",),
        skipped={"video of another channel (UCJdl3Paao2f3ha5JXMYUCIA)": 1}, post_ids=("D-lhorsDlUQ",),
    ), id="youtube-videos-multi"),
    pytest.param(Expected(
        # a chart of five channels' videos, one each: the first channel's is kept, four counted
        "youtube_api/videos_list__chart_mostPopular_page1.json", "youtube_api",
        {"post": 1}, "2019-11-29T20:00:11+00:00", "2019-11-29T20:00:11+00:00",
        skipped={"video of another channel (UC": 4}, post_ids=("hDeuSfo_Ys0",),
    ), id="youtube-videos-chart"),
    pytest.param(Expected(
        "youtube_api/playlistItems_list__multi.json", "youtube_api",
        {"post": 2}, "2019-05-11T00:27:38+00:00", "2019-05-11T00:52:10+00:00",
        post_ids=("H1HZyvc0QnI", "5NgsfxIWNls"),
    ), id="youtube-playlistitems-multi"),
]


@pytest.mark.parametrize("want", CASES)
def test_real_export(want: Expected) -> None:
    report, batch = inspect_path(REAL / want.path, source_timezone=want.source_timezone)
    posts = batch.posts

    assert report.format == want.format
    assert posts.height == want.posts
    assert dict(Counter(posts["kind"].to_list())) == want.kinds
    assert posts["published_at"].min() == datetime.fromisoformat(want.first)
    assert posts["published_at"].max() == datetime.fromisoformat(want.last)
    assert tuple(sorted(posts["declared_lang"].drop_nulls().unique().to_list())) == want.langs
    assert set(want.post_ids) <= set(posts["post_id"].to_list())
    reasons = [s.reason for s in batch.skipped]
    assert len(reasons) == sum(want.skipped.values())
    for part, count in want.skipped.items():
        assert sum(part in reason for reason in reasons) == count


def _reenveloped(source: Path, tmp_path: Path) -> Path:
    """tweetback's tweets.js with the archive's own envelope put back, in a data/ folder."""
    raw = source.read_text(encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "tweets.js").write_text("window.YTD.tweets.part0 = " + raw[raw.index("["):], encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("name", "kinds"), [
    ("tweetback_lincolnhwy_2022_tweets.js", {"post": 67, "reply": 28, "repost": 5, "quote": 5}),
    ("tweetback_develwoutacause_2022_tweets.js", {"reply": 48, "repost": 37, "quote": 6, "post": 9}),
])
def test_tweetback_tweets_read_with_the_archive_envelope(name: str, kinds: dict[str, int], tmp_path: Path) -> None:
    """The tweet objects themselves are a 2022 archive's: only the envelope differs."""
    _, batch = inspect_path(_reenveloped(REAL / "x_archive" / name, tmp_path))
    assert dict(Counter(batch.posts["kind"].to_list())) == kinds
    assert not batch.skipped


def test_x_lang_art_is_not_a_declared_language(tmp_path: Path) -> None:
    _, batch = inspect_path(_reenveloped(REAL / "x_archive" / "tweetback_develwoutacause_2022_tweets.js", tmp_path))
    assert sorted(batch.posts["declared_lang"].drop_nulls().unique().to_list()) == ["en"]


def test_x_self_replies_in_a_real_thread(tmp_path: Path) -> None:
    """31 of the 48 replies answer the account's own tweets (threads), 30 of them to a tweet in the file."""
    _, batch = inspect_path(_reenveloped(REAL / "x_archive" / "tweetback_develwoutacause_2022_tweets.js", tmp_path))
    replies = batch.posts.filter(batch.posts["kind"] == "reply")
    assert (replies["reply_to"] == "self").sum() == 31


@pytest.mark.parametrize("name", ["innerdvations_public_channel_2021.json", "innerdvations_private_channel_2021.json"])
def test_telegram_2021_export_without_unixtime_needs_a_timezone(name: str) -> None:
    with pytest.raises(Exception, match="UTC offset"):
        inspect_path(REAL / "telegram_desktop" / name)


def test_telegram_poll_keeps_its_question() -> None:
    _, batch = inspect_path(REAL / "telegram_desktop" / "innerdvations_public_channel_2021.json",
                            source_timezone="Europe/Berlin")
    texts = dict(zip(batch.posts["post_id"].to_list(), batch.posts["text"].to_list(), strict=True))
    assert texts["44444444444/5"] == "Poll question\n- option 1\n- option 2"
    assert texts["44444444444/6"] == "quiz poll\n- option 1\n- option 2\n- option 3"


def test_mastodon_archive_keeps_the_envelope_count_it_was_given() -> None:
    """totalItems (205) disagrees with orderedItems (56 kept of 207): the items are what is read."""
    outbox = json.loads((REAL / "mastodon_archive" / "goodboishibe_2022" / "outbox.json").read_text(encoding="utf-8"))
    assert (outbox["totalItems"], len(outbox["orderedItems"])) == (205, 56)
    _, batch = inspect_path(REAL / "mastodon_archive" / "goodboishibe_2022")
    assert batch.posts.height + len(batch.skipped) == 56


@pytest.mark.parametrize("name", [
    "fivethirtyeight_trump_poll_tweets_2016.csv",  # id,created_at,text
    "fivethirtyeight_obama_tweets_2017.csv",  # created_at,text,url,... (not UTF-8)
    "grailbird_lildude_tweets_2016.csv",  # Twitter's own tweets.csv: tweet_id,...,timestamp,...,text,...
])
def test_tweet_csv_without_a_mapping_names_the_missing_column(name: str) -> None:
    """inspect_path takes no column mapping, so a CSV whose time column is not `published_at` is refused."""
    with pytest.raises(Exception, match="published_at"):
        inspect_path(REAL / "generic_csv" / name)
