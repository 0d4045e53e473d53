"""Telegram Desktop exports (`result.json`): one exported chat, or the account's full data export.

A single-chat export is ``{name, type, id, messages: [...]}``; the full export ("Export Telegram
data") wraps chats as ``{"about": ..., "chats": {"list": [...]}, ...}``. From a full export only the
channels (``public_channel``/``private_channel``) are read: an account audited here is a channel,
and its personal chats and groups are not its posts (each is counted as skipped with its type: a
conversation is private, not audited; a chat of a type we do not know is "not read"). When the
account's handle matches exactly one channel (by name or id) only that one is read; otherwise every
channel is read and each row's ``source`` names the chat (``chats.list[i]``). ``left_chats`` are
channels the exporter left: never read. ``post_id`` is always ``<chat id>/<message id>``, so ids
stay unique across the chats of a full export and the same message read from a single export and a
full one deduplicates.

Times: ``date`` is the exporting computer's LOCAL clock with no offset (tdesktop writes
``QDateTime::toString(Qt::ISODate)`` in local time); ``date_unixtime`` (newer exports) is the
truth. A message without ``date_unixtime`` needs ``ctx.source_timezone``; without it reading fails
with an error that names the key. An export where every message has ``date_unixtime`` needs none.

Service messages (channel created, message pinned...) are not posts and are left out without being
counted as skipped; :func:`count_service_messages` counts them for coverage reports.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from audit.collectors.base import Batch, ReadContext, from_unix, no_offset_message, to_int
from audit.collectors.table import SELF_REPLY, PostColumns
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import expect_type, head_text, load_json
from audit.sources.skips import Skipped

CHANNEL_TYPES = ("public_channel", "private_channel")
OTHER_CHAT_TYPES = ("saved_messages", "replies", "personal_chat", "bot_chat", "private_group", "private_supergroup",
                    "public_supergroup")
"""Chats a full export holds beside the channels: conversations, not the account's posts."""
_CHAT_TYPE = re.compile(r'"type"\s*:\s*"[a-z_]+"')
_MESSAGES = re.compile(r'"messages"\s*:\s*\[')
_FULL_START = re.compile(r'^\{\s*"about"\s*:')
_FULL_KEYS = re.compile(
    r'"(?:personal_information|profile_pictures|stories|contacts|frequent_contacts|chats|left_chats'
    r'|sessions|web_sessions|other_data)"\s*:'
)
_MEDIA_KEYS = ("photo", "file", "media_type")
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


class TelegramDesktopCollector:
    """Reads Telegram Desktop JSON exports, single-chat or full."""

    name = "telegram_desktop"
    platform = "telegram"
    description = "a Telegram Desktop export (result.json)"

    def find(self, export: Export) -> list[str]:
        """JSON members that start like a chat export or a full data export."""
        return [m for m in export.members() if m.lower().endswith(".json") and _sniff(export, m)]

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols, skipped = PostColumns(), list[Skipped]()
        clock = _LocalClock(ctx)
        for member in members:
            where = export.where(member)
            chats, url_handle = _chats_in(load_json(export, member), where, ctx, skipped)
            for label, chat in chats:
                _read_chat(chat, _ChatReader(where, label, url_handle, clock), cols, skipped)
        frame = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        return Batch(posts=frame, skipped=skipped, files=[export.where(m) for m in members])


def _sniff(export: Export, member: str) -> bool:
    try:
        head = head_text(export, member)
    except OSError:
        return False
    if not head.startswith("{"):
        return False
    single = bool(_CHAT_TYPE.search(head) and _MESSAGES.search(head))
    return single or bool(_FULL_START.match(head) and _FULL_KEYS.search(head))


def count_service_messages(export: Export, members: list[str], handle: str | None = None) -> int:
    """How many service messages (not posts) the chats that `read` would read contain."""
    ctx = ReadContext(handle=handle)
    total = 0
    for member in members:
        chats, _ = _chats_in(load_json(export, member), export.where(member), ctx, [])
        where = export.where(member)
        total += sum(_is_service(m) for _, chat in chats for m in _messages_of(chat, where, ""))
    return total


