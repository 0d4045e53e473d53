"""`audit events convert` and `audit events fetch`: crisis feeds (saved, or fetched live) -> an events TOML file.

The output is an ordinary events file that a person can read, edit (add keywords, drop an event)
and pass to an audit; converting is a separate step so that the audit never depends on a feed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from audit.api import Conversion, Fetched, Skipped
from audit.cli.common import user_errors

app = typer.Typer(
    no_args_is_help=True, add_completion=False,
    help="Turn crisis feeds (ReliefWeb, GDACS, USGS), saved or fetched live, into an events file.",
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


@app.command()
def fetch(
    since: Annotated[str, typer.Option("--since", help="First UTC day (YYYY-MM-DD).", show_default=False)],
    countries: Annotated[str, typer.Option("--countries", help="ISO codes of the countries that matter, "
                                           "comma-separated (JP,ID).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="The events file to write (.toml).", show_default=False)],
    until: Annotated[str | None, typer.Option("--until", help="Last UTC day (default: today).")] = None,
    min_alert: Annotated[str | None, typer.Option("--min-alert", help="GDACS and USGS PAGER alert level: "
                                                  "green, orange or red.")] = None,
    min_magnitude: Annotated[float, typer.Option("--min-magnitude", help="USGS: smallest earthquake.")] = 5.0,
    feed_api: Annotated[list[str] | None, typer.Option("--feed-api", help="FEED=URL: read a feed (usgs, gdacs, "
                                                       "reliefweb) from another server, such as a mirror.")] = None,
) -> None:
    """Fetch crisis events from USGS, GDACS and ReliefWeb into one events TOML file.

    ReliefWeb needs an approved appname in RELIEFWEB_APPNAME; without it, it is skipped with a note.

    One disaster seen by several feeds is one event (same GLIDE number, or same hazard and country
    within 48 hours). Nothing is written unless every feed answered.

    Example: audit events fetch --since 2026-11-01 --countries JP,ID --out events.toml
    """
    from audit.api import FetchRequest, InputError, events_to_toml, fetch_events, write_text_atomic

    with user_errors():
        if out.suffix.lower() != ".toml":
            raise InputError(out, "expected an output file ending in .toml")
        request = FetchRequest(since, countries, until, min_alert, min_magnitude, _feed_apis(feed_api or []))
        done = fetch_events(request, say=lambda line: typer.echo(line, err=True))
        if not done.events:
            raise InputError(out, f"expected at least one event to write; the feeds gave none for {countries} "
                             f"({len(done.skipped)} items left out, {done.elsewhere} elsewhere or outside the days)")
        write_text_atomic(out, FETCHED_HEADER + events_to_toml(done.events))
    _report_fetched(out, done)


FETCHED_HEADER = (
    "# Written by `audit events fetch` from USGS (public domain), GDACS (Copyright European Union;\n"
    "# syndication allowed, provided the source is acknowledged) and ReliefWeb (UN OCHA).\n\n"
)


def _feed_apis(pairs: list[str]) -> dict[str, str]:
    from audit.api import InputError

    apis: dict[str, str] = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        if not sep or not url.startswith(("http://", "https://")):
            expected = "expected FEED=URL such as usgs=https://earthquake.usgs.gov"
            raise InputError("--feed-api", f"{expected}, found {pair!r}")
        apis[name.strip().lower()] = url.strip()
    return apis


def _report_fetched(out: Path, done: Fetched) -> None:
    notes = [f"{_count(done.joined, 'sighting')} joined into events of another feed"] if done.joined else []
    notes += [f"{done.elsewhere} elsewhere or outside the days"] if done.elsewhere else []
    extra = f" ({'; '.join(notes)})" if notes else ""
    typer.echo(f"Wrote {_count(len(done.events), 'event')} to {out} after {_count(done.requests, 'request')}; "
               f"left out {_count(len(done.skipped), 'feed item')}{extra}.", err=True)
    _reasons(done.skipped)


def _report(out: Path, done: Conversion) -> None:
    """Counts on stderr, and each distinct skip reason once with how often and a first place."""
    events, skipped, merged, early = done.events, done.skipped, done.merged, done.ended_before
    notes = [f"{merged} repeated events merged"] if merged else []
    notes += [f"{early} ended before --since"] if early else []
    extra = f" ({'; '.join(notes)})" if notes else ""
    typer.echo(f"Wrote {_count(len(events), 'event')} to {out}; skipped {_count(len(skipped), 'item')}{extra}.",
               err=True)
    _reasons(skipped)


def _count(number: int, noun: str) -> str:
    """'1 event', '2 events': the summary lines read as sentences."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _reasons(skipped: tuple[Skipped, ...]) -> None:
    """Each distinct skip reason once, with how often and a first place."""
    first_place: dict[str, Skipped] = {}
    for item in skipped:
        first_place.setdefault(item.reason, item)
    for reason, count in Counter(item.reason for item in skipped).most_common():
        place = first_place[reason]
        typer.echo(f"  {count} x {reason} (first: {place.file}#{place.index})", err=True)
