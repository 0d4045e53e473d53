"""The foundation commands: `audit inspect`, `audit formats`, `audit posts`, and their bad inputs.

A user mistake must end with exit code 1 and `Error: <file>[:<position>]: <what was expected>`
lines on stderr, never a traceback. CliRunner catches every exception, so "no traceback" is
checked as: the exit came from SystemExit (typer.Exit), not from an escaped exception.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner, Result

from audit.collectors.registry import COLLECTORS
from audit.collectors.table import POST_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
ACCOUNTS = FIXTURES / "accounts"
TELEGRAM_2020 = "telegram/result__private_channel_2020.json"


@pytest.fixture(scope="module")
def cli() -> Any:
    """`audit` as a function of its arguments."""
    from audit.cli.app import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def user_error(result: Result, *fragments: str) -> list[str]:
    """Check that `result` is a clean user error and return its `Error:` lines."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("Error: ") for line in lines), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    return lines


def inspect_json(cli: Any, *args: object) -> list[dict[str, Any]]:
    result = cli("inspect", *args, "--json")
    assert result.exit_code == 0, result.output
    summaries: list[dict[str, Any]] = json.loads(result.stdout)
    return summaries


# --- audit formats ------------------------------------------------------------------------------


def test_formats_lists_every_registered_collector_with_its_platform(cli):
    result = cli("formats")
    assert result.exit_code == 0
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["format", "platform", "reads"]
    assert [row.split()[:2] for row in rows] == [[c.name, c.platform] for c in COLLECTORS.values()]
    assert all(c.description in result.stdout for c in COLLECTORS.values())


# --- audit inspect ------------------------------------------------------------------------------


def _goldens() -> list[Path]:
    """Fixtures whose golden needs no CSV mapping or time zone, so `inspect` alone can read them."""
    found = []
    for golden in sorted(FIXTURES.glob("*/*.expected.json")):
        context = json.loads(golden.read_text(encoding="utf-8"))["context"]
        if set(context) <= {"handle"}:
            found.append(golden)
    return found


@pytest.mark.parametrize("golden", _goldens(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_inspect_json_agrees_with_the_hand_checked_goldens(cli, golden):
    expected = json.loads(golden.read_text(encoding="utf-8"))
    fixture = golden.parent / golden.name.removesuffix(".expected.json")
    [summary] = inspect_json(cli, fixture)
    posts = list({p["post_id"]: p for p in reversed(expected["posts"])}.values())  # distinct, first kept
    assert (summary["path"], summary["format"]) == (str(fixture), golden.parent.name)
    assert summary["platform"] == COLLECTORS[golden.parent.name].platform
    assert summary["posts"] == len(posts)
    assert summary["duplicates"] == len(expected["posts"]) - len(posts)
    assert summary["kinds"] == dict(sorted(Counter(p["kind"] for p in posts).items()))
    times = sorted(_utc(p["published_at"]) for p in posts)
    assert (_utc(summary["first"]), _utc(summary["last"])) == (times[0], times[-1])
    langs = Counter(p["declared_lang"] for p in posts if p["declared_lang"])
    assert list(summary["declared_languages"].items()) == sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))
    assert [(s["index"], s["reason"]) for s in summary["skipped"]] == [
        (s["index"], s["reason"]) for s in expected["skipped"]]


def _utc(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_inspect_names_the_skipped_records_file_and_index(cli):
    [summary] = inspect_json(cli, FIXTURES / "telegram_desktop" / "modern_channel")
    result_json = str(FIXTURES / "telegram_desktop" / "modern_channel" / "result.json")
    assert summary["files"] == ["result.json"]
    assert summary["skipped"] == [
        {"file": result_json, "index": 7, "reason": "message without a date"},
        {"file": result_json, "index": 8, "reason": "message Telegram Desktop could not export (type 'unsupported')"},
    ]


def test_inspect_prints_a_readable_summary_for_people(cli):
    folder = FIXTURES / "telegram_desktop" / "modern_channel"
    result = cli("inspect", folder)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        str(folder),
        "  format     telegram_desktop (telegram)",
        "  posts      7 (post 4, reply 2, repost 1)",
        "  period     2024-11-16T00:30:00Z .. 2024-11-18T08:00:00Z",
        "  declared   none",
        "  skipped    2",
        f"    {folder}/result.json#7: message without a date",
        f"    {folder}/result.json#8: message Telegram Desktop could not export (type 'unsupported')",
    ]


