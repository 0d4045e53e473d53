"""`audit events fetch`: the three crisis feeds replayed from recorded answers, joined into one events file.

No network: the API tests use httpx.MockTransport on the replay fake, the command-line tests a real
loopback server (tests/live/fakes.py) answering with the same fake.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from audit.cli.app import app
from audit.errors import InputError
from audit.events.fetch import APPNAME_ENV, FetchRequest, fetch_events
from audit.events.loading import load_events
from tests.events.feed_fakes import APPNAME, FakeFeeds, gdacs_northridge
from tests.live.fakes import loopback

SPAIN_FLOOD = FetchRequest(since="2024-10-20", until="2024-11-10", countries="ES")
NORTHRIDGE = FetchRequest(since="1994-01-17", until="1994-01-17", countries="US")


def fetched(fake: FakeFeeds, request: FetchRequest, appname: str | None = APPNAME) -> tuple[object, list[str]]:
    lines: list[str] = []
    client, _ = fake.client()
    environ = {APPNAME_ENV: appname} if appname else {}
    return fetch_events(request, client, say=lines.append, environ=environ), lines


# --------------------------------------------------------------------------------------------
# Each feed, and one event per disaster
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("keep", "request_", "event_id", "keyword"), [
    ("usgs", NORTHRIDGE, "usgs-ci3144585", "earthquake"),
    ("gdacs", SPAIN_FLOOD, "gdacs-FL-1102983", "inundación"),
    ("reliefweb", SPAIN_FLOOD, "reliefweb-52001", "flood"),
])
def test_each_feed_alone_gives_its_events(keep: str, request_: FetchRequest, event_id: str, keyword: str) -> None:
    fake = FakeFeeds()
    fake.usgs = fake.usgs if keep == "usgs" else {"type": "FeatureCollection", "features": []}
    fake.gdacs = fake.gdacs if keep == "gdacs" else []
    fake.reliefweb = fake.reliefweb if keep == "reliefweb" else []
    done, _ = fetched(fake, request_)
    [event] = done.events  # type: ignore[attr-defined]
    assert event.id == event_id and keyword in event.keywords and event.type == "crisis"


def test_reliefweb_and_gdacs_seeing_one_flood_give_one_event_joined_on_glide() -> None:
    done, _ = fetched(FakeFeeds(), SPAIN_FLOOD)
    [flood] = [e for e in done.events if "ES" in e.countries]  # type: ignore[attr-defined]
    assert flood.id == "reliefweb-52001" and flood.title == "Spain: Floods - Oct 2024"  # the editors' title wins
    assert flood.end is not None and flood.end.isoformat() == "2024-11-04T11:00:00+00:00"  # GDACS's span
    assert done.joined == 1  # type: ignore[attr-defined]
    assert "Spain" not in flood.keywords and "inundación" in flood.keywords  # never a bare country name


def test_an_earthquake_seen_by_usgs_and_gdacs_without_glide_is_joined_on_time_place_and_hazard() -> None:
    fake = FakeFeeds()
    fake.gdacs.append(gdacs_northridge())
    done, _ = fetched(fake, NORTHRIDGE)
    [quake] = done.events  # type: ignore[attr-defined]
    assert quake.id == "gdacs-EQ-1000001" and quake.countries == ("US",) and done.joined == 1  # type: ignore[attr-defined]
    assert quake.start.isoformat() == "1994-01-17T12:30:55.390000+00:00"  # the earliest sighting


def test_events_elsewhere_are_left_out_and_counted() -> None:
    done, _ = fetched(FakeFeeds(), FetchRequest(since="2024-10-20", until="2024-11-10", countries="JP,ID"))
    assert done.events == () and done.elsewhere > 0  # type: ignore[attr-defined]


def test_without_an_appname_reliefweb_is_skipped_with_a_note_and_the_others_still_run() -> None:
    fake = FakeFeeds()
    done, lines = fetched(fake, SPAIN_FLOOD, appname=None)
    assert [e.id for e in done.events] == ["gdacs-FL-1102983"]  # type: ignore[attr-defined]
    assert any(line.startswith(f"ReliefWeb: skipped, {APPNAME_ENV} is not set") for line in lines)
    assert not any(r.url.path == "/v2/disasters" for r in fake.requests)


def test_reliefweb_is_read_page_by_page_to_its_total(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("audit.events.fetch_feeds.RELIEFWEB_PAGE", 1)
    fake = FakeFeeds()
    done, _ = fetched(fake, SPAIN_FLOOD)
    offsets = [r.url.params["offset"] for r in fake.requests if r.url.path == "/v2/disasters"]
    assert offsets == ["0", "1"] and "reliefweb-52001" in [e.id for e in done.events]  # type: ignore[attr-defined]


def test_gdacs_is_asked_one_hazard_and_at_most_31_days_at_a_time() -> None:
    fake = FakeFeeds()
    fetched(fake, FetchRequest(since="2024-10-01", until="2024-12-15", countries="ES", min_alert="orange"))
    asked = [r.url.params for r in fake.requests if r.url.path.endswith("/SEARCH")]
    assert {p["eventlist"] for p in asked} == {"EQ", "TC", "FL", "VO", "DR", "WF"} and len(asked) == 6 * 3
    assert {p["alertlevel"] for p in asked} == {"Orange;Red"}


@pytest.mark.parametrize(("request_", "message"), [
    (FetchRequest(since="2024-10-20", countries="Japan"), "--countries: expected ISO 3166-1 alpha-2 codes"),
    (FetchRequest(since="20-10-2024", countries="JP"), "--since: expected a day as YYYY-MM-DD"),
    (FetchRequest(since="2024-10-20", until="2024-10-01", countries="JP"), "--until: expected a day at or after"),
    (FetchRequest(since="2024-10-20", countries="JP", min_alert="amber"), "--min-alert: expected one of"),
    (FetchRequest(since="2024-10-20", countries="JP", apis={"emdat": "http://x"}), "--feed-api: expected a feed"),
])
def test_bad_requests_are_one_line_errors_before_any_request(request_: FetchRequest, message: str) -> None:
    fake = FakeFeeds()
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        fetched(fake, request_)
    assert fake.requests == []


# --------------------------------------------------------------------------------------------
# The command on a loopback server: faults, errors, secrets
# --------------------------------------------------------------------------------------------


def run_fetch(fake: FakeFeeds, out: Path, *extra: str, env: dict[str, str] | None = None) -> object:
    with loopback(fake) as base:
        apis = [arg for feed in ("usgs", "gdacs", "reliefweb") for arg in ("--feed-api", f"{feed}={base}")]
        args = ["events", "fetch", "--since", "2024-10-20", "--until", "2024-11-10", "--countries", "ES,US",
                "--out", str(out), *apis, *extra]
        return CliRunner().invoke(app, args, env={APPNAME_ENV: APPNAME} if env is None else env)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The client's waits, recorded instead of slept (the backoff, not the test, should wait)."""
    waited: list[float] = []
    monkeypatch.setattr(time, "sleep", waited.append)
    return waited


