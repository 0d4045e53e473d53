"""One `window.YTD.<name>.partN = [...]` file of an X archive into typed columns.

The fast path hands the array to Arrow's JSON reader after blanking the separators between records;
anything it cannot take goes through the general path, which conforms each record to the shape and
skips (with the reason) the records that cannot be read.
"""


from __future__ import annotations

import io
import mmap
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.json as pa_json

from audit.errors import InputError
from audit.sources.exports import Export
from audit.sources.jsondata import parse_json
from audit.sources.skips import Skipped

YTD = re.compile(r"^window\.YTD\.(\w+)\.part(\d+)\s*=")
Data = bytes | mmap.mmap
"""A member's bytes, read or mapped (`_member_data`)."""


BLOCK_BYTES = 4 << 20


"""Arrow's JSON block size: fastest on 450 MB parts (1 MB and 64 MB blocks measured 30-50% slower)."""
MAP_BYTES = 64 << 20
"""Members at least this large are mapped (`_member_data`); smaller ones are read, which is cheaper."""
SPAN_BYTES = 48 << 20
"""Bytes blanked at a time for Arrow's reader (`Blanked`)."""
WHITESPACE = re.compile(rb"[ \t\r\n]*")


@dataclass(frozen=True)
class Shape:
    """The records of a YTD file: their fields, and the key each is wrapped in ({"tweet": {...}})."""

    record: pl.Struct
    wrapper: str | None

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({self.wrapper: self.record} if self.wrapper else self.record.to_schema())


def read_ytd(export: Export, member: str, shape: Shape) -> tuple[pl.DataFrame, list[Skipped]]:
    """One YTD member as flat columns plus `idx` (the record's index in the file's array)."""
    records = parse_records(export, member, shape)
    return records_frame([records]).drop("file"), records.skipped


@dataclass
class Records:
    """A YTD file's records as parsed, before they are made columns (with other files' records, in one query)."""

    frame: pl.DataFrame
    wrapper: str | None
    """The column each record is wrapped in ({"tweet": {...}}), None when the frame's columns are its fields."""
    indexes: list[int] | None
    """Each row's index in the file's array when records were skipped (None: row n is record n)."""
    skipped: list[Skipped]

    @property
    def idx(self) -> np.ndarray:
        return np.arange(self.frame.height) if self.indexes is None else np.array(self.indexes, dtype=np.int64)


def parse_records(export: Export, member: str, shape: Shape) -> Records:
    """One YTD member's records (Arrow's reader, else the general parser), not yet made columns."""
    frame, indexes, skipped = _parse_member(export, member, shape)
    wrapper = shape.wrapper if shape.wrapper and shape.wrapper in frame.columns else None
    return Records(frame, wrapper, indexes, skipped)


def records_frame(files: Sequence[Records], columns: Sequence[pl.Expr] = (), first: int = 0) -> pl.DataFrame:
    """Records of many files as flat columns plus `idx` (the record's index in its file) and `file` (`first`
    plus the file's position in `files`), or as `columns` of those plus `file`.

    One query per run of files of the same layout, not one per file: each query costs a fixed 0.2-2 ms of
    CPU, so 200 archives' small files cost about what one large file does (issue 13).
    """
    pieces, start = [], 0
    for run in _runs(files):
        frame = pl.concat([r.frame for r in run]) if len(run) > 1 else run[0].frame
        flat = frame.lazy().unnest(run[0].wrapper) if run[0].wrapper else frame.lazy()
        numbers = np.repeat(np.arange(first + start, first + start + len(run)), [r.frame.height for r in run])
        flat = flat.with_columns(pl.lit(pl.Series("idx", np.concatenate([r.idx for r in run]), dtype=pl.Int64)),
                                 pl.lit(pl.Series("file", numbers, dtype=pl.UInt32)))
        pieces.append(flat.select(*columns, "file") if columns else flat)
        start += len(run)
    return (pl.concat(pieces) if len(pieces) > 1 else pieces[0]).collect()


def _runs(files: Sequence[Records]) -> list[list[Records]]:
    """Consecutive files whose frames have the same columns and types."""
    runs: list[list[Records]] = []
    for records in files:
        if runs and runs[-1][0].frame.schema == records.frame.schema and runs[-1][0].wrapper == records.wrapper:
            runs[-1].append(records)
        else:
            runs.append([records])
    return runs


