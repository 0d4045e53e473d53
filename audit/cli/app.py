"""The `audit` command line: a thin layer over the Python API in `audit`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from audit.cli.common import EX_SOFTWARE, GuardedGroup, debug_from_env, echo_table, report_bug, user_errors
from audit.version import __version__

app = typer.Typer(
    name="audit", cls=GuardedGroup, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="Audit foreign ministries' and embassies' social-media accounts against a public-diplomacy rubric.",
)

PathsArg = Annotated[list[Path], typer.Argument(help="Export files, folders or zips.", show_default=False)]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="On an internal error (a bug), print its traceback "
                                        "(also AUDIT_DEBUG=1).")] = False,
) -> None:
    """Audit foreign ministries' and embassies' social-media accounts against a public-diplomacy rubric."""


@app.command()
def inspect(
    paths: PathsArg,
    platform: Annotated[str | None, typer.Option(help="Only try this platform's formats.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="Read as this format (see `audit formats`).")] = None,
    source_timezone: Annotated[str | None, typer.Option(
        help="Time zone of exports whose timestamps carry no offset, e.g. Asia/Seoul.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show what each export holds: format, posts by kind, dates, declared languages, skipped records.

    Example: audit inspect exports/mofa-en/twitter-archive.zip
    """
    from audit.api import summarise

    with user_errors():
        summaries = [summarise(p, platform, fmt, source_timezone) for p in paths]
    if as_json:
        typer.echo(json.dumps(summaries, ensure_ascii=False, indent=2))
        return
    for s in summaries:
        _print_summary(s)


def _print_summary(s: dict[str, object]) -> None:
    kinds = ", ".join(f"{k} {v}" for k, v in s["kinds"].items())  # type: ignore[attr-defined]
    langs = ", ".join(f"{k} {v}" for k, v in s["declared_languages"].items()) or "none"  # type: ignore[attr-defined]
    typer.echo(f"{s['path']}\n  format     {s['format']} ({s['platform']})")
    typer.echo(f"  posts      {s['posts']} ({kinds})")
    if s.get("duplicates"):
        typer.echo(f"  duplicates {s['duplicates']} rows were the same post again (edits, pins, overlapping pages)")
    typer.echo(f"  period     {s['first']} .. {s['last']}")
    typer.echo(f"  declared   {langs}")
    skipped: list[dict[str, object]] = s["skipped"]  # type: ignore[assignment]
    typer.echo(f"  skipped    {len(skipped)}")
    for item in skipped[:20]:
        typer.echo(f"    {item['file']}#{item['index']}: {item['reason']}")
    if len(skipped) > 20:
        typer.echo(f"    ... and {len(skipped) - 20} more (use --json for all)")
    not_read: list[dict[str, str]] = s.get("not_read") or []  # type: ignore[assignment]
    if not_read:
        typer.echo(f"  not read   {len(not_read)} file{'' if len(not_read) == 1 else 's'}")
    for entry in not_read[:20]:
        typer.echo(f"    {entry['member']}: {entry['reason']}")
    if len(not_read) > 20:
        typer.echo(f"    ... and {len(not_read) - 20} more (use --json for all)")


@app.command()
def formats() -> None:
    """List the export formats `audit` can read."""
    from audit.api import formats as known_formats

    echo_table(known_formats(), ["format", "platform", "reads"])


@app.command()
def posts(
    accounts: Annotated[Path, typer.Argument(help="The accounts file (TOML).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .parquet or .csv.", show_default=False)],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Write the normalised posts table of every account as Parquet or CSV.

    Example: audit posts accounts.toml --out posts.parquet
    """
    from audit.api import check_posts_path, collect_accounts, load_accounts, write_posts

    with user_errors():
        check_posts_path(out)
        result = collect_accounts(load_accounts(accounts))
        write_posts(result.posts, out)
    if not quiet:
        typer.echo(f"Wrote {result.posts.height} posts from {len(result.files)} exports to {out} "
                   f"({len(result.skipped)} records skipped, {result.duplicates} duplicates removed)", err=True)


def _register_groups() -> None:
    from audit.cli.collect import collect
    from audit.cli.compare import compare
    from audit.cli.events import app as events_app
    from audit.cli.render import render
    from audit.cli.rubric import app as rubric_app
    from audit.cli.run import demo, run
    from audit.cli.schedule import app as schedule_app
    from audit.cli.schedule import history

    app.command()(run)
    app.command()(demo)
    app.command()(render)
    app.command()(compare)
    app.add_typer(rubric_app, name="rubric", help="Check or show a rubric.")
    app.add_typer(events_app, name="events", help="Turn saved ReliefWeb or GDACS feeds into an events file.")
    app.add_typer(schedule_app, name="schedule", help="Periodic audits from a plan file: run, status, install.")
    app.command()(history)
    app.command()(collect)


_register_groups()


def main() -> None:
    """Entry point of the `audit` script and `python -m audit`.

    Commands are guarded by GuardedGroup; this catches what escapes before a command runs (argument
    parsing, the shell's completion hooks), so no input ends in a bare traceback and exit 1.
    """
    try:
        app()
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as e:  # noqa: BLE001 - last resort, same message and code as GuardedGroup
        report_bug(e, debug="--debug" in sys.argv[1:] or debug_from_env())
        sys.exit(EX_SOFTWARE)
