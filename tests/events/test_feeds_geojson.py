"""Saved USGS and GDACS GeoJSON answers read by `audit events convert`, through the parsers `fetch` uses."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.cli.app import app
from audit.events.feeds.saved import read_saved
from audit.events.feeds.usgs import country_of_place
from audit.events.loading import load_events
from tests.live.fakes import LIVE


@pytest.mark.parametrize(("name", "event_id", "countries", "keywords"), [
    ("gdacs/geteventdata__DR_1016449_2026.json", "gdacs-DR-1016449", ("AR", "BO", "BR", "PY"), ("drought", "sequía")),
    ("gdacs/geteventdata__FL_1102983_2024_red.json", "gdacs-FL-1102983", ("ES",), ("flood", "inundación")),
    ("gdacs/geteventdata__WF_1028649_2026.json", "gdacs-WF-1028649", ("CN",), ("wildfire", "山火")),
    ("gdacs/geteventdata__TC_1001253_2026.json", "gdacs-TC-1001253", (), ("typhoon",)),
    ("usgs/fdsnws_event_query__geojson_northridge_1994.json", "usgs-ci3144585", ("US",), ("earthquake", "地震")),
])
def test_each_recorded_answer_is_one_event(name: str, event_id: str, countries: tuple[str, ...],
                                           keywords: tuple[str, ...]) -> None:
    [event] = read_saved(LIVE / name).events
    assert (event.id, event.countries) == (event_id, countries)
    assert set(keywords) <= set(event.keywords) and event.start.utcoffset() is not None


def test_an_unnamed_depression_gives_no_number_word_as_keyword() -> None:
    [storm] = read_saved(LIVE / "gdacs/geteventdata__TC_1001253_2026.json").events
    assert "Eighteen" not in storm.keywords


def test_gdacs_glide_travels_beside_the_event_for_the_join() -> None:
    batch = read_saved(LIVE / "gdacs/getepisodedata__FL_1102983_ep1_2025.json")
    assert batch.joins["gdacs-FL-1102983"].glide == "FL-2024-000199-ESP"


def test_gdacs_min_alert_reads_the_revised_level() -> None:
    red, orange = (LIVE / "gdacs/geteventdata__FL_1102983_2024_red.json",
                   LIVE / "gdacs/getepisodedata__FL_1102983_ep1_2025.json")
    assert len(read_saved(red, "red").events) == 1
    assert [s.reason for s in read_saved(orange, "red").skipped] == ["alert level Orange is below the minimum (red)"]


def test_usgs_summary_feed_quakes_without_a_country_are_counted_skips() -> None:
    batch = read_saved(LIVE / "usgs/summary_feed__2.5_week_2016.json")
    assert len(batch.events) + len(batch.skipped) == 247
    assert {e.countries for e in batch.events} >= {("JP",), ("ID",), ("US",), ("PR",)}
    assert any("Mid-Atlantic Ridge" in s.reason and "no country" in s.reason for s in batch.skipped)


@pytest.mark.parametrize(("place", "code"), [
    ("1km NNW of Reseda, CA", "US"), ("26km SSW of Kaktovik, Alaska", "US"), ("6km E of Tbilisi, Georgia", "GE"),
    ("near the east coast of Honshu, Japan", "JP"), ("Kepulauan Talaud, Indonesia", "ID"),
    ("Northern Mid-Atlantic Ridge", None), ("", None),
])
def test_country_of_a_usgs_place(place: str, code: str | None) -> None:
    assert country_of_place(place) == code


def test_usgs_min_alert_leaves_out_quakes_without_a_pager_alert() -> None:
    batch = read_saved(LIVE / "usgs/fdsnws_event_query__geojson_three_events_2018.json", "green")
    assert batch.events == () and len(batch.skipped) == 3
    assert batch.skipped[0].reason == "PAGER alert None is below the minimum (green)"


def test_convert_reads_saved_geojson_of_all_three_kinds(tmp_path: Path) -> None:
    out = tmp_path / "events.toml"
    sources = [LIVE / name for name in (
        "gdacs/geteventdata__FL_1102983_2024_red.json", "gdacs/getepisodedata__FL_1102983_ep1_2025.json",
        "usgs/fdsnws_event_query__geojson_northridge_1994.json", "reliefweb/v2_disasters_52429.json")]
    result = CliRunner().invoke(app, ["events", "convert", *map(str, sources), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [e.id for e in load_events(out)] == ["gdacs-FL-1102983", "usgs-ci3144585", "reliefweb-52429"]