def test_cli_writes_an_events_file_that_loads_back(tmp_path: Path) -> None:
    out = tmp_path / "events.toml"
    result = run_fetch(FakeFeeds(), out)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    [flood] = load_events(out)
    assert flood.id == "reliefweb-52001" and flood.countries == ("ES",)
    assert "Copyright European Union" in out.read_text(encoding="utf-8")
    assert "Wrote 1 event to" in result.stderr and "1 sighting joined" in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("feed_path", ["/fdsnws/event/1/query", "/SEARCH", "/v2/disasters"])
def test_429_with_retry_after_is_waited_for_then_the_fetch_succeeds(tmp_path: Path, sleeps: list[float],
                                                                    feed_path: str) -> None:
    fake = FakeFeeds()
    fake.fail(feed_path, httpx.Response(429, headers={"Retry-After": "30"}))
    result = run_fetch(fake, tmp_path / "events.toml")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert sleeps == [30.0] and "Waiting 30 s (HTTP 429), until " in result.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize(("feed_path", "name", "url"), [
    ("/fdsnws/event/1/query", "USGS", "/fdsnws/event/1/query?format=geojson"),
    ("/SEARCH", "GDACS", "/gdacsapi/api/events/geteventlist/SEARCH?eventlist=EQ"),
    ("/v2/disasters", "ReliefWeb", "/v2/disasters?appname=***"),
])
def test_a_503_storm_ends_in_one_error_line_naming_the_feed_and_url(tmp_path: Path, sleeps: list[float],
                                                                   feed_path: str, name: str, url: str) -> None:
    fake = FakeFeeds()
    fake.fail(feed_path, *[httpx.Response(503)] * 10)
    out = tmp_path / "events.toml"
    result = run_fetch(fake, out)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]  # type: ignore[attr-defined]
    assert result.exit_code == 1 and len(errors) == 1 and not out.exists()  # type: ignore[attr-defined]
    assert errors[0].startswith(f"Error: {name}: http://127.0.0.1:") and url in errors[0]
    assert "gave up after 6 tries (HTTP 503); run the same command later; nothing was written" in errors[0]
    assert len(sleeps) == 5


@pytest.mark.parametrize(("feed_path", "name", "body"), [
    ("/fdsnws/event/1/query", "USGS", b"<html>Service unavailable</html>"),
    ("/SEARCH", "GDACS", b'{"type": "FeatureCollection", "features": [{"type": "Feature", '),
    ("/v2/disasters", "ReliefWeb", b'{"error": "no data list"}'),
])
def test_a_malformed_page_is_one_error_line_and_nothing_is_written(tmp_path: Path, feed_path: str, name: str,
                                                                   body: bytes) -> None:
    fake = FakeFeeds()
    fake.fail(feed_path, httpx.Response(200, content=body, headers={"content-type": "application/json"}))
    out = tmp_path / "events.toml"
    out_before = out.exists()
    result = run_fetch(fake, out)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]  # type: ignore[attr-defined]
    assert result.exit_code == 1 and len(errors) == 1 and out.exists() == out_before  # type: ignore[attr-defined]
    assert errors[0].startswith(f"Error: {name}: http://127.0.0.1:") and "nothing was written" in errors[0]


@pytest.mark.parametrize("fault", [None, httpx.Response(503), httpx.Response(200, content=b"not json")])
def test_the_appname_never_appears_in_output_errors_or_the_file(tmp_path: Path, sleeps: list[float],
                                                                fault: httpx.Response | None) -> None:
    fake = FakeFeeds()
    if fault is not None:
        fake.fail("/v2/disasters", *[fault] * 10)
    out = tmp_path / "events.toml"
    result = run_fetch(fake, out)
    assert any(r.url.params.get("appname") == APPNAME for r in fake.requests)  # it was sent
    shown = result.output + result.stderr + (out.read_text(encoding="utf-8") if out.exists() else "")  # type: ignore[attr-defined]
    assert APPNAME not in shown and (fault is None or "Error: ReliefWeb: " in result.stderr)  # type: ignore[attr-defined]


def test_cli_without_the_appname_notes_it_and_still_writes(tmp_path: Path) -> None:
    out = tmp_path / "events.toml"
    result = run_fetch(FakeFeeds(), out, env={APPNAME_ENV: ""})
    assert result.exit_code == 0 and "ReliefWeb: skipped" in result.stderr  # type: ignore[attr-defined]
    assert [e.id for e in load_events(out)] == ["gdacs-FL-1102983"]
