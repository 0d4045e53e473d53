"""Every collector, fed damaged copies of its own fixtures: a one-line error, or posts plus counted skips.

Parametrised over the collector registry, so a new collector is fuzzed from its first fixture
(`fixtures/<format>/<name>` with a golden `<name>.expected.json`) and cannot land without one.

* A raw mutation (truncation, empty or whitespace-only file, BOM, invalid UTF-8, lone surrogate,
  huge number, deep nesting, flipped or deleted bytes) of one member: reading it either raises an
  AuditError whose message is one line naming the file, or returns posts and skips. Anything else
  (a traceback) fails the test.
* A record mutation (one value of one JSON record swapped for another type or a hostile value;
  one CSV cell replaced): the same, and when it reads, no post is lost without a skip: fewer posts
  than the untouched fixture gives means more skips too (a damaged chat or page may be one skip), or
  the damaged file listed as not read.

Run more examples with `make fuzz` (HYPOTHESIS_PROFILE=long); CI runs the "ci" profile.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from audit.collectors.base import Batch
from audit.collectors.registry import COLLECTORS
from audit.errors import AuditError, InputError
from audit.posts.collect import FileReport, read_export
from tests.fuzz.mutations import csv_record_mutation, json_record_mutation, raw_mutation, split_json
from tests.fuzz.profiles import FUZZ
from tests.golden import FIXTURES, context_from, fixture_of


def fixtures_of(fmt: str) -> list[Path]:
    return sorted(fixture_of(g) for g in (FIXTURES / fmt).glob("*.expected.json"))


def spec_of(fixture: Path) -> dict[str, object]:
    golden = fixture.parent / f"{fixture.name}.expected.json"
    return json.loads(golden.read_text(encoding="utf-8")).get("context", {})


@functools.cache
def baseline(fixture: Path) -> tuple[int, int, tuple[str, ...]]:
    """(posts, skips, members read) of the untouched fixture."""
    report, batch = read_export(fixture, context_from(spec_of(fixture)), fmt=fixture.parent.name)
    return batch.posts.height, len(batch.skipped), tuple(report.members)


def test_every_collector_has_a_fixture_to_fuzz():
    assert all(fixtures_of(fmt) for fmt in COLLECTORS), [fmt for fmt in COLLECTORS if not fixtures_of(fmt)]


class Workspace:
    """A fixture copied to a temporary folder, one member replaced, re-zipped when it was a zip."""

    def __init__(self, fixture: Path) -> None:
        self.fixture = fixture
        self.root = Path(tempfile.mkdtemp(prefix="audit-fuzz-"))
        self.path = self.root / fixture.name
        self.zipped = fixture.suffix == ".zip"
        if fixture.is_dir():
            shutil.copytree(fixture, self.path)
        elif self.zipped:
            with zipfile.ZipFile(fixture) as archive:
                archive.extractall(self.root / "unzipped")
        else:
            shutil.copy(fixture, self.path)

    def member_file(self, member: str) -> Path:
        if self.zipped:
            return self.root / "unzipped" / member
        return self.path / member if self.path.is_dir() else self.path

    def write(self, member: str, body: bytes) -> None:
        self.member_file(member).write_bytes(body)
        if self.zipped:
            with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted((self.root / "unzipped").rglob("*")):
                    if file.is_file():
                        archive.write(file, file.relative_to(self.root / "unzipped").as_posix())

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def read_mutated(space: Workspace, fmt: str | None) -> tuple[FileReport, Batch] | AuditError:
    """The report and batch, or the AuditError, of reading the damaged copy; any other exception propagates."""
    try:
        return read_export(space.path, context_from(spec_of(space.fixture)), fmt=fmt)
    except AuditError as e:
        return e


def assert_one_line_naming_the_file(error: AuditError, space: Workspace) -> None:
    message = str(error)
    if isinstance(error, InputError):
        assert "\n" not in message, message
    assert all(str(space.root) in line or "--format" in line for line in message.splitlines()), message


def assert_counted(batch: Batch) -> None:
    assert all(s.reason for s in batch.skipped)
    assert batch.posts.height + len(batch.skipped) > 0


@pytest.mark.parametrize("fmt", list(COLLECTORS))
@FUZZ
@given(data=st.data())
def test_damaged_member_is_an_error_or_counted(fmt, data):
    fixture = data.draw(st.sampled_from(fixtures_of(fmt)), label="fixture")
    members = baseline(fixture)[2]
    member = data.draw(st.sampled_from(members), label="member")
    detect = data.draw(st.booleans(), label="detect the format")
    space = Workspace(fixture)
    try:
        what, body = raw_mutation(data, space.member_file(member).read_bytes())
        note(f"{member}: {what}")
        space.write(member, body)
        outcome = read_mutated(space, None if detect else fmt)
        if isinstance(outcome, AuditError):
            assert_one_line_naming_the_file(outcome, space)
        else:
            assert_counted(outcome[1])
    finally:
        space.close()


@pytest.mark.parametrize("fmt", list(COLLECTORS))
@FUZZ
@given(data=st.data())
def test_one_damaged_record_loses_no_post_without_a_skip(fmt, data):
    fixture = data.draw(st.sampled_from(fixtures_of(fmt)), label="fixture")
    posts, skips, members = baseline(fixture)
    member = data.draw(st.sampled_from(members), label="member")
    space = Workspace(fixture)
    try:
        body = space.member_file(member).read_bytes()
        mutated = record_mutation(data, member, body)
        if mutated is None:
            return
        what, body = mutated
        note(f"{member}: {what}")
        space.write(member, body)
        outcome = read_mutated(space, fmt)
        if isinstance(outcome, AuditError):
            assert_one_line_naming_the_file(outcome, space)
            return
        report, batch = outcome
        assert_counted(batch)
        listed = [entry["member"] for entry in report.not_read]
        if any(entry.endswith(member) for entry in listed):
            return  # the damaged file is named as not read, with why: nothing silent
        lost = batch.posts.height < posts
        assert not lost or len(batch.skipped) > skips, (
            f"{posts} posts + {skips} skips became {batch.posts.height} + {len(batch.skipped)}; not read: {listed}")
    finally:
        space.close()


def record_mutation(data: st.DataObject, member: str, body: bytes) -> tuple[str, bytes] | None:
    if member.endswith((".csv", ".tsv")):
        return csv_record_mutation(data, body, "\t" if member.endswith(".tsv") else ",")
    split = split_json(body)
    if split is None:
        return None
    return json_record_mutation(data, *split)
