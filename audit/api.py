"""The Python API behind `audit run`: from paths on disk to an AuditResult."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from audit.accounts import Account, AccountsFile, Ministry, load_accounts
from audit.errors import InputError
from audit.events.loading import load_events
from audit.scoring.engine import AuditRequest, EnrichedSink, Progress, run_audit
from audit.scoring.rubric.model import load_rubric


def audit_from_paths(
    source: Path, *, events: Path | None = None, rubric: str | Path = "public-diplomacy",
    since: date | None = None, until: date | None = None, platform: str | None = None, role: str = "ministry",
    host_country: str | None = None, country: str = "KR", progress: Progress | None = None,
    enriched: EnrichedSink | None = None,
) -> dict[str, Any]:
    """Audit an accounts file, or with `platform` a single export, and return the AuditResult."""
    accounts = single_account(source, platform, role, host_country, country) if platform else load_accounts(source)
    request = AuditRequest(
        accounts=accounts, rubric=load_rubric(rubric), events=load_events(events) if events else (),
        since=since, until=until,
    )
    return run_audit(request, progress, enriched)


def single_account(export: Path, platform: str, role: str, host_country: str | None, country: str) -> AccountsFile:
    """An accounts file of one account, for `audit run EXPORT --platform P`."""
    from audit.accounts import ROLES, is_country

    if role not in ROLES:
        raise InputError("--role", f"expected one of {', '.join(ROLES)}, found {role!r}")
    for flag, code in (("--host-country", host_country), ("--country", country)):
        if code is not None and not is_country(code):
            raise InputError(flag, f"expected an ISO 3166-1 alpha-2 code, found {code!r}")
    export = export.resolve()
    account = Account(id=export.stem or "export", name=export.name, role=role, platform=platform,
                      source=str(export), base=export.parent,
                      host_country=host_country.upper() if host_country else None)
    return AccountsFile(path=export, ministry=Ministry(name=f"Quick audit of {export.name}", country=country.upper()),
                        accounts=(account,))
