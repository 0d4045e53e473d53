"""The plan file: what a periodic audit audits, how often, where the reports go and who gets them.

Loading checks the whole file and reports every problem at once with its key path
(``plan.cadence: expected ...``), like the accounts, events and rubric files. Relative paths
resolve against the plan's folder, so a plan and its accounts file can move together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from audit.accounts import is_timezone
from audit.errors import ConfigError
from audit.schedule.live import EventsFetch, events_fetch, events_problems
from audit.schedule.plan_delivery import (
    DEFAULT_SUBJECT,
    delivery_problems,
    existing_file,
    plan_path,
    resolve_path,
    template_fields,
)
from audit.scoring.rubric.loading import bundled_rubric_ids
from audit.sources.limits import PLAN_YEARS
from audit.sources.userfile import read_user_toml

CADENCES = ("monthly", "quarterly", "weekly")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_OUTPUT = "reports/{plan}/{period}/"
OUTPUT_FIELDS = frozenset({"plan", "period"})
MAX_GRACE_HOURS = 168
PLAN_KEYS = frozenset({"id", "accounts", "events", "rubric", "cadence", "timezone", "start", "end", "output",
                       "history", "pdf", "html", "grace_hours", "collect"})
_PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class EmailDelivery:
    """Where to send the report by SMTP; the password itself never appears here, only its env var."""

    host: str
    port: int
    security: str
    sender: str
    to: tuple[str, ...]
    subject: str = DEFAULT_SUBJECT
    user: str | None = None
    password_env: str | None = None
    ca_file: Path | None = None


@dataclass(frozen=True)
class FolderDelivery:
    """A shared folder that receives a copy of each report and an index.html of them all."""

    path: Path


@dataclass(frozen=True)
class Plan:
    """A validated plan, all paths resolved."""

    path: Path
    id: str
    accounts: Path
    cadence: str
    timezone: str
    start: date
    output: str
    history: Path
    events: Path | None = None
    rubric: str | Path = "public-diplomacy"
    end: date | None = None
    pdf: bool = True
    html: bool = True
    grace_hours: float = 0.0
    email: EmailDelivery | None = None
    folder: FolderDelivery | None = None
    collect: bool = False
    """Collect the accounts marked `collect` before auditing (see audit.schedule.live)."""
    fetch_events: EventsFetch | None = None
    """`[events.fetch]`: fetch each period's crisis events from the public feeds."""

    @property
    def base(self) -> Path:
        return self.path.parent

    @property
    def lock_path(self) -> Path:
        """The lock file lives beside the history, because the history is what must not interleave."""
        return self.history.with_name(self.history.name + ".lock")

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.grace_hours)

    @property
    def delivers(self) -> bool:
        return self.email is not None or self.folder is not None

    def output_folder(self, period_label: str) -> Path:
        return self.base / self.output.format(plan=self.id, period=period_label)


def load_plan(path: Path) -> Plan:
    """Read and validate a plan file; a ConfigError lists every problem with its key path."""
    path = path.resolve()
    data = read_user_toml(path, "a plan file (TOML)")
    problems = list(plan_problems(data, path.parent))
    if problems:
        raise ConfigError(path, problems)
    return _build(data, path)




# Building ------------------------------------------------------------------------------------------


def _build(data: Mapping[str, Any], path: Path) -> Plan:
    p, base = data["plan"], path.parent
    delivery = data.get("delivery", {})
    return Plan(
        path=path, id=p["id"], accounts=resolve_path(base, p["accounts"]), cadence=p["cadence"].strip(),
        timezone=p["timezone"], start=_as_date(p["start"]), output=p.get("output", DEFAULT_OUTPUT),
        history=resolve_path(base, p.get("history", f"{p['id']}.history.sqlite")),
        events=resolve_path(base, p["events"]) if "events" in p else None,
        rubric=rubric_ref(p.get("rubric", "public-diplomacy"), base),
        end=_as_date(p["end"]) if "end" in p else None, pdf=p.get("pdf", True), html=p.get("html", True),
        grace_hours=float(p.get("grace_hours", 0)),
        email=_email(delivery["email"], base) if "email" in delivery else None,
        folder=FolderDelivery(resolve_path(base, delivery["folder"]["path"])) if "folder" in delivery else None,
        collect=p.get("collect", False), fetch_events=events_fetch(data),
    )


def _email(e: Mapping[str, Any], base: Path) -> EmailDelivery:
    security = e.get("security", "starttls")
    return EmailDelivery(
        host=e["host"], port=e.get("port", DEFAULT_PORTS[security]), security=security, sender=e["from"],
        to=tuple(e["to"]), subject=e.get("subject", DEFAULT_SUBJECT), user=e.get("user"),
        password_env=e.get("password_env"), ca_file=resolve_path(base, e["ca_file"]) if "ca_file" in e else None,
    )


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def rubric_ref(value: str, base: Path) -> str | Path:
    """A bundled id stays an id; anything that looks like a file resolves against the plan's folder."""
    if _looks_like_file(value, base):
        return resolve_path(base, value)
    return value


def _looks_like_file(value: str, base: Path) -> bool:
    if value.endswith(".toml") or "/" in value or "\\" in value:
        return True
    try:
        return (base / value).is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL: no such file, so an id
        return False


# Validation ----------------------------------------------------------------------------------------


