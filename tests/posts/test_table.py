"""The canonical posts table (audit/posts.py) and writing it out (audit/output.py)."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta, timezone

import polars as pl
import pytest

from audit.collectors.base import ReadContext
from audit.collectors.table import (
    POST_SCHEMA,
    PostColumns,
    dedupe_posts,
    duplicate_reasons,
    empty_posts,
    normalise_lang,
    normalise_lang_expr,
    stable_post_id,
    validate_posts,
)
from audit.errors import InputError
from audit.files import atomic_path, write_text_atomic
from audit.posts.collect import read_export
from audit.posts.output import check_posts_path, write_posts

T0 = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)


def table(*rows: dict[str, object]) -> pl.DataFrame:
    """A valid posts table; each row overrides the defaults of a plain post."""
    cols = PostColumns()
    for i, row in enumerate(rows):
        cols.add(**{"post_id": str(i), "published_at": T0 + timedelta(hours=i), "text": f"post {i}",
                    "kind": "post", "source": f"f.json#{i}", **row})
    return cols.to_frame({"account_id": "a", "platform": "x"})


# --- schema and validation ------------------------------------------------------------------------


def test_the_schema_is_the_designed_one():
    assert list(POST_SCHEMA) == [
        "account_id", "platform", "post_id", "url", "published_at", "time_precision", "text", "declared_lang",
        "kind", "reply_to",
        "mentions", "hashtags", "urls", "media_count", "likes", "shares", "replies", "views", "source",
    ]
    assert POST_SCHEMA["published_at"] == pl.Datetime("us", "UTC")
    assert POST_SCHEMA["mentions"] == pl.List(pl.String)
    assert empty_posts().schema == pl.Schema(POST_SCHEMA)
    assert validate_posts(empty_posts()).is_empty()


def test_a_collector_may_leave_out_the_time_precision_of_times_given_to_the_second():
    assert validate_posts(table({}).drop("time_precision"))["time_precision"].to_list() == ["second"]


def test_an_unknown_time_precision_is_a_collector_bug():
    with pytest.raises(ValueError, match=r"unknown time precisions \['hour'\]"):
        validate_posts(table({"time_precision": "hour"}))


def test_deduplication_counts_what_it_dropped_and_why():
    later = T0 + timedelta(days=1)
    posts = table({"post_id": "1"}, {"post_id": "1"}, {"post_id": "1", "text": "edited"},
                  {"post_id": "1", "text": "post 0", "published_at": later}, {"post_id": "2"})
    posts = posts.with_columns(pl.Series("text", ["same", "same", "edited", "same", "other"]),
                               pl.Series("published_at", [T0, T0, T0, later, T0]))
    assert duplicate_reasons(posts) == {"same": 1, "edited": 1, "moved": 1}
    assert dedupe_posts(posts).height == 2
    assert duplicate_reasons(dedupe_posts(posts)) == {}


def test_validate_returns_the_canonical_column_order():
    shuffled = table({}).select(reversed(list(POST_SCHEMA)))
    assert validate_posts(shuffled).columns == list(POST_SCHEMA)


def test_validate_names_missing_and_mistyped_columns():
    broken = table({}).drop("views").with_columns(pl.col("likes").cast(pl.String),
                                                  pl.col("published_at").dt.replace_time_zone(None))
    with pytest.raises(ValueError) as exc:
        validate_posts(broken)
    assert str(exc.value) == (
        "invalid posts table: missing column 'views'; column 'published_at' is Datetime(time_unit='us', "
        "time_zone=None), expected Datetime(time_unit='us', time_zone='UTC'); column 'likes' is String, "
        "expected Int64"
    )


def test_validate_names_nulls_unknown_kinds_and_negative_counts():
    bad = table({"kind": "boost", "likes": -1}, {"kind": "post"}).with_columns(
        pl.when(pl.col("post_id") == "1").then(None).otherwise(pl.col("text")).alias("text"))
    with pytest.raises(ValueError) as exc:
        validate_posts(bad)
    assert str(exc.value) == ("invalid posts table: column 'text' has 1 nulls; unknown kinds ['boost']; "
                              "column 'likes' has negative values")


# --- PostColumns ------------------------------------------------------------------------------------


def test_post_columns_fill_unset_columns_with_nulls_empty_lists_and_zero_media():
    frame = table({"likes": 3, "mentions": ["un"], "media_count": None})
    row = frame.row(0, named=True)
    assert row["mentions"] == ["un"] and row["hashtags"] == [] and row["urls"] == []
    assert row["media_count"] == 0
    assert row["likes"] == 3 and row["shares"] is None and row["views"] is None
    assert row["url"] is None and row["declared_lang"] is None
    assert (row["account_id"], row["platform"]) == ("a", "x")
    validate_posts(frame)


def test_post_columns_convert_aware_timestamps_to_utc():
    seoul = timezone(timedelta(hours=9))
    frame = table({"published_at": datetime(2025, 3, 10, 14, 0, tzinfo=seoul)})
    assert frame["published_at"].to_list() == [T0]
    assert frame.schema["published_at"] == pl.Datetime("us", "UTC")


def test_post_columns_refuse_unknown_columns():
    cols = PostColumns()
    with pytest.raises(TypeError, match=r"unknown post columns: \['favourites'\]"):
        cols.add(post_id="1", favourites=3)


def test_an_empty_post_columns_gives_an_empty_valid_table():
    assert validate_posts(PostColumns().to_frame({"account_id": "a", "platform": "x"})).is_empty()


# --- dedupe, ids, languages ------------------------------------------------------------------------


def test_dedupe_keeps_the_first_of_each_platform_and_post_id():
    posts = table({"post_id": "1", "text": "first"}, {"post_id": "1", "text": "edit"}, {"post_id": "2"})
    other = table({"post_id": "1"}).with_columns(pl.lit("mastodon").alias("platform"))
    unique = dedupe_posts(pl.concat([posts, other]))
    assert unique.select("platform", "post_id", "text").rows() == [
        ("x", "1", "first"), ("x", "2", "post 2"), ("mastodon", "1", "post 0")]


def test_stable_post_ids_are_stable_and_depend_on_account_time_and_text():
    one = stable_post_id("emb-jp", "2025-03-10T05:00:00+00:00", "지진")
    assert one == stable_post_id("emb-jp", "2025-03-10T05:00:00+00:00", "지진")
    assert len(one) == 20 and int(one, 16) >= 0
    others = {stable_post_id("emb-kr", "2025-03-10T05:00:00+00:00", "지진"),
              stable_post_id("emb-jp", "2025-03-10T05:00:01+00:00", "지진"),
              stable_post_id("emb-jp", "2025-03-10T05:00:00+00:00", "地震")}
    assert one not in others and len(others) == 3


LANGS = [
    ("en", "en"), ("EN-us", "en"), ("en_GB", "en"), (" ja ", "ja"), ("zh-Hant-TW", "zh"), ("es-419", "es"),
    ("fil", "fil"), ("in", "id"), ("iw", "he"), ("ji", "yi"), ("jw", "jv"),
    ("zhCn", "zh"), ("zh-Hant", "zh"), ("pt_BR", "pt"), ("ZH-cn", "zh"), ("ptBR", "pt"), ("zh_hant_TW", "zh"),
    ("sr-Latn-RS", "sr"), ("IN", "id"),
    ("und", None), ("zxx", None), ("qme", None), ("qht", None), ("", None), ("  ", None), (None, None),
    ("123", None), ("x-klingon", None), ("i-default", None), ("q", None), ("日本語", None), ("english", None),
]


@pytest.mark.parametrize(("tag", "expected"), LANGS)
def test_language_tags_become_primary_subtags_or_null(tag, expected):
    assert normalise_lang(tag) == expected


def test_the_column_wise_language_normaliser_agrees_with_the_scalar_one():
    tags = pl.DataFrame({"tag": [t for t, _ in LANGS]}, schema={"tag": pl.String})
    got = tags.select(normalise_lang_expr(pl.col("tag")).alias("lang"))["lang"].to_list()
    assert got == [expected for _, expected in LANGS]


# --- writing the table ------------------------------------------------------------------------------


def sample_posts() -> pl.DataFrame:
    return table(
        {"text": "Earthquake, \"tsunami\"\nwarning | 地震", "mentions": ["UN", "emb_jp"], "hashtags": ["地震"],
         "urls": ["https://example.org/a?b=1"], "likes": 1234, "declared_lang": "en", "kind": "reply",
         "reply_to": "self", "url": "https://example.org/p/0"},
        {"published_at": datetime(2025, 3, 10, 5, 0, 0, 123456, tzinfo=UTC), "kind": "repost"},
    )


def test_parquet_keeps_the_schema_and_every_value(tmp_path):
    out = tmp_path / "nested" / "posts.parquet"
    write_posts(sample_posts(), out)
    back = pl.read_parquet(out)
    assert back.schema == pl.Schema(POST_SCHEMA)
    assert back.equals(sample_posts())
    assert [p.name for p in out.parent.iterdir()] == ["posts.parquet"]


def test_csv_joins_lists_with_bars_and_writes_utc_timestamps_with_z(tmp_path):
    out = tmp_path / "posts.CSV"
    write_posts(sample_posts(), out)
    raw = pl.read_csv(out, infer_schema=False)
    assert raw.columns == list(POST_SCHEMA)
    first, second = raw.rows(named=True)
    assert first["mentions"] == "UN|emb_jp" and first["hashtags"] == "地震" and second["urls"] == ""
    assert first["published_at"] == "2025-03-10T05:00:00.000000Z"
    assert second["published_at"] == "2025-03-10T05:00:00.123456Z"
    assert first["text"] == "Earthquake, \"tsunami\"\nwarning | 地震"


def test_a_csv_written_by_write_posts_reads_back_with_generic_csv(tmp_path):
    out = tmp_path / "posts.csv"
    original = sample_posts()
    write_posts(original, out)
    _, batch = read_export(out, ReadContext(account_id="a"), fmt="generic_csv")
    columns = [c for c in POST_SCHEMA if c not in ("platform", "source")]
    assert batch.posts.select(columns).equals(original.select(columns))
    assert batch.skipped == []


@pytest.mark.parametrize("name", ["posts.json", "posts", "posts.parquet.tmp", "posts.xlsx"])
def test_other_output_names_are_refused_before_anything_is_written(tmp_path, name):
    with pytest.raises(InputError) as exc:
        check_posts_path(tmp_path / name)
    assert str(exc.value) == f"{tmp_path / name}: expected an output file ending in .parquet or .csv"
    with pytest.raises(InputError):
        write_posts(sample_posts(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_previous_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash while writing")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_atomic_files_get_ordinary_permissions_not_the_private_temp_file_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_text_atomic(tmp_path / "r.json", "{}")
        write_posts(sample_posts(), tmp_path / "p.parquet")
    finally:
        os.umask(old)
    for name in ("r.json", "p.parquet"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_an_unwritable_target_is_an_input_error_not_a_traceback(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(InputError, match=r"taken/x\.csv: expected a writable location \("):
        write_posts(sample_posts(), tmp_path / "taken" / "x.csv")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError, match=r"dir\.csv: expected a writable location \(Is a directory\)"):
        write_posts(sample_posts(), tmp_path / "dir.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.csv", "taken"]