def _is_service(message: Any) -> bool:
    return isinstance(message, dict) and message.get("type") == "service"


# --- which chats to read ---------------------------------------------------------------------


def _chats_in(data: Any, where: str, ctx: ReadContext,
              skipped: list[Skipped]) -> tuple[list[tuple[str, dict[str, Any]]], str | None]:
    """The chats to read as (label, chat), and the username for permalinks (None when unsure)."""
    expect_type(data, dict, where, "a JSON object (a Telegram chat or full data export)")
    if "messages" in data:
        if data.get("type") not in CHANNEL_TYPES + OTHER_CHAT_TYPES:
            raise InputError(where, f"expected a chat of a known type ({', '.join(CHANNEL_TYPES)}...), "
                                    f"found {data.get('type')!r}", "type")
        return [("", data)], _username(ctx.handle)
    if "chats" in data:
        chats = _channels_of_full_export(data["chats"], where, ctx.handle, skipped)
        return chats, _username(ctx.handle) if len(chats) == 1 else None
    expected = 'expected a chat export with "messages" or a full export with "chats"'
    raise InputError(where, expected, "top level")


def _channels_of_full_export(chats: Any, where: str, handle: str | None,
                             skipped: list[Skipped]) -> list[tuple[str, dict[str, Any]]]:
    """The channel chats of `chats.list`; only the one the handle names when it names exactly one."""
    listing = chats.get("list") if isinstance(chats, dict) else None
    if not isinstance(listing, list):
        raise InputError(where, 'expected "chats" to be an object with a "list" array', "chats")
    channels = []
    for i, chat in enumerate(listing):
        if not isinstance(chat, dict):
            skipped.append(Skipped(where, f"chats.list[{i}]", "expected a chat object"))
        elif chat.get("type") in CHANNEL_TYPES:
            channels.append((f"chats.list[{i}].", chat))
        else:
            skipped.append(Skipped(where, f"chats.list[{i}]", _not_a_channel(chat.get("type"))))
    if not channels:
        raise InputError(where, "expected at least one channel (public_channel or private_channel) "
                                "in chats.list, found none", "chats.list")
    named = [(label, chat) for label, chat in channels if _names_chat(handle, chat)]
    return named if len(named) == 1 else channels


def _not_a_channel(kind: Any) -> str:
    if kind in OTHER_CHAT_TYPES:
        return f"chat of type {kind!r}, not a channel: a conversation, not the account's posts (private, not audited)"
    return f"chat of unknown type {kind!r}: not read (expected {' or '.join(CHANNEL_TYPES)})"


def _names_chat(handle: str | None, chat: dict[str, Any]) -> bool:
    """Whether the account's handle is this chat's name (ignoring case and spaces) or its id."""
    wanted = _bare_handle(handle)
    if not wanted:
        return False
    name = str(chat.get("name") or "")
    return wanted.lower() in (name.lower(), name.replace(" ", "").lower(), str(chat.get("id")))


def _bare_handle(handle: str | None) -> str | None:
    """`@name`, `t.me/name` or `https://t.me/name` as `name`."""
    if not handle or not handle.strip():
        return None
    bare = re.sub(r"^(?:https?://)?(?:www\.)?t\.me/", "", handle.strip()).lstrip("@").strip("/")
    return bare or None


def _username(handle: str | None) -> str | None:
    """The channel username for t.me permalinks; None when the handle is not one (a display name)."""
    bare = _bare_handle(handle)
    return bare if bare and _USERNAME.fullmatch(bare) else None


# --- reading one chat ------------------------------------------------------------------------


