"""Tweets of an X archive as post rows, column-wise: ids, times, kinds, links, notes and edits.

A tweets part becomes slim columns (`read_part`); long posts (note tweets) are attached to their
tweets; self-replies, retweets, quotes and edit chains are resolved over the whole archive before the
canonical posts table is built (`posts_table`).
"""


from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from audit.collectors.base import ReadContext
from audit.collectors.table import POST_SCHEMA, SELF_REPLY, normalise_lang
from audit.collectors.x.ytd import Shape, read_ytd
from audit.sources.exports import Export
from audit.sources.jsondata import head_text
from audit.sources.skips import Skipped


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


NOTE_MATCH_CHARS = 40


def read_part(export: Export, member: str) -> tuple[pl.DataFrame, list[Skipped]]:
    """A tweets part as the columns we keep; records without an id or a readable time are skipped."""
    where = export.where(member)
    raw, skipped = read_ytd(export, member, _tweet_shape(export, member))
    tweets = raw.select(_tweet_columns(where))
    del raw
    bad = tweets.filter(pl.col("reason").is_not_null()).select("idx", "reason")
    skipped += [Skipped(where, index, reason) for index, reason in bad.iter_rows()]
    return _expand_links(tweets.filter(pl.col("reason").is_null()).drop("reason")), skipped


def _tweet_shape(export: Export, member: str) -> Shape:
    """Archives wrap each tweet as {"tweet": {...}}; the earliest tweet.js files did not."""
    head = head_text(export, member, 512)
    bare = re.search(r'=\s*\[\s*\{\s*"', head) and not re.search(r'=\s*\[\s*\{\s*"tweet"\s*:', head)
    return Shape(TWEET, None if bare else "tweet")


def _tweet_columns(where: str) -> list[pl.Expr]:
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
        pl.concat_str(pl.lit(f"{where}#"), pl.col("idx").cast(S)).alias("source"),
        _unusable().alias("reason"),
    ]


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


def _expand_links(tweets: pl.DataFrame) -> pl.DataFrame:
    """Expanded urls, media counts, and the t.co links in the text replaced by what they stand for."""
    element = pl.element().struct
    tweets = tweets.with_columns(
        _strings(pl.col("links"), "expanded_url").alias("urls"),
        pl.col("media").list.len().fill_null(0).cast(pl.Int64).alias("media_count"),
    )
    pairs = pl.concat([
        _pairs(tweets, "links", element.field("url"), element.field("expanded_url")),
        _pairs(tweets, "media", element.field("url"), pl.lit("")),
    ])
    return _replace_tco(tweets.drop("links", "media"), pairs)


def _pairs(frame: pl.DataFrame, column: str, short: pl.Expr, long: pl.Expr) -> pl.DataFrame:
    """(idx, tco, long) rows from a list-of-structs column: what each record's t.co links stand for."""
    pairs = frame.select("idx", pl.col(column).list.eval(pl.struct(short.alias("tco"), long.alias("long"))))
    return pairs.explode(column).unnest(column).drop_nulls(["tco", "long"])


