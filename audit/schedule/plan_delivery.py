"""Checks of a plan's delivery tables (a shared folder, e-mail), every problem at once with its key path."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

SECURITIES = ("starttls", "tls", "none")


DEFAULT_SUBJECT = "{ministry}: audit {period} - score {score}, {band}, {verdict}"


# {grade} is kept for older plans and prints the band word too: the report has one scale.
SUBJECT_FIELDS = frozenset({"plan", "period", "ministry", "score", "band", "grade", "verdict"})


LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


EMAIL_KEYS = frozenset({"host", "port", "security", "user", "password_env", "from", "to", "subject", "ca_file"})


FOLDER_KEYS = frozenset({"path"})


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def existing_file(value: Any, base: Path) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        yield f"expected a file path, found {value!r}"
    elif not _is_file(resolve_path(base, value)):
        yield f"no such file: {resolve_path(base, value)}"


def _is_file(path: Path) -> bool:
    """Path.is_file, False too for a name the file system refuses (too long): that file cannot exist."""
    try:
        return path.is_file()
    except OSError:
        return False


def template_fields(value: Any) -> set[str] | None:
    """The placeholders of a str.format template, or None when it is not a valid template."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        return None


def plan_path(value: Any, _base: Path) -> Iterator[str]:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:  # a NUL cannot be in a path
        yield f"expected a path, found {value!r}"


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip()) and not any(c in value for c in "\r\n")


def delivery_problems(delivery: Any, base: Path) -> Iterator[str]:
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
        yield from (f"path: {p}" for p in plan_path(f["path"], Path()))
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
        yield from (f"ca_file: {p}" for p in existing_file(e["ca_file"], base))


def _subject_problems(value: Any) -> Iterator[str]:
    fields = template_fields(value)
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


def _is_address(value: Any) -> bool:
    return _is_text(value) and "@" in value and " " not in value.strip()


def resolve_path(base: Path, value: str) -> Path:
    return (base / Path(value).expanduser()).resolve()

