"""Bluesky repository exports: the CAR file ``com.atproto.sync.getRepo`` returns.

A CAR v1 file is a varint-framed DAG-CBOR header (``{roots: [commit cid], version: 1}``) followed by
varint-framed (CID, block) sections. The root is the signed commit ``{did, data, version, ...}``;
``data`` is the root of a Merkle Search Tree whose leaves map record keys (``collection/rkey``) to
record blocks. Decoding is left to ``libipld`` (maintained Rust bindings); this module only walks
the commit and the tree, which gives every record its key and so its ``at://`` uri.

Choices:
* Only ``app.bsky.feed.post`` (post, reply or quote, as in the feed collector) and
  ``app.bsky.feed.repost`` (kind ``repost``, empty text, the reposted post's permalink) become rows;
  likes, follows, profiles, retired types (``feed.vote``) and other apps' records are ignored.
* ``post_id`` is the record's uri ``at://<did>/<collection>/<rkey>``, the same id the AppView and
  so the feed collector give it. There are no engagement counts in a repository: they are null.
* Legacy repos (2022-23, commit v2) have the same commit/MST shape and read the same way; their
  records' old ``entities`` and ``{cid, mimeType}`` blobs are understood by the shared record code.
* A commit without an MST (an unknown, older layout) falls back to finding records by their
  ``$type`` across all blocks. That loses the record keys (``post_id`` becomes ``cid:<cid>``, no
  permalink) and, in repos that carry their history, may include deleted posts, so it is reported
  as a skipped note in the coverage.
* A file cut short, or with a section that does not decode, raises InputError naming the byte where
  that section starts and what it should have been; tree nodes or records missing from an otherwise
  intact file are counted skips, and so is a post or repost block the tree does not lead to (a damaged
  key or link): never read, never dropped in silence.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

import libipld

from audit.collectors.base import Batch, ReadContext, obj, text_or_none
from audit.collectors.bluesky.records import (
    POST_COLLECTION,
    REPOST_COLLECTION,
    declared_languages,
    parse_timestamp,
    post_url,
    record_columns,
)
from audit.collectors.table import PostColumns
from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.limits import MAX_CBOR_DEPTH
from audit.sources.skips import Skipped, SkipRecord

_WANTED: Final = (POST_COLLECTION, REPOST_COLLECTION)
_MAX_HEADER: Final = 1 << 16
"""A getRepo header holds one root (about 60 bytes); a longer 'header' is not a repository CAR."""

_HEADER_START: Final = b"\xa2eroots"
"""A two-key map whose first key is the 5-byte text "roots": how every CAR v1 header begins."""

Block = Any
Leaf = tuple[str, bytes]


# ---------------------------------------------------------------- CAR framing


def read_varint(data: bytes, pos: int) -> tuple[int, int] | None:
    """(value, next position) of the unsigned LEB128 varint at `pos`; None when cut off or too long."""
    value = shift = 0
    for i in range(pos, min(pos + 9, len(data))):
        value |= (data[i] & 0x7F) << shift
        if not data[i] & 0x80:
            return value, i + 1
        shift += 7
    return None


def cut_car_header(head: bytes) -> bool:
    """Whether `head` is a CAR v1 header cut short: DAG-CBOR sorts keys, so it opens with ``{"roots":``.

    Such a file is still claimed, so that reading it reports the truncation instead of "unknown format".
    """
    framed = read_varint(head, 0)
    return framed is not None and sum(framed) > len(head) and head[framed[1]:].startswith(_HEADER_START)


def car_header(head: bytes) -> dict[str, Any] | None:
    """The decoded CAR header when `head` starts like a CAR v1 file, else None (never raises)."""
    framed = read_varint(head, 0)
    if framed is None or not 0 < framed[0] <= len(head) - framed[1]:
        return None
    try:
        header = libipld.decode_dag_cbor(head[framed[1]:framed[1] + framed[0]])
    except (ValueError, RecursionError):  # libipld raises RecursionError for CBOR nested past its limit
        return None
    if isinstance(header, dict) and header.get("version") == 1 and isinstance(header.get("roots"), list):
        return header
    return None


def damage(data: bytes) -> tuple[str, str]:
    """Where framing breaks in a CAR libipld refused: (what was expected, byte position)."""
    if not data:
        return "expected a CAR v1 repository export, found an empty file", "byte 0"
    pos = section = 0
    while pos < len(data):
        framed = read_varint(data, pos)
        what = "the CAR header" if section == 0 else f"block {section}"
        if framed is None:
            expected = f"expected the length of {what} (a varint), found the end of the file (truncated CAR)"
            return expected, f"byte {pos}"
        if framed[1] + framed[0] > len(data):
            size, left = framed[0], len(data) - framed[1]
            expected = f"expected {what} of {size} bytes, found {left} before the file ends (truncated CAR)"
            return expected, f"byte {pos}"
        fault = section_fault(data[framed[1]:framed[1] + framed[0]], section)
        if fault:
            return f"expected {what} to be {fault}", f"byte {pos}"
        pos, section = framed[1] + framed[0], section + 1
    return "expected a CAR v1 file of DAG-CBOR blocks", "byte 0"


def cid_length(body: bytes) -> int:
    """The length of the CID a block section starts with (v0: a bare sha2-256 multihash; v1: varints)."""
    if body[:2] == b"\x12\x20":
        return 34
    pos = 0
    for _ in range(3):  # version, codec, multihash code
        framed = read_varint(body, pos)
        if framed is None:
            raise ValueError("a CID")
        pos = framed[1]
    size = read_varint(body, pos)
    if size is None:
        raise ValueError("a CID")
    return size[1] + size[0]


def section_fault(body: bytes, section: int) -> str | None:
    """What one intact-length section fails to be (None when it decodes): for the error's position."""
    try:
        if section == 0:
            libipld.decode_dag_cbor(body)
            return None
        split = cid_length(body)
        libipld.decode_cid(body[:split])
    except (ValueError, RecursionError):
        return "DAG-CBOR" if section == 0 else "a CID followed by DAG-CBOR"
    try:
        libipld.decode_dag_cbor(body[split:])
    except RecursionError:
        return f"DAG-CBOR nested at most {MAX_CBOR_DEPTH} levels deep"
    except ValueError:
        return "DAG-CBOR after its CID"
    return None


def decode_car(data: bytes, where: str) -> tuple[dict[str, Any], dict[bytes, Block]]:
    """Header and blocks (CID bytes -> decoded block); a damaged file names the byte and what it expected."""
    try:
        header, blocks = libipld.decode_car(data)
    except ValueError as e:
        expected, position = damage(data)
        raise InputError(where, f"{expected} ({e})", position) from None
    if header.get("version") != 1:
        found = header.get("version")
        raise InputError(where, f"expected a CAR version 1 header, found version {found!r}", "byte 0")
    return header, blocks


def root_commit(header: dict[str, Any], blocks: dict[bytes, Block], where: str) -> dict[str, Any]:
    """The block the header names as root: the repository's commit."""
    roots = header.get("roots")
    if not isinstance(roots, list) or not roots or not isinstance(roots[0], bytes):
        raise InputError(where, "expected the CAR header to name the repository commit in roots", "byte 0")
    commit = blocks.get(roots[0])
    if not isinstance(commit, dict):
        raise InputError(where, f"expected the root commit block {cid_text(roots[0])}; it is not in the file "
                                "(truncated or partial export)", "roots[0]")
    return commit


def cid_text(cid: Any) -> str:
    """A CID as its usual base32 ``bafy...`` string, for messages and fallback ids."""
    try:
        return str(libipld.encode_cid(cid))
    except (ValueError, TypeError):
        return repr(cid)


# ---------------------------------------------------------------- Merkle Search Tree


def node_steps(node: Block) -> list[tuple[str, Any]]:
    """A tree node's contents in key order: left subtree, then each entry's leaf and right subtree.

    Entries store keys prefix-compressed: ``p`` bytes shared with the previous key plus the suffix ``k``.
    Raises ValueError for a node that is not shaped like one.
    """
    if not isinstance(node, dict) or not isinstance(node.get("e"), list):
        raise ValueError("not an MST node")
    steps: list[tuple[str, Any]] = [("node", node["l"])] if node.get("l") is not None else []
    key = b""
    for entry in node["e"]:
        entry = obj(entry)
        p, k, v = entry.get("p"), entry.get("k"), entry.get("v")
        if not isinstance(p, int) or not isinstance(k, bytes) or not isinstance(v, bytes) or p > len(key):
            raise ValueError("malformed MST entry")
        key = key[:p] + k
        steps.append(("leaf", (key.decode("utf-8", errors="replace"), v)))
        if entry.get("t") is not None:  # a link that is not a CID is walked too, and counted as broken
            steps.append(("node", entry["t"]))
    return steps


def walk_mst(blocks: dict[bytes, Block], root: bytes) -> tuple[list[Leaf], list[Any]]:
    """Every (record key, record CID) under `root` in key order, and the tree nodes missing or broken.

    An explicit stack rather than recursion, and a visited set, so a hostile file cannot loop or
    exhaust the interpreter's stack.
    """
    leaves: list[Leaf] = []
    broken: list[Any] = []
    seen: set[bytes] = set()
    stack: list[tuple[str, Any]] = [("node", root)]
    while stack:
        kind, value = stack.pop()
        if kind == "leaf":
            leaves.append(value)
        elif not isinstance(value, bytes):
            broken.append(value)
        elif value not in seen:
            seen.add(value)
            try:
                stack.extend(reversed(node_steps(blocks.get(value))))
            except ValueError:
                broken.append(value)
    return leaves, broken


def has_tree(commit: dict[str, Any], blocks: dict[bytes, Block]) -> bool:
    """Whether the commit points at an MST root this file holds (v2 and v3 commits do)."""
    data = commit.get("data")
    if not isinstance(data, bytes):
        return False
    try:
        node_steps(blocks.get(data))
    except ValueError:
        return False
    return True


def typed_records(blocks: dict[bytes, Block]) -> Iterator[Leaf]:
    """Fallback without a tree: (``collection/cid:<cid>``, CID) of every block typed as a post or repost."""
    for cid, block in blocks.items():
        kind = obj(block).get("$type")
        if kind in _WANTED:
            yield f"{kind}/cid:{cid_text(cid)}", cid


# ---------------------------------------------------------------- records to rows


def repost_columns(record: dict[str, Any]) -> dict[str, Any]:
    """A repost record: kind repost, no text of its own, the reposted post's permalink."""
    subject = text_or_none(obj(record.get("subject")).get("uri"))
    if subject is None:
        raise SkipRecord("expected the repost's subject.uri")
    return {"kind": "repost", "text": "", "url": post_url(None, subject), "media_count": 0}


def record_row(key: str, record: Block, did: str, profile: str) -> dict[str, Any]:
    """The post columns of one record under `key` (``collection/rkey``); raises SkipRecord."""
    if not isinstance(record, dict):
        raise SkipRecord("expected the record block to be a map")
    collection, _, rkey = key.partition("/")
    when = parse_timestamp(record.get("createdAt"))
    if when is None:
        found = record.get("createdAt")
        raise SkipRecord(f"expected createdAt as an ISO 8601 time with an offset, found {found!r}")
    keyed = not rkey.startswith("cid:")
    uri = f"at://{did}/{key}" if keyed else None
    if collection == REPOST_COLLECTION:
        columns = repost_columns(record)
    else:
        columns = {**record_columns(record, did), "url": post_url(profile, uri)}
    return {**columns, "post_id": uri or rkey, "published_at": when}


class BlueskyCarCollector:
    """Repository CAR exports (com.atproto.sync.getRepo)."""

    name = "bluesky_car"
    platform = "bluesky"
    description = "a Bluesky repository export (CAR file from com.atproto.sync.getRepo)"

    def find(self, export: Export) -> list[str]:
        return [m for m in export.members() if self._is_car(export, m)]

    @staticmethod
    def _is_car(export: Export, member: str) -> bool:
        try:
            head = export.head(member, 1024)
            framed = read_varint(head, 0)
            if framed is not None and len(head) < sum(framed) and sum(framed) <= _MAX_HEADER:
                head = export.head(member, sum(framed))
            return car_header(head) is not None or cut_car_header(head)
        except OSError:
            return False

    def read(self, export: Export, members: list[str], ctx: ReadContext) -> Batch:
        cols, skipped = PostColumns(), []
        for member in members:
            skipped += self._read_repo(export, member, ctx, cols)
        posts = cols.to_frame({"account_id": ctx.account_id, "platform": self.platform})
        return Batch(posts, skipped, [export.where(m) for m in members], declared_languages(cols))

    def _read_repo(self, export: Export, member: str, ctx: ReadContext, cols: PostColumns) -> list[Skipped]:
        where = export.where(member)
        header, blocks = decode_car(export.read_bytes(member), where)
        commit = root_commit(header, blocks, where)
        did = text_or_none(commit.get("did")) or "unknown"
        profile = (ctx.handle or "").strip().removeprefix("@") or did
        leaves, skipped = self._records(commit, blocks, where)
        for key, cid in leaves:
            if key.partition("/")[0] not in _WANTED:
                continue
            try:
                cols.add(**record_row(key, self._block(blocks, cid), did, profile), source=f"{where}#{key}")
            except SkipRecord as e:
                skipped.append(Skipped(file=where, index=key, reason=str(e)))
        return skipped + self._strays(leaves, blocks, where) if has_tree(commit, blocks) else skipped

    @staticmethod
    def _strays(leaves: list[Leaf], blocks: dict[bytes, Block], where: str) -> list[Skipped]:
        """Posts and reposts the tree does not lead to: a damaged key or tree, or history kept in the file.

        Real getRepo files have none (every post block of the saved v2 and v3 repos is in the tree), so
        each one is counted rather than read (it may be a deleted post) or dropped without a word.
        """
        reached = {cid for key, cid in leaves if key.partition("/")[0] in _WANTED}
        return [Skipped(file=where, index=f"cid:{cid_text(cid)}", reason=f"{key.partition('/')[0]} record "
                        "outside the record tree (a damaged tree or key, or a deleted post kept in the file)")
                for key, cid in typed_records(blocks) if cid not in reached]

    @staticmethod
    def _records(commit: dict[str, Any], blocks: dict[bytes, Block],
                 where: str) -> tuple[list[Leaf], list[Skipped]]:
        """The repository's records by key, from the tree when there is one, else by $type."""
        if not has_tree(commit, blocks):
            note = ("expected a commit with a record tree (MST); posts were found by $type instead, without "
                    "record keys or permalinks, and may include deleted ones")
            return list(typed_records(blocks)), [Skipped(file=where, index=None, reason=note)]
        leaves, broken = walk_mst(blocks, commit["data"])
        return leaves, [Skipped(file=where, index=f"mst:{cid_text(c)}", reason="expected a record-tree node "
                                "that is missing or malformed: the records under it could not be read")
                        for c in broken]

    @staticmethod
    def _block(blocks: dict[bytes, Block], cid: bytes) -> Block:
        if cid not in blocks:
            raise SkipRecord(f"expected the record block {cid_text(cid)}; it is not in the file")
        return blocks[cid]


COLLECTOR = BlueskyCarCollector()
