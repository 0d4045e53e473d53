"""The accounts file: who is audited, on which platform, from which export.

Loading checks the whole file and reports every problem at once with its key path
(``accounts[2].platform: expected one of ...``), so a user fixes the file in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale

from audit.collectors.live import collect_problems, collect_table
from audit.collectors.registry import COLLECTORS, PLATFORM_NAMES
from audit.errors import ConfigError
from audit.sources.userfile import read_user_toml

ROLES = ("ministry", "embassy", "consulate", "mission", "leader", "spokesperson")
ACCOUNT_KEYS = {
    "id", "name", "role", "platform", "handle", "source", "host_country", "audience_languages",
    "timezone", "source_timezone", "format", "columns", "date_format", "timestamp_format", "collect",
}
REQUIRED_KEYS = ("id", "role", "platform", "source")
MINISTRY_KEYS = {"name", "country", "peers"}
NOT_COUNTRIES = frozenset({"ZZ", "XA", "XB", "QO", "EZ"})
"""CLDR territories that are no country: unknown region, pseudo-locales, Outlying Oceania, Eurozone."""


@dataclass(frozen=True)
class Ministry:
    name: str
    country: str
    peers: tuple[str, ...] = ()
    """Known official handles (foreign ministries, embassies, organisations): posts to them address peers."""


@dataclass(frozen=True)
class Account:
    """One audited account, as written in the accounts file (paths already resolved)."""

    id: str
    name: str
    role: str
    platform: str
    source: str
    base: Path
    handle: str | None = None
    host_country: str | None = None
    audience_languages: tuple[str, ...] | None = None
    timezone: str | None = None
    source_timezone: str | None = None
    format: str | None = None
    columns: Mapping[str, str | list[str]] = field(default_factory=dict)
    timestamp_format: str | None = None
    """The account's `date_format` (or its older name `timestamp_format`): a strftime pattern."""
    key: str = "accounts[0]"
    collect: Mapping[str, Any] | None = None
    """The `collect` table (`collect = true` is an empty one): the account is also read from the live store."""


@dataclass(frozen=True)
class AccountsFile:
    path: Path
    ministry: Ministry
    accounts: tuple[Account, ...]

    def account(self, account_id: str) -> Account:
        for account in self.accounts:
            if account.id == account_id:
                return account
        raise ConfigError(self.path, [f"no account with id {account_id!r}"])


def load_accounts(path: Path) -> AccountsFile:
    """Read and validate an accounts file; a ConfigError lists every problem with its key path."""
    data = read_user_toml(path, "an accounts file (TOML)")
    problems = list(_problems(data))
    if problems:
        raise ConfigError(path, problems)
    ministry = Ministry(name=data["ministry"]["name"], country=data["ministry"]["country"].upper(),
                        peers=tuple(data["ministry"].get("peers", ())))
    accounts = tuple(_account(entry, i, path.parent.resolve()) for i, entry in enumerate(data["accounts"]))
    return AccountsFile(path=path, ministry=ministry, accounts=accounts)








def _account(entry: dict[str, Any], index: int, base: Path) -> Account:
    langs = entry.get("audience_languages")
    return Account(
        id=entry["id"], name=entry.get("name", entry["id"]), role=entry["role"], platform=entry["platform"],
        source=entry.get("source", ""), base=base, handle=entry.get("handle"), collect=collect_table(entry),
        host_country=entry["host_country"].upper() if entry.get("host_country") else None,
        audience_languages=tuple(langs) if langs is not None else None,
        timezone=entry.get("timezone"), source_timezone=entry.get("source_timezone"),
        format=entry.get("format"), columns=dict(entry.get("columns", {})),
        timestamp_format=entry.get("date_format", entry.get("timestamp_format")), key=f"accounts[{index}]",
    )


def _problems(data: dict[str, Any]) -> Iterator[str]:
    yield from _ministry_problems(data.get("ministry"))
    accounts = data.get("accounts")
    if not isinstance(accounts, list) or not accounts:
        yield "accounts: expected at least one [[accounts]] table"
        return
    seen: set[str] = set()
    for i, entry in enumerate(accounts):
        if not isinstance(entry, dict):
            yield f"accounts[{i}]: expected a table"
            continue
        yield from (f"accounts[{i}].{p}" for p in account_problems(entry))
        if str(entry.get("id")) in seen:
            yield f"accounts[{i}].id: {entry['id']!r} is used by an earlier account"
        seen.add(str(entry.get("id")))
    yield from (f"{key}: unknown key" for key in sorted(set(data) - {"ministry", "accounts"}))


