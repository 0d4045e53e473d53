"""`audit events convert`: saved ReliefWeb and GDACS feeds -> an events TOML file.

The output is an ordinary events file that a person can read, edit (add keywords, drop an event)
and pass to an audit; converting is a separate step so that the audit never depends on a feed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from audit.api import Conversion, Skipped
from audit.cli.common import user_errors

app = typer.Typer(
    no_args_is_help=True, add_completion=False,
    help="Turn saved crisis feeds (ReliefWeb, GDACS) into an events file.",
)


SINCE_HELP = "Keep events going on at or after this day (YYYY-MM-DD, UTC)."


@app.command()
def convert(
    sources: Annotated[list[Path], typer.Argument(help="Saved ReliefWeb disasters JSON or GDACS RSS files.")],
    out: Annotated[Path, typer.Option("--out", help="The events file to write (.toml).")],
    since: Annotated[str | None, typer.Option("--since", help=SINCE_HELP)] = None,
    min_alert: Annotated[str | None, typer.Option("--min-alert", help="GDACS only: green, orange or red.")] = None,
) -> None:
    """Convert saved feeds into one events TOML file; skipped items are listed with the reason.

    Example: audit events convert rss_7d.xml disasters.json --out events.toml --min-alert orange
    """
    from audit.api import InputError, convert_feeds, events_to_toml, write_text_atomic

    with user_errors():
        if out.suffix.lower() != ".toml":
            raise InputError(out, "expected an output file ending in .toml")
        done = convert_feeds(sources, since, min_alert)
        if not done.events:
            raise InputError(out, f"expected at least one event to write; {len(done.skipped)} items were skipped")
        write_text_atomic(out, events_to_toml(done.events))
    _report(out, done)


def _report(out: Path, done: Conversion) -> None:
    """Counts on stderr, and each distinct skip reason once with how often and a first place."""
    events, skipped, merged, early = done.events, done.skipped, done.merged, done.ended_before
    notes = [f"{merged} repeated events merged"] if merged else []
    notes += [f"{early} ended before --since"] if early else []
    extra = f" ({'; '.join(notes)})" if notes else ""
    typer.echo(f"Wrote {len(events)} events to {out}; skipped {len(skipped)} items{extra}.", err=True)
    first_place: dict[str, Skipped] = {}
    for item in skipped:
        first_place.setdefault(item.reason, item)
    for reason, count in Counter(item.reason for item in skipped).most_common():
        place = first_place[reason]
        typer.echo(f"  {count} x {reason} (first: {place.file}#{place.index})", err=True)
