"""The README tells the truth: every command is documented, and the two set-up commands exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_names() -> list[str]:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    return sorted(names + [g.name or "" for g in app.registered_groups])


@pytest.mark.parametrize("name", _command_names())
def test_every_command_is_in_the_readme(name):
    assert f"audit {name}" in README


def test_the_two_commands_are_make_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make demo" in README and "make test" in README
    assert "\ndemo: setup" in makefile and "\ntest: setup" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
