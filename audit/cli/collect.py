"""`audit collect`: fetch the accounts marked `collect` into the local store, with progress on stderr."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from audit.api import AccountRun
from audit.cli.common import EX_USER, user_errors


def collect(
    accounts: Annotated[Path, typer.Argument(help="The accounts file (TOML).", show_default=False)],
    since: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="On a first collection, go back to this UTC day (default: the whole feed).",
    )] = None,
    account: Annotated[str | None, typer.Option("--account", help="Collect only the account with this id.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Fetch new posts of every account marked `collect` into .audit-store/ beside the accounts file.

    Later runs fetch only what is new (plus an overlap); an interrupted run resumes where it stopped.
    Example: audit collect accounts.toml --since 2026-11-01
    """
    from audit.api import collect_from_file

    say = _printer(quiet)
    with user_errors():
        runs = collect_from_file(accounts, since.date() if since else None, say=say, only=account)
    for run in runs:
        say(_summary(run))
    if not runs:
        say("No account in the file is marked collect; nothing fetched.")
    failed = [run for run in runs if run.error]
    for run in failed:
        typer.echo(f"Error: {run.error}", err=True)
    if failed:
        raise typer.Exit(EX_USER)


def _summary(run: AccountRun) -> str:
    state = "failed, resumable" if run.error else "done"
    quota = f", {run.quota_units} quota units" if run.quota_units else ""
    holes = f", {len(run.holes)} coverage holes" if run.holes else ""
    newest = f", newest {run.newest[:16]}" if run.newest else ""
    replies = f", {run.replies.summary()}" if run.replies else ""
    return (f"{run.account_id} ({run.platform}): {state}: {run.posts} posts on {run.pages} pages, "
            f"{run.requests} requests{quota}{newest}{holes}{replies}")


def collect_before_run(accounts: Path, since: date | None, quiet: bool) -> None:
    """`audit run --collect`: collect first; an account that failed is audited from what is stored, with a warning."""
    from audit.api import collect_from_file

    for run in collect_from_file(accounts, since, say=_printer(quiet)):
        if run.error:
            typer.echo(f"Warning: {run.error} (auditing what the store already holds)", err=True)


def _printer(quiet: bool) -> Callable[[str], None]:
    """Progress lines go to stderr, so stdout stays for what scripts read."""
    return (lambda line: None) if quiet else (lambda line: typer.echo(line, err=True))
