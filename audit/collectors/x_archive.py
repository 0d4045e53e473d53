"""The X/Twitter archive ("Download your archive"): data/tweets.js and friends (FORMATS.md section 1).

This is the hot path of a large audit (an account can have a million tweets), so nothing here
walks tweets one by one in Python. Each `window.YTD.tweets.partN = [ ... ]` file is parsed
straight into Arrow/polars columns with an explicit schema of only the fields we use, and every
post column is then derived with polars expressions. Parts are read one at a time, so peak memory
is about one part's bytes twice plus the columns kept from the parts before it.

Quirks handled (seen in real archives or their public parsers; see FORMATS.md):
* every part listed in data/manifest.js is read, and a listed part that is missing is an error;
* the older layout (`tweet.js`, `window.YTD.tweet.part0`, with or without the `{"tweet": ...}` wrapper);
* retweets exist only as `full_text` starting "RT @user:"; quotes only as a status URL in
  `entities.urls[].expanded_url`;
* each edit is an entry of its own, linked by `edit_info`: one row per edit chain (`_collapse_edits`);
* long posts are truncated in tweets.js; note-tweet.js has their full text but no tweet id (`_attach_notes`);
* t.co links are expanded in `urls` and in the text; media t.co links are dropped from the text;
* `full_text` is HTML-escaped (`&amp;`, `&lt;`, `&gt;`) like the v1.1 API it comes from.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.json as pa_json

from audit.collectors.base import Batch, ReadContext, Skipped, head_text
from audit.errors import InputError
from audit.posts import POST_SCHEMA, SELF_REPLY, normalise_lang
from audit.sources import Export

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

YTD = re.compile(r"^window\.YTD\.(\w+)\.part(\d+)\s*=")
MANIFEST = "window.__THAR_CONFIG"
TWEET_FILES = ("tweets", "tweet")
"""YTD names of tweet files: `tweets` since about 2022, `tweet` before."""
TCO = r"https?://t\.co/[A-Za-z0-9]+"
STATUS_URL = r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status(?:es)?/\d+"
CREATED_AT = "%b %d %H:%M:%S %z %Y"
"""`created_at` without its weekday ("Sat Feb 18 19:45:15 +0000 2023"): the weekday adds nothing."""
NOTE_CREATED_AT = "%Y-%m-%dT%H:%M:%S%.fZ"
NOTE_MATCH_CHARS = 40
BLOCK_BYTES = 4 << 20
"""Arrow's JSON block size: fastest on 450 MB parts (1 MB and 64 MB blocks measured 30-50% slower)."""
WHITESPACE = re.compile(rb"[ \t\r\n]*")


# ----------------------------------------------------------------------------------------------
# Finding the files


def _ytd_name(export: Export, member: str) -> str | None:
    """The YTD data type of an archive .js member (`tweets`, `note_tweet`, ...) or "manifest"."""
    if not member.lower().endswith(".js"):
        return None
    try:
        head = head_text(export, member, 256)
    except Exception:  # noqa: BLE001 - detection must never fail on someone else's file
        return None
    if head.startswith(MANIFEST):
        return "manifest"
    match = YTD.match(head)
    return match.group(1) if match else None


def _part_order(member: str) -> tuple[str, int]:
    """Parts in their natural order: tweets.js, tweets-part1.js, ..., tweets-part10.js."""
    number = re.search(r"part(\d+)\.js$", member)
    return (str(PurePosixPath(member).parent), int(number.group(1)) if number else 0)


@dataclass
class _Layout:
    """Which members of an archive hold what, decided from their content."""

    parts: list[str] = field(default_factory=list)
    manifests: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, export: Export) -> _Layout:
        layout = cls()
        slots = {"manifest": layout.manifests, "account": layout.accounts, "note_tweet": layout.notes}
        for member in export.members():
            kind = _ytd_name(export, member)
            if kind in TWEET_FILES:
                layout.parts.append(member)
            elif kind in slots:
                slots[kind].append(member)
        layout.parts.sort(key=_part_order)
        return layout


# ----------------------------------------------------------------------------------------------
# Reading one `window.YTD.<name>.partN = [...]` file into columns


@dataclass(frozen=True)
class _Shape:
    """The records of a YTD file: their fields, and the key each is wrapped in ({"tweet": {...}})."""

    record: pl.Struct
    wrapper: str | None

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({self.wrapper: self.record} if self.wrapper else self.record.to_schema())


def read_ytd(export: Export, member: str, shape: _Shape) -> tuple[pl.DataFrame, list[Skipped]]:
    """One YTD member as flat columns plus `idx` (the record's index in the file's array)."""
    frame, indexes, skipped = _parse_member(export, member, shape)
    if shape.wrapper and shape.wrapper in frame.columns:
        frame = frame.unnest(shape.wrapper)
    idx = pl.int_range(pl.len(), dtype=pl.Int64) if indexes is None else pl.Series(indexes, dtype=pl.Int64)
    return frame.with_columns(idx.alias("idx")), skipped