def _replace_tco(frame: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Replace each t.co link in `text` by its target from `pairs` (idx, tco, long), record by record.

    polars cannot replace with per-row patterns, so the texts holding t.co links are cut at each
    link: pieces and links are exploded, the links looked up, and the pieces joined again. A t.co
    link its record does not explain is kept as it is.
    """
    cut = frame.filter(pl.col("text").str.contains("t.co/", literal=True)).select(
        "idx", pl.col("text").str.extract_all(TCO).alias("tco"),
        pl.col("text").str.replace_all(TCO, "\x00").str.split("\x00").alias("piece"),
    ).filter(pl.col("piece").list.len() == pl.col("tco").list.len() + 1)
    pieces = cut.with_columns(pl.concat_list("tco", pl.lit([None], pl.List(S)))).explode(["piece", "tco"])
    pieces = pieces.join(pairs.unique(["idx", "tco"]), on=["idx", "tco"], how="left", maintain_order="left")
    link = pl.coalesce("long", "tco", pl.lit(""))
    joined = pieces.group_by("idx", maintain_order=True).agg(pl.concat_str("piece", link).str.join("").alias("new"))
    frame = frame.join(joined, on="idx", how="left", maintain_order="left")
    return frame.with_columns(pl.coalesce("new", "text").str.strip_chars().alias("text")).drop("new")


def read_notes(export: Export, members: list[str]) -> tuple[pl.DataFrame | None, list[Skipped]]:
    """note-tweet.js: the full text of long posts (not HTML-escaped, unlike tweets.js)."""
    frames, skipped = [], []
    for member in members:
        where = export.where(member)
        raw, bad = read_ytd(export, member, Shape(NOTE, "noteTweet"))
        notes = raw.select(_note_columns(where))
        unusable = pl.col("text").is_null() | pl.col("published_at").is_null()
        skipped += bad + [Skipped(where, i, "note tweet without text or a readable createdAt")
                          for i in notes.filter(unusable)["idx"]]
        notes = notes.filter(~unusable)
        element = pl.element().struct
        pairs = _pairs(notes, "links", element.field("shortUrl"), element.field("expandedUrl"))
        notes = notes.with_columns(_strings(pl.col("links"), "expandedUrl").alias("note_urls"))
        frames.append(_replace_tco(notes.drop("links"), pairs))
    return (pl.concat(frames) if frames else None), skipped


def _note_columns(where: str) -> list[pl.Expr]:
    core = pl.col("core").struct
    created = pl.col("createdAt").str.strptime(pl.Datetime("us", "UTC"), NOTE_CREATED_AT, strict=False)
    return [
        pl.lit(where).alias("note_file"), pl.col("idx"), pl.col("noteTweetId").alias("note_id"),
        created.dt.truncate("1s").alias("published_at"), core.field("text").alias("text"),
        core.field("urls").alias("links"), _strings(core.field("hashtags"), "text").alias("note_hashtags"),
        _strings(core.field("mentions"), "screenName").alias("note_mentions"),
    ]


def _comparable(text: pl.Expr) -> pl.Expr:
    """Text reduced for matching a note to its truncated tweet: no leading @mentions, links or '…'."""
    text = text.str.replace(r"^(?:@\w+\s+)+", "").str.replace_all(r"https?://\S+", "")
    return text.str.replace_all("…", "").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()


def attach_notes(tweets: pl.DataFrame, notes: pl.DataFrame | None) -> tuple[pl.DataFrame, list[Skipped]]:
    """Give long posts their full text from note-tweet.js.

    A note carries no tweet id: its `noteTweetId` is a snowflake of its own, a few ms from the
    tweet's (note 1995717789827600384 for tweet 1995717789903192574 in a real 2025 archive, both
    created 04:52:54), and public archive parsers match notes on the creation second and the start
    of the text. We do the same: same `created_at` second, and the tweet's text (leading @mentions,
    links and '…' removed, first 40 characters) starts the note's. Several candidates in one second
    go to the nearest snowflake. A note that matches no tweet is reported as skipped.
    """
    if notes is None or notes.is_empty():
        return tweets, []
    near = tweets.filter(pl.col("published_at").is_in(notes["published_at"].implode()))
    candidates = near.select("tweet_id", "published_at", "text").join(notes, on="published_at", suffix="_note")
    prefix = _comparable(pl.col("text")).str.slice(0, NOTE_MATCH_CHARS)
    ids = [pl.col(c).cast(pl.Int64, strict=False) for c in ("tweet_id", "note_id")]
    matched = (candidates.filter(_comparable(pl.col("text_note")).str.starts_with(prefix))
               .sort((ids[0] - ids[1]).abs(), nulls_last=True)
               .unique("tweet_id", keep="first", maintain_order=True)
               .unique(["note_file", "idx"], keep="first", maintain_order=True))
    unmatched = notes.join(matched, on=["note_file", "idx"], how="anti").select("note_file", "idx")
    reason = "note tweet (long post) matches no tweet: none has its created_at second and text start"
    skipped = [Skipped(file, idx, reason) for file, idx in unmatched.iter_rows()]
    merged = _merge_notes(near.join(matched.drop("text", "published_at", "idx"), on="tweet_id"))
    updates = merged.select("tweet_id", "text", "hashtags", "mentions", "urls").unique("tweet_id")
    return tweets.update(updates, on="tweet_id", how="left"), skipped


def _merge_notes(tweets: pl.DataFrame) -> pl.DataFrame:
    """The note's text after the tweet's reply @mentions (which notes leave out), and its entities."""
    lead = pl.col("text").str.extract(r"^((?:@\w+\s+)+)", 1).fill_null("")
    keeps_lead = pl.col("text_note").str.starts_with(lead.str.strip_chars())
    text = pl.when(keeps_lead).then(pl.col("text_note")).otherwise(pl.concat_str(lead, pl.col("text_note")))

    def union(column: str) -> pl.Expr:
        return pl.concat_list(column, f"note_{column}").list.unique(maintain_order=True).alias(column)

    return tweets.with_columns(text.alias("text"), union("hashtags"), union("mentions"), union("urls"))


def classify(tweets: pl.DataFrame, owner: Owner) -> pl.DataFrame:
    """kind and reply_to; a reply is a self-reply (a thread) when its parent is the owner's.

    The owner is known from account.js (id and username) or the accounts file's handle. A reply
    whose parent status is in the archive is a self-reply too (tweets.js holds only the owner's
    tweets), and the user it replies to then identifies the owner for the other replies.
    """
    in_archive = pl.col("parent_id").is_in(pl.col("tweet_id").implode())
    known = tweets.filter(in_archive)
    ids = {owner.account_id, *known["parent_user_id"].drop_nulls()} - {None}
    handles = {h.lower() for h in {owner.handle, *known["parent_handle"].drop_nulls()} if h}
    is_self = (in_archive | pl.col("parent_user_id").is_in(pl.lit(sorted(ids), pl.List(S)))
               | pl.col("parent_handle").str.to_lowercase().is_in(pl.lit(sorted(handles), pl.List(S))))
    is_reply = pl.any_horizontal(pl.col("parent_id", "parent_user_id", "parent_handle").is_not_null())
    is_quote = pl.col("urls").list.eval(pl.element().str.contains(STATUS_URL)).list.any()
    kind = (pl.when(pl.col("text").str.starts_with("RT @")).then(pl.lit("repost")).when(is_reply)
            .then(pl.lit("reply")).when(is_quote).then(pl.lit("quote")).otherwise(pl.lit("post")))
    reply_to = (pl.when(kind != "reply").then(None).when(is_self.fill_null(False)).then(pl.lit(SELF_REPLY))
                .otherwise(pl.coalesce("parent_handle", "parent_user_id")))
    return tweets.with_columns(kind.alias("kind"), reply_to.alias("reply_to"))


def collapse_edits(tweets: pl.DataFrame) -> pl.DataFrame:
    """One row per edit chain: the latest version's content, under the initial tweet's id.

    A version names its chain in `edit_info.edit.initialTweetId`; the initial tweet lists every
    version in `edit_info.initial.editTweetIds` (initial first). Either link is enough.

    Keying a chain by its initial id keeps a post's identity stable whether or not it is edited
    later (a re-collected archive gives the same post_id), and the initial id's permalink still
    opens the post on X. Text, entities and counts are the latest version's (what readers see now);
    published_at is the chain's first publication, when the post entered the timeline.
    """
    versions = tweets.select(pl.col("edit_ids").list.first().alias("initial"), pl.col("edit_ids").alias("version"))
    versions = versions.drop_nulls().explode("version").unique("version")
    listed_initial = pl.col("tweet_id").replace(versions["version"], versions["initial"])
    tweets = tweets.with_columns(pl.coalesce("initial_id", listed_initial).alias("post_id")).drop("edit_ids")
    edited = tweets.filter(pl.col("post_id") != pl.col("tweet_id"))["post_id"].unique().implode()
    if edited.list.len().item() == 0:
        return tweets
    newest_last = [pl.col("published_at"), pl.col("tweet_id").cast(pl.UInt64, strict=False)]
    chains = (tweets.filter(pl.col("post_id").is_in(edited)).sort(newest_last)
              .group_by("post_id").agg(pl.col("tweet_id").last(), pl.col("published_at").min()))
    latest = chains["tweet_id"].implode()
    keep = ~pl.col("post_id").is_in(edited) | pl.col("tweet_id").is_in(latest)
    first = pl.col("tweet_id").replace_strict(chains["tweet_id"], chains["published_at"],
                                              default=pl.col("published_at"))
    return tweets.filter(keep).with_columns(first.alias("published_at"))


def posts_table(tweets: pl.DataFrame, owner: Owner, ctx: ReadContext) -> pl.DataFrame:
    """The canonical posts table; the archive has no reply or view counts, so those are null."""
    base = f"https://x.com/{owner.handle}/status/" if owner.handle else "https://x.com/i/web/status/"
    langs = tweets["lang"].drop_nulls().unique().to_list()
    return tweets.select(
        pl.lit(ctx.account_id).alias("account_id"), pl.lit("x").alias("platform"), "post_id",
        pl.concat_str(pl.lit(base), "post_id").alias("url"), "published_at", "text",
        pl.col("lang").replace_strict(langs, [normalise_lang(x) for x in langs], default=None, return_dtype=S)
        .alias("declared_lang"),
        "kind", "reply_to", "mentions", "hashtags", "urls", "media_count", "likes", "shares",
        pl.lit(None, pl.Int64).alias("replies"), pl.lit(None, pl.Int64).alias("views"), "source",
        pl.lit("second").alias("time_precision"),
    ).cast(pl.Schema(POST_SCHEMA))
