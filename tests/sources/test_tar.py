"""Mastodon archives arrive as .tar.gz: read like a folder, with the same guards as zips."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from audit.collectors.base import ReadContext
from audit.errors import UnsafeArchiveError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

ARCHIVE = Path(__file__).resolve().parents[2] / "fixtures" / "mastodon_archive" / "archive"


def _tar(path: Path, members: dict[str, bytes], mode: str = "w:gz") -> Path:
    with tarfile.open(path, mode) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_tar_gz_archive_reads_like_its_folder(tmp_path):
    target = tmp_path / "archive-20250101.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        for file in sorted(ARCHIVE.rglob("*")):
            tar.add(file, arcname=file.relative_to(ARCHIVE).as_posix(), recursive=False)
    ctx = ReadContext(account_id="a")
    from_tar = read_export(target, ctx)[1].posts.drop("source")
    from_folder = read_export(ARCHIVE, ctx)[1].posts.drop("source")
    assert from_tar.equals(from_folder)
    assert read_export(target, ctx)[0].format == "mastodon_archive"


def test_escaping_member_names_are_refused(tmp_path):
    path = _tar(tmp_path / "evil.tar.gz", {"../evil.txt": b"x"})
    with pytest.raises(UnsafeArchiveError, match="escapes it"):
        open_export(path)


def test_a_member_that_expands_too_far_is_refused(tmp_path):
    path = _tar(tmp_path / "bomb.tar.gz", {"outbox.json": b"\0" * 50_000_000})
    with pytest.raises(UnsafeArchiveError, match="refusing an archive bomb"):
        open_export(path)


def test_links_are_not_members(tmp_path):
    path = tmp_path / "links.tar"
    with tarfile.open(path, "w") as tar:
        link = tarfile.TarInfo("outbox.json")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
        data = b"{}"
        info = tarfile.TarInfo("actor.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    export = open_export(path)
    assert export.members() == ["actor.json"]
    assert export.where("actor.json") == f"{path}!actor.json"
    export.close()