class _LocalClock:
    """Turns a message's time into UTC: `date_unixtime` when present, else local `date` + the zone."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self._zone: ZoneInfo | None = None

    def utc(self, message: dict[str, Any], where: str, position: str) -> datetime | None:
        unix = message.get("date_unixtime")
        if unix is not None:
            return _unix_or_none(unix)
        date = message.get("date")
        if not isinstance(date, str):
            return None
        stamp = _iso_or_none(date)
        if stamp is None or stamp.tzinfo is not None:
            return None if stamp is None else stamp.astimezone(UTC)
        return stamp.replace(tzinfo=self.zone(where, position)).astimezone(UTC)

    def zone(self, where: str, position: str) -> ZoneInfo:
        if self._zone is None:
            self._zone = _zone_of(self.ctx, where, position)
        return self._zone


def _zone_of(ctx: ReadContext, where: str, position: str) -> ZoneInfo:
    if not ctx.source_timezone:
        raise InputError(where, no_offset_message(ctx), position)
    try:
        return ZoneInfo(ctx.source_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(ctx.source_timezone_key, "expected an IANA time zone such as 'Asia/Seoul', "
                                                  f"found {ctx.source_timezone!r}") from None


def _unix_or_none(value: Any) -> datetime | None:
    try:
        return from_unix(value)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _iso_or_none(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


class _ChatReader:
    """What every message of one chat shares: where it is, how to link it, how to date it."""

    def __init__(self, where: str, label: str, username: str | None, clock: _LocalClock) -> None:
        self.where, self.label, self.username, self.clock = where, label, username, clock

    def position(self, index: int) -> int | str:
        """A message's index for Skipped and `source`: the bare index, or a JSON path in a full export."""
        return self.path(index) if self.label else index

    def path(self, index: int) -> str:
        return f"{self.label}messages[{index}]"


def _messages_of(chat: dict[str, Any], where: str, label: str) -> list[Any]:
    messages = chat.get("messages")
    if not isinstance(messages, list):
        raise InputError(where, 'expected "messages" to be an array', f"{label}messages")
    return messages


def _read_chat(chat: dict[str, Any], reader: _ChatReader, cols: PostColumns, skipped: list[Skipped]) -> None:
    messages = _messages_of(chat, reader.where, reader.label)
    chat_id = chat.get("id")
    if to_int(chat_id) is None:
        raise InputError(reader.where, "expected the chat's numeric \"id\"", f"{reader.label}id")
    authors = _authors(messages)
    thread = _Thread(str(chat_id), chat.get("type") in CHANNEL_TYPES, authors)
    for index, message in enumerate(messages):
        problem = _read_message(message, index, reader, thread, cols)
        if problem:
            skipped.append(Skipped(reader.where, reader.position(index), problem))


def _authors(messages: list[Any]) -> dict[Any, Any]:
    """Message id -> sender id, to tell replies to oneself from replies to others in groups."""
    return {m["id"]: m.get("from_id") for m in messages if isinstance(m, dict) and isinstance(m.get("id"), int | str)}


class _Thread:
    """The chat a reply lives in: a channel replies only to itself unless it names another peer."""

    def __init__(self, chat_id: str, is_channel: bool, authors: dict[Any, Any]) -> None:
        self.chat_id, self.is_channel, self.authors = chat_id, is_channel, authors

    def reply_to(self, message: dict[str, Any]) -> str | None:
        peer = message.get("reply_to_peer_id")
        if peer is not None and str(peer) != f"channel{self.chat_id}":
            return str(peer)
        if self.is_channel:
            return SELF_REPLY
        author = self.authors.get(message.get("reply_to_message_id"))
        if author is None:
            return None
        return SELF_REPLY if author == message.get("from_id") else str(author)


def _read_message(message: Any, index: int, reader: _ChatReader, thread: _Thread,
                  cols: PostColumns) -> str | None:
    """Add one message to `cols`; the reason it cannot be used, or None (service messages too)."""
    if not isinstance(message, dict):
        return f"expected a message object, found {type(message).__name__}"
    problem = _unusable(message)
    if problem or message.get("type") == "service":
        return problem
    published = reader.clock.utc(message, reader.where, reader.path(index))
    if published is None:
        return _date_problem(message)
    parts = _text_parts(message)
    if parts is None:
        return "expected text as a string or a list of text parts"
    _add_post(message, index, published, parts, reader, thread, cols)
    return None