def _ministry_problems(ministry: Any) -> Iterator[str]:
    if not isinstance(ministry, dict):
        yield "ministry: expected a [ministry] table with name and country"
        return
    if not isinstance(ministry.get("name"), str) or not ministry["name"].strip():
        yield "ministry.name: expected a non-empty string"
    if not is_country(ministry.get("country")):
        yield f"ministry.country: expected an ISO 3166-1 alpha-2 code, found {ministry.get('country')!r}"
    peers = ministry.get("peers", [])
    if not isinstance(peers, list) or not all(isinstance(p, str) and p.strip() for p in peers):
        yield "ministry.peers: expected a list of handles such as [\"@UN\", \"@mofa_jp\"]"
    yield from (f"ministry.{k}: unknown key" for k in sorted(set(ministry) - MINISTRY_KEYS))


def account_problems(entry: Mapping[str, Any]) -> Iterator[str]:
    """Problems of one account table, each starting with its key (without the accounts[i] prefix)."""
    for key, check in _CHECKS.items():
        if key not in entry and key in REQUIRED_KEYS and not (key == "source" and "collect" in entry):
            yield f"{key}: missing; every account needs {', '.join(REQUIRED_KEYS)}"
        elif key in entry:
            problem = check(entry[key])
            if problem:
                yield f"{key}: {problem}"
    yield from (f"{k}: unknown key" for k in sorted(set(entry) - ACCOUNT_KEYS))
    yield from collect_problems(entry)
    if "date_format" in entry and "timestamp_format" in entry:
        yield "timestamp_format: the older name of date_format; give only date_format"


def _non_empty(value: Any) -> str | None:
    ok = isinstance(value, str) and value.strip()
    return None if ok else f"expected a non-empty string, found {value!r}"


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"expected one of {', '.join(choices)}, found {value!r}"

    return check


def _strftime(value: Any) -> str | None:
    """A strftime pattern with at least a day in it: `%m/%d/%y %H:%M`, never a guess."""
    if isinstance(value, str) and "%" in value and any(d in value for d in ("%d", "%e", "%j", "%F", "%D", "%c", "%s")):
        return None
    return f"expected a strftime pattern naming the day, such as '%m/%d/%y %H:%M', found {value!r}"


def _country(value: Any) -> str | None:
    return None if is_country(value) else f"expected an ISO 3166-1 alpha-2 code, found {value!r}"


def _zone(value: Any) -> str | None:
    return None if is_timezone(value) else f"expected an IANA time zone such as 'Asia/Seoul', found {value!r}"


def _format(value: Any) -> str | None:
    """A format name must be a registered collector, so a typo is reported with the file's other problems."""
    if isinstance(value, str) and value in COLLECTORS:
        return None
    return f"expected one of {', '.join(COLLECTORS)} (see `audit formats`), found {value!r}"


def _languages(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.isalpha() for v in value)
    return None if ok else f"expected a list of language codes such as ['ja', 'en'], found {value!r}"


def _mapping(value: Any) -> str | None:
    """canonical column = "CSV header", or a list of headers whose cells are joined (a date and a time)."""
    ok = isinstance(value, dict) and all(_headers(v) for v in value.values())
    return None if ok else 'expected a table of canonical column = "CSV header" or ["date header", "time header"]'


def _headers(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, str) and v for v in value)
    return isinstance(value, str)


_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "id": _non_empty, "name": _non_empty, "role": _one_of(ROLES), "platform": _one_of(PLATFORM_NAMES),
    "handle": _non_empty, "source": _non_empty, "host_country": _country, "audience_languages": _languages,
    "timezone": _zone, "source_timezone": _zone, "format": _format, "columns": _mapping,
    "date_format": _strftime, "timestamp_format": _strftime,
}


def is_country(value: Any) -> bool:
    """True for a two-letter ISO 3166-1 code that CLDR knows."""
    return isinstance(value, str) and len(value) == 2 and value.upper() in _territories() - NOT_COUNTRIES


def is_timezone(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Asia" names a tzdata folder
        return False
    return True


@cache
def _territories() -> frozenset[str]:
    codes = Locale("en").territories
    return frozenset(code for code in codes if isinstance(code, str) and code.isalpha() and len(code) == 2)
