"""Meta Business Suite post export (CSV): ids as text, local publish times, counts, bad input.

No real export was available (FORMATS.md calls the format unverified); the fixtures follow the
header FORMATS.md reports and the variants third-party readers of real exports handle.
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from audit.collectors.base import ReadContext
from audit.collectors.facebook.business_csv import COLLECTOR
from audit.collectors.registry import detect
from audit.errors import InputError
from audit.posts.collect import read_export
from audit.sources.exports import open_export

WARSAW = ReadContext(account_id="emb-pl", source_timezone="Europe/Warsaw")
HEADER = ('"Post ID","Page ID","Page name",Title,Description,"Duration (sec)","Publish time",Permalink,'
          '"Post type",Views,Reach,"Reactions, Comments and Shares",Reactions,Comments,Shares\n')


def write_csv(path, body: str, header: str = HEADER, bom: bool = True) -> None:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (header + body).encode("utf-8"))


def read(path, ctx: ReadContext = WARSAW):
    return read_export(path, ctx, fmt="meta_business_csv")[1]


# ------------------------------------------------------------------ the fixture export


def test_bom_export_is_detected_from_its_header(fixtures):
    export = open_export(fixtures / "meta_business_csv" / "posts_2025.csv")
    collector, members = detect(export, platform="facebook")
    assert (collector.name, members) == ("meta_business_csv", ["posts_2025.csv"])


def test_ids_stay_text_and_exact(fixtures):
    posts = read(fixtures / "meta_business_csv" / "posts_2025.csv").posts
    assert posts.schema["post_id"] == pl.String()
    assert posts["post_id"].to_list() == ["1227720132094663", "1228120132094777", "1228320132094999"]


def test_excel_mangled_id_is_a_skip_with_the_reason(fixtures):
    batch = read(fixtures / "meta_business_csv" / "posts_2025.csv")
    mangled = [s for s in batch.skipped if s.index == 1]
    assert mangled[0].reason.startswith("Post ID '1.22158E+17' was turned into a number by a spreadsheet")
    assert mangled[0].file.endswith("posts_2025.csv")


def test_multi_line_quoted_caption_is_one_text(fixtures):
    text = read(fixtures / "meta_business_csv" / "posts_2025.csv").posts["text"][0]
    assert text == ("Koncert K-pop w Warszawie – dziękujemy, że byliście z nami! 🎤\n"
                    '"Dynamite" zabrzmiał dwa razy.\n\n#KoreaPolska #한국폴란드')


def test_local_publish_time_becomes_utc_across_daylight_saving(fixtures):
    batch = read(fixtures / "meta_business_csv" / "posts_2025.csv")
    times = batch.posts["published_at"].to_list()
    assert times[0] == datetime(2025, 3, 10, 17, 12, tzinfo=UTC)  # CET, UTC+1
    assert times[1] == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 happens twice: the first (CEST)
    gap = [s.reason for s in batch.skipped if s.index == 3]
    assert gap == ["Publish time '03/30/2025 02:30' does not exist in Europe/Warsaw "
                   "(skipped by a daylight-saving change)"]


def test_counts_are_ints_and_null_when_empty(fixtures):
    posts = read(fixtures / "meta_business_csv" / "posts_2025.csv").posts
    rows = posts.select("likes", "replies", "shares", "views").rows()
    assert rows == [(48, 6, 3, 1520), (9, 0, None, None), (0, 0, 0, 250)]


def test_title_is_the_text_when_description_is_empty(fixtures):
    posts = read(fixtures / "meta_business_csv" / "posts_2025.csv").posts
    assert posts["text"][1] == "주한 대사관 소식: 비자 신청 안내\n\n자세한 내용은 링크를 확인하세요."


def test_permalink_entities_and_media(fixtures):
    post = read(fixtures / "meta_business_csv" / "posts_2025.csv").posts.row(2, named=True)
    assert post["url"] == "https://www.facebook.com/KoreanEmbassyPL/posts/pfbid0EEE"
    assert post["mentions"] == ["NIIEDKorea"]
    assert post["urls"] == ["https://www.studyinkorea.go.kr/pl"]
    assert (post["media_count"], post["kind"], post["declared_lang"]) == (0, "post", None)


def test_other_skips_are_explained(fixtures):
    reasons = {s.index: s.reason for s in read(fixtures / "meta_business_csv" / "posts_2025.csv").skipped}
    assert reasons[4] == "missing Post ID"
    assert reasons[6] == "Publish time '2025-02-01 10:00' is not MM/DD/YYYY HH:MM"


def test_header_names_are_matched_without_case_and_optional_columns_may_be_missing(fixtures):
    ctx = ReadContext(account_id="emb-pl", source_timezone="Asia/Seoul")
    post = read(fixtures / "meta_business_csv" / "minimal_header.csv", ctx).posts.row(0, named=True)
    assert post["text"] == "독도는 대한민국의 아름다운 섬입니다 #독도"
    assert (post["likes"], post["replies"], post["shares"], post["views"]) == (80, 8, None, 4210)
    assert post["published_at"] == datetime(2025, 11, 30, 12, 5, tzinfo=UTC)


# ------------------------------------------------------------------ small exports


def test_long_ids_never_pass_through_a_float(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, '1234567890123456789,9007199254740993,"P",,"x","0","1/5/2025 9:05",,Photos,1,1,1,1,0,0\n')
    post = read(path).posts.row(0, named=True)
    assert post["post_id"] == "1234567890123456789"
    assert post["published_at"] == datetime(2025, 1, 5, 8, 5, tzinfo=UTC)  # unpadded, as Excel writes them


def test_windows_line_endings_inside_captions_are_normalised(tmp_path):
    path = tmp_path / "export.csv"
    row = b'1,2,P,,"line one\r\nline two",0,"01/02/2025 10:00",,Photos,,,,,,\r\n'
    path.write_bytes(HEADER.replace("\n", "\r\n").encode() + row)
    assert read(path).posts["text"].to_list() == ["line one\nline two"]


def test_generic_and_instagram_csvs_are_not_detected(tmp_path):
    write_csv(tmp_path / "generic.csv", "2025-01-01,hello\n", header="date,text\n")
    write_csv(tmp_path / "instagram.csv", "1,2,u,n,x,0,01/02/2025 10:00,,IG image\n",
              header='"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)",'
                     '"Publish time",Permalink,"Post type"\n')
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00\x00")
    assert COLLECTOR.find(open_export(tmp_path)) == []


# ------------------------------------------------------------------ bad input


def test_missing_source_timezone_names_the_key(fixtures):
    path = fixtures / "meta_business_csv" / "posts_2025.csv"
    expected = r'timestamps carry no UTC offset; set source_timezone = "Area/City" on the account'
    with pytest.raises(InputError, match=expected):
        read(path, ReadContext(account_id="emb-pl"))
    keyed = ReadContext(account_id="emb-pl", source_timezone_key="accounts[3].source_timezone")
    with pytest.raises(InputError, match=r"set accounts\[3\]\.source_timezone = "):
        read(path, keyed)


def test_unknown_time_zone_is_an_input_error(fixtures):
    ctx = ReadContext(account_id="emb-pl", source_timezone="Europe/Atlantis")
    with pytest.raises(InputError, match=r"unknown time zone 'Europe/Atlantis' in source_timezone"):
        read(fixtures / "meta_business_csv" / "posts_2025.csv", ctx)


def test_csv_without_the_needed_columns_names_them_and_line_1(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, "1,2,P,5\n", header='"Post ID","Page ID","Page name",Views\n')
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.path == str(path)
    assert err.value.position == "line 1"
    assert err.value.expected == ('expected the Meta Business Suite column(s) "Publish time", '
                                  '"Description" or "Title" in the header')


def test_forcing_the_format_on_an_unrelated_csv_is_an_error(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, "2025-01-01,hello\n", header="date,text\n")
    with pytest.raises(InputError, match="no file in it is in a known format"):
        read(path)


def test_file_in_another_encoding_is_an_input_error(tmp_path):
    path = tmp_path / "export.csv"
    row = '1,2,P,,"Zażółć",0,"01/02/2025 10:00",,Photos,,,,,,\n'
    path.write_bytes(HEADER.encode() + row.encode("cp1250"))
    with pytest.raises(InputError, match=r"expected UTF-8 text") as err:
        read(path)
    assert str(err.value.position).startswith("byte ")


def test_ragged_csv_is_an_input_error(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, '1,2,P,,"unterminated,0,"01/02/2025 10:00",,Photos\n')
    with pytest.raises(InputError, match=r"expected well-formed CSV"):
        read(path)


def test_header_only_export_has_no_posts(tmp_path):
    path = tmp_path / "export.csv"
    write_csv(path, "")
    with pytest.raises(InputError, match="expected at least one post"):
        read(path)
