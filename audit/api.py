"""The Python API: what the command line does, as functions a notebook or a scheduler can call.

Every stage is reachable from here (collect, audit, render), and the CLI is a thin layer over these
functions. Names are re-exported by :mod:`audit` on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from audit.accounts import Account, AccountsFile, Ministry, load_accounts
from audit.collectors.registry import COLLECTORS, DISPLAY_NAMES
from audit.collectors.table import POST_SCHEMA, dedupe_posts, empty_posts, validate_posts
from audit.errors import AuditError, ConfigError, InputError
from audit.events.feeds.common import events_to_toml
from audit.events.feeds.convert import Conversion, convert_feeds
from audit.events.fetch import Fetched, FetchRequest, fetch_events
from audit.events.loading import load_events
from audit.files import atomic_paths, write_text_atomic
from audit.posts.collect import CollectResult, collect_account, collect_accounts, inspect_path
from audit.posts.inspection import summarise
from audit.posts.live import AccountRun, collect_live
from audit.posts.output import check_posts_path, write_posts
from audit.result.io import load_result, result_json, write_result
from audit.result.types import AuditResult
from audit.schedule import install as schedule_install
from audit.schedule.history import History
from audit.schedule.lock import EX_TEMPFAIL, PlanLocked
from audit.schedule.plan import load_plan
from audit.schedule.runner import run_plan
from audit.schedule.status import plan_status
from audit.scoring.engine import AuditRequest, EnrichedSink, Progress, audit_files, run_audit
from audit.scoring.rubric.export import rubric_table
from audit.scoring.rubric.loading import load_rubric
from audit.scoring.rubric.model import DEFAULT_RUBRIC_ID, Rubric
from audit.scoring.snapshot import attach_rubric
from audit.sources.skips import Skipped

__all__ = [
    # reading exports into posts
    "POST_SCHEMA", "Account", "AccountsFile", "CollectResult", "Skipped", "check_posts_path", "collect_account",
    "collect_accounts", "dedupe_posts", "empty_posts", "formats", "inspect_path", "load_accounts", "summarise",
    "validate_posts", "write_posts",
    # auditing and results
    "AuditRequest", "AuditResult", "DEFAULT_RUBRIC_ID", "Rubric", "audit_from_paths", "load_events", "load_result",
    "load_rubric", "rubric_table", "run_audit", "single_account", "write_result",
    # reports
    "compare_results", "load_peers", "render_report", "report_html", "write_outputs",
    # live collection into the local store
    "AccountRun", "collect_from_file", "collect_live",
    # events from saved feeds
    "Conversion", "FetchRequest", "Fetched", "convert_feeds", "events_to_toml", "fetch_events",
    # periodic audits
    "EX_TEMPFAIL", "History", "PlanLocked", "load_plan", "plan_status", "run_plan", "schedule_install",
    # errors and files
    "AuditError", "ConfigError", "InputError", "write_text_atomic",
]


def audit_from_paths(
    source: Path, *, events: Path | None = None, rubric: str | Path = "public-diplomacy",
    since: date | None = None, until: date | None = None, platform: str | None = None, role: str = "ministry",
    host_country: str | None = None, country: str = "KR", progress: Progress | None = None,
    enriched: EnrichedSink | None = None,
) -> AuditResult:
    """Audit an accounts file, or with `platform` a single export, and return the AuditResult."""
    if not platform:
        return audit_files(source, events=events, rubric=rubric, since=since, until=until, progress=progress,
                           enriched=enriched)
    request = AuditRequest(
        accounts=single_account(source, platform, role, host_country, country), rubric=load_rubric(rubric),
        events=load_events(events) if events else (), since=since, until=until,
    )
    return run_audit(request, progress, enriched)


def render_report(result: Mapping[str, Any], pdf: Path | None = None, html: Path | None = None,
                  previous: Path | None = None, pdf_variant: str | None = None, posts: Path | None = None,
                  peers: Sequence[Path] = ()) -> list[str]:
    """Write the report of a result (PDF and/or HTML); returns warnings for the user to read.

    A PDF/A-3 variant carries the result JSON and the posts table `posts` (--posts-out), if given, attached.
    `peers` are other ministries' result files (or folders of them): the report places the ministry among them.

    A result written before results carried their rubric gets it from the bundled rubric of the
    same id, when there is one (with a warning if its version differs).
    """
    from audit.report.render import render_report as render

    complete, notes = attach_rubric(result)
    return render(complete, pdf=pdf, html=html, previous=previous, pdf_variant=pdf_variant, platforms=DISPLAY_NAMES,
                  notes=notes, posts=posts, source=result, peers=load_peers(peers))


def load_peers(paths: Sequence[Path]) -> list[tuple[str, AuditResult]]:
    """Each peer result with the file it came from; a folder stands for the result JSONs in it.

    A file that is not a result is an InputError naming it, before anything is drawn."""
    files = [f for p in paths for f in (_results_in(p) if p.is_dir() else [p])]
    return [(str(f), load_result(f)) for f in files]


def _results_in(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.json"))
    if not found:
        raise InputError(folder, "expected AuditResult JSON files (*.json) in this folder, found none")
    return found


def compare_results(paths: Sequence[Path], pdf: Path | None = None, html: Path | None = None) -> list[str]:
    """`audit compare`: a side-by-side report of several ministries' results (a league table with ranges,
    a table per dimension, a chart); returns warnings. Needs at least two results."""
    from audit.report.compare import render_compare

    loaded = [(name, attach_rubric(result)[0]) for name, result in load_peers(paths)]
    return render_compare(loaded, pdf=pdf, html=html)


def report_html(result: Mapping[str, Any], previous: Mapping[str, Any] | None = None,
                peers: Sequence[Path] = ()) -> tuple[str, list[str]]:
    """The report's HTML and its warnings, without writing files (for notebooks and tests)."""
    from audit.report.render import report_html as html

    complete, notes = attach_rubric(result)
    return html(complete, previous, platforms=DISPLAY_NAMES, notes=notes, peers=load_peers(peers))


