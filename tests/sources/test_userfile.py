"""Every file a person writes for the tool (accounts, rubric, plan, events) fails the same way for the
same mistake: the file, the position first, then what was expected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from audit.accounts import load_accounts
from audit.errors import ConfigError
from audit.events.loading import load_events
from audit.schedule.plan import load_plan
from audit.scoring.rubric.loading import load_rubric

LOADERS: dict[str, tuple[Callable[[Path], object], str]] = {
    "accounts": (load_accounts, "an accounts file (TOML)"),
    "rubric": (load_rubric, "a rubric file (TOML)"),
    "plan": (load_plan, "a plan file (TOML)"),
    "events": (load_events, "an events file (TOML or CSV)"),
}


def problems(loader: Callable[[Path], object], path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        loader(path)
    return list(caught.value.problems)


@pytest.mark.parametrize("kind", LOADERS)
def test_a_missing_file_says_what_was_expected(kind, tmp_path):
    loader, what = LOADERS[kind]
    assert problems(loader, tmp_path / "nope.toml") == [f"no such file; expected {what}"]


@pytest.mark.parametrize("kind", LOADERS)
def test_a_folder_says_what_was_expected(kind, tmp_path):
    loader, what = LOADERS[kind]
    folder = tmp_path / "x.toml"
    folder.mkdir()
    assert problems(loader, folder) == [f"expected {what}, found a folder"]


@pytest.mark.parametrize("kind", LOADERS)
def test_bad_toml_puts_the_position_first(kind, tmp_path):
    loader, _ = LOADERS[kind]
    path = tmp_path / "bad.toml"
    path.write_text("a = 1\n[table\n", encoding="utf-8")
    [problem] = problems(loader, path)
    assert problem.startswith("line 2, column 7: expected valid TOML: ")


@pytest.mark.parametrize("kind", LOADERS)
def test_bytes_that_are_not_utf8_name_the_byte(kind, tmp_path):
    loader, _ = LOADERS[kind]
    path = tmp_path / "bad.toml"
    path.write_bytes(b"a = 1\n\xff\n")
    assert problems(loader, path) == ["byte 6: expected UTF-8 text (invalid start byte)"]
