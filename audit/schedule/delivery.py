"""Handing a period's report over: by e-mail (SMTP) and/or into a shared folder with an index.html.

The SMTP password is read from the environment variable the plan names, at the moment of sending;
it is never stored, logged or put into an error message. Any failure raises ScheduleError so the
runner can record 'delivery_failed' and retry on the next run.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from audit.errors import ScheduleError
from audit.files import write_atomic, write_text_atomic
from audit.schedule.lock import plan_lock
from audit.schedule.plan import EmailDelivery, FolderDelivery, Plan

SMTP_TIMEOUT = 60
MANIFEST = ".audit-reports.json"
INDEX = "index.html"
MIME = {".pdf": ("application", "pdf"), ".html": ("text", "html"), ".json": ("application", "json")}


@dataclass(frozen=True)
class Delivered:
    """What one period produced, as delivery needs it."""

    plan: str
    period: str
    result: Mapping[str, Any]
    files: tuple[Path, ...]

    @property
    def report(self) -> Path:
        """The file people read: the PDF, else the HTML, else the JSON."""
        for suffix in (".pdf", ".html", ".json"):
            for path in self.files:
                if path.suffix == suffix:
                    return path
        raise ScheduleError(f"period {self.period} produced no report file to deliver")


def deliver(plan: Plan, item: Delivered, say: Callable[[str], None]) -> None:
    """Every delivery the plan asks for; the first failure raises (and all are retried next run)."""
    missing = [str(p) for p in item.files if not p.is_file()]
    if missing:
        raise ScheduleError(f"cannot deliver {item.period}: output files are gone: {', '.join(missing)}")
    if plan.folder is not None:
        copy_to_folder(plan.folder, item)
        say(f"Copied {item.report.name} to {plan.folder.path}")
    if plan.email is not None:
        send_email(plan.email, build_email(plan.email, item))
        say(f"Sent {item.period} to {', '.join(plan.email.to)}")


# E-mail --------------------------------------------------------------------------------------------


def build_email(config: EmailDelivery, item: Delivered) -> EmailMessage:
    """Subject from the plan's template, a short summary in the body, the report attached."""
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = ", ".join(config.to)
    message["Subject"] = subject(config.subject, item)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config.sender.rpartition("@")[2] or None)
    message.set_content(summary_text(item))
    report = item.report
    kind, sub = MIME[report.suffix]
    message.add_attachment(report.read_bytes(), maintype=kind, subtype=sub, filename=report.name)
    return message


def subject(template: str, item: Delivered) -> str:
    m = item.result["ministry"]
    band = m.get("band") or "-"  # {grade} of older plans prints the band too: the report's one scale
    text = template.format(plan=item.plan, period=item.period, ministry=m.get("name", ""),
                           score=_num(m.get("score")), band=band, grade=band, verdict=m.get("verdict") or "-")
    return " ".join(text.split())


def summary_text(item: Delivered) -> str:
    """Plain text: the ministry's line, the accounts table, the trend sentences, the attachment's name."""
    result, m = item.result, item.result["ministry"]
    period = result.get("period", {})
    lines = [
        f"Audit of {m.get('name', '')} for {item.period} ({period.get('start')} to {period.get('end')}), "
        f"plan {item.plan}.",
        "",
        f"Ministry: score {_num(m.get('score'))} ({m.get('band') or 'no band'}), "
        f"verdict {m.get('verdict') or 'not measured'}.",
        "",
        *_table(result["accounts"]),
    ]
    if result.get("trend_summary"):
        lines += ["", "Since the previous audit:", *(f"- {s}" for s in result["trend_summary"])]
    lines += ["", f"The full report is attached ({item.report.name})."]
    return "\n".join(lines) + "\n"


def _table(accounts: list[dict[str, Any]]) -> list[str]:
    columns = ("account", "platform", "posts", "score", "band", "verdict")
    rows = [[str(a.get("id")), str(a.get("platform", "")), str(a.get("posts", "")), _num(a.get("score")),
             str(a.get("band") or "-"), str(a.get("verdict") or "not measured")] for a in accounts]
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in [list(columns), *rows]]


