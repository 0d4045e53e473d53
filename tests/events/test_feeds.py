"""Saved ReliefWeb and GDACS feeds -> crisis events -> an events TOML file (audit.event_sources).

Expected values were read by hand from the real samples in ../shared/samples/crisis.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
import typer
from typer.testing import CliRunner

from audit.cli.events import app as events_app
from audit.errors import InputError
from audit.events.feeds.common import (
    alpha2_from_iso3,
    alpha2_from_name,
    events_to_toml,
    merge_duplicates,
    since_filter,
    text_without_boms,
)
from audit.events.feeds.saved import read_saved
from audit.events.loading import load_events
from audit.events.model import Event

RELIEFWEB = "crisis/reliefweb"
GDACS = "crisis/gdacs"
GDACS_2024 = f"{GDACS}/rss__2items_2024.xml"
GDACS_2019 = f"{GDACS}/rss__4items_2019.xml"


def _by_id(path: Path) -> dict[str, Event]:
    return {event.id: event for event in read_saved(path).events}


# --------------------------------------------------------------------------------------------
# ReliefWeb
# --------------------------------------------------------------------------------------------


def test_reliefweb_detail_25466(samples: Path) -> None:
    batch = read_saved(samples / RELIEFWEB / "v1_disasters_25466.json")
    assert batch.skipped == ()
    (event,) = batch.events
    assert (event.id, event.title, event.type) == ("reliefweb-25466", "Burkina Faso: Floods - Aug 2015", "crisis")
    assert (event.start, event.end, event.countries) == (datetime(2015, 8, 7, tzinfo=UTC), None, ("BF",))
    expected = {"flood", "홍수", "洪水", "inondation", "فيضان", "наводнение", "banjir"}
    assert expected <= set(event.keywords)
    assert "Burkina Faso" not in event.keywords  # the place is the event's countries, never a keyword


def test_reliefweb_detail_25846_flash_flood_in_north_macedonia(samples: Path) -> None:
    (event,) = read_saved(samples / RELIEFWEB / "v1_disasters_25846.json").events
    assert (event.id, event.start, event.countries) == ("reliefweb-25846", datetime(2015, 8, 3, tzinfo=UTC), ("MK",))
    assert {"flash flood", "flood"} <= set(event.keywords) and "North Macedonia" not in event.keywords


def test_reliefweb_list_without_dates_is_all_counted_skips(samples: Path) -> None:
    path = samples / RELIEFWEB / "v1_disasters_list__preset_external_trimmed150.json"
    batch = read_saved(path)
    assert batch.events == ()
    assert [s.index for s in batch.skipped] == list(range(150))
    assert {s.reason for s in batch.skipped} == {
        "no date.event (a list response must request it: fields[include][]=date.event)"
    }
    assert batch.skipped[0].file == str(path)


def _reliefweb_file(tmp_path: Path, *fields: dict[str, object]) -> Path:
    data = [{"id": str(i), "fields": f} for i, f in enumerate(fields)]
    path = tmp_path / "disasters.json"
    path.write_text(json.dumps({"totalCount": len(data), "count": len(data), "data": data}), encoding="utf-8")
    return path


GOOD = {
    "id": 7, "name": "Quake", "date": {"event": "2024-01-01T07:10:00+09:00"},
    "primary_type": {"name": "Earthquake", "code": "EQ"},
    "country": [{"iso3": "wld", "name": "World"}, {"iso3": "jpn", "shortname": "Japan", "primary": True}],
}


def test_reliefweb_items_converted_and_malformed_ones_skipped_with_reasons(tmp_path: Path) -> None:
    bad_date = {**GOOD, "date": {"event": "2024-01-01T07:10:00"}}
    bad_country = {**GOOD, "country": [{"iso3": "xyz"}]}
    no_name = {**GOOD, "name": ""}
    cold = {**GOOD, "primary_type": {"name": "Cold Wave", "code": "CW"}, "country": []}
    batch = read_saved(_reliefweb_file(tmp_path, GOOD, bad_date, bad_country, no_name, "oops", cold))  # type: ignore[arg-type]
    quake, cold_wave = batch.events
    assert (quake.start, quake.countries) == (datetime(2023, 12, 31, 22, 10, tzinfo=UTC), ("JP",))
    assert {"earthquake", "지진", "地震"} <= set(quake.keywords)
    assert "Japan" not in quake.keywords
    assert (cold_wave.countries, cold_wave.keywords) == ((), ("cold wave",))
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (1, "date.event: expected a time with a UTC offset, found '2024-01-01T07:10:00'"),
        (2, "country.iso3: expected an ISO 3166-1 alpha-3 code, found 'xyz'"),
        (3, "name: expected a non-empty value, found ''"),
        (4, "fields: expected an object, found str"),
    ]


# --------------------------------------------------------------------------------------------
# GDACS
# --------------------------------------------------------------------------------------------


def test_gdacs_2024_with_double_encoded_bom(samples: Path) -> None:
    path = samples / GDACS_2024
    assert path.read_bytes().startswith(b"\xc3\xaf\xc2\xbb\xc2\xbf")
    events = _by_id(path)
    assert list(events) == ["gdacs-EQ-1457082", "gdacs-EQ-1456937"]
    first = events["gdacs-EQ-1457082"]
    assert first.start == first.end == datetime(2024, 12, 10, 18, 4, 35, tzinfo=UTC)
    assert events["gdacs-EQ-1456937"].start == datetime(2024, 12, 9, 23, 8, 31, tzinfo=UTC)
    assert first.countries == ("US",)
    expected = {"earthquake", "지진", "地震", "séisme", "terremoto", "زلزال", "землетрясение", "gempa"}
    assert expected <= set(first.keywords)


def test_gdacs_2019_with_bom_multi_country_drought_and_storm_name(samples: Path) -> None:
    events = _by_id(samples / GDACS_2019)
    assert list(events) == ["gdacs-TC-1000643", "gdacs-EQ-1199929", "gdacs-DR-1013682", "gdacs-DR-1013588"]
    drought = events["gdacs-DR-1013682"]
    assert drought.countries == ("BG", "IQ", "IR", "TR")  # one iso3 (BGR); the others from the names
    assert drought.start == datetime(2019, 10, 21, tzinfo=UTC)
    assert drought.end == datetime(2019, 12, 30, 1, 27, tzinfo=UTC)
    assert {"drought", "가뭄"} <= set(drought.keywords) and not {"Turkey", "Iran"} & set(drought.keywords)
    cyclone = events["gdacs-TC-1000643"]
    assert cyclone.countries == ("MU",)
    assert {"Calvinia", "typhoon", "태풍", "台風", "hurricane"} <= set(cyclone.keywords)
    assert events["gdacs-EQ-1199929"].countries == ("ZA",)


def test_gdacs_min_alert_skips_lower_levels_with_reason(samples: Path) -> None:
    batch = read_saved(samples / GDACS_2019, min_alert="orange")
    assert batch.events == ()
    assert {s.reason for s in batch.skipped} == {"alert level Green is below the minimum (orange)"}


def _gdacs_item(**fields: str) -> str:
    values = {"eventtype": "FL", "eventid": "9", "alertlevel": "Red", "fromdate": "Mon, 01 Jan 2024 00:00:00 GMT",
              "todate": "Tue, 02 Jan 2024 00:00:00 GMT", "iso3": "IDN", "country": "Indonesia"} | fields
    inner = "".join(f"<gdacs:{k}>{v}</gdacs:{k}>" for k, v in values.items())
    return f"<item><title>Red flood</title>{inner}</item>"


def _gdacs_file(tmp_path: Path, *items: str, prefix: bytes = b"") -> Path:
    feed = f'<rss xmlns:gdacs="http://www.gdacs.org"><channel>{"".join(items)}</channel></rss>'
    path = tmp_path / "rss.xml"
    path.write_bytes(prefix + feed.encode("utf-8"))
    return path


def test_gdacs_malformed_items_are_counted_skips(tmp_path: Path) -> None:
    path = _gdacs_file(
        tmp_path, _gdacs_item(), _gdacs_item(fromdate="yesterday"), _gdacs_item(todate="Sun, 31 Dec 2023 00:00:00 GMT"),
        _gdacs_item(eventtype="XX"), _gdacs_item(iso3="QQQ"), _gdacs_item(eventid=""),
    )
    batch = read_saved(path)
    (flood,) = batch.events
    assert (flood.id, flood.countries, flood.end) == ("gdacs-FL-9", ("ID",), datetime(2024, 1, 2, tzinfo=UTC))
    assert "banjir" in flood.keywords and "Indonesia" not in flood.keywords
    assert [(s.index, s.reason) for s in batch.skipped] == [
        (1, "gdacs:fromdate: expected an RFC-822 date, found 'yesterday'"),
        (2, "gdacs:todate: expected a time at or after fromdate (2024-01-01T00:00:00+00:00)"),
        (3, "gdacs:eventtype: expected one of EQ, TC, FL, VO, DR, WF, found 'XX'"),
        (4, "gdacs:iso3: expected an ISO 3166-1 alpha-3 code, found 'QQQ'"),
        (5, "gdacs:eventid: expected a non-empty value, found ''"),
    ]


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf", b"\xc3\xaf\xc2\xbb\xc2\xbf", b"\xef\xbb\xbf\xef\xbb\xbf\n"])
def test_boms_are_stripped_before_parsing(tmp_path: Path, prefix: bytes) -> None:
    (event,) = read_saved(_gdacs_file(tmp_path, _gdacs_item(), prefix=prefix)).events
    assert event.id == "gdacs-FL-9"
    assert text_without_boms(prefix + b"{}", "x") == "{}"


# --------------------------------------------------------------------------------------------
# Malformed files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (b'{"data": [{"id": "1", ', "expected valid JSON (Expecting property name enclosed in double quotes)"),
    (b'{"items": []}', "expected a ReliefWeb API response: an object with a 'data' list"),
    (b"<rss><channel><item>", "expected well-formed XML (no element found)"),
    (b"<feed/>", "expected a GDACS RSS feed (<rss><channel>), found <feed>"),
    (b'<!DOCTYPE x [<!ENTITY a "b">]><rss/>', "expected an RSS feed without a DOCTYPE"),
    (b"id,title\n1,x\n", "expected a saved ReliefWeb disasters response (JSON), a GDACS feed or a USGS GeoJSON file"),
    (b"\xff\xfe{}", "expected UTF-8 text (invalid start byte)"),
])
def test_malformed_file_is_one_line_input_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "feed"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_saved(path)
    assert caught.value.expected == message
    assert str(caught.value).startswith(f"{path}") and "\n" not in str(caught.value)


def test_truncated_json_names_the_position(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_bytes(b'{"data": [{"id": "1", ')
    with pytest.raises(InputError, match=r"feed\.json:line 1, column 23: expected valid JSON"):
        read_saved(path)


# --------------------------------------------------------------------------------------------
# Countries, merging, filtering, TOML round trip
# --------------------------------------------------------------------------------------------


def test_country_codes_from_cldr() -> None:
    assert [alpha2_from_iso3(c) for c in ("bfa", "MKD", "USA", "COD", "XYZ")] == ["BF", "MK", "US", "CD", None]
    assert [alpha2_from_name(n) for n in ("Iran", "Turkey", "Türkiye", "south africa", "Atlantis")] == [
        "IR", "TR", "TR", "ZA", None]


def test_repeated_snapshots_merge_and_since_keeps_ongoing(samples: Path) -> None:
    events = list(read_saved(samples / GDACS_2019).events)
    merged, repeats = merge_duplicates(events + events)
    assert (merged, repeats) == (events, 4)
    kept, early = since_filter(events, date(2019, 12, 29))
    assert [e.id for e in kept] == ["gdacs-TC-1000643", "gdacs-DR-1013682", "gdacs-DR-1013588"] and early == 1


def test_written_toml_loads_back_to_the_same_events(samples: Path, tmp_path: Path) -> None:
    events = [e for path in sorted((samples / "crisis").rglob("*.*")) for e in read_saved(path).events]
    tricky = Event("odd\"id\\", 'Quote " back\\slash\nnew\tline \x7f \x01 😀', "crisis",
                   datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC), countries=("KR",), keywords=("지진", "a\"b"))
    out = tmp_path / "events.toml"
    out.write_text(events_to_toml([*events, tricky]), encoding="utf-8")
    assert load_events(out) == (*events, tricky)
    assert len(events) == 8


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------

runner = CliRunner()
cli = typer.Typer()
cli.add_typer(events_app, name="events")


@cli.callback()
def _root() -> None:
    """Stands in for the main `audit` app, which registers the sub-app the same way."""


def test_cli_converts_all_samples(samples: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.toml"
    files = [str(p) for p in sorted((samples / "crisis").rglob("*.*"))]
    result = runner.invoke(cli, ["events", "convert", *files, "--out", str(out), "--since", "2019-12-01"])
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"Wrote 6 events to {out}; skipped 150 items (2 ended before --since)."
    assert lines[1].startswith("  150 x no date.event") and lines[1].endswith("trimmed150.json#0)")
    assert [e.id for e in load_events(out)] == [
        "gdacs-EQ-1457082", "gdacs-EQ-1456937", "gdacs-TC-1000643", "gdacs-EQ-1199929",
        "gdacs-DR-1013682", "gdacs-DR-1013588"]


@pytest.mark.parametrize(("extra", "error"), [
    (["--min-alert", "purple"], "Error: --min-alert: expected one of green, orange, red, found 'purple'"),
    (["--since", "last week"], "Error: --since: expected a day as YYYY-MM-DD, found 'last week'"),
])
def test_cli_bad_options(samples: Path, tmp_path: Path, extra: list[str], error: str) -> None:
    out = str(tmp_path / "e.toml")
    result = runner.invoke(cli, ["events", "convert", str(samples / GDACS_2019), "--out", out, *extra])
    assert (result.exit_code, result.stderr.splitlines()) == (1, [error])


def test_cli_errors_are_one_line_and_write_nothing(samples: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    out = tmp_path / "e.toml"
    result = runner.invoke(cli, ["events", "convert", str(samples / GDACS_2019), str(bad), "--out", str(out)])
    assert (result.exit_code, result.stderr.splitlines()) == (
        1, [f"Error: {bad}: expected a ReliefWeb API response: an object with a 'data' list"])
    args = ["events", "convert", str(samples / GDACS_2019), "--out", str(out)]
    result = runner.invoke(cli, [*args, "--min-alert", "red"])
    assert (result.exit_code, result.stderr.splitlines()) == (
        1, [f"Error: {out}: expected at least one event to write; 4 items were skipped"])
    result = runner.invoke(cli, ["events", "convert", str(samples / GDACS_2019), "--out", str(tmp_path / "e.csv")])
    assert result.stderr.splitlines() == [f"Error: {tmp_path / 'e.csv'}: expected an output file ending in .toml"]
    assert not out.exists()


def test_a_trade_post_naming_a_country_answers_no_disaster_there() -> None:
    """Issue 9: converted GDACS events carried bare country names, so a trade post mentioning
    "United States" answered two earthquakes. Keywords are hazard words (and a storm's name) only."""
    from audit.enrich.keywords import matches_event
    from audit.events.feeds.common import event_keywords, hazard_keywords

    keywords = event_keywords(hazard_keywords(["EQ"]), ("US", "MX"), ["United States", "Mexico"])
    assert not {"United States", "Mexico"} & set(keywords)
    posts = pl.DataFrame({"text": ["Our trade talks with the United States went well today.",
                                   "Deep condolences to everyone affected by the earthquake."],
                          "hashtags": [[], []]}, schema={"text": pl.String, "hashtags": pl.List(pl.String)})
    assert posts.select(matches_event(keywords))["text"].to_list() == [False, True]
