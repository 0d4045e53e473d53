"""Reading accounts' exports into one table (audit/collect.py), and every bad export we can think of.

A malformed file must end as one InputError line naming the file, the position and what was
expected; a malformed record as a Skipped with its file and index. Collectors other helpers are
still writing are skipped here only while their module is missing from the registry.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import polars as pl
import pytest

from audit.accounts import load_accounts
from audit.collectors.base import ReadContext
from audit.collectors.registry import COLLECTORS
from audit.collectors.table import POST_SCHEMA
from audit.errors import InputError, UnknownFormatError
from audit.posts.collect import collect_account, collect_accounts, read_export

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
ACCOUNTS = FIXTURES / "accounts"
TELEGRAM = FIXTURES / "telegram_desktop" / "modern_channel"
TELEGRAM_2020 = "telegram/result__private_channel_2020.json"


def needs(fmt: str) -> None:
    """Skip (visibly) while another helper's collector is not in the registry yet."""
    if fmt not in COLLECTORS:
        pytest.skip(f"collector {fmt!r} is not written yet")


def read_error(path: Path, fmt: str | None = None, **ctx: object) -> str:
    """The one-line message reading `path` fails with."""
    with pytest.raises(InputError) as exc:
        read_export(path, ReadContext(account_id="t", **ctx), fmt=fmt)  # type: ignore[arg-type]
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def accounts_file(tmp_path: Path, *accounts: str) -> Path:
    """An accounts file in tmp_path with the given [[accounts]] bodies."""
    text = '[ministry]\nname = "Test"\ncountry = "KR"\n'
    text += "".join(f"\n[[accounts]]\n{body.strip()}\n" for body in accounts)
    path = tmp_path / "accounts.toml"
    path.write_text(text, encoding="utf-8")
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- reading one export ---------------------------------------------------------------------------


def test_read_export_detects_the_format_and_stamps_the_account():
    report, batch = read_export(TELEGRAM, ReadContext(account_id="mofa-tg", handle="@mofa_demo"))
    assert (report.format, report.platform, report.members) == ("telegram_desktop", "telegram", ["result.json"])
    assert (report.posts, report.skipped, report.account_id) == (7, 2, "mofa-tg")
    assert report.as_dict()["path"] == str(TELEGRAM)
    assert batch.posts.schema == pl.Schema(POST_SCHEMA)
    assert batch.posts["account_id"].unique().to_list() == ["mofa-tg"]
    assert [(s.file, s.index) for s in batch.skipped] == [(f"{TELEGRAM}/result.json", 7),
                                                          (f"{TELEGRAM}/result.json", 8)]


def test_a_zip_is_read_like_the_folder_it_was_made_from(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(TELEGRAM / "result.json", "ChatExport_2024-12-01/result.json")
    _, from_zip = read_export(archive, ReadContext(account_id="t"))
    _, from_folder = read_export(TELEGRAM, ReadContext(account_id="t"))
    assert from_zip.posts.drop("source").equals(from_folder.posts.drop("source"))
    assert from_zip.posts["source"][0] == f"{archive}!ChatExport_2024-12-01/result.json#1"


# --- bad files: one line naming file, position and what was expected -------------------------------


def test_truncated_json_names_the_line_and_column(tmp_path):
    text = (TELEGRAM / "result.json").read_text(encoding="utf-8")
    cut = write(tmp_path / "result.json", text[: text.index('"id": 3')])
    lines = cut.read_text(encoding="utf-8").split("\n")
    position = f"{len(lines)}:{len(lines[-1]) + 1}"  # the end of the file, where the next key should be
    assert read_error(cut) == (f"{cut}:{position}: expected valid JSON: Expecting property name enclosed in "
                               "double quotes")


def test_truncated_tweets_js_names_the_line_and_column(tmp_path):
    needs("x_archive")
    cut = write(tmp_path / "data" / "tweets.js", 'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1"')
    message = read_error(tmp_path)
    assert message.startswith(f"{cut}:1:52: expected ")


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("outbox.json", {"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json",
                     "type": "OrderedCollection", "orderedItems": {}},
     "outbox.json:orderedItems: expected an OrderedCollection with an orderedItems array"),
    ("videos.json", {"kind": "youtube#videoListResponse", "items": {}},
     'videos.json:items: expected "items" to be an array'),
])
def test_a_wrong_json_type_where_records_belong_is_named(tmp_path, name, content, expected):
    path = write(tmp_path / name, json.dumps(content))
    assert read_error(path) == f"{tmp_path}/{expected}"