def _parse_member(export: Export, member: str,
                  shape: _Shape) -> tuple[pl.DataFrame, list[int] | None, list[Skipped]]:
    """The fast parser on the separator-blanked bytes (the original is freed first), else the general one."""
    where = export.where(member)
    data = export.read_bytes(member)
    start, end = _body_bounds(data, where)
    _check_array(data, start, end, where)
    blanked = _blank_separators(data, start)
    del data  # only one copy of a part stays alive while Arrow works
    frame = _parse_fast(blanked, start, end, shape.schema)
    if frame is not None:
        return frame, None, []
    del blanked
    return _parse_general(export.read_bytes(member), start, end, shape, where)


def _body_bounds(data: bytes, where: str) -> tuple[int, int]:
    """Where the JSON after `window.YTD.x.partN =` starts and ends (a trailing `;` is tolerated)."""
    eq = data.find(b"=", 0, 4096)
    if eq < 0:
        raise InputError(where, "expected an X archive file starting 'window.YTD.<name>.partN = '", "1:1")
    end = len(data)
    while end > eq and data[end - 1] in b" \t\r\n":
        end -= 1
    if end > eq and data[end - 1] == ord(";"):
        end -= 1
        while end > eq and data[end - 1] in b" \t\r\n":
            end -= 1
    start = WHITESPACE.match(data, eq + 1)
    return min(start.end() if start else eq + 1, end), end


def _check_array(data: bytes, start: int, end: int, where: str) -> None:
    """The body must be a JSON array: an object (or anything else) is the wrong file, not bad records."""
    if start < end and data[start] == ord("["):
        return
    found = "nothing" if start >= end else _json_kind(data[start:start + 1])
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    raise InputError(where, f"expected a JSON array after '=', found {found}", f"{line}:{column}")


def _json_kind(first: bytes) -> str:
    kinds = {b"{": "a JSON object", b'"': "a JSON string", b"t": "a JSON boolean", b"f": "a JSON boolean",
             b"n": "JSON null"}
    if first in kinds:
        return kinds[first]
    return "a JSON number" if first in b"-0123456789" else repr(first.decode(errors="replace"))


def _blank_separators(data: bytes, start: int) -> bytes:
    """The array's bytes with the commas between its elements blanked, for Arrow (see `_parse_fast`).

    X (like `json.dump(indent=...)`) starts each top-level element on a line of its own at one
    indentation, and a raw newline cannot occur inside a JSON string, so that separator is
    unambiguous. The result is the same length, so positions stay valid.
    """
    separator = _separator(data, start + 1)
    return data if separator is None else data.replace(separator, separator.replace(b",", b" "))


def _parse_fast(data: bytes, start: int, end: int, schema: pl.Schema) -> pl.DataFrame | None:
    """Parse a pretty-printed archive array with Arrow's JSON reader; None when that cannot work.

    Arrow reads whitespace-separated objects (newlines inside them allowed): `data` comes with the
    commas between the elements blanked out. Anything else (compact JSON, other layouts, numbers
    where strings belong, malformed records) makes Arrow fail, and the caller falls back to the
    general parser: a wrong guess costs time, never data. Measured on a 450 MB part: about 3 s and
    0.2 GB beyond the bytes, where polars' read_json took 6 s and 2.7 GB.
    """
    inner_start, inner_end = start + 1, end - 1
    if data[inner_end] != ord("]"):
        return None
    if WHITESPACE.match(data, inner_start).end() == inner_end:  # type: ignore[union-attr]
        return pl.DataFrame(schema=schema)
    buffer = pa.py_buffer(data).slice(inner_start, inner_end - inner_start)
    arrow_schema = pa.schema([(name, _arrow_type(dtype)) for name, dtype in schema.items()])
    options = pa_json.ParseOptions(explicit_schema=arrow_schema, unexpected_field_behavior="ignore",
                                   newlines_in_values=True)
    try:
        table = pa_json.read_json(pa.BufferReader(buffer), parse_options=options,
                                  read_options=pa_json.ReadOptions(block_size=BLOCK_BYTES))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    frame = pl.from_arrow(table)
    return frame if isinstance(frame, pl.DataFrame) else None


def _separator(data: bytes, inner_start: int) -> bytes | None:
    """The bytes between two top-level elements, judged from how the first element is indented."""
    first = data.find(b"{", inner_start, inner_start + 256)
    if first < 0:
        return None
    gap = data[inner_start:first]
    if b"\n" not in gap:
        return b"\n}, {"
    newline = b"\r\n" if b"\r\n" in gap else b"\n"
    indent = gap[gap.rfind(b"\n") + 1:]
    return b"\n" + indent + b"}," + newline + indent + b"{"


