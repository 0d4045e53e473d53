"""Nothing silent: every entry of a folder, glob or archive is read or listed with the reason it was not.

Each case starts from a real fixture export, adds what people's folders really hold (an empty file,
a note, a damaged page, a link out of the folder, a page of another format) and checks that each
one is named in `not_read` with its reason, while the readable pages are still read.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from audit.accounts import Account
from audit.api import summarise
from audit.collectors.base import ReadContext
from audit.errors import InputError, UnknownFormatError
from audit.posts.collect import collect_account, read_export

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PAGED = {  # format -> (fixture folder of a multi-page export, a page to damage)
    "mastodon_api": (FIXTURES / "mastodon_api" / "pages", "statuses_page2_max_id.json"),
    "bluesky_feed": (FIXTURES / "bluesky_feed" / "embassy_pages", "page2.json"),
    "youtube_api": (FIXTURES / "youtube_api" / "channel_dump", "playlistItems_uploads_page1.json"),
}


def _reasons(path: Path) -> dict[str, str]:
    summary = summarise(path)
    return {Path(e["member"]).name: e["reason"] for e in summary["not_read"]}


def _copy(name: str, tmp_path: Path) -> Path:
    source, _ = PAGED[name]
    return Path(shutil.copytree(source, tmp_path / name))


@pytest.mark.parametrize("fmt", PAGED)
def test_a_damaged_page_is_listed_with_its_byte_and_counted_while_the_other_pages_are_read(fmt, tmp_path):
    folder = _copy(fmt, tmp_path)
    whole = summarise(folder)["posts"]
    page = folder / PAGED[fmt][1]
    raw = page.read_bytes()
    page.write_bytes(raw[: len(raw) // 2])
    summary = summarise(folder)
    assert summary["format"] == fmt and 0 < summary["posts"] < whole
    reason = _reasons(folder)[page.name]
    assert reason.startswith("damaged at byte ") and reason.endswith("(page not read)")
    assert [s["reason"] for s in summary["skipped"] if s["file"].endswith(page.name)] == [reason]


@pytest.mark.parametrize("fmt", PAGED)
def test_a_page_damaged_from_its_first_byte_is_listed_not_dropped(fmt, tmp_path):
    folder = _copy(fmt, tmp_path)
    (folder / PAGED[fmt][1]).write_bytes(b"\x00\x00garbage")
    assert _reasons(folder)[PAGED[fmt][1]].startswith("damaged at byte 0")


@pytest.mark.parametrize("fmt", PAGED)
def test_empty_unknown_media_and_other_format_files_are_each_listed_with_why(fmt, tmp_path):
    folder = _copy(fmt, tmp_path)
    (folder / "empty.json").write_bytes(b"")
    (folder / "notes.txt").write_text("call the embassy on Friday", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / "account.json").write_text(json.dumps({"id": "123", "username": "mofa"}), encoding="utf-8")
    shutil.copy(FIXTURES / "generic_csv" / "posts.csv", folder / "posts.csv")
    reasons = _reasons(folder)
    assert reasons["empty.json"] == "empty file"
    assert reasons["notes.txt"].startswith("holds no posts in a format this tool reads")
    assert reasons["account.json"].startswith("holds no posts in a format this tool reads")
    assert reasons["photo.jpg"] == "media file, not posts"
    assert reasons["posts.csv"].startswith("in another format (generic_csv)")


def test_media_files_are_listed_once_per_folder_with_their_count(tmp_path):
    folder = _copy("bluesky_feed", tmp_path)
    (folder / "media").mkdir()
    for name in ("a.jpg", "b.PNG", "c.mp4"):
        (folder / "media" / name).write_bytes(b"\x00\x01")
    (folder / "cover.jpg").write_bytes(b"\x00\x01")
    report, _ = read_export(folder, ReadContext(account_id="a"))
    assert report.not_read == [
        {"member": f"{folder}/cover.jpg", "reason": "media file, not posts"},
        {"member": f"{folder}/media/*", "reason": "3 media files, not posts"},
    ]


def test_a_symlink_out_of_a_folder_export_is_listed_and_never_followed(tmp_path):
    folder = _copy("mastodon_api", tmp_path)
    secret = tmp_path / "secret.json"
    shutil.copy(folder / "statuses_page1.json", secret)
    os.symlink(secret, folder / "statuses_page9.json")
    os.symlink(tmp_path / "missing.json", folder / "broken.json")
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(secret, tmp_path / "elsewhere" / "statuses_page8.json")
    os.symlink(tmp_path / "elsewhere", folder / "more")
    report, batch = read_export(folder, ReadContext(account_id="a"))
    reasons = {Path(e["member"]).name: e["reason"] for e in report.not_read}
    assert reasons["statuses_page9.json"] == "symbolic link pointing outside the export folder (not followed)"
    assert reasons["broken.json"].startswith("symbolic link pointing outside")
    assert reasons["more"] == "symbolic link pointing outside the export folder (not followed)"
    assert "statuses_page9.json" not in report.members and "more/statuses_page8.json" not in report.members


def test_a_symlink_inside_a_folder_export_is_read_like_its_target(tmp_path):
    folder = _copy("mastodon_api", tmp_path)
    (folder / "pages").mkdir()
    shutil.move(folder / "statuses_page1.json", folder / "pages" / "statuses_page1.json")
    os.symlink(folder / "pages" / "statuses_page1.json", folder / "statuses_page1.json")
    report, _ = read_export(folder, ReadContext(account_id="a"))
    assert "statuses_page1.json" in report.members and not [e for e in report.not_read if "link" in e["reason"]]


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def _tar(path: Path, members: list[tuple[str, bytes]], links: dict[str, str] | None = None) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return path


OUTBOX = (FIXTURES / "mastodon_archive" / "archive" / "outbox.json").read_bytes()


@pytest.mark.parametrize("make", [_zip, _tar], ids=["zip", "tar"])
def test_a_member_name_that_occurs_twice_is_an_error_naming_it(make, tmp_path):
    archive = make(tmp_path / "archive", [("outbox.json", OUTBOX), ("outbox.json", OUTBOX.replace(b"e", b"E"))])
    with pytest.raises(InputError, match=r"'outbox\.json': expected each member name once, found it twice"):
        read_export(archive, ReadContext(account_id="a"))


def test_links_inside_a_tar_are_listed_not_followed(tmp_path):
    archive = _tar(tmp_path / "archive.tar", [("outbox.json", OUTBOX)], {"actor.json": "/etc/passwd"})
    report, _ = read_export(archive, ReadContext(account_id="a"))
    assert report.not_read == [{"member": f"{archive}!actor.json",
                                "reason": "symbolic link in a tar archive (not followed)"}]


def _account(tmp_path: Path, source: str) -> Account:
    return Account(id="emb", name="Embassy", role="embassy", platform="mastodon", source=source, base=tmp_path)


def test_a_file_of_a_glob_no_format_reads_is_listed_and_the_others_are_read(tmp_path):
    folder = _copy("mastodon_api", tmp_path)
    for headers in folder.glob("*.http.json"):
        headers.unlink()
    (folder / "statuses_page3.json").write_text(json.dumps({"note": "not a page"}), encoding="utf-8")
    result = collect_account(_account(tmp_path, "mastodon_api/statuses_page[0-9]*.json"))
    assert result.posts.height > 0
    unread = [f for f in result.files if f.format == "unread"]
    assert [(Path(f.path).name, f.not_read[0]["reason"][:21]) for f in unread] == [
        ("statuses_page3.json", "holds no posts in a f")]


def test_an_account_none_of_whose_files_can_be_read_is_an_error(tmp_path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match=r"none could be read"):
        collect_account(_account(tmp_path, "*.json"))
    with pytest.raises(UnknownFormatError):
        collect_account(_account(tmp_path, "a.json"))


def test_inspect_lists_what_it_did_not_read_in_text_and_json(tmp_path):
    from typer.testing import CliRunner

    from audit.cli.app import app

    folder = _copy("bluesky_feed", tmp_path)
    (folder / "empty.json").write_bytes(b"")
    text = CliRunner().invoke(app, ["inspect", str(folder)]).output
    assert "not read   1 file\n" in text and "empty.json: empty file" in text
    data = json.loads(CliRunner().invoke(app, ["inspect", "--json", str(folder)]).output)
    assert data[0]["not_read"] == [{"member": str(folder / "empty.json"), "reason": "empty file"}]


def test_the_report_appendix_counts_the_files_not_read_by_reason(tmp_path):
    from audit.api import audit_from_paths, report_html

    folder = _copy("bluesky_feed", tmp_path)
    (folder / "empty.json").write_bytes(b"")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    result = audit_from_paths(folder, platform="bluesky")
    assert [len(f["not_read"]) for f in result["coverage"]["files"]] == [2]
    page, _ = report_html(result)
    assert "were not read, by reason" in page and "empty file: 1; media file, not posts: 1." in page