def plan_problems(data: Mapping[str, Any], base: Path) -> Iterator[str]:
    """Every problem of a plan file, each starting with its key path."""
    plan = data.get("plan")
    if not isinstance(plan, dict):
        yield "plan: expected a [plan] table with id, accounts, cadence, timezone and start"
    else:
        yield from (f"plan.{p}" for p in _plan_table_problems(plan, base))
    yield from delivery_problems(data.get("delivery"), base)
    if "events" in data:
        yield from events_problems(data["events"])
    yield from (f"{k}: unknown key" for k in sorted(set(data) - {"plan", "delivery", "events"}))


def _plan_table_problems(p: Mapping[str, Any], base: Path) -> Iterator[str]:
    for key in ("id", "accounts", "cadence", "timezone", "start"):
        if key not in p:
            yield f"{key}: missing (required)"
    for key, check in _PLAN_CHECKS.items():
        if key in p:
            yield from (f"{key}: {problem}" for problem in check(p[key], base))
    yield from _order_problems(p)
    yield from _cron_span_problems(p)
    yield from (f"{k}: unknown key" for k in sorted(set(p) - PLAN_KEYS))


Check = Callable[[Any, Path], Iterator[str]]


def _plan_id(value: Any, _base: Path) -> Iterator[str]:
    if not isinstance(value, str) or not _PLAN_ID.match(value):
        yield (f"expected lower-case letters, digits, '.', '_' or '-' (it names files and timers), "
               f"found {value!r}")


def _rubric(value: Any, base: Path) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip():
        yield f"expected a bundled rubric id or a rubric file, found {value!r}"
    elif _looks_like_file(value, base):
        yield from existing_file(value, base)
    elif value not in bundled_rubric_ids():
        yield f"no bundled rubric {value!r} (bundled: {', '.join(bundled_rubric_ids())}); or give a rubric file"


def _cadence(value: Any, _base: Path) -> Iterator[str]:
    from croniter import croniter  # type: ignore[import-untyped]

    if isinstance(value, str) and value.strip() in CADENCES:
        return
    text = value.strip() if isinstance(value, str) else ""
    if not (len(text.split()) == 5 or text.startswith("@")) or not croniter.is_valid(text):
        yield (f"expected {', '.join(CADENCES)} or a 5-field cron expression such as '0 0 1 * *', "
               f"found {value!r}")


def _zone(value: Any, _base: Path) -> Iterator[str]:
    if not is_timezone(value):
        yield f"expected an IANA time zone such as 'Asia/Seoul', found {value!r}"


def _day(value: Any, _base: Path) -> Iterator[str]:
    if isinstance(value, datetime) or not isinstance(value, (date, str)) or not _parses_as_day(value):
        yield f"expected a date such as 2025-01-01, found {value!r}"
    elif not PLAN_YEARS[0] <= _as_date(value).year <= PLAN_YEARS[1]:
        yield f"expected a date in the years {PLAN_YEARS[0]} to {PLAN_YEARS[1]}, found {_as_date(value)}"


def _parses_as_day(value: date | str) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _output(value: Any, _base: Path) -> Iterator[str]:
    fields = template_fields(value)
    if fields is None:
        yield f"expected a folder template such as {DEFAULT_OUTPUT!r}, found {value!r}"
        return
    if unknown := fields - OUTPUT_FIELDS:
        yield f"unknown placeholder {{{sorted(unknown)[0]}}}; expected {{plan}} and {{period}}"
    if "period" not in fields:
        yield "expected a {period} placeholder, so that each period keeps its own reports"


def _flag(value: Any, _base: Path) -> Iterator[str]:
    if not isinstance(value, bool):
        yield f"expected true or false, found {value!r}"


def _grace(value: Any, _base: Path) -> Iterator[str]:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_GRACE_HOURS
    if not ok:
        yield f"expected hours between 0 and {MAX_GRACE_HOURS}, found {value!r}"


_PLAN_CHECKS: dict[str, Check] = {
    "id": _plan_id, "accounts": existing_file, "events": existing_file, "rubric": _rubric,
    "cadence": _cadence, "timezone": _zone, "start": _day, "end": _day, "output": _output, "history": plan_path,
    "pdf": _flag, "html": _flag, "grace_hours": _grace, "collect": _flag,
}


def _order_problems(p: Mapping[str, Any]) -> Iterator[str]:
    good = all(not list(_day(p.get(k), Path())) for k in ("start", "end"))
    if good and "end" in p and "start" in p and _as_date(p["end"]) < _as_date(p["start"]):
        yield f"end: expected a date on or after start ({_as_date(p['start'])}), found {_as_date(p['end'])}"


def _cron_span_problems(p: Mapping[str, Any]) -> Iterator[str]:
    """The engine audits whole days, so a cron cadence must not fire twice on one day."""
    from audit.schedule.periods import short_periods

    cadence, zone = p.get("cadence"), p.get("timezone")
    if not isinstance(cadence, str) or not isinstance(zone, str) or not is_timezone(zone):
        return
    if list(_cadence(cadence, Path())) or cadence.strip() in CADENCES:
        return
    if short := short_periods(cadence.strip(), zone):
        yield (f"cadence: the cron expression fires more than once on {short}; a period must span at "
               "least one whole day, because audits cover calendar days")


# Delivery --------------------------------------------------------------------------------------------


