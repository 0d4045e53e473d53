"""Exports as files, folders and zips (audit/sources.py), and the zip safety rules.

A zip comes from outside: member names that climb out of it or are absolute, members that expand
past the size limit (whatever their header claims) and damaged data must all end as one-line
InputErrors naming the archive and the member, never as a traceback or a file written anywhere.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from audit.errors import InputError, UnsafeArchiveError
from audit.sources import exports as sources
from audit.sources.exports import expand_source, open_export


def make_zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return path


def raised(exc: pytest.ExceptionInfo[InputError]) -> str:
    """The message as the CLI prints it: one line."""
    message = str(exc.value)
    assert "\n" not in message
    return message


# --- a file, a folder, a zip -------------------------------------------------------------------


def test_a_single_file_is_an_export_of_one_member_named_by_its_path(tmp_path):
    path = tmp_path / "tweets.js"
    path.write_bytes(b"window.YTD.tweets.part0 = []")
    export = open_export(path)
    assert export.members() == ["tweets.js"]
    assert export.where("tweets.js") == str(path)
    assert export.read_bytes("tweets.js") == b"window.YTD.tweets.part0 = []"
    assert export.head("tweets.js", 6) == b"window"
    assert export.size("tweets.js") == 28


def test_a_folder_lists_its_files_recursively_sorted_without_os_clutter(tmp_path):
    for name in ("data/tweets.js", "data/account.js", "README.txt", ".DS_Store", "data/Thumbs.db",
                 "data/._tweets.js", "__MACOSX/data/tweets.js"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    export = open_export(tmp_path)
    assert export.members() == ["README.txt", "data/account.js", "data/tweets.js"]
    assert export.where("data/tweets.js") == f"{tmp_path}/data/tweets.js"
    assert export.read_bytes("data/tweets.js") == b"x"


def test_a_zip_lists_members_without_folders_or_clutter_and_names_them_with_a_bang(tmp_path):
    path = make_zip(tmp_path / "archive.zip", {
        "data/": b"", "data/tweets.js": b"[1]", "data/account.js": b"{}",
        "__MACOSX/data/._tweets.js": b"junk", "data/.DS_Store": b"junk",
    })
    export = open_export(path)
    try:
        assert export.members() == ["data/account.js", "data/tweets.js"]
        assert export.where("data/tweets.js") == f"{path}!data/tweets.js"
        assert export.read_bytes("data/tweets.js") == b"[1]"
        assert export.head("data/tweets.js", 2) == b"[1"
        assert export.size("data/tweets.js") == 3
    finally:
        export.close()


def test_a_missing_path_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(InputError) as exc:
        open_export(tmp_path / "nope.zip")
    assert raised(exc) == f"{tmp_path / 'nope.zip'}: no such file or folder"


def test_a_file_that_vanishes_after_opening_is_an_input_error(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "result.json").write_text("{}")
    export = open_export(folder)
    (folder / "result.json").unlink()
    with pytest.raises(InputError, match=r"result\.json: cannot be read"):
        export.read_bytes("result.json")
    with pytest.raises(InputError, match=r"result\.json: expected a readable file"):
        export.head("result.json")


def test_an_export_closes_its_zip_when_its_block_ends(tmp_path):
    paths = [make_zip(tmp_path / f"{i}.zip", {"a.json": b"{}"}) for i in range(2)]
    seen = []
    for path in paths:
        with open_export(path) as export:
            seen.append(export)
            assert export._zip is not None and export._zip.fp is not None
    assert [e._zip.fp for e in seen if e._zip is not None] == [None, None]


# --- zip safety ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../evil.txt", "data/../../evil.txt", "/etc/evil.txt", "..\\evil.txt",
                                  "\\evil.txt", "C:evil.txt", "C:/evil.txt"])
def test_a_member_name_that_escapes_the_archive_refuses_the_whole_zip(tmp_path, name):
    path = make_zip(tmp_path / "evil.zip", {"data/tweets.js": b"[]", name: b"pwned"})
    with pytest.raises(UnsafeArchiveError) as exc:
        open_export(path)
    assert raised(exc) == (f"{path}:{name!r}: expected member names inside the archive, "
                           "found one that escapes it")
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_a_member_over_the_size_limit_is_refused_when_the_zip_is_opened(tmp_path, monkeypatch):
    path = make_zip(tmp_path / "big.zip", {"a.json": b"x" * 5000}, zipfile.ZIP_STORED)
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 4096)
    with pytest.raises(UnsafeArchiveError) as exc:
        open_export(path)
    assert raised(exc) == (f"{path}:'a.json': member expands to 5000 bytes from 5000; refusing a zip bomb")


def test_a_member_with_too_high_a_ratio_is_refused_when_the_zip_is_opened(tmp_path, monkeypatch):
    path = make_zip(tmp_path / "ratio.zip", {"a.json": b"0" * 3_000_000})
    info = zipfile.ZipFile(path).getinfo("a.json")
    assert info.file_size / info.compress_size > 200
    with pytest.raises(UnsafeArchiveError, match=r"ratio\.zip:'a\.json': member expands to 3000000 bytes"):
        open_export(path)
    monkeypatch.setattr(sources, "MAX_RATIO", 10_000)
    export = open_export(path)
    assert len(export.read_bytes("a.json")) == 3_000_000
    export.close()


def test_a_real_50_mb_member_of_zeros_is_refused_without_being_expanded(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("tweets.js", "w") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(50):
            f.write(chunk)
    assert path.stat().st_size < 200_000
    with pytest.raises(UnsafeArchiveError) as exc:
        open_export(path)
    assert raised(exc).startswith(f"{path}:'tweets.js': member expands to 52428800 bytes from ")


def test_the_size_limit_is_also_counted_while_reading_not_only_trusted_from_the_header(tmp_path, monkeypatch):
    path = make_zip(tmp_path / "grow.zip", {"a.json": b"y" * 3_000_000}, zipfile.ZIP_STORED)
    export = open_export(path)
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 1_500_000)
    with pytest.raises(UnsafeArchiveError) as exc:
        export.read_bytes("a.json")
    assert raised(exc) == f"{path}!a.json: member expands past 1500000 bytes; refusing a zip bomb"
    export.close()


def test_damaged_member_data_is_an_input_error_not_a_zlib_traceback(tmp_path):
    text = b'{"messages": [' + b",".join(b'{"id": %d, "text": "hello %d"}' % (i, i) for i in range(400)) + b"]}"
    path = make_zip(tmp_path / "damaged.zip", {"result.json": text})
    data = bytearray(path.read_bytes())
    start = 30 + len("result.json") + 100
    data[start:start + 40] = bytes(b ^ 0x55 for b in data[start:start + 40])
    path.write_bytes(bytes(data))
    export = open_export(path)
    with pytest.raises(InputError, match=r"damaged\.zip!result\.json: expected a readable file \("):
        export.head("result.json")
    with pytest.raises(InputError, match=r"damaged\.zip!result\.json: expected an intact zip member \("):
        export.read_bytes("result.json")
    export.close()


def test_a_truncated_zip_is_named_as_such(tmp_path):
    whole = make_zip(tmp_path / "whole.zip", {"data/tweets.js": b"[]" * 1000})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:-30])
    with pytest.raises(InputError) as exc:
        open_export(cut)
    assert raised(exc) == f"{cut}: expected a zip archive, found a damaged or truncated one (no zip directory)"


# --- accounts-file sources -------------------------------------------------------------------------


def test_a_relative_source_resolves_against_the_accounts_folder_without_dot_dots(tmp_path):
    base = tmp_path / "accounts"
    assert expand_source("../exports/mofa-en/", base) == [tmp_path / "exports" / "mofa-en"]
    assert expand_source(str(tmp_path / "x.zip"), base) == [tmp_path / "x.zip"]


def test_a_glob_source_expands_sorted_and_a_glob_matching_nothing_is_an_error(tmp_path):
    for name in ("b.json", "a.json", "c.txt"):
        (tmp_path / name).write_text("{}")
    assert expand_source("*.json", tmp_path) == [tmp_path / "a.json", tmp_path / "b.json"]
    with pytest.raises(InputError) as exc:
        expand_source("exports/*.zip", tmp_path)
    assert raised(exc) == f"{tmp_path}/exports/*.zip: the pattern matches no file"