def write_outputs(result: Mapping[str, Any], json_out: Path | None = None, pdf: Path | None = None,
                  html: Path | None = None, previous: Path | None = None, pdf_variant: str | None = None,
                  posts: Path | None = None, peers: Sequence[Path] = ()) -> list[str]:
    """The JSON, PDF and HTML of one run, appearing at their paths only once all of them are ready.

    The report is drawn into temporary files beside its targets and the JSON written last, so a run
    killed while rendering leaves the previous outputs as they were. Returns the report's warnings.
    """
    targets = [p for p in (pdf, html, json_out) if p is not None]
    warnings: list[str] = []
    with atomic_paths(targets) as tmps:
        staged = dict(zip(targets, tmps, strict=True))
        if pdf is not None or html is not None:
            warnings = render_report(result, pdf=staged.get(pdf) if pdf else None,
                                     html=staged.get(html) if html else None, previous=previous,
                                     pdf_variant=pdf_variant, posts=posts, peers=peers)
        if json_out is not None:
            staged[json_out].write_text(result_json(result), encoding="utf-8")
    return warnings


def formats() -> list[dict[str, str]]:
    """The export formats the toolkit reads: format, platform and what it reads."""
    return [{"format": c.name, "platform": c.platform, "reads": c.description} for c in COLLECTORS.values()]


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


def collect_from_file(accounts: Path, since: date | None = None, say: Callable[[str], None] = lambda line: None,
                      only: str | None = None) -> list[AccountRun]:
    """`audit collect`: fetch every account marked `collect` into the store beside the accounts file.

    Returns one AccountRun per account; an account that failed carries its error and stays resumable.
    """
    return collect_live(load_accounts(accounts), since, say=say, only=only)