def test_a_tweets_js_that_is_not_an_array_is_named(tmp_path):
    needs("x_archive")
    path = write(tmp_path / "data" / "tweets.js", "window.YTD.tweets.part0 = {}")
    assert read_error(tmp_path).startswith(f"{path}:1:27: expected ")


def test_an_empty_folder_and_an_empty_zip_say_they_are_empty(tmp_path):
    (tmp_path / "empty").mkdir()
    assert read_error(tmp_path / "empty").endswith(", found an empty folder or archive")
    zipfile.ZipFile(tmp_path / "empty.zip", "w").close()
    message = read_error(tmp_path / "empty.zip")
    assert message.startswith(f"{tmp_path / 'empty.zip'}: expected ")
    assert message.endswith(", found an empty folder or archive")


def test_an_export_with_no_posts_is_an_error_not_an_empty_audit(tmp_path):
    chat = write(tmp_path / "result.json", json.dumps({"name": "x", "type": "public_channel", "id": 1,
                                                       "messages": []}))
    assert read_error(chat) == (f"{chat}: expected at least one post in a Telegram Desktop export "
                                "(result.json), found none")


def test_a_tweets_js_with_an_empty_array_is_an_error(tmp_path):
    needs("x_archive")
    write(tmp_path / "data" / "tweets.js", "window.YTD.tweets.part0 = []")
    assert read_error(tmp_path) == (f"{tmp_path}: expected at least one post in "
                                    f"{COLLECTORS['x_archive'].description}, found none")


def test_a_file_in_no_known_format_is_an_unknown_format_error(tmp_path):
    notes = write(tmp_path / "notes.json", '{"hello": "world"}')
    with pytest.raises(UnknownFormatError, match=r"notes\.json: expected .*; no file in it is in a known format$"):
        read_export(notes, ReadContext())


def test_an_unknown_format_name_lists_the_known_ones(tmp_path):
    assert read_error(TELEGRAM, fmt="tweets") == (
        f"--format: unknown format 'tweets'; expected one of {', '.join(COLLECTORS)}")


def test_a_missing_file_is_named(tmp_path):
    assert read_error(tmp_path / "result.json") == f"{tmp_path / 'result.json'}: no such file or folder"


# --- accounts: sources, options, dedupe ------------------------------------------------------------


def test_collect_account_dedupes_the_same_posts_arriving_in_two_exports():
    account = load_accounts(ACCOUNTS / "ministry.toml").account("emb-th-masto")
    result = collect_account(account)
    masto = FIXTURES / "mastodon_archive"
    assert [f.path for f in result.files] == [str(masto / "archive"), str(masto / "archive.zip")]
    assert (result.posts.height, result.duplicates) == (7, 7)  # each has a private post, counted twice
    assert result.posts["post_id"].is_unique().all()
    assert result.posts["source"].str.starts_with(f"{masto}/archive/outbox.json#").all()
    assert result.posts["published_at"].is_sorted()
    assert set(result.posts["account_id"]) == {"emb-th-masto"} and set(result.posts["platform"]) == {"mastodon"}


def test_collect_accounts_reads_every_account_and_keeps_skipped_records_per_account():
    result = collect_accounts(load_accounts(ACCOUNTS / "ministry.toml"))
    counts = dict(result.posts.group_by("account_id").len().iter_rows())
    assert counts == {"mofa-tg": 7, "emb-th-masto": 7, "mofa-csv": 7}
    assert result.posts.schema == pl.Schema(POST_SCHEMA)
    assert (len(result.files), len(result.skipped), result.duplicates) == (4, 9, 7)
    assert [s.index for s in result.skipped_for("mofa-tg")] == [7, 8]
    assert [s.file for s in result.skipped_for("emb-th-masto")] == [
        str(FIXTURES / "mastodon_archive" / "archive" / "outbox.json"),
        str(FIXTURES / "mastodon_archive" / "archive" / "outbox.json"),
        f"{FIXTURES / 'mastodon_archive' / 'archive.zip'}!outbox.json",
        f"{FIXTURES / 'mastodon_archive' / 'archive.zip'}!outbox.json",
    ]
    assert result.skipped_for("mofa-csv")[0].reason == "line 7: published_at 'yesterday' is not an ISO 8601 timestamp"
    assert result.skipped_for("nobody") == []


def test_skipped_records_stay_with_their_account_when_folder_names_share_a_prefix(tmp_path):
    for name in ("emb-jp", "emb-jp-old"):
        shutil.copytree(TELEGRAM, tmp_path / "exports" / name)
    path = accounts_file(tmp_path, *(f'id = "{n}"\nrole = "embassy"\nplatform = "telegram"\n'
                                     f'source = "exports/{n}"' for n in ("emb-jp", "emb-jp-old")))
    result = collect_accounts(load_accounts(path))
    assert len(result.skipped_for("emb-jp")) == 2 and len(result.skipped_for("emb-jp-old")) == 2
    assert all("emb-jp-old" not in s.file for s in result.skipped_for("emb-jp"))


