"""Tweets of an X archive as post rows, column-wise: ids, times, kinds, links, notes and edits.

A tweets part becomes slim columns (`read_part`); long posts (note tweets) are attached to their
tweets; self-replies, retweets, quotes and edit chains are resolved over the whole archive before the
canonical posts table is built (`posts_table`).
"""


from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from audit.collectors.x.ytd import Records, Shape, parse_records
from audit.sources.exports import Export
from audit.sources.jsondata import head_text


@dataclass(frozen=True)
class Owner:
    """Whose archive it is, as far as account.js and the accounts file say."""

    account_id: str | None
    handle: str | None


S = pl.String()


NO_STRINGS = pl.lit([], pl.List(S))


def _list_of(**fields: pl.DataType) -> pl.List:
    return pl.List(pl.Struct(fields))


TWEET = pl.Struct({
    "id_str": S, "id": S, "created_at": S, "full_text": S, "lang": S,
    "in_reply_to_status_id_str": S, "in_reply_to_user_id_str": S, "in_reply_to_screen_name": S,
    "favorite_count": S, "retweet_count": S,
    "entities": pl.Struct({
        "hashtags": _list_of(text=S), "user_mentions": _list_of(screen_name=S),
        "urls": _list_of(url=S, expanded_url=S), "media": _list_of(url=S),
    }),
    "extended_entities": pl.Struct({"media": _list_of(url=S)}),
    "edit_info": pl.Struct({
        "initial": pl.Struct({"editTweetIds": pl.List(S)}), "edit": pl.Struct({"initialTweetId": S}),
    }),
})


"""Only the tweet fields the posts table needs: the parser skips everything else."""


NOTE = pl.Struct({
    "noteTweetId": S, "createdAt": S,
    "core": pl.Struct({
        "text": S, "urls": _list_of(shortUrl=S, expandedUrl=S),
        "hashtags": _list_of(text=S), "mentions": _list_of(screenName=S),
    }),
})


ACCOUNT = pl.Struct({"accountId": S, "username": S})


TCO = r"https?://t\.co/[A-Za-z0-9]+"


STATUS_URL = r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/\d+"


CREATED_AT = "%b %d %H:%M:%S %z %Y"


"""`created_at` without its weekday ("Sat Feb 18 19:45:15 +0000 2023"): the weekday adds nothing."""


NOTE_CREATED_AT = "%Y-%m-%dT%H:%M:%S%.fZ"
TCO_ROWS = 50_000
"""Records whose t.co links are replaced at a time (`_replace_tco`)."""




def parse_part(export: Export, member: str) -> Records:
    """A tweets part's records; `tweet_columns` makes them the columns we keep, with other parts' records."""
    return parse_records(export, member, _tweet_shape(export, member))


def _tweet_shape(export: Export, member: str) -> Shape:
    """Archives wrap each tweet as {"tweet": {...}}; the earliest tweet.js files did not."""
    head = head_text(export, member, 512)
    bare = re.search(r'=\s*\[\s*\{\s*"', head) and not re.search(r'=\s*\[\s*\{\s*"tweet"\s*:', head)
    return Shape(TWEET, None if bare else "tweet")


def tweet_columns(wheres: Sequence[str]) -> list[pl.Expr]:
    """The columns kept of a tweets part (`file` numbers it in `wheres`); `reason` says why a record cannot be
    a post: it has no id or no readable time (null when it can)."""
    entities, extended = pl.col("entities"), pl.col("extended_entities")
    return [
        pl.col("idx"), _tweet_id().alias("tweet_id"), _published().alias("published_at"),
        _unescape(pl.col("full_text").fill_null("")).alias("text"), pl.col("lang"),
        pl.col("in_reply_to_status_id_str").alias("parent_id"),
        pl.col("in_reply_to_user_id_str").alias("parent_user_id"),
        pl.col("in_reply_to_screen_name").alias("parent_handle"),
        _strings(entities.struct.field("user_mentions"), "screen_name").alias("mentions"),
        _strings(entities.struct.field("hashtags"), "text").alias("hashtags"),
        entities.struct.field("urls").alias("links"),
        pl.coalesce(extended.struct.field("media"), entities.struct.field("media")).alias("media"),
        _count("favorite_count").alias("likes"), _count("retweet_count").alias("shares"),
        pl.col("edit_info").struct.field("edit").struct.field("initialTweetId").alias("initial_id"),
        _edit_ids().alias("edit_ids"),
        pl.concat_str(one_per("file", [f"{where}#" for where in wheres]), pl.col("idx").cast(S)).alias("source"),
        _unusable().alias("reason"),
    ]


