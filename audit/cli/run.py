"""`audit run`: the audit from the command line, with a summary table for people."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from audit.api import AuditResult
from audit.cli.collect import collect_before_run
from audit.cli.common import echo_table, user_errors

RubricOpt = Annotated[str, typer.Option("--rubric", help="A bundled rubric id or a rubric file.")]
DayOpt = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Inclusive UTC day.")]


def run(
    source: Annotated[Path, typer.Argument(help="An accounts file (TOML), or one export with --platform.",
                                           show_default=False)],
    events: Annotated[Path | None, typer.Option("--events", help="Events file (TOML or CSV).")] = None,
    rubric: RubricOpt = "public-diplomacy",
    since: DayOpt = None,
    until: DayOpt = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the AuditResult JSON here.")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the PDF report here.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML report here.")] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="An earlier result.json for trends.")] = None,
    peers: Annotated[list[Path] | None, typer.Option(
        "--peers", help="Another ministry's result JSON, or a folder of them, to rank this one among in the "
        "report (repeat the option for each).", show_default=False)] = None,
    pdf_variant: Annotated[str | None, typer.Option(help="pdf/a-3u or pdf/ua-1 for archives.")] = None,
    posts_out: Annotated[Path | None, typer.Option(
        "--posts-out", help="Write every post of the period with its language, signals and label (.parquet/.csv).",
    )] = None,
    platform: Annotated[str | None, typer.Option(help="Quick audit of one export on this platform.")] = None,
    role: Annotated[str, typer.Option(help="Role of that one account.")] = "ministry",
    host_country: Annotated[str | None, typer.Option(help="Host country of that one account.")] = None,
    country: Annotated[str, typer.Option(help="Home country of the ministry (quick audit).")] = "KR",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    collect: Annotated[bool, typer.Option("--collect", help="First fetch what is new for accounts marked collect "
                                          "(as `audit collect`, back to --since).")] = False,
) -> None:
    """Audit the accounts of an accounts file (or one export) and write JSON, PDF and HTML.

    Example: audit run accounts.toml --events events.toml --json result.json --out reports/audit.pdf
    """
    from audit.api import audit_from_paths, check_posts_path, load_peers, write_posts

    frames: list[pl.DataFrame] = []
    with user_errors():
        if posts_out:
            check_posts_path(posts_out)
        load_peers(peers or [])  # a peer file that is not a result fails now, not after the audit
        if collect:
            collect_before_run(source, _day(since), quiet)
        result = audit_from_paths(
            source, events=events, rubric=rubric, since=_day(since), until=_day(until), platform=platform,
            role=role, host_country=host_country, country=country, progress=None if quiet else _progress,
            enriched=frames.append if posts_out else None,
        )
        if posts_out:  # written first, so that the PDF/A-3 report can carry it
            write_posts(pl.concat(frames, how="vertical_relaxed"), posts_out)
            _said(quiet, f"Wrote {posts_out}")
        _write_outputs(result, json_out, out, html, previous, pdf_variant, quiet, posts_out, peers or [])
    if not quiet:
        summary_table(result)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _progress(message: str) -> None:
    typer.echo(f"… {message}", err=True)


def _write_outputs(result: AuditResult, json_out: Path | None, out: Path | None, html: Path | None,
                   previous: Path | None, pdf_variant: str | None, quiet: bool, posts: Path | None = None,
                   peers: list[Path] | None = None) -> None:
    from audit.api import write_outputs

    for warning in write_outputs(result, json_out=json_out, pdf=out, html=html, previous=previous,
                                 pdf_variant=pdf_variant, posts=posts, peers=peers or []):
        typer.echo(f"Warning: {warning}", err=True)
    for path in (json_out, out, html):
        if path:
            _said(quiet, f"Wrote {path}")


def _said(quiet: bool, message: str) -> None:
    if not quiet:
        typer.echo(message, err=True)


def verdict_word(scored: Mapping[str, Any]) -> str:
    """The verdict, with 'borderline' when its deciding number's interval straddles the rule's threshold."""
    borderline = (scored.get("verdict_rule") or {}).get("borderline")
    verdict = scored.get("verdict") or "not measured"
    return f"{verdict} (borderline)" if borderline else str(verdict)


def summary_table(result: AuditResult) -> None:
    """Account, posts, score, band and verdict, then the ministry's line (the report's one scale: band words)."""
    rows: list[dict[str, object]] = [
        {"account": a["id"], "platform": a["platform"], "posts": a["posts"], "score": _num(a["score"]),
         "band": a.get("band") or "-", "verdict": verdict_word(a)}
        for a in result["accounts"]
    ]
    m = result["ministry"]
    rows.append({"account": "MINISTRY", "platform": "", "posts": sum(a["posts"] for a in result["accounts"]),
                 "score": _num(m["score"]), "band": m.get("band") or "-", "verdict": verdict_word(m)})
    period = result["period"]
    typer.echo(f"{m['name']} ({m['country']}), {period['start']} to {period['end']}, rubric "
               f"{result['rubric']['id']} {result['rubric']['version']}")
    echo_table(rows, ["account", "platform", "posts", "score", "band", "verdict"])
    for note in result.get("coverage", {}).get("warnings", []):
        typer.echo(f"Note: {note}")


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
DEMO_PERIOD = (date(2025, 1, 1), date(2025, 6, 30))


def demo(
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Where the demo reports go.")] = Path("reports"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Audit the bundled SYNTHETIC demo ministry and write reports/demo.pdf, .html and .json.

    Example: audit demo
    """
    from audit.api import audit_from_paths
    from audit.errors import InputError

    with user_errors():
        if not (DEMO / "accounts.toml").is_file():
            raise InputError(DEMO, "expected the demo ministry of a source checkout (fixtures/demo/accounts.toml)")
        result = audit_from_paths(DEMO / "accounts.toml", events=DEMO / "events.toml", since=DEMO_PERIOD[0],
                                  until=DEMO_PERIOD[1], progress=None if quiet else _progress)
        _write_outputs(result, out_dir / "demo.json", out_dir / "demo.pdf", out_dir / "demo.html",
                       None, None, quiet)
    if not quiet:
        summary_table(result)
