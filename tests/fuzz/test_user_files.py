"""The files people write (accounts, events, rubric, plan), damaged: a ConfigError naming the file, or loaded.

Every value of a real example file may be swapped for another TOML type or a hostile literal (deep
nesting, a 5,000-digit number, a lone surrogate escape, a date in year 9999), and the file may be
truncated, emptied or given a BOM or invalid UTF-8. Loading must then raise a ConfigError whose
every line starts with the file's path, or succeed; a plan that loads must also compute its periods.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from audit.accounts import load_accounts
from audit.errors import ConfigError
from audit.events.loading import load_events
from audit.schedule.plan import load_plan
from audit.schedule.status import plan_status
from audit.scoring.rubric.loading import load_rubric
from tests.fuzz.mutations import CSV_VALUES, csv_record_mutation, raw_mutation
from tests.fuzz.profiles import FUZZ

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"

TOML_VALUES = [
    '""', '"x"', "-5", "0", "-1", "9" * 5000, "1e400", "nan", "-inf", "true", "[]", "{}", '[1, "a"]', "{ a = 1 }",
    "9999-12-31", "0001-01-01", "2025-01-01T00:00:00", "2025-02-29", "00:00:00", '"\\ud800"', '"\\u0000"',
    "[" * 5000 + "]" * 5000, "{ a = " * 400 + "1" + " }" * 400, '"' + "x" * 100_000 + '"', '"../../.."', '"/"',
    '"2025-13-45"', '"Mars/Olympus"', '"*/1 * * * *"', '"{period}"', '"{nope}"', "'''\n'''", "2" * 19,
]

USER_FILES: dict[str, tuple[Path, Callable[[Path], Any]]] = {
    "accounts": (FIXTURES / "accounts" / "ministry.toml", load_accounts),
    "events-toml": (FIXTURES / "events" / "events.toml", load_events),
    "events-csv": (FIXTURES / "events" / "events.csv", load_events),
    "rubric-minimal": (FIXTURES / "rubrics" / "minimal.toml", load_rubric),
    "rubric-bundled": (ROOT / "rubrics" / "public-diplomacy.toml", load_rubric),
    "plan": (FIXTURES / "plans" / "monthly-review.toml", load_plan),
}
_ASSIGNMENT = re.compile(rb"^([ \t]*[A-Za-z0-9_.\"-]+[ \t]*=[ \t]*)(.+)$", re.MULTILINE)


def toml_value_swap(data: st.DataObject, body: bytes) -> tuple[str, bytes]:
    """One `key = value` line with its value replaced by another TOML literal."""
    lines = list(_ASSIGNMENT.finditer(body))
    line = data.draw(st.sampled_from(lines), label="line")
    value = data.draw(st.sampled_from(TOML_VALUES), label="value").encode()
    return f"{line[1].decode().strip()} {value[:40]!r}", body[:line.start(2)] + value + body[line.end(2):]


def mutate(data: st.DataObject, source: Path, body: bytes) -> tuple[str, bytes]:
    if data.draw(st.booleans(), label="swap a value"):
        if source.suffix == ".csv":
            swapped = csv_record_mutation(data, body, ",")
            return swapped if swapped else ("unchanged", body)
        return toml_value_swap(data, body)
    return raw_mutation(data, body)


def load(kind: str, path: Path) -> Any:
    loaded = USER_FILES[kind][1](path)
    if kind == "plan":
        plan_status(loaded)  # a plan that loads must also be able to list its periods
    return loaded


@pytest.mark.parametrize("kind", list(USER_FILES))
@FUZZ
@given(data=st.data())
def test_a_damaged_user_file_is_a_config_error_or_loads(kind, data):
    source = USER_FILES[kind][0]
    folder = Path(tempfile.mkdtemp(prefix="audit-fuzz-user-"))
    try:
        for sibling in source.parent.glob("*.toml"):  # a plan names its accounts and events files
            shutil.copy(sibling, folder / sibling.name)
        path = folder / source.name
        what, body = mutate(data, source, source.read_bytes())
        note(what)
        path.write_bytes(body)
        try:
            load(kind, path)
        except ConfigError as e:
            lines = str(e).splitlines()
            assert lines and all(line.startswith(str(path)) for line in lines), str(e)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_hostile_values_include_every_csv_value_kind():
    assert "9" * 5000 in TOML_VALUES and any(len(v) > 5000 for v in CSV_VALUES)