def one_per(column: str, values: list[str]) -> pl.Expr:
    """`values[n]` where `column` is n (a file's or an archive's number): a literal when all are the same."""
    if len(set(values)) == 1:
        return pl.lit(values[0], S)
    return pl.col(column).replace_strict(list(range(len(values))), values, return_dtype=S)


def _tweet_id() -> pl.Expr:
    """`id_str`, or `id` (a string too in archives) when an export tool dropped `id_str`."""
    return pl.coalesce(pl.col("id_str"), pl.col("id")).str.strip_chars()


def _published() -> pl.Expr:
    """`created_at` as UTC; chrono rejects a weekday that does not fit the date, so it is cut off."""
    created_at = pl.col("created_at").str.strip_chars()
    return created_at.str.slice(4).str.strptime(pl.Datetime("us", "UTC"), CREATED_AT, strict=False)


def _unusable() -> pl.Expr:
    """Why a record cannot become a post (null when it can)."""
    created_at = pl.col("created_at")
    return (pl.when(_tweet_id().is_null() | (_tweet_id() == "")).then(pl.lit("tweet has no id_str"))
            .when(created_at.is_null()).then(pl.lit("tweet has no created_at"))
            .when(_published().is_null()).then(pl.format('unreadable created_at "{}"', created_at)))


def _edit_ids() -> pl.Expr:
    """The ids of an edited tweet's versions, initial first (null for the many never edited)."""
    ids = pl.col("edit_info").struct.field("initial").struct.field("editTweetIds")
    return pl.when(ids.list.len() > 1).then(ids)


def _count(name: str) -> pl.Expr:
    """Counts are strings in the archive ("12"); anything unreadable or negative is null, never 0."""
    count = pl.col(name).str.strip_chars().cast(pl.Int64, strict=False)
    return pl.when(count >= 0).then(count)


def _strings(items: pl.Expr, name: str) -> pl.Expr:
    """One string field of every struct in a list column; nulls dropped, never a null list."""
    return items.list.eval(pl.element().struct.field(name).drop_nulls()).fill_null(NO_STRINGS)


def _unescape(text: pl.Expr) -> pl.Expr:
    """`full_text` escapes only `&`, `<` and `>`, as the v1.1 API did; `&amp;` goes last."""
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        text = text.str.replace_all(entity, char, literal=True)
    return text


def expand_links(tweets: pl.DataFrame, key: str) -> pl.DataFrame:
    """Expanded urls, media counts, and the t.co links in the text replaced by what they stand for.

    `key` names each record uniquely (many archives' records are expanded together).
    """
    element = pl.element().struct
    tweets = tweets.with_columns(
        _strings(pl.col("links"), "expanded_url").alias("urls"),
        pl.col("media").list.len().fill_null(0).cast(pl.Int64).alias("media_count"),
    )
    pairs = pl.concat([
        _pairs(tweets, key, "links", element.field("url"), element.field("expanded_url")),
        _pairs(tweets, key, "media", element.field("url"), pl.lit("")),
    ])
    return _replace_tco(tweets.drop("links", "media"), pairs, key)


