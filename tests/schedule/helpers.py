"""Shared helpers of the scheduling tests: plan files in tmp_path, one real audited result, fake tools.

Most scheduling tests are about which periods run and what is recorded, not about the audit, so
they use `FakeAudit`: it returns copies of ONE real AuditResult (audited once per session on the
fixture plan) with the period and a few numbers changed per period.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.schedule.plan import Plan, load_plan
from audit.schedule.runner import Tools

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "fixtures" / "plans"
ACCOUNTS = PLANS / "accounts.toml"
EVENTS = PLANS / "events.toml"


def plan_text(**keys: Any) -> str:
    """A [plan] table over the fixture accounts; keyword arguments override or add keys (None drops one)."""
    values: dict[str, Any] = {
        "id": "test-plan", "accounts": str(ACCOUNTS), "events": str(EVENTS), "cadence": "monthly",
        "timezone": "Asia/Seoul", "start": date(2025, 1, 1), "end": date(2025, 6, 30),
        "output": "reports/{plan}/{period}/", "pdf": False, "html": False,
    }
    values.update(keys)
    lines = [f"{k} = {_toml(v)}" for k, v in values.items() if v is not None]
    return "[plan]\n" + "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, date)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)


def write_plan(folder: Path, extra: str = "", name: str = "plan.toml", **keys: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(plan_text(**keys) + extra, encoding="utf-8")
    return path


def make_plan(folder: Path, extra: str = "", **keys: Any) -> Plan:
    return load_plan(write_plan(folder, extra, **keys))


_REAL: dict[str, Any] = {}


def real_result() -> dict[str, Any]:
    """One real AuditResult of the fixture accounts for January 2025 (audited once per session)."""
    if not _REAL:
        from audit.api import audit_from_paths

        _REAL.update(audit_from_paths(ACCOUNTS, events=EVENTS, since=date(2025, 1, 1), until=date(2025, 1, 31)))
    return copy.deepcopy(_REAL)


class FakeAudit:
    """Stands in for audit_from_paths: records each call; `fail` maps a first day to an exception."""

    def __init__(self, shares: dict[str, float] | None = None) -> None:
        self.calls: list[tuple[date, date]] = []
        self.fail: dict[date, Exception] = {}
        self.shares = shares or {}

    def __call__(self, accounts: Path, *, since: date, until: date, **_: Any) -> dict[str, Any]:
        self.calls.append((since, until))
        if since in self.fail:
            raise self.fail[since]
        return period_result(since, until, self.shares.get(since.strftime("%Y-%m")))

    @property
    def periods(self) -> list[str]:
        return [since.strftime("%Y-%m") for since, _ in self.calls]


def period_result(since: date, until: date, jp_share: float | None = None) -> dict[str, Any]:
    """The real result relabelled for a period; scores move with the month so that trends have a slope."""
    result = real_result()
    result["period"] = {"start": str(since), "end": str(until)}
    result["ministry"]["score"] = 40.0 + since.month
    jp = next(a for a in result["accounts"] if a["id"] == "emb-jp")
    jp["score"] = 30.0 + 2 * since.month
    if jp_share is not None:
        jp["dimensions"]["language_reach"]["metrics"]["audience_language_share"] = jp_share
    return result


class FakeRender:
    """Stands in for render_report: writes small files and records the `previous` it was given."""

    def __init__(self) -> None:
        self.previous: list[Path | None] = []
        self.fail = False

    def __call__(self, result: dict[str, Any], *, pdf: Path | None, html: Path | None, previous: Path | None,
                 **_: Any) -> list[str]:
        self.previous.append(previous)
        if self.fail:
            raise RuntimeError("renderer broke")
        if pdf is not None:
            pdf.write_bytes(b"%PDF-1.7 fake report for " + result["period"]["start"].encode() + b"\n%%EOF\n")
        if html is not None:
            html.write_text(f"<p>{result['period']['start']}</p>", encoding="utf-8")
        return []


def tools(audit: FakeAudit | None = None, render: FakeRender | None = None,
          deliver: Callable[..., None] | None = None) -> Tools:
    return Tools(audit=audit or FakeAudit(), render=render or FakeRender(), deliver=deliver)


def schedule_module() -> list[str]:
    """How to start `audit schedule` in a subprocess: the main CLI once it has the group, else the sub-app."""
    from audit.cli.app import app

    names = {group.name for group in app.registered_groups}
    return [sys.executable, "-m", "audit", "schedule"] if "schedule" in names else [
        sys.executable, "-m", "audit.cli.schedule"]


def copy_fixture_plan(folder: Path) -> Path:
    """fixtures/plans/monthly-review.toml with its accounts and events, exports by absolute path."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PLANS / "monthly-review.toml", folder / "monthly-review.toml")
    shutil.copy(EVENTS, folder / "events.toml")
    text = ACCOUNTS.read_text(encoding="utf-8").replace('"../demo/', f'"{ROOT / "fixtures" / "demo"}/')
    (folder / "accounts.toml").write_text(text, encoding="utf-8")
    return folder / "monthly-review.toml"


@pytest.fixture
def fake_audit() -> FakeAudit:
    return FakeAudit()
