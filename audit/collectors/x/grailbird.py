"""The X/Twitter archive as it was until 2018 ("Grailbird"): one `data/js/tweets/YYYY_MM.js` per month.

Each month file is `Grailbird.data.tweets_YYYY_MM = [ ... ]`, an array of v1.1-style tweets:
`id_str` (the numeric `id` is rounded by JavaScript in later files, so it is never used),
`created_at` as `2013-02-28 18:25:22 +0000` (only the day in the oldest tweets), HTML-escaped
`text` with t.co links, `entities`, `in_reply_to_*`, and `retweeted_status` for retweets. There
are no counts. Tweets are few (a 2018 archive held at most 3,200 per month file), so they are
mapped one by one into :class:`PostColumns`.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any, Final

from audit.collectors.base import Batch, ReadContext, dicts, obj, text_or_none, to_int
from audit.collectors.table import SELF_REPLY, PostColumns, normalise_lang
from audit.collectors.x.tweets import STATUS_URL
from audit.collectors.x.ytd import body_bounds, load_with_position
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text
from audit.sources.skips import Skipped, SkipRecord

PREFIX: Final = re.compile(r"^Grailbird\.data\.tweets_\d{4}_\d{2}\s*=")
QUOTED_STATUS: Final = re.compile(STATUS_URL)
TIME_FORMATS: Final = ("%Y-%m-%d %H:%M:%S %z", "%a %b %d %H:%M:%S %z %Y")


def looks_like_month(export: Export, member: str) -> bool:
    """A `.js` member that starts `Grailbird.data.tweets_YYYY_MM =`."""
    return member.lower().endswith(".js") and PREFIX.match(head_text(export, member, 128)) is not None


def month_tweets(export: Export, member: str) -> list[Any]:
    """The array of one month file; a damaged file is an error naming its line and column."""
    where, data = export.where(member), export.read_bytes(member)
    _, end = body_bounds(data, where)
    tweets = load_with_position(data, end, where)
    expect_type(tweets, list, where, "an array of tweets after `Grailbird.data.tweets_YYYY_MM =`")
    return list(tweets)


def tweet_row(tweet: Any) -> dict[str, Any]:
    """One tweet as post columns; SkipRecord says why a record cannot be one."""
    if not isinstance(tweet, dict):
        raise SkipRecord(f"expected a tweet object, found {type(tweet).__name__}")
    post_id = tweet.get("id_str")
    if not isinstance(post_id, str) or not post_id.isdigit():
        raise SkipRecord("expected id_str, the tweet's id as a string of digits")
    entities = obj(tweet.get("entities"))
    urls = [u["expanded_url"] for u in dicts(entities.get("urls")) if isinstance(u.get("expanded_url"), str)]
    kind, reply_to = _kind(tweet, urls)
    published = _time(tweet.get("created_at"))
    return {
        "post_id": post_id, "published_at": published, "time_precision": _precision(published),
        "text": _text(tweet, entities),
        "url": _permalink(tweet, post_id), "declared_lang": normalise_lang(text_or_none(tweet.get("lang"))),
        "kind": kind, "reply_to": reply_to, "urls": urls,
        "mentions": [m["screen_name"] for m in dicts(entities.get("user_mentions"))
                     if text_or_none(m.get("screen_name"))],
        "hashtags": [h["text"] for h in dicts(entities.get("hashtags")) if text_or_none(h.get("text"))],
        "media_count": len(dicts(entities.get("media"))),
        "likes": to_int(tweet.get("favorite_count")), "shares": to_int(tweet.get("retweet_count")),
    }


def _kind(tweet: dict[str, Any], urls: list[str]) -> tuple[str, str | None]:
    """Retweets (with or without `retweeted_status`), then replies, then quotes (a status link)."""
    text = text_or_none(tweet.get("text")) or ""
    if isinstance(tweet.get("retweeted_status"), dict) or text.startswith("RT @"):
        return "repost", None
    if text_or_none(tweet.get("in_reply_to_status_id_str")):
        own = text_or_none(obj(tweet.get("user")).get("id_str"))
        target = text_or_none(tweet.get("in_reply_to_user_id_str"))
        return "reply", SELF_REPLY if own and own == target else text_or_none(tweet.get("in_reply_to_screen_name"))
    return ("quote", None) if any(QUOTED_STATUS.match(u) for u in urls) else ("post", None)


def _text(tweet: dict[str, Any], entities: dict[str, Any]) -> str:
    """The unescaped text with t.co links expanded and media links dropped, as in the newer archive."""
    text = html.unescape(tweet["text"]) if isinstance(tweet.get("text"), str) else ""
    for link in dicts(entities.get("urls")):
        if text_or_none(link.get("url")) and text_or_none(link.get("expanded_url")):
            text = text.replace(link["url"], link["expanded_url"])
    for media in dicts(entities.get("media")):
        if text_or_none(media.get("url")):
            text = text.replace(media["url"], "")
    return text.strip()


def _time(value: Any) -> datetime:
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(str(value), fmt)
        except ValueError:
            continue
    raise SkipRecord(f"expected created_at like '2013-02-28 18:25:22 +0000', found {value!r}")


def _precision(published: datetime) -> str:
    """The oldest tweets carry only their day, written as midnight UTC: their hour is unknown."""
    return "day" if (published.hour, published.minute, published.second) == (0, 0, 0) else "second"


def _permalink(tweet: dict[str, Any], post_id: str) -> str | None:
    name = text_or_none(obj(tweet.get("user")).get("screen_name"))
    return f"https://twitter.com/{name}/status/{post_id}" if name else None

class GrailbirdCollector:
    """The pre-2019 X archive's month files (data/js/tweets/YYYY_MM.js)."""

    name = "x_grailbird"
    platform = "x"
    description = "an X/Twitter archive from before 2019 (data/js/tweets/YYYY_MM.js, 'Grailbird')"

    def find(self, export: Export) -> list[str]:
        return sorted(m for m in export.members() if looks_like_month(export, m))

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols, skipped = PostColumns(), []
        for member in members:
            skipped += _read_month(export, member, cols)
        posts = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        langs = sorted(posts["declared_lang"].drop_nulls().unique().to_list())
        return Batch(posts, skipped, [export.where(m) for m in members], langs)


def _read_month(export: Export, member: str, cols: PostColumns) -> list[Skipped]:
    where, skipped = export.where(member), []
    for index, tweet in enumerate(month_tweets(export, member)):
        try:
            cols.add(**tweet_row(tweet), source=f"{where}#{index}")
        except SkipRecord as e:
            skipped.append(Skipped(file=where, index=index, reason=str(e)))
    return skipped


COLLECTOR = GrailbirdCollector()
