"""Generic CSV ids and times as real files have them: ids a spreadsheet rounded, dates without a time,
a date and a time in two columns, and US dates that are read only when the account says their format.

The fixtures derive from FiveThirtyEight's `realDonaldTrump_poll_tweets.csv` (fixtures/real/generic_csv,
CC BY 4.0): its first 40 rows with the ids rounded the way Excel saves them (`7.66E+17`, or widened back
to `766000000000000000`), and with `created_at` split into `tweet_date` and `tweet_time`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from audit.collectors.base import ReadContext
from audit.collectors.csv.generic import COLLECTOR
from audit.collectors.csv.timestamps import format_precision
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REAL = FIXTURES / "real" / "generic_csv"
DERIVED = FIXTURES / "generic_csv"
US_TIME = "%m/%d/%Y %H:%M:%S"


def context(columns: dict[str, object], date_format: str | None = US_TIME) -> ReadContext:
    options: dict[str, object] = {"columns": columns}
    if date_format:
        options["timestamp_format"] = date_format
    return ReadContext(account_id="potus", source_timezone="America/New_York", options=options)


def read(path: Path, ctx: ReadContext):
    export = open_export(path)
    return COLLECTOR.read(export, export.members(), ctx)


MAPPED = {"post_id": "id", "published_at": "created_at", "text": "text"}
UNIDENTIFIED = {"published_at": "created_at", "text": "text"}


def test_the_real_file_has_one_id_a_spreadsheet_rounded_and_says_where() -> None:
    """FiveThirtyEight's file itself holds `7.02608E+17` on line 51: mapped as ids, it is refused."""
    with pytest.raises(InputError, match=r"trump_poll_tweets_2016.csv:line 51: column 'id' \(post_id\) holds "
                                         r"ids in scientific notation \('7.02608E\+17'\)"):
        read(REAL / "fivethirtyeight_trump_poll_tweets_2016.csv", context(MAPPED))


def test_the_real_file_reads_with_its_us_date_format_to_the_second() -> None:
    batch = read(REAL / "fivethirtyeight_trump_poll_tweets_2016.csv", context(UNIDENTIFIED))
    assert (batch.posts.height, len(batch.skipped), batch.posts["post_id"].n_unique()) == (448, 0, 448)
    assert batch.posts["time_precision"].unique().to_list() == ["second"]
    first = batch.posts.filter(pl.col("text").str.starts_with("It's just a 2-point race")).row(0, named=True)
    assert first["published_at"].isoformat() == "2016-08-16T23:22:57+00:00"  # 19:22:57 in New York (EDT)


def test_us_dates_are_never_guessed_without_a_date_format() -> None:
    batch = read(REAL / "fivethirtyeight_trump_poll_tweets_2016.csv", context(UNIDENTIFIED, date_format=None))
    assert batch.posts.height == 0
    assert batch.skipped[0].reason == "line 2: published_at '8/16/2016 19:22:57' is not an ISO 8601 timestamp"


def test_excel_style_two_digit_years_read_to_the_minute() -> None:
    ctx = context({"published_at": "created_at", "text": "text", "url": "url"}, date_format="%m/%d/%y %H:%M")
    batch = read(REAL / "fivethirtyeight_obama_tweets_2017.csv", ctx)
    assert batch.posts.height == 400
    assert batch.posts["time_precision"].unique().to_list() == ["minute"]
    assert batch.posts["published_at"].max().isoformat() == "2017-10-17T02:59:00+00:00"  # 10/16/17 22:59 EDT


