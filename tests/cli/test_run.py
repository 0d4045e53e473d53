"""`audit run`, `audit render` and `audit demo` as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.cli.app import app
from audit.cli.run import verdict_word

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo"
TELEGRAM = ROOT / "fixtures" / "telegram_desktop" / "modern_channel"


def invoke(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = invoke("demo", "--out-dir", out)
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_pdf_html_and_json(demo_run):
    for name in ("demo.pdf", "demo.html", "demo.json"):
        assert (demo_run / name).stat().st_size > 1000
    assert (demo_run / "demo.pdf").read_bytes()[:4] == b"%PDF"
    result = json.loads((demo_run / "demo.json").read_text(encoding="utf-8"))
    assert result["period"] == {"start": "2025-01-01", "end": "2025-06-30", "days": 181}
    assert {a["platform"] for a in result["accounts"]} == {"x", "telegram", "mastodon"}


def test_render_of_the_saved_json_gives_the_same_html_as_the_run(demo_run, tmp_path):
    result = invoke("render", demo_run / "demo.json", "--html", tmp_path / "again.html", "--out", tmp_path / "a.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.html").read_text(encoding="utf-8") == (demo_run / "demo.html").read_text(encoding="utf-8")


def test_run_prints_a_summary_table_and_writes_json(tmp_path):
    result = invoke("run", DEMO / "accounts.toml", "--events", DEMO / "events.toml", "--since", "2025-01-01",
                    "--until", "2025-03-31", "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Ministry of Foreign Affairs (demo) (KR), 2025-01-01 to 2025-03-31")
    assert lines[1].split() == ["account", "platform", "posts", "score", "band", "verdict"]
    table = [line for line in lines[2:] if not line.startswith("Note: ")]
    assert [line.split()[0] for line in table] == ["mofa-en", "emb-jp", "emb-sa", "emb-th", "MINISTRY"]
    assert "Note: Embassy in Saudi Arabia (demo): only 7 authored posts in the period" in result.stdout
    assert json.loads((tmp_path / "r.json").read_text())["schema_version"] == 2


def test_quiet_run_prints_nothing(tmp_path):
    result = invoke("run", DEMO / "accounts.toml", "--quiet", "--json", tmp_path / "r.json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_quick_audit_of_one_export_without_an_accounts_file(tmp_path):
    result = invoke("run", TELEGRAM, "--platform", "telegram", "--role", "embassy", "--host-country", "JP",
                    "--json", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    account = json.loads((tmp_path / "r.json").read_text())["accounts"][0]
    assert (account["role"], account["host_country"], account["platform"]) == ("embassy", "JP", "telegram")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-03-01", "--until", "2025-02-01"], "period: expected --until (2025-02-01) on or after"),
        (["--rubric", "no-such-rubric"], "no-such-rubric: no bundled rubric with this id"),
        (["--events", "missing-events.toml"], "missing-events.toml: no such file"),
    ],
)
def test_bad_options_are_one_line_errors(args, message):
    result = invoke("run", DEMO / "accounts.toml", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_quick_audit_rejects_an_unknown_role():
    result = invoke("run", TELEGRAM, "--platform", "telegram", "--role", "ambassador")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --role: expected one of ministry, embassy")


def test_posts_out_writes_the_enriched_posts(tmp_path):
    import polars as pl

    result = invoke("run", DEMO / "accounts.toml", "--quiet", "--posts-out", tmp_path / "posts.parquet")
    assert result.exit_code == 0, result.output
    posts = pl.read_parquet(tmp_path / "posts.parquet")
    assert {"lang", "label", "label_reason", "crisis_event_id"} <= set(posts.columns)
    assert "words" not in posts.columns  # a scoring measure (depth), made for every post, not one of its signals
    assert set(posts["account_id"].unique()) == {"mofa-en", "emb-jp", "emb-sa", "emb-th"}


def test_posts_out_with_a_wrong_suffix_fails_before_any_work():
    result = invoke("run", DEMO / "accounts.toml", "--posts-out", "posts.json")
    assert result.exit_code == 1
    assert result.stderr == "Error: posts.json: expected an output file ending in .parquet or .csv\n"


@pytest.mark.parametrize(("scored", "word"), [
    ({"verdict": "avoider", "verdict_rule": {"borderline": True}}, "avoider (borderline)"),
    ({"verdict": "adapter", "verdict_rule": {"borderline": False}}, "adapter"),
    ({"verdict": "adapter"}, "adapter"),  # a result written before verdict_rule existed
])
def test_the_summary_table_says_when_a_verdict_is_borderline(scored, word):
    assert verdict_word(scored) == word