def _parse_member(export: Export, member: str,
                  shape: Shape) -> tuple[pl.DataFrame, list[int] | None, list[Skipped]]:
    """Arrow's reader (separators blanked as it reads, block by block), else the general parser."""
    where = export.where(member)
    with _member_data(export, member) as data:
        start, end = body_bounds(data, where)
        _check_array(data, start, end, where)
        table = _read_arrow(data, start, end, shape.schema)
        if table is None:
            return _parse_general(data, start, end, shape, where)
    frame = _as_frame(table)
    del table  # polars has the columns: Arrow's copy goes before the caller builds its own
    if frame is not None:
        return frame, None, []
    return _parse_general(export.read_bytes(member), start, end, shape, where)


@contextmanager
def _member_data(export: Export, member: str) -> Iterator[Data]:
    """The member's bytes: a file on disk is mapped, not read, so that `Blanked` can hand each span it has
    passed back to the system (a 378 MB part read into memory was most of the reading's peak; issue 13)."""
    path = export.file_path(member)
    try:
        with (path.open("rb") if path and path.stat().st_size >= MAP_BYTES else nullcontext()) as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if file else None
    except OSError:
        mapped = None  # read_bytes says what is wrong with the file
    if mapped is None:
        yield export.read_bytes(member)
        return
    with mapped:
        yield mapped


def body_bounds(data: Data, where: str) -> tuple[int, int]:
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


def _check_array(data: Data, start: int, end: int, where: str) -> None:
    """The body must be a JSON array: an object (or anything else) is the wrong file, not bad records."""
    if start < end and data[start] == ord("["):
        return
    found = "nothing" if start >= end else _json_kind(data[start:start + 1])
    line = data[:start].count(b"\n") + 1
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
    unambiguous. The result is the same length, so positions stay valid. The whole part at once, for
    tests: the reader blanks block by block (`Blanked`).
    """
    return data[:start + 1] + bytes(Blanked(data, start + 1, len(data), len(data)).read())


class Blanked:
    """A file Arrow reads the array's elements from: ``data[start:end]`` with the separators blanked,
    ``SPAN_BYTES`` at a time, so a part's bytes are held once (a whole-part copy was the reading's memory
    peak: a 378 MB part held twice; issue 13). Reads are views of the current span, which never ends inside
    a separator. Spans are larger than the C allocator's mmap threshold (32 MB at most), so their memory
    goes back to the system when freed (4 MB spans stayed in the heap: 120 MB more RSS after reading)."""

    closed = False

    def __init__(self, data: Data, start: int, end: int, span: int = 0) -> None:
        self._data, self._end, self._span = data, end, span or SPAN_BYTES
        self._separator = _separator(data, start)
        self._block, self._block_start, self._pos = memoryview(b""), start, start
        self._released = 0

    def read(self, size: int = -1) -> memoryview:
        if self._pos >= self._block_start + len(self._block):
            self._next_span(max(size, self._span))
        offset = self._pos - self._block_start
        view = self._block[offset:] if size < 0 else self._block[offset:offset + size]
        self._pos += len(view)
        return view

    def _next_span(self, size: int) -> None:
        stop = self._span_end(min(self._end, self._pos + size))
        self._block = memoryview(b"")  # the span before goes first: two are never held
        span = self._data[self._pos:stop]
        self._release(self._pos - self._pos % mmap.PAGESIZE)
        separator = self._separator
        self._block = memoryview(span.replace(separator, separator.replace(b",", b" ")) if separator else span)
        self._block_start = self._pos

    def _release(self, stop: int) -> None:
        """A mapped part's pages before `stop` go back to the system: they are not read again."""
        if isinstance(self._data, mmap.mmap) and stop > self._released and hasattr(mmap, "MADV_DONTNEED"):
            self._data.madvise(mmap.MADV_DONTNEED, self._released, stop - self._released)
            self._released = stop

    def _span_end(self, stop: int) -> int:
        """``stop``, or the start of a separator that would straddle it (two cannot fit in the window)."""
        separator = self._separator
        if not separator or stop >= self._end:
            return stop
        width = len(separator)
        found = self._data.find(separator, stop - width + 1, stop + width - 1)
        if found < 0 or found >= stop:
            return stop
        return found if found > self._pos else found + width