def _num(value: Any) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def send_email(config: EmailDelivery, message: EmailMessage) -> None:
    """Send over SMTP with the plan's security; errors name the server, never the password."""
    password = _password(config)
    try:
        with _connect(config) as smtp:
            if config.user is not None and password is not None:
                smtp.login(config.user, password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as e:
        raise ScheduleError(f"e-mail via {config.host}:{config.port} ({config.security}) failed: "
                            f"{_redacted(str(e), password)}") from None


def _password(config: EmailDelivery) -> str | None:
    if config.password_env is None:
        return None
    value = os.environ.get(config.password_env)
    if not value:
        raise ScheduleError(f"delivery.email.password_env: the environment variable {config.password_env} "
                            "is not set; export it where the scheduled run starts")
    return value


def _connect(config: EmailDelivery) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(config.ca_file) if config.ca_file else None)
    if config.security == "tls":
        return smtplib.SMTP_SSL(config.host, config.port, timeout=SMTP_TIMEOUT, context=context)
    smtp = smtplib.SMTP(config.host, config.port, timeout=SMTP_TIMEOUT)
    if config.security == "starttls":
        try:
            smtp.starttls(context=context)
        except BaseException:
            smtp.close()
            raise
    return smtp


def _redacted(text: str, secret: str | None) -> str:
    return text.replace(secret, "[password]") if secret else text


# The shared folder ---------------------------------------------------------------------------------


def copy_to_folder(config: FolderDelivery, item: Delivered) -> None:
    """Copy the report in atomically and rewrite the folder's index.html (under a lock: plans share folders)."""
    folder = config.path
    if not folder.is_dir():
        raise ScheduleError(f"delivery.folder.path: the shared folder {folder} does not exist (is it mounted?)")
    try:
        with plan_lock(folder / ".audit-reports.lock", wait=True):
            report = item.report
            write_atomic(folder / report.name, lambda tmp: shutil.copyfile(report, tmp))
            entries = _manifest(folder)
            entries[report.name] = _entry(item)
            write_text_atomic(folder / MANIFEST, json.dumps(entries, ensure_ascii=False, indent=1) + "\n")
            write_text_atomic(folder / INDEX, index_html(folder, entries))
    except OSError as e:
        raise ScheduleError(f"copy to the shared folder {folder} failed: {e}") from None


def _entry(item: Delivered) -> dict[str, Any]:
    m = item.result["ministry"]
    return {"plan": item.plan, "period": item.period, "ministry": m.get("name"), "score": m.get("score"),
            "band": m.get("band"), "verdict": m.get("verdict"), "period_start": item.result["period"].get("start"),
            "copied": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")}


def _manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """What earlier deliveries recorded about their reports (a missing or damaged file starts afresh)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def index_html(folder: Path, entries: dict[str, dict[str, Any]]) -> str:
    """Every report in the folder, newest period first; everything escaped (names and values are data)."""
    reports = sorted(p.name for p in folder.iterdir()
                     if p.is_file() and p.suffix in (".pdf", ".html") and p.name != INDEX)
    rows = sorted(reports, key=lambda name: (str(entries.get(name, {}).get("period_start") or ""), name),
                  reverse=True)
    body = "\n".join(_index_row(name, entries.get(name, {})) for name in rows)
    return _INDEX_PAGE.format(rows=body or '<tr><td colspan="7">No reports yet.</td></tr>')


def _index_row(name: str, e: dict[str, Any]) -> str:
    cells = [e.get("plan"), e.get("period"), e.get("ministry"),
             None if e.get("score") is None else f"{e['score']:.1f}", e.get("band"), e.get("verdict")]
    shown = "".join(f"<td>{html.escape(str(c)) if c is not None else ''}</td>" for c in cells)
    return f'<tr><td><a href="{html.escape(quote(name))}">{html.escape(name)}</a></td>{shown}</tr>'


_INDEX_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Audit reports</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }}
</style>
</head>
<body>
<h1>Audit reports</h1>
<table>
<thead><tr><th>report</th><th>plan</th><th>period</th><th>ministry</th><th>score</th><th>band</th><th>verdict</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