def _date_problem(message: dict[str, Any]) -> str:
    if "date_unixtime" not in message and "date" not in message:
        return "message without a date"
    return f"expected a date, found {message.get('date_unixtime', message.get('date'))!r}"


def _unusable(message: dict[str, Any]) -> str | None:
    kind = message.get("type")
    if kind == "unsupported":
        return "message Telegram Desktop could not export (type 'unsupported')"
    if kind not in ("message", "service"):
        return f"unknown message type {kind!r}"
    if to_int(message.get("id")) is None:
        return "message without a numeric id"
    return None


def _add_post(message: dict[str, Any], index: int, published: datetime, parts: list[Any],
              reader: _ChatReader, thread: _Thread, cols: PostColumns) -> None:
    message_id = to_int(message["id"])
    forwarded = "forwarded_from" in message
    reply_to = None if forwarded else thread.reply_to(message) if "reply_to_message_id" in message else None
    kind = "repost" if forwarded else "reply" if "reply_to_message_id" in message else "post"
    mentions, hashtags, urls = _entities(parts)
    cols.add(
        post_id=f"{thread.chat_id}/{message_id}",
        url=f"https://t.me/{reader.username}/{message_id}" if reader.username else None,
        published_at=published, text=_with_poll(_plain_text(parts), message.get("poll")), kind=kind, reply_to=reply_to,
        mentions=mentions, hashtags=hashtags, urls=urls,
        media_count=int(any(message.get(key) for key in _MEDIA_KEYS)),
        likes=_reaction_total(message.get("reactions")),
        source=f"{reader.where}#{reader.position(index)}",
    )


# --- text, entities, reactions ---------------------------------------------------------------


def _text_parts(message: dict[str, Any]) -> list[Any] | None:
    """The message's text runs: `text_entities` when present (always a list), else `text`."""
    entities = message.get("text_entities")
    text = entities if isinstance(entities, list) else message.get("text", "")
    parts = [text] if isinstance(text, str) else text
    if not isinstance(parts, list) or not all(_is_part(p) for p in parts):
        return None
    return parts


def _is_part(part: Any) -> bool:
    return isinstance(part, str) or (isinstance(part, dict) and isinstance(part.get("text", ""), str))


def _plain_text(parts: list[Any]) -> str:
    return "".join(p if isinstance(p, str) else p.get("text", "") for p in parts)


def _with_poll(text: str, poll: Any) -> str:
    """A poll's question and answers added to the text: a poll message's `text` is empty, and what it
    asks is what a reader (and the audit) sees of it."""
    if not isinstance(poll, dict) or not isinstance(poll.get("question"), str):
        return text
    answers = [a["text"] for a in poll.get("answers") or [] if isinstance(a, dict) and isinstance(a.get("text"), str)]
    lines = [poll["question"], *(f"- {answer}" for answer in answers)]
    return "\n".join(part for part in (text, "\n".join(lines)) if part)


def _entities(parts: list[Any]) -> tuple[list[str], list[str], list[str]]:
    """Mentions (usernames, or the user id of a mention by name), hashtags and links of the text."""
    mentions: list[str] = []
    hashtags: list[str] = []
    urls: list[str] = []
    for part in parts:
        if not isinstance(part, dict):
            continue
        kind, text = part.get("type"), part.get("text", "")
        if kind == "mention":
            mentions.append(text.lstrip("@"))
        elif kind == "mention_name" and part.get("user_id") is not None:
            mentions.append(str(part["user_id"]))
        elif kind == "hashtag":
            hashtags.append(text.lstrip("#"))
        elif kind in ("link", "text_link"):
            urls.append(str(part.get("href") or text) if kind == "text_link" else text)
    return mentions, hashtags, urls


def _reaction_total(reactions: Any) -> int | None:
    """Emoji and custom-emoji reactions summed; paid (Star) reactions count Stars, not people: left out."""
    if not isinstance(reactions, list):
        return None
    counts = (to_int(r.get("count")) for r in reactions if isinstance(r, dict) and r.get("type") != "paid")
    return sum(c for c in counts if c is not None and c > 0)


COLLECTOR = TelegramDesktopCollector()