@pytest.mark.parametrize(("name", "message"), [
    ("excel_rounded_ids.csv", "column 'id' (post_id) holds ids in scientific notation ('7.66E+17'), as a "
                              "spreadsheet rounds them"),
    ("excel_widened_ids.csv", "column 'id' (post_id) gives 13 rows with another time or text the id of an "
                              "earlier row (id '758000000000000000' on lines 4, 6)"),
])
def test_ids_a_spreadsheet_rounded_are_an_error_naming_column_example_and_fix(name: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read(DERIVED / name, context(MAPPED))
    assert message in str(caught.value)
    assert "map another column to post_id, or leave post_id unmapped" in str(caught.value)
    assert str(caught.value).startswith(f"{DERIVED / name}:line ")
    assert "\n" not in str(caught.value)


def test_without_the_id_column_the_rounded_file_reads_every_post() -> None:
    batch = read(DERIVED / "excel_rounded_ids.csv", context({"published_at": "created_at", "text": "text"}))
    assert (batch.posts.height, batch.posts["post_id"].n_unique()) == (40, 40)


def test_one_clashing_id_is_an_edit_kept_for_deduplication(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("post_id,published_at,text\n1,2024-05-01T10:00:00Z,First version\n"
                    "1,2024-05-01T10:05:00Z,Edited version\n2,2024-05-02T10:00:00Z,Other\n", encoding="utf-8")
    batch = read(path, ReadContext(account_id="a"))
    assert batch.posts["post_id"].to_list() == ["1", "1", "2"]


def test_a_date_and_a_time_column_combine_into_one_timestamp() -> None:
    columns = {"post_id": "id", "published_at": ["tweet_date", "tweet_time"], "text": "text"}
    combined = read(DERIVED / "date_and_time_columns.csv", context(columns))
    original = read(REAL / "fivethirtyeight_trump_poll_tweets_2016.csv", context(UNIDENTIFIED))
    expected = original.posts.head(40).select("published_at", "time_precision", "text")
    assert combined.posts.select("published_at", "time_precision", "text").equals(expected)


def test_a_date_column_alone_gives_posts_known_to_the_day() -> None:
    columns = {"post_id": "id", "published_at": "tweet_date", "text": "text"}
    batch = read(DERIVED / "date_and_time_columns.csv", context(columns, date_format="%m/%d/%Y"))
    assert (batch.posts.height, batch.posts["time_precision"].unique().to_list()) == (40, ["day"])


DAILY = ("published_at,text\n2024-05-01,Good morning from the embassy\n2024-05-01,Good morning from the embassy\n"
         "2024-05-02,Good morning from the embassy\n")


def test_two_posts_of_one_day_with_one_text_stay_two_posts(tmp_path: Path) -> None:
    """Known only to the day, two rows with the same text may be two posts: they keep distinct ids,
    and reading the same file again gives the same ids (so overlapping exports still deduplicate)."""
    path = tmp_path / "posts.csv"
    path.write_text(DAILY, encoding="utf-8")
    ctx = ReadContext(account_id="emb", source_timezone="Asia/Tokyo")
    _, first = read_export(path, ctx)
    _, again = read_export(path, ctx)
    assert first.posts["post_id"].n_unique() == 3
    assert first.posts["post_id"].to_list() == again.posts["post_id"].to_list()
    assert first.posts["time_precision"].to_list() == ["day"] * 3


def test_a_file_whose_every_time_is_midnight_holds_dates_only(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("published_at,text\n2024-05-01 00:00:00,One\n2024-05-02 00:00:00,Two\n", encoding="utf-8")
    batch = read(path, ReadContext(account_id="a", source_timezone="UTC"))
    assert batch.posts["time_precision"].to_list() == ["day", "day"]


def test_one_post_at_midnight_among_others_keeps_its_time(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("published_at,text\n2024-05-01T00:00:00Z,One\n2024-05-02T09:30:00Z,Two\n", encoding="utf-8")
    assert read(path, ReadContext(account_id="a")).posts["time_precision"].to_list() == ["second", "second"]


@pytest.mark.parametrize(("pattern", "precision"), [
    ("%m/%d/%y %H:%M", "minute"), ("%d.%m.%Y", "day"), ("%Y-%m-%d %H:%M:%S%z", "second"),
    ("%m/%d/%Y %I:%M %p", "minute"), ("%Y-%m-%dT%T", "second"), ("%s", "second"),
])
def test_a_date_format_says_how_precise_its_times_are(pattern: str, precision: str) -> None:
    assert format_precision(pattern) == precision
