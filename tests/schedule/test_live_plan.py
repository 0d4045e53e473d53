"""Plans that fetch over the network: `collect = true` and `[events.fetch]`, on replayed recorded APIs.

The Mastodon account is the replay of tests/live/fakes.py and the three crisis feeds the replay of
tests/events/feed_fakes.py (recorded real answers, and pages derived from them); one httpx
MockTransport serves both, by host, through the plan's `Tools(http=...)`. No network.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from audit.errors import ConfigError
from audit.events.loading import load_events
from audit.schedule.plan import load_plan
from audit.schedule.runner import Tools, run_plan
from audit.sources.http import HttpClient, Policy
from tests.events.feed_fakes import FakeFeeds
from tests.live.fakes import MASTODON_ACCOUNT, FakeMastodon, accounts_file
from tests.schedule.helpers import FakeAudit, FakeRender, make_plan, write_plan

DECEMBER_2026 = datetime(2026, 12, 2, tzinfo=UTC)
DECEMBER_2024 = datetime(2024, 12, 2, tzinfo=UTC)


class Internet:
    """One replay transport for every host a plan asks: the Mastodon server, else the crisis feeds."""

    def __init__(self, mastodon: FakeMastodon | None = None, feeds: FakeFeeds | None = None) -> None:
        self.mastodon, self.feeds = mastodon or FakeMastodon(0), feeds or FakeFeeds()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        return (self.mastodon if request.url.host == "diplo.example.social" else self.feeds)(request)

    def client(self) -> HttpClient:
        policy = Policy(retries=2, backoff=0.01, max_backoff=0.01)
        return HttpClient(policy=policy, transport=httpx.MockTransport(self), sleep=lambda _: None)


class EventsSeen(FakeAudit):
    """A fake audit that also keeps the ids of the events file each period was audited with."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[list[str]] = []

    def __call__(self, accounts: Path, *, since: date, until: date, **kwargs: Any) -> dict[str, Any]:
        events = kwargs.get("events")
        self.events.append([e.id for e in load_events(events)] if events else [])
        return super().__call__(accounts, since=since, until=until)


def live_plan(tmp_path: Path, extra: str = "", **keys: Any) -> Path:
    accounts = accounts_file(tmp_path, MASTODON_ACCOUNT)
    values = {"accounts": str(accounts), "events": None, "timezone": "UTC", "start": date(2026, 11, 1),
              "end": date(2026, 11, 30), **keys}
    return write_plan(tmp_path, extra, **values)


# --------------------------------------------------------------------------------------------
# The plan file
# --------------------------------------------------------------------------------------------


def test_a_plan_reads_collect_and_events_fetch(tmp_path: Path) -> None:
    plan = make_plan(tmp_path, '\n[events.fetch]\ncountries = ["jp", "ID"]\nmin_alert = "orange"\n', collect=True)
    assert plan.collect is True
    assert plan.fetch_events is not None and plan.fetch_events.countries == ("JP", "ID")
    assert plan.fetch_events.min_alert == "orange" and plan.fetch_events.min_magnitude == 5.0
    assert make_plan(tmp_path / "plain").fetch_events is None and make_plan(tmp_path / "plain").collect is False


