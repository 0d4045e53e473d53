"""An X archive part is read with its separators blanked block by block, never as a second whole copy
(issue 13): whatever the span blanked at a time and the block size Arrow asks for, the bytes it gets are
those of the whole-part blanking."""

from __future__ import annotations

import json
import mmap

from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from audit.collectors.base import ReadContext
from audit.collectors.x import ytd
from audit.collectors.x.ytd import Blanked
from audit.posts.collect import read_export
from tests.collectors.test_x_archive import MULTIPART_SRC, MULTIPART_ZIP, SAMPLE

RECORDS = st.lists(st.fixed_dictionaries({"tweet": st.fixed_dictionaries({
    "id_str": st.from_regex(r"[0-9]{1,19}", fullmatch=True),
    "full_text": st.text(max_size=30),
})}), min_size=1, max_size=12)


def part(records: list[dict[str, object]], indent: int, newline: str) -> bytes:
    body = json.dumps(records, indent=indent, ensure_ascii=False).replace("\n", newline)
    return f"window.YTD.tweets.part0 = {body}".encode()


def read_in_blocks(data: ytd.Data, start: int, size: int, span: int = 0) -> bytes:
    stream, blocks = Blanked(data, start, len(data), span), []
    while block := stream.read(size):
        blocks.append(block)
    return b"".join(blocks)


@settings(max_examples=80, deadline=None)
@given(RECORDS, st.sampled_from([1, 2, 4]), st.sampled_from(["\n", "\r\n"]), st.integers(1, 40),
       st.integers(1, 60))
def test_blocks_of_any_size_give_the_whole_part_blanked(records, indent, newline, size, span):
    data = part(records, indent, newline)
    start = data.index(b"[") + 1
    indent_bytes = b" " * indent
    separator = newline.encode() + indent_bytes + b"}," + newline.encode() + indent_bytes + b"{"
    whole = data[start:].replace(separator, separator.replace(b",", b" "))
    assert read_in_blocks(data, start, size, span) == whole
    assert read_in_blocks(data, start, size) == whole
    assert read_in_blocks(data, start, -1) == whole
    assert separator not in whole and (separator in data) == (len(records) > 1)


@settings(max_examples=20, deadline=None)
@given(RECORDS, st.integers(1, 40), st.integers(1, 60))
def test_a_mapped_part_gives_the_same_blocks_as_its_bytes(tmp_path_factory, records, size, span):
    """Large parts are mapped, and the pages already read are handed back as the reader goes on."""
    path = tmp_path_factory.mktemp("part") / "tweets.js"
    path.write_bytes(part(records, 2, "\n") + b" " * mmap.PAGESIZE * 3)
    data = path.read_bytes()
    start = data.index(b"[") + 1
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert read_in_blocks(mapped, start, size, span) == read_in_blocks(data, start, size, span)


def test_x_archives_read_mapped_give_the_posts_read_whole(samples, monkeypatch):
    paths = [samples / SAMPLE, MULTIPART_SRC, MULTIPART_ZIP]
    read = [read_export(path, ReadContext(account_id="x"))[1] for path in paths]
    monkeypatch.setattr(ytd, "MAP_BYTES", 1)
    monkeypatch.setattr(ytd, "SPAN_BYTES", 4096)
    for path, batch in zip(paths, read, strict=True):
        mapped = read_export(path, ReadContext(account_id="x"))[1]
        assert_frame_equal(mapped.posts, batch.posts)
        assert mapped.skipped == batch.skipped