def _arrow_type(dtype: object) -> pa.DataType:
    """The Arrow type of a polars schema type (strings, lists and structs are all the schemas use)."""
    if isinstance(dtype, pl.Struct):
        return pa.struct([(f.name, _arrow_type(f.dtype)) for f in dtype.fields])
    if isinstance(dtype, pl.List):
        return pa.list_(_arrow_type(dtype.inner))
    return pa.string()


def _parse_general(data: bytes, start: int, end: int, shape: _Shape,
                   where: str) -> tuple[pl.DataFrame, list[int] | None, list[Skipped]]:
    """Any valid JSON array: polars' reader, then (for malformed records or a syntax error) Python's."""
    try:
        return pl.read_json(io.BytesIO(data[start:end]), schema=shape.schema), None, []
    except pl.exceptions.PolarsError:
        pass
    return _conform_records(_load_with_position(data, end, where), shape, where)


def _load_with_position(data: bytes, end: int, where: str) -> Any:
    """json.loads on the body with the envelope blanked out, so errors carry the file's line:column."""
    text = data[:end].decode("utf-8-sig", errors="replace")
    eq = text.find("=")
    try:
        return json.loads(" " * (eq + 1) + text[eq + 1:])
    except json.JSONDecodeError as e:
        raise InputError(where, f"expected complete JSON: {e.msg}", f"{e.lineno}:{e.colno}") from None


def _conform_records(records: list[Any], shape: _Shape,
                     where: str) -> tuple[pl.DataFrame, list[int], list[Skipped]]:
    """The slow path for arrays with malformed records: skip non-objects, null mistyped fields."""
    kept, indexes, skipped = [], [], []
    what = f'an object {{"{shape.wrapper}": {{...}}}}' if shape.wrapper else "an object"
    for index, record in enumerate(records):
        value = record.get(shape.wrapper) if shape.wrapper and isinstance(record, dict) else record
        if isinstance(value, dict):
            kept.append(_conform(value, shape.record))
            indexes.append(index)
        else:
            skipped.append(Skipped(where, index, f"expected {what}, found {_py_kind(value)}"))
    return pl.Series("record", kept, dtype=shape.record).struct.unnest(), indexes, skipped


def _conform(value: Any, dtype: object) -> Any:
    """`value` shaped like `dtype`; a field of the wrong JSON type becomes null."""
    if isinstance(dtype, pl.Struct):
        if not isinstance(value, dict):
            return None
        return {f.name: _conform(value.get(f.name), f.dtype) for f in dtype.fields}
    if isinstance(dtype, pl.List):
        return [_conform(v, dtype.inner) for v in value] if isinstance(value, list) else None
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _py_kind(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)


# ----------------------------------------------------------------------------------------------
# The manifest and the account


def _manifest_parts(export: Export, manifest: str) -> list[str]:
    """Members of every tweets part the manifest lists; a listed part that is missing is an error."""
    where = export.where(manifest)
    data = export.read_bytes(manifest)
    config = _load_with_position(data, _body_bounds(data, where)[1], where)
    data_types = config.get("dataTypes") if isinstance(config, dict) else None
    if not isinstance(data_types, dict):
        raise InputError(where, "expected an X archive manifest with a dataTypes object")
    listed = [entry["fileName"] for kind in TWEET_FILES for entry in _files(data_types.get(kind))]
    root = PurePosixPath(manifest).parent.parent
    members, present = [str(root / name) for name in listed], set(export.members())
    missing = [name for name, member in zip(listed, members, strict=True) if member not in present]
    if missing:
        raise InputError(where, f"the manifest lists {', '.join(missing)}, missing from the archive; expected "
                                "every tweets part (unpack or download the whole archive)")
    return members


def _files(data_type: Any) -> list[dict[str, str]]:
    files = data_type.get("files") if isinstance(data_type, dict) else None
    return [f for f in files or [] if isinstance(f, dict) and isinstance(f.get("fileName"), str)]


@dataclass(frozen=True)
class _Owner:
    """Whose archive it is, as far as account.js and the accounts file say."""

    account_id: str | None
    handle: str | None


def _owner(export: Export, accounts: list[str], ctx: ReadContext) -> _Owner:
    """account.js wins over the accounts file's handle: it is the archive's own word on whose it is."""
    handle = ctx.handle.strip().lstrip("@") or None if ctx.handle else None
    for member in accounts:
        frame, _ = read_ytd(export, member, _Shape(ACCOUNT, "account"))
        rows = frame.drop_nulls("accountId").rows(named=True)
        if rows:
            return _Owner(rows[0]["accountId"], rows[0]["username"] or handle)
    return _Owner(None, handle)