def test_inspect_shows_declared_languages_most_common_first(cli):
    result = cli("inspect", FIXTURES / "mastodon_archive" / "archive.zip")
    assert result.exit_code == 0, result.output
    assert "  declared   en 2, fr 1, ja 1, ko 1" in result.stdout.splitlines()


def test_inspect_takes_several_paths(cli):
    summaries = inspect_json(cli, FIXTURES / "mastodon_archive" / "archive", FIXTURES / "generic_csv" / "roundtrip.csv")
    assert [s["format"] for s in summaries] == ["mastodon_archive", "generic_csv"]


def test_inspect_with_a_format_reads_only_that_format(cli):
    [summary] = inspect_json(cli, FIXTURES / "generic_csv" / "roundtrip.csv", "--format", "generic_csv")
    assert summary["format"] == "generic_csv"
    folder = FIXTURES / "telegram_desktop" / "modern_channel"
    assert user_error(cli("inspect", folder, "--format", "mastodon_api")) == [
        f"Error: {folder}: expected {COLLECTORS['mastodon_api'].description}; no file in it is in a known format"]
    user_error(cli("inspect", folder, "--platform", "youtube"), COLLECTORS["youtube_api"].description)


# --- audit inspect: bad inputs ------------------------------------------------------------------------


def test_inspect_truncated_json_names_file_and_line(cli, tmp_path):
    text = (FIXTURES / "telegram_desktop" / "modern_channel" / "result.json").read_text(encoding="utf-8")
    cut = tmp_path / "result.json"
    cut.write_text(text[: text.index('"id": 3')], encoding="utf-8")
    [line] = user_error(cli("inspect", cut), f"Error: {cut}:", ": expected valid JSON: ")


def test_inspect_wrong_top_level_type_is_named(cli, tmp_path):
    path = tmp_path / "videos.json"
    path.write_text('{"kind": "youtube#videoListResponse", "items": {}}')
    assert user_error(cli("inspect", path)) == [f'Error: {path}:items: expected "items" to be an array']


