"""`audit collect` end to end: a real loopback server, progress on stderr, then `audit posts` reads the store."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import httpx
import polars as pl
from typer.testing import CliRunner

from audit.cli.app import app
from tests.live.fakes import MASTODON_ACCOUNT, FakeMastodon, accounts_file, loopback


def test_collect_then_read_the_store_like_an_export(tmp_path):
    fake = FakeMastodon(45)
    with loopback(fake) as base:
        accounts = accounts_file(tmp_path, MASTODON_ACCOUNT.replace("https://diplo.example.social", base))
        collected = CliRunner().invoke(app, ["collect", str(accounts), "--since", "2026-11-01"])
        again = CliRunner().invoke(app, ["collect", str(accounts)])
    assert collected.exit_code == 0, collected.output
    assert "hq-en: page 1: 40 posts, back to 2026-11-01" in collected.stderr
    assert "hq-en (mastodon): done: 45 posts on 3 pages, 4 requests" in collected.stderr
    assert again.exit_code == 0 and "done: 40 posts on 1 pages, 2 requests" in again.stderr
    out = tmp_path / "posts.parquet"
    assert CliRunner().invoke(app, ["posts", str(accounts), "--out", str(out)]).exit_code == 0
    assert pl.read_parquet(out).height == 45


def test_a_failed_account_exits_1_with_a_one_line_error_and_stays_resumable(tmp_path, monkeypatch):
    monkeypatch.setattr(time, "sleep", lambda seconds: None)  # the backoff, not the test, should wait
    fake = FakeMastodon(5)
    fake.fail("/statuses", *[httpx.Response(502)] * 20)
    with loopback(fake) as base:
        accounts = accounts_file(tmp_path, MASTODON_ACCOUNT.replace("https://diplo.example.social", base))
        result = CliRunner().invoke(app, ["collect", str(accounts)])
    assert result.exit_code == 1
    error = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(error) == 1 and "hq-en: " in error[0] and "gave up after 6 tries (HTTP 502)" in error[0]
    assert "hq-en (mastodon): failed, resumable: 0 posts" in result.stderr


def test_run_with_collect_fetches_first_then_audits_the_store(tmp_path):
    fake = FakeMastodon(30, start=datetime(2026, 11, 2, tzinfo=UTC))
    with loopback(fake) as base:
        accounts = accounts_file(tmp_path, MASTODON_ACCOUNT.replace("https://diplo.example.social", base))
        out = tmp_path / "result.json"
        result = CliRunner().invoke(app, ["run", str(accounts), "--collect", "--since", "2026-11-01",
                                          "--until", "2026-11-30", "--json", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    [read] = json.loads(out.read_text())["coverage"]["files"]
    assert read["path"] == ".audit-store/hq-en/pages" and read["posts"] == 30


def test_the_summary_counts_the_replies_by_others(tmp_path):
    fake = FakeMastodon(12)
    fake.statuses[0]["replies_count"] = 1
    table = 'collect = { api = "BASE", replies = 5 }'
    with loopback(fake) as base:
        text = MASTODON_ACCOUNT.replace('collect = { api = "https://diplo.example.social" }',
                                        table.replace("BASE", base))
        result = CliRunner().invoke(app, ["collect", str(accounts_file(tmp_path, text))])
    assert result.exit_code == 0, result.output
    assert "hq-en (mastodon): done: 12 posts on 2 pages, 4 requests" in result.stderr
    assert result.stderr.rstrip().endswith("12 posts on 2 pages, 4 requests, newest 2026-11-01T11:00, "
                                           "1 reply by others under 1 post")
