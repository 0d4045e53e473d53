"""What every command shares: turning AuditErrors into one-line messages and exit code 1."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import typer

from audit.errors import AuditError


@contextmanager
def user_errors() -> Iterator[None]:
    """Print an AuditError as `Error: ...` lines on stderr and exit 1; anything else is a bug."""
    try:
        yield
    except AuditError as e:
        for line in str(e).splitlines() or [type(e).__name__]:
            typer.echo(f"Error: {line}", err=True)
        raise typer.Exit(1) from None


def echo_table(rows: Sequence[Mapping[str, object]], columns: list[str]) -> None:
    """A plain, aligned text table for people (scripts use --json)."""
    cells = [[str(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    typer.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for r in cells:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