def test_inspect_a_file_in_no_known_format(cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Minutes of the meeting\n")
    [line] = user_error(cli("inspect", path), f"Error: {path}: expected ")
    assert line.endswith("; no file in it is in a known format")


def test_inspect_an_unknown_format_name(cli):
    assert user_error(cli("inspect", FIXTURES / "telegram_desktop" / "modern_channel", "--format", "tweets")) == [
        f"Error: --format: unknown format 'tweets'; expected one of {', '.join(COLLECTORS)}"]


def test_inspect_empty_exports(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    user_error(cli("inspect", tmp_path / "empty"), f"Error: {tmp_path / 'empty'}: expected ",
               ", found an empty folder or archive")
    zipfile.ZipFile(tmp_path / "empty.zip", "w").close()
    user_error(cli("inspect", tmp_path / "empty.zip"), f"Error: {tmp_path / 'empty.zip'}: expected ",
               ", found an empty folder or archive")


def test_inspect_an_empty_tweets_js(cli, tmp_path):
    if "x_archive" not in COLLECTORS:
        pytest.skip("collector 'x_archive' is not written yet")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tweets.js").write_text("window.YTD.tweets.part0 = []")
    user_error(cli("inspect", tmp_path), f"Error: {tmp_path}: expected at least one post in ", ", found none")


@pytest.mark.parametrize("name", ["../evil.txt", "/tmp/evil.txt"])
def test_inspect_a_zip_with_an_escaping_member(cli, tmp_path, name):
    path = tmp_path / "archive.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("result.json", (FIXTURES / "telegram_desktop" / "modern_channel" / "result.json").read_bytes())
        z.writestr(name, b"pwned")
    assert user_error(cli("inspect", path)) == [
        f"Error: {path}:{name!r}: expected member names inside the archive, found one that escapes it"]


def test_inspect_a_zip_bomb(cli, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("result.json", "w") as f:
        for _ in range(20):
            f.write(b" " * (1 << 20))
    user_error(cli("inspect", path), f"Error: {path}:'result.json': member expands to 20971520 bytes from ",
               "refusing a zip bomb")


def test_inspect_a_missing_file(cli, tmp_path):
    missing = tmp_path / "nope.zip"
    assert user_error(cli("inspect", missing)) == [f"Error: {missing}: no such file or folder"]


def test_inspect_old_telegram_needs_a_source_timezone(cli, samples):
    path = samples / TELEGRAM_2020
    user_error(cli("inspect", path), f"Error: {path}:messages[1]: timestamps carry no UTC offset", "--source-timezone")
    user_error(cli("inspect", path, "--source-timezone", "Mars/Olympus"), "Mars/Olympus")
    [summary] = inspect_json(cli, path, "--source-timezone", "Europe/Moscow")
    assert (summary["format"], summary["posts"], summary["first"]) == ("telegram_desktop", 18, "2020-11-12T09:54:07Z")


# --- audit posts -------------------------------------------------------------------------------------


def test_posts_writes_parquet_with_the_canonical_schema_account_ids_and_dedupe(cli, tmp_path):
    out = tmp_path / "out" / "posts.parquet"
    result = cli("posts", ACCOUNTS / "ministry.toml", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"Wrote 21 posts from 4 exports to {out} (9 records skipped, 7 duplicates removed)\n")
    posts = pl.read_parquet(out)
    assert posts.schema == pl.Schema(POST_SCHEMA)
    assert dict(posts.group_by("account_id").len().iter_rows()) == {"mofa-tg": 7, "emb-th-masto": 7, "mofa-csv": 7}
    assert dict(posts.select("account_id", "platform").unique().iter_rows()) == {
        "mofa-tg": "telegram", "emb-th-masto": "mastodon", "mofa-csv": "csv"}
    assert posts.select("platform", "post_id").is_unique().all()
    assert list(out.parent.iterdir()) == [out]


def test_posts_writes_csv_that_reads_back_to_the_same_posts(cli, tmp_path):
    parquet, csv = tmp_path / "posts.parquet", tmp_path / "posts.csv"
    assert cli("posts", ACCOUNTS / "ministry.toml", "--out", parquet, "--quiet").exit_code == 0
    result = cli("posts", ACCOUNTS / "ministry.toml", "-o", csv, "-q")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    table = pl.read_csv(csv, infer_schema=False)
    assert table.columns == list(POST_SCHEMA)
    expected = pl.read_parquet(parquet)
    assert table["account_id"].to_list() == expected["account_id"].to_list()
    assert table["post_id"].to_list() == expected["post_id"].to_list()
    assert table["mentions"].to_list() == [("|".join(m)) for m in expected["mentions"].to_list()]
    assert table["published_at"].str.ends_with("Z").all()


def test_posts_refuses_an_output_that_is_neither_parquet_nor_csv(cli, tmp_path):
    out = tmp_path / "posts.json"
    assert user_error(cli("posts", ACCOUNTS / "ministry.toml", "--out", out)) == [
        f"Error: {out}: expected an output file ending in .parquet or .csv"]
    assert not out.exists()


def test_posts_lists_every_problem_of_the_accounts_file(cli, tmp_path):
    path = ACCOUNTS / "many_problems.toml"
    lines = user_error(cli("posts", path, "--out", tmp_path / "x.parquet"))
    assert len(lines) == 8
    assert all(line.startswith(f"Error: {path}: ") for line in lines)
    assert lines[0] == (f"Error: {path}: accounts[0].platform: expected one of x, facebook, instagram, telegram, "
                        "mastodon, bluesky, youtube, csv, found 'myspace'")
    assert lines[-1] == f"Error: {path}: colour: unknown key"
    assert not (tmp_path / "x.parquet").exists()


def test_posts_with_invalid_toml_or_no_file(cli, tmp_path):
    path = ACCOUNTS / "invalid.toml"
    assert user_error(cli("posts", path, "--out", tmp_path / "x.csv")) == [
        f"Error: {path}: line 2, column 10: expected valid TOML: Expected ']' at the end of a table declaration"]
    assert user_error(cli("posts", tmp_path / "nope.toml", "--out", tmp_path / "x.csv")) == [
        f"Error: {tmp_path / 'nope.toml'}: no such file; expected an accounts file (TOML)"]
    assert user_error(cli("posts", tmp_path, "--out", tmp_path / "x.csv")) == [
        f"Error: {tmp_path}: expected an accounts file (TOML), found a folder"]


def _accounts(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(f'[ministry]\nname = "Test"\ncountry = "KR"\n\n[[accounts]]\nid = "a"\nrole = "embassy"\n{body}\n',
                    encoding="utf-8")
    return path


def test_posts_old_telegram_without_source_timezone_names_the_key(cli, tmp_path, samples):
    shutil.copy(samples / TELEGRAM_2020, tmp_path / "result.json")
    path = _accounts(tmp_path, 'platform = "telegram"\nsource = "result.json"')
    assert user_error(cli("posts", path, "--out", tmp_path / "x.parquet")) == [
        f"Error: {tmp_path / 'result.json'}:messages[1]: timestamps carry no UTC offset; set "
        'accounts[0].source_timezone = "Area/City" on the account']


def test_posts_csv_without_the_mapped_columns(cli, tmp_path):
    (tmp_path / "posts.csv").write_text("date,message\n2025-01-01T00:00:00Z,hello\n")
    path = _accounts(tmp_path, 'platform = "csv"\nsource = "posts.csv"\n'
                               'columns = {published_at = "date", text = "body"}')
    user_error(cli("posts", path, "--out", tmp_path / "x.parquet"),
               f"Error: {tmp_path / 'posts.csv'}:line 1: expected the mapped CSV headers ['body']")


def test_posts_glob_matching_nothing(cli, tmp_path):
    path = _accounts(tmp_path, 'platform = "x"\nsource = "exports/*.zip"')
    assert user_error(cli("posts", path, "--out", tmp_path / "x.parquet")) == [
        f"Error: {tmp_path}/exports/*.zip: the pattern matches no file"]


def test_posts_unknown_format_on_the_account_is_an_accounts_file_problem(cli, tmp_path):
    path = _accounts(tmp_path, 'platform = "x"\nsource = "x.zip"\nformat = "twitter"')
    [line] = user_error(cli("posts", path, "--out", tmp_path / "x.parquet"))
    assert line.startswith(f"Error: {path}: accounts[0].format: expected one of ")


# --- real samples -----------------------------------------------------------------------------------

SAMPLES = [
    ("twitter/tweets.js", "x_archive"),
    ("instagram/posts_1__carousel_images.json", "instagram_dyi"),
    ("instagram/posts_1__multi_media.json", "instagram_dyi"),
    ("instagram/posts_1__single_video.json", "instagram_dyi"),
    ("instagram/reels__single_video.json", "instagram_dyi"),
    ("mastodon/api_v1_accounts_id_statuses__page1.json", "mastodon_api"),
    ("mastodon/api_v1_accounts_id_statuses__page2_max_id.json", "mastodon_api"),
    ("mastodon/api_v1_timelines_tag__lang_ja_tags.json", "mastodon_api"),
    ("mastodon/status__reblog.json", "mastodon_api"),
    ("mastodon/status__reply_with_quote.json", "mastodon_api"),
    ("youtube/videos_list__snippet_player.json", "youtube_api"),
    ("youtube/videos_list__snippet_contentDetails_status_statistics.json", "youtube_api"),
    ("youtube/playlistItems_list__page1.json", "youtube_api"),
    ("youtube/search_list__by_channel.json", "youtube_api"),
    ("bluesky/repo__v3_2025.car", "bluesky_car"),
    ("bluesky/repo__legacy_v2_staging_2023.car", "bluesky_car"),
]


@pytest.mark.parametrize(("sample", "fmt"), SAMPLES, ids=[s for s, _ in SAMPLES])
def test_inspect_detects_the_format_of_each_real_sample(cli, samples, sample, fmt):
    if fmt not in COLLECTORS:
        pytest.skip(f"collector {fmt!r} is not written yet")
    [summary] = inspect_json(cli, samples / sample)
    assert (summary["format"], summary["platform"]) == (fmt, COLLECTORS[fmt].platform)
    assert summary["posts"] > 0 and summary["first"] <= summary["last"]


def test_inspect_detects_the_real_telegram_sample_given_its_time_zone(cli, samples):
    [summary] = inspect_json(cli, samples / TELEGRAM_2020, "--source-timezone", "Europe/Moscow")
    assert (summary["format"], summary["kinds"]) == ("telegram_desktop", {"post": 18})


def test_inspect_reads_the_whole_samples_folder_of_a_platform_as_one_export(cli, samples, tmp_path):
    folder = tmp_path / "youtube"
    shutil.copytree(samples / "youtube", folder)
    [summary] = inspect_json(cli, folder, "--platform", "youtube")
    assert summary["format"] == "youtube_api"
    assert "videos_list__snippet_player.json" in summary["files"]
