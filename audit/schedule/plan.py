"""The plan file: what a periodic audit audits, how often, where the reports go and who gets them.

Loading checks the whole file and reports every problem at once with its key path
(``plan.cadence: expected ...``), like the accounts, events and rubric files. Relative paths
resolve against the plan's folder, so a plan and its accounts file can move together.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from audit.accounts import is_timezone
from audit.errors import ConfigError
from audit.scoring.rubric.loading import bundled_rubric_ids

CADENCES = ("monthly", "quarterly", "weekly")
SECURITIES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_OUTPUT = "reports/{plan}/{period}/"
DEFAULT_SUBJECT = "{ministry}: audit {period} - score {score}, grade {grade}, {verdict}"
SUBJECT_FIELDS = frozenset({"plan", "period", "ministry", "score", "grade", "verdict"})
OUTPUT_FIELDS = frozenset({"plan", "period"})
MAX_GRACE_HOURS = 168
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
PLAN_KEYS = frozenset({"id", "accounts", "events", "rubric", "cadence", "timezone", "start", "end", "output",
                       "history", "pdf", "html", "grace_hours"})
EMAIL_KEYS = frozenset({"host", "port", "security", "user", "password_env", "from", "to", "subject", "ca_file"})
FOLDER_KEYS = frozenset({"path"})
_PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


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
    data = _read_toml(path)
    problems = list(plan_problems(data, path.parent))
    if problems:
        raise ConfigError(path, problems)
    return _build(data, path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError):
        raise ConfigError(path, ["no such plan file"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(path, [f"expected valid TOML: {e}"]) from None


# Building ------------------------------------------------------------------------------------------


def _build(data: Mapping[str, Any], path: Path) -> Plan:
    p, base = data["plan"], path.parent
    delivery = data.get("delivery", {})
    return Plan(
        path=path, id=p["id"], accounts=_resolve(base, p["accounts"]), cadence=p["cadence"].strip(),
        timezone=p["timezone"], start=_as_date(p["start"]), output=p.get("output", DEFAULT_OUTPUT),
        history=_resolve(base, p.get("history", f"{p['id']}.history.sqlite")),
        events=_resolve(base, p["events"]) if "events" in p else None,
        rubric=rubric_ref(p.get("rubric", "public-diplomacy"), base),
        end=_as_date(p["end"]) if "end" in p else None, pdf=p.get("pdf", True), html=p.get("html", True),
        grace_hours=float(p.get("grace_hours", 0)),
        email=_email(delivery["email"], base) if "email" in delivery else None,
        folder=FolderDelivery(_resolve(base, delivery["folder"]["path"])) if "folder" in delivery else None,
    )


def _email(e: Mapping[str, Any], base: Path) -> EmailDelivery:
    security = e.get("security", "starttls")
    return EmailDelivery(
        host=e["host"], port=e.get("port", DEFAULT_PORTS[security]), security=security, sender=e["from"],
        to=tuple(e["to"]), subject=e.get("subject", DEFAULT_SUBJECT), user=e.get("user"),
        password_env=e.get("password_env"), ca_file=_resolve(base, e["ca_file"]) if "ca_file" in e else None,
    )


def _resolve(base: Path, value: str) -> Path:
    return (base / Path(value).expanduser()).resolve()


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def rubric_ref(value: str, base: Path) -> str | Path:
    """A bundled id stays an id; anything that looks like a file resolves against the plan's folder."""
    if _looks_like_file(value, base):
        return _resolve(base, value)
    return value


def _looks_like_file(value: str, base: Path) -> bool:
    return value.endswith(".toml") or "/" in value or "\\" in value or (base / value).is_file()


# Validation ----------------------------------------------------------------------------------------


def plan_problems(data: Mapping[str, Any], base: Path) -> Iterator[str]:
    """Every problem of a plan file, each starting with its key path."""
    plan = data.get("plan")
    if not isinstance(plan, dict):
        yield "plan: expected a [plan] table with id, accounts, cadence, timezone and start"
    else:
        yield from (f"plan.{p}" for p in _plan_table_problems(plan, base))
    yield from _delivery_problems(data.get("delivery"), base)
    yield from (f"{k}: unknown key" for k in sorted(set(data) - {"plan", "delivery"}))


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


def _existing_file(value: Any, base: Path) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip():
        yield f"expected a file path, found {value!r}"
    elif not _resolve(base, value).is_file():
        yield f"no such file: {_resolve(base, value)}"


def _rubric(value: Any, base: Path) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip():
        yield f"expected a bundled rubric id or a rubric file, found {value!r}"
    elif _looks_like_file(value, base):
        yield from _existing_file(value, base)
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


def _parses_as_day(value: date | str) -> bool:
    if isinstance(value, date):
        return True
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _output(value: Any, _base: Path) -> Iterator[str]:
    fields = _template_fields(value)
    if fields is None:
        yield f"expected a folder template such as {DEFAULT_OUTPUT!r}, found {value!r}"
        return
    if unknown := fields - OUTPUT_FIELDS:
        yield f"unknown placeholder {{{sorted(unknown)[0]}}}; expected {{plan}} and {{period}}"
    if "period" not in fields:
        yield "expected a {period} placeholder, so that each period keeps its own reports"


