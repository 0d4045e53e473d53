"""The command line of benchmarks: `audit compare` and `--peers`, with one-line errors for bad files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from audit.cli.app import app
from tests.report.test_peers import ministry, written


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_compare_writes_the_pdf_and_html(tmp_path, runner):
    files = [written(tmp_path, ministry(n, s, s - 5, s + 5), f"{n}.json") for n, s in [("Korea", 60), ("Japan", 70)]]
    result = runner.invoke(app, ["compare", *map(str, files), "--out", str(tmp_path / "c.pdf"),
                                 "--html", str(tmp_path / "c.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    assert "Japan" in (tmp_path / "c.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", [["compare"], ["render", "--peers"]])
def test_a_file_that_is_not_a_result_stops_with_one_line_naming_it(tmp_path, runner, command):
    good = written(tmp_path, ministry("Korea", 60, 55, 65), "kr.json")
    bad = tmp_path / "notes.json"
    bad.write_text(json.dumps(["not", "a", "result"]), encoding="utf-8")
    args = [*command, str(bad), str(good)] if command == ["compare"] else \
        ["render", str(good), "--peers", str(bad), "--out", str(tmp_path / "r.pdf")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"Error: {bad}: expected a JSON object (an AuditResult), found list"]
    assert not (tmp_path / "r.pdf").exists()


def test_compare_needs_two_results(tmp_path, runner):
    one = written(tmp_path, ministry("Korea", 60, 55, 65), "kr.json")
    result = runner.invoke(app, ["compare", str(one), "--out", str(tmp_path / "c.pdf")])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: audit compare needs at least two different AuditResult files, found 1"


def test_render_with_a_folder_of_peers_adds_the_section(tmp_path, runner):
    peers = tmp_path / "peers"
    peers.mkdir()
    written(peers, ministry("Japan", 70, 65, 75), "jp.json")
    written(peers, ministry("Korea", 60, 55, 65), "kr-again.json")  # the audited ministry itself
    us = written(tmp_path, ministry("Korea", 60, 55, 65), "kr.json")
    result = runner.invoke(app, ["render", str(us), "--peers", str(peers), "--out", str(tmp_path / "r.pdf"),
                                 "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "kr-again.json: this peer is the audited ministry itself" in result.output
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert ("1st to 2nd of 2 ministries on the overall score; the gap to the first (Japan), 10.0 points, is within "
            "the margin of error.") in html  # the ranges 55–65 and 65–75 touch: a tie


def test_an_empty_peers_folder_is_an_error(tmp_path, runner):
    us = written(tmp_path, ministry("Korea", 60, 55, 65), "kr.json")
    (tmp_path / "empty").mkdir()
    empty = tmp_path / "empty"
    result = runner.invoke(app, ["render", str(us), "--peers", str(empty), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1 and "expected AuditResult JSON files" in result.output


def test_run_checks_its_peers_before_auditing(tmp_path, runner, fixtures):
    bad = tmp_path / "peer.json"
    bad.write_text("{", encoding="utf-8")
    out = tmp_path / "result.json"
    result = runner.invoke(app, ["run", str(fixtures / "demo" / "accounts.toml"), "--peers", str(bad),
                                 "--json", str(out), "--quiet"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {bad}:1:2: expected valid JSON (Expecting property name "
                                                  "enclosed in double quotes)"]
    assert not out.exists()