def _pairs(frame: pl.DataFrame, key: str, column: str, short: pl.Expr, long: pl.Expr) -> pl.DataFrame:
    """(key, tco, long) rows from a list-of-structs column: what each record's t.co links stand for."""
    pairs = frame.select(key, pl.col(column).list.eval(pl.struct(short.alias("tco"), long.alias("long"))))
    return pairs.explode(column).unnest(column).drop_nulls(["tco", "long"])


def _replace_tco(frame: pl.DataFrame, pairs: pl.DataFrame, key: str) -> pl.DataFrame:
    """Replace each t.co link in `text` by its target from `pairs` (key, tco, long), record by record.

    polars cannot replace with per-row patterns, so the texts holding t.co links are cut at each
    link: pieces and links are exploded, the links looked up, and the pieces joined again. A t.co
    link its record does not explain is kept as it is. Done `TCO_ROWS` records at a time: the pieces of
    200,000 texts at once were 0.2 GB of the reading's peak.
    """
    pairs = pairs.unique([key, "tco"])
    slices = [_linked_texts(frame.slice(start, TCO_ROWS), pairs, key) for start in range(0, frame.height, TCO_ROWS)]
    new = pl.concat(slices) if slices else pl.Series("new", [], S)
    return frame.with_columns(pl.coalesce(new, "text").str.strip_chars().alias("text"))


def _linked_texts(frame: pl.DataFrame, pairs: pl.DataFrame, key: str) -> pl.Series:
    """`frame`'s texts with their t.co links replaced, row by row (null where a text has none to replace)."""
    cut = frame.filter(pl.col("text").str.contains("t.co/", literal=True)).select(
        key, pl.col("text").str.extract_all(TCO).alias("tco"),
        pl.col("text").str.replace_all(TCO, "\x00").str.split("\x00").alias("piece"),
    ).filter(pl.col("piece").list.len() == pl.col("tco").list.len() + 1)
    pieces = cut.with_columns(pl.concat_list("tco", pl.lit([None], pl.List(S)))).explode(["piece", "tco"])
    pieces = pieces.join(pairs, on=[key, "tco"], how="left", maintain_order="left")
    link = pl.coalesce("long", "tco", pl.lit(""))
    joined = pieces.group_by(key, maintain_order=True).agg(pl.concat_str("piece", link).str.join("").alias("new"))
    return frame.select(key).join(joined, on=key, how="left", maintain_order="left")["new"]  # the key, not all


def parse_note_file(export: Export, member: str) -> Records:
    """note-tweet.js: the full text of long posts (not HTML-escaped, unlike tweets.js); see `note_columns`."""
    return parse_records(export, member, Shape(NOTE, "noteTweet"))


def expand_notes(notes: pl.DataFrame, key: str) -> pl.DataFrame:
    """Notes with their links expanded, `key` naming each note uniquely."""
    element = pl.element().struct
    pairs = _pairs(notes, key, "links", element.field("shortUrl"), element.field("expandedUrl"))
    notes = notes.with_columns(_strings(pl.col("links"), "expandedUrl").alias("note_urls"))
    return _replace_tco(notes.drop("links"), pairs, key)


def note_columns(wheres: Sequence[str]) -> list[pl.Expr]:
    """The columns kept of note-tweet.js; `reason` as `tweet_columns` has it (`wheres` is not needed)."""
    core = pl.col("core").struct
    created = pl.col("createdAt").str.strptime(pl.Datetime("us", "UTC"), NOTE_CREATED_AT, strict=False)
    return [
        pl.col("idx"), pl.col("noteTweetId").alias("note_id"),
        created.dt.truncate("1s").alias("published_at"), core.field("text").alias("text"),
        core.field("urls").alias("links"), _strings(core.field("hashtags"), "text").alias("note_hashtags"),
        _strings(core.field("mentions"), "screenName").alias("note_mentions"),
        pl.when(core.field("text").is_null() | created.is_null())
        .then(pl.lit("note tweet without text or a readable createdAt")).alias("reason"),
    ]
