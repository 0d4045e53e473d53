"""Events: loading (TOML/CSV, every problem at once), the concern rule, keyword matching, responses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from audit.collectors.table import POST_SCHEMA
from audit.enrich.keywords import match_hashtags, match_keywords, written_without_spaces
from audit.errors import ConfigError
from audit.events.loading import load_events
from audit.events.matching import first_responses, transition_split
from audit.events.model import Event, concerns

START = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
QUAKE = Event(
    id="eq", title="Earthquake", type="crisis", start=START, countries=("JP",),
    keywords=("earthquake", "지진", "地震", "tsunami warning"),
)


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_events(path)
    return info.value.problems


def posts(*rows: dict[str, object]) -> pl.DataFrame:
    """A canonical posts table from a few rows; unspecified columns get harmless defaults."""
    defaults: dict[str, object] = {
        "account_id": "emb-jp", "platform": "x", "url": None, "text": "", "declared_lang": None,
        "kind": "post", "reply_to": None, "mentions": [], "hashtags": [], "urls": [], "media_count": 0,
        "likes": None, "shares": None, "replies": None, "views": None,
    }
    full = [{**defaults, "post_id": f"p{i}", "source": f"test#{i}", **row} for i, row in enumerate(rows)]
    return pl.DataFrame(full, schema=POST_SCHEMA)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def test_toml_and_csv_load_to_the_same_events(fixtures: Path) -> None:
    from_toml = load_events(fixtures / "events" / "events.toml")
    assert from_toml == load_events(fixtures / "events" / "events.csv")
    quake, expo, government, pandemic = from_toml
    assert quake == Event(
        id="eq-2025-03", title="Strong earthquake in eastern Japan", type="crisis",
        start=datetime(2025, 3, 10, 5, 0, tzinfo=UTC), end=datetime(2025, 3, 17, tzinfo=UTC),
        countries=("JP",), keywords=("earthquake", "지진", "地震", "tsunami warning"),
    )
    assert expo.countries == ("JP", "KR")  # lower-case "jp" and " | " spacing normalised
    assert government.start == datetime(2025, 6, 4, 0, 0, tzinfo=UTC)  # +09:00 converted to UTC
    assert (government.countries, government.keywords, government.end) == ((), (), None)
    assert pandemic.start == datetime(2025, 5, 1, 10, 0, tzinfo=UTC)  # string with offset accepted in TOML
    assert pandemic.start.tzinfo is UTC


def test_broken_toml_lists_every_problem_with_its_key_path(fixtures: Path) -> None:
    assert problems_of(fixtures / "events" / "broken.toml") == [
        "version: unknown key",
        "events[0].type: expected one of crisis, opportunity, transition, found 'disaster'",
        "events[0].countries[1]: expected an ISO 3166-1 alpha-2 code, found 'XX'",
        "events[0].keywords[1]: expected a non-empty string, found ''",
        "events[0].end: expected a time at or after start (2025-03-10T05:00:00+00:00)",
        "events[1].title: expected a non-empty string, found ''",
        "events[1].start: expected an ISO 8601 time with offset, found 2025-03-10",
        "events[1].keywords: an event of type crisis needs at least one keyword",
        "events[1].id: 'eq' is used by an earlier event (events[0])",
        "events[2].id: missing; every event needs one",
        "events[2].start: expected an ISO 8601 time with offset, found 2025-03-10T05:00:00",
        "events[2].keywords: expected a list of keywords, found 'summit'",
        "events[2].colour: unknown key",
    ]


def test_broken_csv_lists_every_problem_with_line_and_column(fixtures: Path) -> None:
    assert problems_of(fixtures / "events" / "broken.csv") == [
        "line 1, column notes: unknown column (expected id, title, type, start, end, countries, keywords)",
        "line 2, column start: expected an ISO 8601 time with offset, found '2025-03-10 05:00'",
        "line 2, column countries: expected an ISO 3166-1 alpha-2 code, found 'XX'",
        "line 3, column keywords: an event of type opportunity needs at least one keyword",
        "line 3, column id: 'eq' is used by an earlier event (line 2)",
        "line 4: 8 cells, but the header has 7 columns",
        "line 4, column id: missing; every event needs one",
    ]


def test_the_error_message_names_the_file(fixtures: Path) -> None:
    path = fixtures / "events" / "broken.toml"
    with pytest.raises(ConfigError, match=r"broken\.toml: events\[2\]\.colour: unknown key"):
        load_events(path)


def test_csv_header_missing_required_columns_is_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("id,type,keywords\nq,crisis,quake\nr,crisis,storm\n", encoding="utf-8")
    assert problems_of(path) == ["line 1: expected a title column", "line 1: expected a start column"]


def test_csv_quoted_cells_spanning_lines_keep_the_starting_line(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        'id,title,type,start\n\n"a","two\nlines",crisis,2025-01-01T00:00:00Z\nb,B,crisis,nope\n',
        encoding="utf-8",
    )
    assert problems_of(path) == [
        "line 3, column keywords: an event of type crisis needs at least one keyword",
        "line 5, column start: expected an ISO 8601 time with offset, found 'nope'",
        "line 5, column keywords: an event of type crisis needs at least one keyword",
    ]


def test_csv_with_a_bom_and_crlf_lines_loads(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    text = "id,title,type,start\r\nnew-gov,New government,transition,2025-06-04T09:00:00+09:00\r\n"
    path.write_bytes(text.encode("utf-8-sig"))
    (event,) = load_events(path)
    assert (event.id, event.start) == ("new-gov", datetime(2025, 6, 4, tzinfo=UTC))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("events.toml", None, ["no such file; expected an events file (TOML or CSV)"]),
        ("events.txt", "", ["expected an events file ending in .toml or .csv, found '.txt'"]),
        ("events.toml", "", ["events: expected at least one [[events]] table"]),
        ("events.toml", "events = [1]", ["events[0]: expected a table"]),
        ("events.csv", "", ["line 1: expected a header with the columns id, title, type, start, end, "
                            "countries, keywords"]),
        ("events.csv", "id,title,type,start\n", ["line 2: expected at least one event after the header"]),
    ],
)
def test_unusable_files(tmp_path: Path, name: str, content: str | None, expected: list[str]) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert problems_of(path) == expected


def test_invalid_toml_and_invalid_utf8_are_config_errors(tmp_path: Path) -> None:
    toml = tmp_path / "events.toml"
    toml.write_text("[[events]\n", encoding="utf-8")
    assert problems_of(toml)[0].startswith("line 1, column 9: expected valid TOML: ")
    csv = tmp_path / "events.csv"
    csv.write_bytes(b"id,title\n\xff\xfe\n")
    assert problems_of(csv)[0].startswith("byte 9: expected UTF-8 text (")


# ---------------------------------------------------------------------------------------------
# The concern rule
# ---------------------------------------------------------------------------------------------


def test_concerns_when_the_host_country_is_listed() -> None:
    assert concerns(QUAKE, host_country="JP", home_country="KR")


def test_concerns_falls_back_to_the_home_country_without_a_host() -> None:
    assert not concerns(QUAKE, host_country=None, home_country="KR")
    assert concerns(QUAKE, host_country=None, home_country="JP")


def test_an_event_without_countries_concerns_everyone() -> None:
    worldwide = Event(id="w", title="W", type="crisis", start=START, keywords=("pandemic",))
    assert concerns(worldwide, host_country="FR", home_country="KR")
    assert concerns(worldwide, host_country=None, home_country="KR")


def test_an_event_elsewhere_does_not_concern_the_account() -> None:
    assert not concerns(QUAKE, host_country="FR", home_country="JP")  # the host wins over the home country


# ---------------------------------------------------------------------------------------------
# Keyword matching
# ---------------------------------------------------------------------------------------------


def matches(texts: Sequence[str | None], keywords: list[str]) -> list[bool]:
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String()})
    return frame.select(match_keywords(pl.col("text"), keywords)).to_series().to_list()


def test_scripts_without_spaces_match_as_substrings() -> None:
    texts = ["東日本で地震が発生", "ฝนตกหนักน้ำท่วมกรุงเทพ", "地震"]
    assert matches(texts, ["地震", "น้ำท่วม"]) == [True, True, True]
    assert all(written_without_spaces(k) for k in ["地震", "น้ำท่วม", "ジシン", "ငလျင်"])
    assert not any(written_without_spaces(k) for k in ["earthquake", "землетрясение", "زلزال"])


def test_korean_matches_with_particles_attached() -> None:
    assert written_without_spaces("지진")
    texts = ["일본에서 지진이 발생했습니다", "지진으로 피해", "날씨가 좋다"]
    assert matches(texts, ["지진"]) == [True, True, False]


def test_latin_keywords_match_whole_words_only() -> None:
    texts = ["Earthquake!", "the EARTHQUAKE hit", "earthquakes"]
    assert matches(texts, ["earthquake"]) == [True, True, False]
    assert matches(["an award", "new software", "war.", "(War)"], ["war"]) == [False, False, True, True]


def test_cyrillic_and_arabic_keywords_match_whole_words() -> None:
    assert matches(["Сильное ЗЕМЛЕТРЯСЕНИЕ.", "землетрясения"], ["землетрясение"]) == [True, False]
    assert matches(["زلزال قوي في اليابان", "زلزالين"], ["زلزال"]) == [True, False]


def test_multi_word_keywords_tolerate_any_whitespace_and_full_width_text_matches() -> None:
    assert matches(["Tsunami\n  Warning issued", "tsunamiwarning"], ["tsunami warning"]) == [True, False]
    assert matches(["ＥＡＲＴＨＱＵＡＫＥ 速報", None], ["earthquake"]) == [True, False]  # NFKC


def test_latin_words_attached_to_cjk_or_hangul_still_count_as_whole_words() -> None:
    texts = ["COVID-19対策を発表", "EXPO에서 만나요", "earthquakes速報"]
    assert matches(texts, ["covid-19", "expo", "earthquake"]) == [True, True, False]


def test_regex_characters_in_keywords_are_literal() -> None:
    assert matches(["U.S.-Japan talks", "UxS.-Japan"], ["U.S.-Japan"]) == [True, False]
    assert matches(["a (b) c", "abc"], ["(b)"]) == [True, False]


def test_no_keywords_match_nothing() -> None:
    assert matches(["anything"], []) == [False]


def test_hashtags_match_the_keyword_or_its_spaceless_form() -> None:
    frame = pl.DataFrame(
        {"hashtags": [["TsunamiWarning"], ["tsunami"], ["地震"], ["earthquakes"], [], None]},
        schema={"hashtags": pl.List(pl.String())},
    )
    found = frame.select(match_hashtags(pl.col("hashtags"), ["tsunami warning", "地震", "#earthquake"]))
    assert found.to_series().to_list() == [True, False, True, False, False, False]


# ---------------------------------------------------------------------------------------------
# First responses
# ---------------------------------------------------------------------------------------------


def responses(frame: pl.DataFrame, hosts: dict[str, str | None] | None = None) -> pl.DataFrame:
    return first_responses(frame, [QUAKE], hosts or {"emb-jp": "JP"}, home_country="KR")


def test_window_edges_are_inclusive() -> None:
    frame = posts(
        {"published_at": at(-1 / 3600), "text": "earthquake", "post_id": "before"},
        {"published_at": at(0), "text": "earthquake", "post_id": "at-start"},
        {"published_at": at(72), "text": "earthquake", "post_id": "at-end"},
        {"published_at": at(72 + 1 / 3600), "text": "earthquake", "post_id": "after"},
    )
    row = responses(frame).row(0, named=True)
    assert row["first_post_id"] == "at-start"
    assert row["first_response_hours"] == 0.0
    assert row["matched_post_ids"] == ["at-start", "at-end"]


def test_a_repost_never_counts() -> None:
    frame = posts(
        {"published_at": at(1), "text": "earthquake", "kind": "repost", "post_id": "rt"},
        {"published_at": at(30), "text": "地震の情報", "kind": "reply", "post_id": "reply"},
        {"published_at": at(40), "text": "earthquake", "kind": "quote", "post_id": "quote"},
    )
    row = responses(frame).row(0, named=True)
    assert (row["first_post_id"], row["matched_post_ids"]) == ("reply", ["reply", "quote"])
    assert row["first_response_hours"] == 30.0
    assert row["responded_within_24h"] is False


def test_first_response_hours_by_hand() -> None:
    frame = posts(
        {"published_at": at(5.5), "text": "Stay safe", "hashtags": ["TsunamiWarning"], "post_id": "tw"},
        {"published_at": at(1), "text": "Lunch at the embassy", "post_id": "lunch"},
        {"published_at": at(2.25), "text": "Be careful after the earthquake", "post_id": "first"},
        {"published_at": at(26), "text": "Earthquake update", "post_id": "update"},
        {"published_at": at(0.5), "text": "earthquake", "post_id": "other", "account_id": "emb-fr"},
    )
    result = responses(frame, {"emb-jp": "JP", "emb-fr": "FR", "mofa": None})
    # 05:00 -> 07:15 UTC is 2.25 hours; emb-fr (host FR) and mofa (home KR) are not concerned by a JP event.
    assert result.to_dicts() == [
        {"account_id": "emb-jp", "event_id": "eq", "event_type": "crisis", "first_post_id": "first",
         "first_response_hours": 2.25, "responded_within_24h": True,
         "matched_post_ids": ["first", "tw", "update"]},
    ]


def test_an_unanswered_event_still_has_its_row() -> None:
    frame = posts({"published_at": at(2), "text": "Cherry blossoms"})
    result = first_responses(frame, [QUAKE], {"emb-jp": "JP", "mofa": None}, home_country="JP")
    assert result.to_dicts() == [
        {"account_id": "emb-jp", "event_id": "eq", "event_type": "crisis", "first_post_id": None,
         "first_response_hours": None, "responded_within_24h": False, "matched_post_ids": []},
        {"account_id": "mofa", "event_id": "eq", "event_type": "crisis", "first_post_id": None,
         "first_response_hours": None, "responded_within_24h": False, "matched_post_ids": []},
    ]


def test_responses_skip_transitions_and_honour_the_window_argument() -> None:
    transition = Event(id="gov", title="Gov", type="transition", start=START)
    frame = posts({"published_at": at(30), "text": "earthquake"})
    result = first_responses(frame, [transition, QUAKE], {"emb-jp": "JP"}, "KR", window_hours=24)
    assert result.select("event_id", "first_post_id").rows() == [("eq", None)]
    empty = first_responses(frame, [transition], {"emb-jp": "JP"}, "KR")
    assert empty.is_empty() and empty.columns[-1] == "matched_post_ids"
    with pytest.raises(ValueError, match="window_hours"):
        first_responses(frame, [QUAKE], {"emb-jp": "JP"}, "KR", window_hours=0)


def test_transition_split_keeps_authored_posts_on_either_side() -> None:
    frame = posts(
        {"published_at": at(-1), "post_id": "old"},
        {"published_at": at(0), "post_id": "new"},
        {"published_at": at(1), "post_id": "rt", "kind": "repost"},
    )
    before, after = transition_split(frame, Event(id="g", title="G", type="transition", start=START))
    assert before["post_id"].to_list() == ["old"]
    assert after["post_id"].to_list() == ["new"]


def test_keyword_mask_agrees_with_match_keywords():
    from audit.enrich.keywords import keyword_mask, match_keywords, prepare_for_matching

    texts = pl.Series(["Earthquake!", "award-winning software", "東日本で地震が発生", "지진이 발생했습니다",
                       "ＥＡＲＴＨＱＵＡＫＥ warning", "Tsunami  warning issued", "", None, "землетрясение в Японии"])
    keywords = ["earthquake", "war", "地震", "지진", "tsunami warning", "землетрясение"]
    expected = pl.DataFrame({"t": texts}).select(match_keywords(pl.col("t"), keywords))["t"]
    assert keyword_mask(prepare_for_matching(texts), keywords).to_list() == expected.to_list()
    assert expected.to_list() == [True, False, True, True, True, True, False, False, True]