def _template_fields(value: Any) -> set[str] | None:
    """The placeholders of a str.format template, or None when it is not a valid template."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        return None


def _path(value: Any, _base: Path) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip():
        yield f"expected a path, found {value!r}"


def _flag(value: Any, _base: Path) -> Iterator[str]:
    if not isinstance(value, bool):
        yield f"expected true or false, found {value!r}"


def _grace(value: Any, _base: Path) -> Iterator[str]:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_GRACE_HOURS
    if not ok:
        yield f"expected hours between 0 and {MAX_GRACE_HOURS}, found {value!r}"


_PLAN_CHECKS: dict[str, Check] = {
    "id": _plan_id, "accounts": _existing_file, "events": _existing_file, "rubric": _rubric,
    "cadence": _cadence, "timezone": _zone, "start": _day, "end": _day, "output": _output, "history": _path,
    "pdf": _flag, "html": _flag, "grace_hours": _grace,
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


def _delivery_problems(delivery: Any, base: Path) -> Iterator[str]:
    if delivery is None:
        return
    if not isinstance(delivery, dict):
        yield "delivery: expected a table with [delivery.email] and/or [delivery.folder]"
        return
    checks: dict[str, Callable[[Mapping[str, Any]], Iterator[str]]] = {
        "email": lambda table: email_problems(table, base), "folder": _folder_problems}
    for name, check in checks.items():
        table = delivery.get(name)
        if name in delivery and not isinstance(table, dict):
            yield f"delivery.{name}: expected a table"
        elif isinstance(table, dict):
            yield from (f"delivery.{name}.{p}" for p in check(table))
    yield from (f"delivery.{k}: unknown key" for k in sorted(set(delivery) - set(checks)))


def _folder_problems(f: Mapping[str, Any]) -> Iterator[str]:
    if "path" not in f:
        yield "path: missing (required)"
    else:
        yield from (f"path: {p}" for p in _path(f["path"], Path()))
    yield from (f"{k}: unknown key" for k in sorted(set(f) - FOLDER_KEYS))


def email_problems(e: Mapping[str, Any], base: Path) -> Iterator[str]:
    """Problems of a [delivery.email] table; a password written into the plan is refused."""
    for key in ("host", "from", "to"):
        if key not in e:
            yield f"{key}: missing (required)"
    yield from _email_field_problems(e, base)
    if "password" in e:
        yield ("password: never write a password into the plan; set password_env to the name of an "
               "environment variable that holds it")
    yield from _auth_problems(e)
    yield from (f"{k}: unknown key" for k in sorted(set(e) - EMAIL_KEYS - {"password"}))


def _email_field_problems(e: Mapping[str, Any], base: Path) -> Iterator[str]:
    if "host" in e and not _is_text(e["host"]):
        yield f"host: expected a host name, found {e['host']!r}"
    if "port" in e and not (isinstance(e["port"], int) and not isinstance(e["port"], bool)
                            and 0 < e["port"] < 65536):
        yield f"port: expected a port number, found {e['port']!r}"
    if "security" in e and e["security"] not in SECURITIES:
        yield f"security: expected one of {', '.join(SECURITIES)}, found {e['security']!r}"
    if "from" in e and not _is_address(e["from"]):
        yield f"from: expected an e-mail address, found {e['from']!r}"
    if "to" in e and not (isinstance(e["to"], list) and e["to"] and all(_is_address(a) for a in e["to"])):
        yield f"to: expected a list of e-mail addresses, found {e['to']!r}"
    if "subject" in e:
        yield from (f"subject: {p}" for p in _subject_problems(e["subject"]))
    if "ca_file" in e:
        yield from (f"ca_file: {p}" for p in _existing_file(e["ca_file"], base))


def _subject_problems(value: Any) -> Iterator[str]:
    fields = _template_fields(value)
    if fields is None or "\n" in value or "\r" in value:
        yield f"expected a one-line template such as {DEFAULT_SUBJECT!r}, found {value!r}"
    elif unknown := fields - SUBJECT_FIELDS:
        yield f"unknown placeholder {{{sorted(unknown)[0]}}}; expected some of {', '.join(sorted(SUBJECT_FIELDS))}"


def _auth_problems(e: Mapping[str, Any]) -> Iterator[str]:
    user, env = e.get("user"), e.get("password_env")
    if user is not None and not _is_text(user):
        yield f"user: expected a user name, found {user!r}"
    if env is not None and not (isinstance(env, str) and _ENV_NAME.match(env)):
        yield f"password_env: expected the name of an environment variable, found {env!r}"
    if user is not None and env is None:
        yield "password_env: required with user (the name of the environment variable holding the password)"
    if user is not None and e.get("security") == "none" and e.get("host") not in LOOPBACK_HOSTS:
        yield ("security: 'none' would send the password in clear over the network; use starttls or tls "
               "(plain connections are allowed only to localhost)")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not any(c in value for c in "\r\n")


def _is_address(value: Any) -> bool:
    return _is_text(value) and "@" in value and " " not in value.strip()