@pytest.mark.parametrize(("extra", "keys", "problem"), [
    ("", {"collect": "yes"}, "plan.collect: expected true or false, found 'yes'"),
    ('\n[events.fetch]\ncountries = ["Japan"]\n', {}, "events.fetch.countries: expected a list of ISO 3166-1"),
    ('\n[events.fetch]\nmin_alert = "amber"\n', {}, "events.fetch.min_alert: expected one of green, orange, red"),
    ('\n[events.fetch]\nmin_magnitude = 11\n', {}, "events.fetch.min_magnitude: expected a magnitude from 0 to 10"),
    ('\n[events.fetch]\nsince = 2026-01-01\n', {}, "events.fetch.since: unknown key"),
    ('\n[events]\nfetch = true\n', {}, "events.fetch: expected a table"),
    ('\n[events]\nfile = "x.toml"\n', {}, "events.file: unknown key (expected fetch)"),
    ('\n[events.fetch]\napis = { emdat = "https://x.org" }\n', {}, "events.fetch.apis.emdat: unknown feed"),
    ('\n[events.fetch]\napis = { usgs = "mirror" }\n', {}, "events.fetch.apis.usgs: expected the server's base URL"),
], ids=["collect", "countries", "alert", "magnitude", "unknown", "not-a-table", "events-unknown", "feed", "url"])
def test_a_wrong_collect_or_events_fetch_is_a_config_error_with_its_key_path(
        tmp_path: Path, extra: str, keys: dict[str, Any], problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_plan(write_plan(tmp_path, extra, **keys))
    assert problem in str(caught.value)


# --------------------------------------------------------------------------------------------
# collect = true
# --------------------------------------------------------------------------------------------


def test_collect_true_fetches_the_accounts_into_the_store_before_the_period_is_audited(tmp_path: Path) -> None:
    net = Internet(FakeMastodon(100))  # one post an hour from 2026-11-01 00:00
    lines: list[str] = []
    summary = run_plan(load_plan(live_plan(tmp_path, collect=True)), now=DECEMBER_2026, say=lines.append,
                       tools=Tools(render=FakeRender(), http=net.client()))
    assert [(o.period, o.status) for o in summary.outcomes] == [("2026-11", "ok")]
    [read] = _result(tmp_path, "2026-11")["coverage"]["files"]
    assert read["path"] == ".audit-store/hq-en/pages" and read["posts"] == 100
    assert any("back to 2026-11-01 on a first collection" in line for line in lines)
    assert (tmp_path / ".audit-store" / "hq-en" / "manifest.json").is_file()


def test_collect_runs_once_per_run_back_to_the_earliest_period_it_audits(tmp_path: Path) -> None:
    net, audit = Internet(FakeMastodon(30)), FakeAudit()
    plan = load_plan(live_plan(tmp_path, collect=True, start=date(2026, 9, 1)))
    lines: list[str] = []
    run_plan(plan, now=DECEMBER_2026, say=lines.append, tools=Tools(audit=audit, render=FakeRender(),
                                                                    http=net.client()))
    assert audit.periods == ["2026-09", "2026-10", "2026-11"]
    assert sum("Collecting the accounts" in line for line in lines) == 1
    assert any("back to 2026-09-01" in line for line in lines)
    lookups = [r for r in net.mastodon.requests if r.url.path.endswith("/lookup")]
    assert len(lookups) == 1


def test_an_account_that_cannot_be_collected_is_a_warning_and_the_store_is_audited(tmp_path: Path) -> None:
    net = Internet(FakeMastodon(100))
    plan = load_plan(live_plan(tmp_path, collect=True))
    run_plan(plan, now=DECEMBER_2026, tools=Tools(render=FakeRender(), http=net.client()))
    net.mastodon.fail("/statuses", *[httpx.Response(503)] * 3)  # every try of the next collection
    lines: list[str] = []
    summary = run_plan(plan, now=DECEMBER_2026, force="2026-11", say=lines.append,
                       tools=Tools(render=FakeRender(), http=net.client()))
    assert [(o.period, o.status) for o in summary.outcomes] == [("2026-11", "ok")]
    assert any(line.startswith("Warning: hq-en:") and "gave up after 3 tries (HTTP 503)" in line
               and "auditing what the store already holds" in line for line in lines)
    assert _result(tmp_path, "2026-11")["coverage"]["files"][0]["posts"] == 100
    [gap] = [g for g in _result(tmp_path, "2026-11")["coverage"]["gaps"] if g.get("cause") == "not_collected"]
    assert (gap["from"], gap["to"]) == ("2026-11-04", "2026-12-01") and "HTTP 503" in gap["reason"]


def test_collect_true_without_a_collected_account_says_so(tmp_path: Path) -> None:
    lines: list[str] = []
    run_plan(make_plan(tmp_path, collect=True), now=datetime(2025, 2, 2, tzinfo=UTC), say=lines.append,
             tools=Tools(audit=FakeAudit(), render=FakeRender()))
    assert any("no account in accounts.toml is marked collect" in line for line in lines)


# --------------------------------------------------------------------------------------------
# [events.fetch]
# --------------------------------------------------------------------------------------------

SPAIN = '\n[events.fetch]\ncountries = ["ES"]\n'


def test_each_period_is_audited_with_the_events_fetched_for_its_days(tmp_path: Path) -> None:
    net, audit = Internet(), EventsSeen()
    plan = make_plan(tmp_path, SPAIN, start=date(2024, 10, 1), end=date(2024, 11, 30), timezone="UTC")
    summary = run_plan(plan, now=DECEMBER_2024, tools=Tools(audit=audit, render=FakeRender(), http=net.client()))
    assert [(o.period, o.status) for o in summary.outcomes] == [("2024-10", "ok"), ("2024-11", "ok")]
    own = [e.id for e in load_events(plan.events)] if plan.events else []
    assert [ids[len(own):] for ids in audit.events] == [["gdacs-FL-1102983"]] * 2  # the flood spans both months
    usgs = [r for r in net.feeds.requests if "fdsnws" in r.url.path]
    assert [(r.url.params["starttime"][:10], r.url.params["endtime"][:10]) for r in usgs][0][0] == "2024-10-01"


def test_fetched_events_join_the_plan_events_file_which_wins_on_the_same_id(tmp_path: Path) -> None:
    own = tmp_path / "own.toml"
    own.write_text('[[events]]\nid = "gdacs-FL-1102983"\ntitle = "Valencia floods (our wording)"\ntype = "crisis"\n'
                   'start = 2024-10-29T00:00:00Z\ncountries = ["ES"]\nkeywords = ["DANA"]\n', encoding="utf-8")
    audit = EventsSeen()
    plan = make_plan(tmp_path, SPAIN, start=date(2024, 11, 1), end=date(2024, 11, 30), timezone="UTC",
                     events=str(own))
    run_plan(plan, now=DECEMBER_2024, tools=Tools(audit=audit, render=FakeRender(), http=Internet().client()))
    assert audit.events == [["gdacs-FL-1102983"]]


def test_a_period_without_events_anywhere_is_audited_without_an_events_file(tmp_path: Path) -> None:
    audit = EventsSeen()
    plan = make_plan(tmp_path, '\n[events.fetch]\ncountries = ["JP"]\n', events=None, start=date(2024, 11, 1),
                     end=date(2024, 11, 30), timezone="UTC")
    summary = run_plan(plan, now=DECEMBER_2024, tools=Tools(audit=audit, render=FakeRender(),
                                                            http=Internet().client()))
    assert summary.exit_code == 0 and audit.events == [[]]


def test_a_feed_that_fails_fails_only_its_period_with_a_one_line_status_and_is_retried(tmp_path: Path) -> None:
    net, audit = Internet(), EventsSeen()
    plan = make_plan(tmp_path, SPAIN, start=date(2024, 10, 1), end=date(2024, 11, 30), timezone="UTC")
    net.feeds.fail("/fdsnws", *[httpx.Response(503)] * 3)  # USGS: every try while October is fetched
    first = run_plan(plan, now=DECEMBER_2024, tools=Tools(audit=audit, render=FakeRender(), http=net.client()))
    assert [(o.period, o.status) for o in first.outcomes] == [("2024-10", "failed"), ("2024-11", "ok")]
    error = first.outcomes[0].error or ""
    assert error.startswith("fetching the crisis events of 2024-10: USGS") and "gave up after 3 tries" in error
    assert "\n" not in error and "Traceback" not in error and first.exit_code == 2
    again = run_plan(plan, now=DECEMBER_2024, tools=Tools(audit=audit, render=FakeRender(), http=net.client()))
    assert [(o.period, o.status) for o in again.outcomes] == [("2024-10", "ok")]


def test_countries_default_to_the_ministry_and_the_accounts_host_countries(tmp_path: Path) -> None:
    from audit.schedule.live import EventsFetch, countries_of
    from tests.schedule.helpers import ACCOUNTS

    assert countries_of(EventsFetch(), ACCOUNTS)[0] == "KR"  # the synthetic ministry's country
    assert countries_of(EventsFetch(("JP",)), ACCOUNTS) == ("JP",)


def _result(folder: Path, period: str) -> dict[str, Any]:
    import json

    return json.loads((folder / "reports" / "test-plan" / period / f"test-plan-{period}.json").read_text())


def test_audit_schedule_run_collects_from_a_real_loopback_server(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from audit.cli.app import app
    from tests.live.fakes import loopback

    fake = FakeMastodon(30)
    with loopback(fake) as base:
        plan = live_plan(tmp_path, collect=True)
        accounts = tmp_path / "accounts.toml"
        accounts.write_text(accounts.read_text().replace("https://diplo.example.social", base), encoding="utf-8")
        result = CliRunner().invoke(app, ["schedule", "run", str(plan)], env={"AUDIT_NOW": "2026-12-02T00:00:00Z"})
    assert result.exit_code == 0, result.output
    assert "hq-en: page 1: 30 posts, back to 2026-11-01" in result.output + result.stderr
    assert _result(tmp_path, "2026-11")["coverage"]["files"][0]["posts"] == 30


def test_audit_schedule_run_fetches_events_from_feed_mirrors_on_a_real_loopback_server(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from audit.cli.app import app
    from tests.live.fakes import loopback

    feeds = FakeFeeds()
    with loopback(feeds) as base:
        mirrors = f'apis = {{ usgs = "{base}", gdacs = "{base}", reliefweb = "{base}" }}\n'
        plan = write_plan(tmp_path, SPAIN + mirrors, start=date(2024, 11, 1), end=date(2024, 11, 30), timezone="UTC")
        result = CliRunner().invoke(app, ["schedule", "run", str(plan)],
                                    env={"AUDIT_NOW": "2024-12-02T00:00:00Z", "RELIEFWEB_APPNAME": ""})
    assert result.exit_code == 0, result.output
    assert "Fetched 1 crisis event for 2024-11-01 to 2024-11-30" in result.output + result.stderr
    assert "gdacs-FL-1102983" in [e["id"] for e in _result(tmp_path, "2024-11")["events"]]
    assert {r.url.path for r in feeds.requests} >= {"/fdsnws/event/1/query", "/gdacsapi/api/events/geteventlist/SEARCH"}