# ----------------------------------------------------------------------------------------------
# One tweets part into slim columns


def _read_part(export: Export, member: str) -> tuple[pl.DataFrame, list[Skipped]]:
    """A tweets part as the columns we keep; records without an id or a readable time are skipped."""
    where = export.where(member)
    raw, skipped = read_ytd(export, member, _tweet_shape(export, member))
    tweets = raw.select(_tweet_columns(where))
    del raw
    bad = tweets.filter(pl.col("reason").is_not_null()).select("idx", "reason")
    skipped += [Skipped(where, index, reason) for index, reason in bad.iter_rows()]
    return _expand_links(tweets.filter(pl.col("reason").is_null()).drop("reason")), skipped


def _tweet_shape(export: Export, member: str) -> _Shape:
    """Archives wrap each tweet as {"tweet": {...}}; the earliest tweet.js files did not."""
    head = head_text(export, member, 512)
    bare = re.search(r'=\s*\[\s*\{\s*"', head) and not re.search(r'=\s*\[\s*\{\s*"tweet"\s*:', head)
    return _Shape(TWEET, None if bare else "tweet")


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
    """Counts are strings in the archive ("12"); anything unreadable is null, never 0."""
    return pl.col(name).str.strip_chars().cast(pl.Int64, strict=False)


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


# ----------------------------------------------------------------------------------------------
# Note tweets (long posts)


def _read_notes(export: Export, members: list[str]) -> tuple[pl.DataFrame | None, list[Skipped]]:
    """note-tweet.js: the full text of long posts (not HTML-escaped, unlike tweets.js)."""
    frames, skipped = [], []
    for member in members:
        where = export.where(member)
        raw, bad = read_ytd(export, member, _Shape(NOTE, "noteTweet"))
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


def _attach_notes(tweets: pl.DataFrame, notes: pl.DataFrame | None) -> tuple[pl.DataFrame, list[Skipped]]:
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


# ----------------------------------------------------------------------------------------------
# Whole-archive columns: kinds, self-replies, edits, the posts table


def _classify(tweets: pl.DataFrame, owner: _Owner) -> pl.DataFrame:
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


def _collapse_edits(tweets: pl.DataFrame) -> pl.DataFrame:
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


def _posts(tweets: pl.DataFrame, owner: _Owner, ctx: ReadContext) -> pl.DataFrame:
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
    ).cast(pl.Schema(POST_SCHEMA))


# ----------------------------------------------------------------------------------------------
# The collector


def _parts_to_read(export: Export, layout: _Layout) -> list[str]:
    """The parts found by content plus every part a manifest lists (which must all be there)."""
    listed = [m for manifest in layout.manifests for m in _manifest_parts(export, manifest)]
    parts = sorted(set(layout.parts) | set(listed), key=_part_order)
    if not parts:
        raise InputError(export.where(layout.manifests[0]), "expected the manifest to list data/tweets.js; "
                                                            "it lists no tweets file")
    return parts


class XArchiveCollector:
    name = "x_archive"
    platform = "x"
    description = "an X/Twitter archive (data/tweets.js, as a zip, a folder or the file)"

    def find(self, export: Export) -> list[str]:
        """The tweets parts (tweets.js, tweets-partN.js, tweet.js) and the manifest, by content."""
        layout = _Layout.of(export)
        return layout.parts + layout.manifests if layout.parts or layout.manifests else []

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        """Every tweets part, note tweets, account.js: one row per post (edit chains collapsed)."""
        layout = _Layout.of(export)
        parts = _parts_to_read(export, layout)
        files = [export.where(m) for m in parts + layout.manifests + layout.accounts + layout.notes]
        tweets, skipped = self._read_parts(export, parts)
        notes, bad_notes = _read_notes(export, layout.notes)
        tweets, unmatched = _attach_notes(tweets, notes)
        owner = _owner(export, layout.accounts, ctx)
        posts = _posts(_collapse_edits(_classify(tweets, owner)), owner, ctx)
        langs = sorted(posts["declared_lang"].drop_nulls().unique().to_list())
        return Batch(posts=posts, skipped=skipped + bad_notes + unmatched, files=files, declared_languages=langs)

    @staticmethod
    def _read_parts(export: Export, parts: list[str]) -> tuple[pl.DataFrame, list[Skipped]]:
        """Every part, one at a time, so that only one part's bytes are in memory at once."""
        frames, skipped = [], []
        for member in parts:
            frame, bad = _read_part(export, member)
            frames.append(frame)
            skipped += bad
        return pl.concat(frames), skipped


COLLECTOR = XArchiveCollector()
