"""The posts of many X archives at once: notes attached, self-replies, edit chains, the posts table.

Every function here works on the tweets of any number of archives together, told apart by the
`archive` column (0, 1, ...): reading 200 archives costs a few queries in all, not a few per archive
(each polars query has a fixed cost of 0.1-0.6 ms whatever its rows; issue 13). What one archive
holds never decides anything about another: every lookup is keyed by the archive too.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from audit.collectors.base import ReadContext
from audit.collectors.table import POST_SCHEMA, SELF_REPLY, normalise_lang
from audit.collectors.x.tweets import STATUS_URL, Owner, one_per

S = pl.String()
ARCHIVE = "archive"
NOTE_MATCH_CHARS = 40
UNMATCHED_NOTE = "note tweet (long post) matches no tweet: none has its created_at second and text start"


def _in(columns: Sequence[str | pl.Expr], keys: pl.DataFrame) -> pl.Expr:
    """Whether (archive, value) of a row is among `keys`' rows: the same archive's, never another's."""
    def row(exprs: Sequence[str | pl.Expr]) -> pl.Expr:
        return pl.struct([(pl.col(e) if isinstance(e, str) else e).alias(str(i)) for i, e in enumerate(exprs)])

    return row(columns).is_in(keys.select(row(keys.columns).alias("key"))["key"].implode())


def _comparable(text: pl.Expr) -> pl.Expr:
    """Text reduced for matching a note to its truncated tweet: no leading @mentions, links or '…'."""
    text = text.str.replace(r"^(?:@\w+\s+)+", "").str.replace_all(r"https?://\S+", "")
    return text.str.replace_all("…", "").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()


