"""`audit events convert`: saved ReliefWeb and GDACS feeds -> an events TOML file.

The output is an ordinary events file that a person can read, edit (add keywords, drop an event)
and pass to an audit; converting is a separate step so that the audit never depends on a feed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from audit.cli.common import user_errors
from audit.errors import InputError
from audit.events.feeds.common import events_to_toml, merge_duplicates, since_filter
from audit.events.feeds.gdacs import ALERT_LEVELS
from audit.events.feeds.saved import read_saved
from audit.events.model import Event
from audit.files import write_text_atomic
from audit.sources.skips import Skipped

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
    with user_errors():
        first_day, level = _since_day(since), _alert_level(min_alert)
        if out.suffix.lower() != ".toml":
            raise InputError(out, "expected an output file ending in .toml")
        events, skipped = _read_all(sources, level)
        events, merged = merge_duplicates(events)
        events, early = since_filter(events, first_day) if first_day else (events, 0)
        if not events:
            raise InputError(out, f"expected at least one event to write; {len(skipped)} items were skipped")
        write_text_atomic(out, events_to_toml(events))
    _report(out, events, skipped, merged, early)


def _since_day(since: str | None) -> date | None:
    if since is None:
        return None
    try:
        return date.fromisoformat(since.strip())
    except ValueError:
        raise InputError("--since", f"expected a day as YYYY-MM-DD, found {since!r}") from None


def _alert_level(min_alert: str | None) -> str | None:
    if min_alert is None or min_alert.strip().lower() in ALERT_LEVELS:
        return None if min_alert is None else min_alert.strip().lower()
    raise InputError("--min-alert", f"expected one of {', '.join(ALERT_LEVELS)}, found {min_alert!r}")


def _read_all(sources: Sequence[Path], min_alert: str | None) -> tuple[list[Event], list[Skipped]]:
    events: list[Event] = []
    skipped: list[Skipped] = []
    for path in sources:
        batch = read_saved(path, min_alert)
        events += batch.events
        skipped += batch.skipped
    return events, skipped


def _report(out: Path, events: Sequence[Event], skipped: Sequence[Skipped], merged: int, early: int) -> None:
    """Counts on stderr, and each distinct skip reason once with how often and a first place."""
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
