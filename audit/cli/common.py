"""What every command shares: one-line user errors (exit 1), bug reports (exit 70), plain tables.

Exit codes (README, "Exit codes"): 0 done, 1 a problem with the user's input or files, 2 a usage
error on the command line, 70 (EX_SOFTWARE) a bug in `audit`; `audit schedule run` adds its own
(2 a period failed, 75 the plan is locked). A scheduler can tell a bug from bad input by the code.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperGroup

from audit.errors import AuditError

EX_USER = 1
EX_SOFTWARE = 70
"""sysexits.h's 'internal software error': an exception no code path expected, i.e. a bug."""
DEBUG_ENV = "AUDIT_DEBUG"
BUG_MESSAGE = (
    "This is a bug in audit, not a problem with your files. Please report it on the project's issue "
    "tracker (see the README, \"Exit codes\") with the command you ran and this message; run again with "
    f"--debug (or {DEBUG_ENV}=1) to include the traceback."
)
_PASS_THROUGH = (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt, SystemExit, GeneratorExit,
                 BrokenPipeError)


@contextmanager
def user_errors() -> Iterator[None]:
    """Print an AuditError as `Error: ...` lines on stderr and exit 1; anything else is a bug."""
    try:
        yield
    except AuditError as e:
        print_user_error(e)
        raise typer.Exit(EX_USER) from None


def print_user_error(error: AuditError) -> None:
    """One `Error: ` line per problem the error lists."""
    for line in str(error).splitlines() or [type(error).__name__]:
        typer.echo(f"Error: {line}", err=True)


class GuardedGroup(TyperGroup):
    """The root command: whatever a command lets escape ends as a message and an exit code, not a traceback.

    An AuditError that a command did not catch is still the user's problem (exit 1). Anything else
    (including a Rust panic from a native reader, which Python sees as a BaseException) is a bug:
    a short request for a report, the traceback only with --debug, exit 70.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except AuditError as e:
            print_user_error(e)
            raise typer.Exit(EX_USER) from None
        except BaseException as e:  # noqa: BLE001 - the one place a bug is turned into exit 70
            report_bug(e, debug=bool(ctx.params.get("debug")) or debug_from_env())
            raise typer.Exit(EX_SOFTWARE) from None


def debug_from_env() -> bool:
    """AUDIT_DEBUG=1 (or true/yes) asks for tracebacks without changing the command line (cron, systemd)."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def report_bug(error: BaseException, debug: bool) -> None:
    """The bug's one-line summary and where to report it; the traceback only when asked for."""
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    summary = f"{type(error).__name__}: {error}".splitlines()[0][:300]
    typer.echo(f"Internal error: {summary}", err=True)
    typer.echo(BUG_MESSAGE, err=True)


def echo_written(warnings: Sequence[str], paths: Sequence[object | None], quiet: bool) -> None:
    """A report's warnings, then (unless quiet) the files it wrote, on stderr."""
    for warning in warnings:
        typer.echo(f"Warning: {warning}", err=True)
    for path in paths if not quiet else ():
        if path:
            typer.echo(f"Wrote {path}", err=True)


def echo_table(rows: Sequence[Mapping[str, object]], columns: list[str]) -> None:
    """A plain, aligned text table for people (scripts use --json)."""
    cells = [[str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    typer.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for r in cells:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