def attach_notes(tweets: pl.DataFrame, notes: pl.DataFrame | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Give long posts their full text from note-tweet.js; the notes that match none (archive, note_file, idx).

    A note carries no tweet id: its `noteTweetId` is a snowflake of its own, a few ms from the
    tweet's (note 1995717789827600384 for tweet 1995717789903192574 in a real 2025 archive, both
    created 04:52:54), and public archive parsers match notes on the creation second and the start
    of the text. We do the same: same `created_at` second, and the tweet's text (leading @mentions,
    links and '…' removed, first 40 characters) starts the note's. Several candidates in one second
    go to the nearest snowflake. A note that matches no tweet is reported as skipped.
    """
    if notes is None or notes.is_empty():
        return tweets, pl.DataFrame()
    near = tweets.filter(pl.col("published_at").is_in(notes["published_at"].implode()))
    candidates = near.select(ARCHIVE, "tweet_id", "published_at", "text").join(
        notes, on=[ARCHIVE, "published_at"], suffix="_note")
    prefix = _comparable(pl.col("text")).str.slice(0, NOTE_MATCH_CHARS)
    ids = [pl.col(c).cast(pl.Int64, strict=False) for c in ("tweet_id", "note_id")]
    matched = (candidates.filter(_comparable(pl.col("text_note")).str.starts_with(prefix))
               .sort((ids[0] - ids[1]).abs(), nulls_last=True, maintain_order=True)
               .unique([ARCHIVE, "tweet_id"], keep="first", maintain_order=True)
               .unique("note_row", keep="first", maintain_order=True))
    unmatched = notes.filter(~pl.col("note_row").is_in(matched["note_row"].implode()))
    found = matched.select(ARCHIVE, "tweet_id", "text_note", "note_hashtags", "note_mentions", "note_urls")
    merged = _merge_notes(near.join(found, on=[ARCHIVE, "tweet_id"]))
    updates = merged.select(ARCHIVE, "tweet_id", "text", "hashtags", "mentions", "urls").unique(
        [ARCHIVE, "tweet_id"], keep="first", maintain_order=True)
    return _update(tweets, updates, [ARCHIVE, "tweet_id"]), unmatched.select(ARCHIVE, "note_file", "idx")


def _update(frame: pl.DataFrame, updates: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """`frame.update(updates, on=on, how="left")` (unique keys in `updates`) joining only the keys: a join of
    the whole frame would copy every column of it."""
    aligned = frame.select(on).join(updates, on=on, how="left", maintain_order="left")
    return frame.with_columns(pl.coalesce(aligned[c], c).alias(c) for c in updates.columns if c not in on)


def _merge_notes(tweets: pl.DataFrame) -> pl.DataFrame:
    """The note's text after the tweet's reply @mentions (which notes leave out), and its entities."""
    lead = pl.col("text").str.extract(r"^((?:@\w+\s+)+)", 1).fill_null("")
    keeps_lead = pl.col("text_note").str.starts_with(lead.str.strip_chars())
    text = pl.when(keeps_lead).then(pl.col("text_note")).otherwise(pl.concat_str(lead, pl.col("text_note")))

    def union(column: str) -> pl.Expr:
        return pl.concat_list(column, f"note_{column}").list.unique(maintain_order=True).alias(column)

    return tweets.with_columns(text.alias("text"), union("hashtags"), union("mentions"), union("urls"))


def classify(tweets: pl.DataFrame, owners: Sequence[Owner]) -> pl.DataFrame:
    """kind and reply_to; a reply is a self-reply (a thread) when its parent is the owner's.

    The owner (`owners[archive]`) is known from account.js (id and username) or the accounts file's
    handle. A reply whose parent status is in the archive is a self-reply too (tweets.js holds only
    the owner's tweets), and the user it replies to then identifies the owner for the other replies.
    """
    own = tweets.select(ARCHIVE, "tweet_id").unique()
    in_archive = _in([ARCHIVE, "parent_id"], own)
    known = tweets.filter(in_archive)
    ids, handles = _selves(known, owners)
    is_self = (in_archive | _in([ARCHIVE, "parent_user_id"], ids)
               | _in([ARCHIVE, pl.col("parent_handle").str.to_lowercase()], handles))
    is_reply = pl.any_horizontal(pl.col("parent_id", "parent_user_id", "parent_handle").is_not_null())
    is_quote = pl.col("urls").list.eval(pl.element().str.contains(STATUS_URL)).list.any()
    kind = (pl.when(pl.col("text").str.starts_with("RT @")).then(pl.lit("repost")).when(is_reply)
            .then(pl.lit("reply")).when(is_quote).then(pl.lit("quote")).otherwise(pl.lit("post")))
    reply_to = (pl.when(kind != "reply").then(None).when(is_self.fill_null(False)).then(pl.lit(SELF_REPLY))
                .otherwise(pl.coalesce("parent_handle", "parent_user_id")))
    return tweets.with_columns(kind.alias("kind"), reply_to.alias("reply_to"))


def _selves(known: pl.DataFrame, owners: Sequence[Owner]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(archive, user id) and (archive, lower-case handle) of each archive's owner: its own word, and the
    users its replies to its own tweets reply to (a handful of rows per archive)."""
    ids = [(a, o.account_id) for a, o in enumerate(owners) if o.account_id is not None]
    ids += known.select(ARCHIVE, "parent_user_id").drop_nulls().unique().rows()
    handles = [(a, o.handle) for a, o in enumerate(owners) if o.handle]
    handles += known.select(ARCHIVE, "parent_handle").drop_nulls().unique().rows()
    lowered = {(a, h.lower()) for a, h in handles if h}
    schema: dict[str, pl.DataType] = {ARCHIVE: pl.UInt32(), "value": S}
    return (pl.DataFrame(sorted(set(ids)), schema=schema, orient="row"),
            pl.DataFrame(sorted(lowered), schema=schema, orient="row"))


def collapse_edits(tweets: pl.DataFrame) -> pl.DataFrame:
    """One row per edit chain: the latest version's content, under the initial tweet's id.

    A version names its chain in `edit_info.edit.initialTweetId`; the initial tweet lists every
    version in `edit_info.initial.editTweetIds` (initial first). Either link is enough.

    Keying a chain by its initial id keeps a post's identity stable whether or not it is edited
    later (a re-collected archive gives the same post_id), and the initial id's permalink still
    opens the post on X. Text, entities and counts are the latest version's (what readers see now);
    published_at is the chain's first publication, when the post entered the timeline.
    """
    post_id = pl.coalesce("initial_id", _listed_initial(tweets), "tweet_id")
    tweets = tweets.with_columns(post_id.alias("post_id")).drop("edit_ids")
    edited = tweets.filter(pl.col("post_id") != pl.col("tweet_id")).select(ARCHIVE, "post_id").unique()
    if edited.is_empty():
        return tweets
    newest_last = [pl.col("published_at"), pl.col("tweet_id").cast(pl.UInt64, strict=False)]
    chains = (tweets.filter(_in([ARCHIVE, "post_id"], edited)).sort(newest_last)
              .group_by(ARCHIVE, "post_id").agg(pl.col("tweet_id").last(), pl.col("published_at").min()))
    keep = ~_in([ARCHIVE, "post_id"], edited) | _in([ARCHIVE, "tweet_id"], chains.select(ARCHIVE, "tweet_id"))
    tweets = tweets.filter(keep)
    firsts = chains.select(ARCHIVE, "tweet_id", pl.col("published_at").alias("first")).unique(
        [ARCHIVE, "tweet_id"], keep="first", maintain_order=True)
    first = tweets.select(ARCHIVE, "tweet_id").join(firsts, on=[ARCHIVE, "tweet_id"], how="left",
                                                    maintain_order="left")["first"]
    return tweets.with_columns(pl.coalesce(first, "published_at").alias("published_at"))


def _listed_initial(tweets: pl.DataFrame) -> pl.Series | pl.Expr:
    """Each tweet's chain as the initial tweet's `editTweetIds` lists it (null when none lists it)."""
    versions = tweets.select(ARCHIVE, pl.col("edit_ids").list.first().alias("initial"),
                             pl.col("edit_ids").alias("tweet_id"))
    versions = versions.drop_nulls().explode("tweet_id").unique([ARCHIVE, "tweet_id"], keep="first",
                                                                maintain_order=True)
    if versions.is_empty():
        return pl.lit(None, S)
    return tweets.select(ARCHIVE, "tweet_id").join(versions, on=[ARCHIVE, "tweet_id"], how="left",
                                                   maintain_order="left")["initial"]


def posts_table(tweets: pl.DataFrame, owners: Sequence[Owner], contexts: Sequence[ReadContext]) -> pl.DataFrame:
    """The canonical posts table (plus `archive`); the archive has no reply or view counts, so those are null."""
    bases = [f"https://x.com/{o.handle}/status/" if o.handle else "https://x.com/i/web/status/" for o in owners]
    langs = tweets["lang"].drop_nulls().unique().to_list()
    return tweets.lazy().select(  # in the canonical order, cast in the same query
        one_per(ARCHIVE, [c.account_id for c in contexts]).alias("account_id"), pl.lit("x").alias("platform"),
        "post_id", pl.concat_str(one_per(ARCHIVE, bases), "post_id").alias("url"), "published_at",
        pl.lit("second").alias("time_precision"), "text",
        pl.col("lang").replace_strict(langs, [normalise_lang(x) for x in langs], default=None, return_dtype=S)
        .alias("declared_lang"),
        "kind", "reply_to", "mentions", "hashtags", "urls", "media_count", "likes", "shares",
        pl.lit(None, pl.Int64).alias("replies"), pl.lit(None, pl.Int64).alias("views"), "source", ARCHIVE,
    ).cast(pl.Schema(POST_SCHEMA)).collect()