def test_a_missing_source_timezone_names_the_accounts_key(tmp_path, samples):
    shutil.copy(samples / TELEGRAM_2020, tmp_path / "result.json")
    path = accounts_file(tmp_path, 'id = "emb-x"\nrole = "embassy"\nplatform = "telegram"\nsource = "result.json"')
    with pytest.raises(InputError) as exc:
        collect_accounts(load_accounts(path))
    assert str(exc.value) == (f"{tmp_path / 'result.json'}:messages[1]: timestamps carry no UTC offset; set "
                              'accounts[0].source_timezone = "Area/City" on the account')


def test_with_a_source_timezone_the_2020_telegram_sample_reads_as_utc(tmp_path, samples):
    shutil.copy(samples / TELEGRAM_2020, tmp_path / "result.json")
    path = accounts_file(tmp_path, 'id = "emb-x"\nrole = "embassy"\nplatform = "telegram"\n'
                                   'source = "result.json"\nsource_timezone = "Europe/Moscow"')
    result = collect_accounts(load_accounts(path))
    assert result.posts.height == 18
    # 2020-11-12T12:54:07 on a Moscow clock (UTC+3) is 09:54:07 UTC.
    assert result.posts["published_at"][0].isoformat() == "2020-11-12T09:54:07+00:00"


def test_a_csv_without_the_mapped_columns_names_the_missing_header(tmp_path):
    csv = write(tmp_path / "posts.csv", "date,message\n2025-01-01T00:00:00Z,hello\n")
    path = accounts_file(tmp_path, 'id = "c"\nrole = "embassy"\nplatform = "csv"\nsource = "posts.csv"\n'
                                   'columns = {published_at = "date", text = "body"}')
    with pytest.raises(InputError) as exc:
        collect_accounts(load_accounts(path))
    assert str(exc.value).startswith(f"{csv}:line 1: expected the mapped CSV headers ['body'] (the header has ")


def test_a_csv_for_a_platform_account_is_read_with_format_and_keeps_the_platform(tmp_path):
    write(tmp_path / "posts.csv", "date,message\n2025-01-01T00:00:00Z,hello\n")
    path = accounts_file(tmp_path, 'id = "c"\nrole = "embassy"\nplatform = "x"\nformat = "generic_csv"\n'
                                   'source = "posts.csv"\ncolumns = {published_at = "date", text = "message"}')
    result = collect_accounts(load_accounts(path))
    assert result.posts.select("account_id", "platform", "text").rows() == [("c", "x", "hello")]


def test_a_glob_matching_nothing_and_a_missing_source_are_named(tmp_path):
    path = accounts_file(tmp_path, 'id = "a"\nrole = "embassy"\nplatform = "x"\nsource = "exports/*/tweets.js"')
    with pytest.raises(InputError) as exc:
        collect_accounts(load_accounts(path))
    assert str(exc.value) == f"{tmp_path}/exports/*/tweets.js: the pattern matches no file"
    path = accounts_file(tmp_path, 'id = "a"\nrole = "embassy"\nplatform = "x"\nsource = "../gone/archive.zip"')
    with pytest.raises(InputError) as exc:
        collect_accounts(load_accounts(path))
    assert str(exc.value) == f"{tmp_path.parent}/gone/archive.zip: no such file or folder"


def test_the_platform_limits_detection_to_its_formats(tmp_path):
    path = accounts_file(tmp_path, f'id = "a"\nrole = "embassy"\nplatform = "youtube"\nsource = "{TELEGRAM}"')
    with pytest.raises(UnknownFormatError) as exc:
        collect_accounts(load_accounts(path))
    assert str(exc.value) == (f"{TELEGRAM}: expected {COLLECTORS['youtube_api'].description}; no file in it is "
                              "in a known format")


def test_the_posts_of_many_accounts_are_one_table_in_one_chunk():
    # each account's rows are filtered out of this table later: a filter of a string column in one chunk
    # per account kept about all the text alive per account (8.5 GB for --posts-out of 200 accounts)
    accounts = load_accounts(FIXTURES / "demo" / "accounts.toml")
    posts = collect_accounts(accounts).posts
    assert len(accounts.accounts) > 1
    assert posts.n_chunks("all") == [1] * posts.width
    assert posts["account_id"].n_unique() == len(accounts.accounts)
