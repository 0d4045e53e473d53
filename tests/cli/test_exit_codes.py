"""Exit codes, as the README's "Exit codes" section documents them: schedulers tell a bug from bad input.

    0   done
    1   a problem with what the user gave (AuditError: one `Error: file:position: expected ...` line)
    2   a usage error on the command line
    70  a bug (any other exception): a short request for a report; the traceback only with --debug

A bug is provoked by making an API function raise RuntimeError, in-process (CliRunner) and in a
real `python -m audit` process (where a traceback would reach the terminal).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import audit.api
from audit.cli.app import app
from audit.cli.common import BUG_MESSAGE, EX_SOFTWARE

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM = ROOT / "fixtures" / "telegram_desktop" / "modern_channel"


def broken_summarise(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("provoked bug")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def test_a_good_run_exits_0(runner):
    assert runner.invoke(app, ["inspect", str(TELEGRAM)]).exit_code == 0


def test_bad_input_exits_1_with_one_line(runner, tmp_path):
    result = runner.invoke(app, ["inspect", str(tmp_path / "missing.json")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'missing.json'}: no such file or folder"


def test_a_usage_error_exits_2(runner):
    assert runner.invoke(app, ["inspect", "--no-such-option"]).exit_code == 2


def test_a_bug_exits_70_with_a_request_for_a_report_and_no_traceback(runner, monkeypatch):
    monkeypatch.setattr(audit.api, "summarise", broken_summarise)
    result = runner.invoke(app, ["inspect", str(TELEGRAM)])
    assert result.exit_code == EX_SOFTWARE == 70
    assert isinstance(result.exception, SystemExit)  # handled, not escaped
    assert "Internal error: RuntimeError: provoked bug" in result.stderr
    assert BUG_MESSAGE in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("how", [["--debug"], "AUDIT_DEBUG"])
def test_debug_adds_the_traceback(runner, monkeypatch, how):
    monkeypatch.setattr(audit.api, "summarise", broken_summarise)
    if how == "AUDIT_DEBUG":
        monkeypatch.setenv("AUDIT_DEBUG", "1")
    result = runner.invoke(app, [*(how if isinstance(how, list) else []), "inspect", str(TELEGRAM)])
    assert result.exit_code == 70
    assert "Traceback (most recent call last)" in result.stderr
    assert "broken_summarise" in result.stderr


def test_an_audit_error_a_command_did_not_catch_is_still_exit_1(runner, monkeypatch):
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise audit.api.InputError("exports/x.zip", "expected something else", "3:4")

    monkeypatch.setattr(audit.api, "formats", refuse)
    result = runner.invoke(app, ["formats"])
    assert (result.exit_code, result.stderr.strip()) == (1, "Error: exports/x.zip:3:4: expected something else")


BUGGY_MAIN = textwrap.dedent("""
    import sys
    import audit.api
    def boom(*args, **kwargs):
        raise RuntimeError("provoked bug")
    audit.api.summarise = boom
    sys.argv = ["audit", *sys.argv[1:]]
    from audit.cli.app import main
    main()
""")


def run_audit(*args: str, bug: bool = False, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", BUGGY_MAIN, *args] if bug else [sys.executable, "-m", "audit", *args]
    environment = {k: v for k, v in os.environ.items() if k != "AUDIT_DEBUG"} | (env or {})
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment, timeout=120)


@pytest.mark.parametrize(("args", "bug", "code"), [
    (["inspect", str(TELEGRAM)], False, 0),
    (["inspect", "no/such/export.json"], False, 1),
    (["inspect", "--no-such-option"], False, 2),
    (["inspect", str(TELEGRAM)], True, 70),
])
def test_exit_codes_of_a_real_process(args, bug, code):
    done = run_audit(*args, bug=bug)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr


def test_a_real_process_prints_the_traceback_only_under_debug():
    assert "Traceback (most recent call last)" in run_audit("--debug", "inspect", str(TELEGRAM), bug=True).stderr
    assert "Traceback" in run_audit("inspect", str(TELEGRAM), bug=True, env={"AUDIT_DEBUG": "1"}).stderr


def test_the_readme_documents_every_exit_code():
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")}
    assert {"0", "1", "2", str(EX_SOFTWARE), "75"} <= rows
    assert "--debug" in section and "AUDIT_DEBUG=1" in section


def _stated(value: object) -> list[str]:
    """How docs/limits.md writes a value: 4 GiB, 100,000 or 500; a pair as '1970 to 9000'."""
    if isinstance(value, tuple):
        return [" to ".join(map(str, value))]
    assert isinstance(value, int)
    if value >= 1024**3 and value % 1024**3 == 0:
        return [f"{value // 1024**3} GiB"]
    return [f"{value:,}", str(value)]


def test_docs_limits_states_the_values_the_code_enforces():
    import audit.sources.limits as limits

    rows = [line for line in (ROOT / "docs" / "limits.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ")]
    for name in (n for n in dir(limits) if n.isupper()):
        row = next((r for r in rows if f"`{name}`" in r), "")
        assert any(f"`{name}` = {text}" in row for text in _stated(getattr(limits, name))), (name, row)