def _parse_fast(data: Data, start: int, end: int, schema: pl.Schema) -> pl.DataFrame | None:
    """Parse a pretty-printed archive array with Arrow's JSON reader; None when that cannot work."""
    table = _read_arrow(data, start, end, schema)
    return None if table is None else _as_frame(table)


def _as_frame(table: pa.Table | pl.DataFrame) -> pl.DataFrame | None:
    """Arrow's table as polars columns (None if it is not a table)."""
    if isinstance(table, pl.DataFrame):
        return table
    frame = pl.from_arrow(table)
    return frame if isinstance(frame, pl.DataFrame) else None


def _read_arrow(data: Data, start: int, end: int, schema: pl.Schema) -> pa.Table | pl.DataFrame | None:
    """Arrow's table of a pretty-printed archive array (an empty frame for an empty one); None when that
    cannot work.

    Arrow reads whitespace-separated objects (newlines inside them allowed): it reads `data` through
    `Blanked`, which blanks the commas between the elements. Anything else (compact JSON, other layouts, numbers
    where strings belong, malformed records) makes Arrow fail, and the caller falls back to the
    general parser: a wrong guess costs time, never data. Measured on a 450 MB part: about 3 s and
    0.2 GB beyond the bytes, where polars' read_json took 6 s and 2.7 GB. Arrow's table is allocated by the C
    allocator, whose large blocks go back to the system when freed: Arrow's default pool (mimalloc) kept
    about 30 MB more per 200,000 posts after reading, for the same CPU (issue 13, peak memory).
    """
    inner_start, inner_end = start + 1, end - 1
    if data[inner_end] != ord("]"):
        return None
    first = WHITESPACE.match(data, inner_start).end()  # type: ignore[union-attr]
    if first == inner_end:
        return pl.DataFrame(schema=schema)
    if data[first] != ord("{"):  # Arrow's reader crashes the process (SIGSEGV) on a leading null
        return None
    arrow_schema = pa.schema([(name, _arrow_type(dtype)) for name, dtype in schema.items()])
    options = pa_json.ParseOptions(explicit_schema=arrow_schema, unexpected_field_behavior="ignore",
                                   newlines_in_values=True)
    try:
        source = pa.PythonFile(Blanked(data, inner_start, inner_end), mode="r")
        table = pa_json.read_json(source, parse_options=options, memory_pool=pa.system_memory_pool(),
                                  read_options=pa_json.ReadOptions(block_size=BLOCK_BYTES))
        table.validate(full=True)  # Arrow's JSON reader lets invalid UTF-8 through; polars would fail later
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return table


def _separator(data: Data, inner_start: int) -> bytes | None:
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


def _parse_general(data: Data, start: int, end: int, shape: Shape,
                   where: str) -> tuple[pl.DataFrame, list[int] | None, list[Skipped]]:
    """Any valid JSON array: polars' reader, then (for malformed records or a syntax error) Python's."""
    try:
        data[start:end].decode("utf-8")  # polars' reader panics on invalid UTF-8: leave that to json.loads
        return pl.read_json(io.BytesIO(data[start:end]), schema=shape.schema), None, []
    except (UnicodeDecodeError, pl.exceptions.PolarsError):
        pass
    return _conform_records(load_with_position(data, end, where), shape, where)


def load_with_position(data: Data, end: int, where: str) -> Any:
    """json.loads on the body with the envelope blanked out, so errors carry the file's line:column."""
    text = data[:end].decode("utf-8-sig", errors="replace")
    eq = text.find("=")
    return parse_json(" " * (eq + 1) + text[eq + 1:], where, "complete JSON")


def small_records(export: Export, member: str, shape: Shape) -> list[dict[str, Any]]:
    """A small member's records (account.js holds one) as dicts of the shape's fields, by Python's parser:
    Arrow's and polars' set-up cost more than such a file's parse. Records that are not objects are left out."""
    where = export.where(member)
    data = export.read_bytes(member)
    start, end = body_bounds(data, where)
    _check_array(data, start, end, where)
    values = [record.get(shape.wrapper) if shape.wrapper and isinstance(record, dict) else record
              for record in load_with_position(data, end, where)]
    return [_conform(value, shape.record) for value in values if isinstance(value, dict)]


def _conform_records(records: list[Any], shape: Shape,
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
