"""Every entry point sets polars' allocator to hand freed memory back soon (issue 13, peak memory), before
polars loads; a user's own setting wins. Each case runs in a fresh interpreter: the setting is read once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from audit import ALLOCATOR_ENV, ALLOCATOR_SETTING

SHOW = "import os; print(os.environ.get('_RJEM_MALLOC_CONF'))"


def setting_after(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != ALLOCATOR_ENV}
    done = subprocess.run([sys.executable, "-c", f"{code}; {SHOW}"], env={**clean, **env}, capture_output=True,
                          text=True, check=True)
    return done.stdout.strip()


@pytest.mark.parametrize("entry", ["import audit", "import audit.api", "import audit.cli.app"])
def test_importing_the_tool_sets_the_allocator_before_polars_loads(entry: str) -> None:
    assert setting_after(entry).endswith(ALLOCATOR_SETTING)  # polars puts its own defaults before it


def test_a_users_own_allocator_setting_wins() -> None:
    assert setting_after("import audit.api", **{ALLOCATOR_ENV: "narenas:1"}).endswith("narenas:1")


def test_nothing_is_set_once_polars_is_loaded() -> None:
    assert ALLOCATOR_SETTING not in setting_after("import polars; import audit.api")
