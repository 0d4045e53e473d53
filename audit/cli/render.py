"""`audit render`: the PDF (and HTML) report from a saved AuditResult JSON, without re-running the audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from audit.cli.common import echo_written, user_errors


def render(
    result_json: Annotated[Path, typer.Argument(help="An AuditResult JSON (audit run --json).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the PDF report here.")] = Path("reports/audit.pdf"),
    html: Annotated[Path | None, typer.Option("--html", help="Also write the HTML report here.")] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="An earlier result.json for trends.")] = None,
    pdf_variant: Annotated[str | None, typer.Option(help="pdf/a-3u or pdf/ua-1 for archives.")] = None,
    posts: Annotated[Path | None, typer.Option(
        "--posts", help="The posts table written by audit run --posts-out, attached to a pdf/a-3 report.")] = None,
    peers: Annotated[list[Path] | None, typer.Option(
        "--peers", help="Another ministry's result JSON, or a folder of them, to rank this one among "
        "(repeat the option for each).", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors and warnings.")] = False,
) -> None:
    """Render the PDF report (and its HTML twin) of a saved audit result.

    Example: audit render result.json --out reports/audit.pdf --html reports/audit.html --previous last.json

    With --peers (other ministries' results) the report places the ministry among them on each score.

    An archival PDF/A-3 (--pdf-variant pdf/a-3u) carries the result JSON, and the --posts table if given,
    as attached files.
    """
    from audit.api import load_result, render_report

    with user_errors():
        warnings = render_report(load_result(result_json), pdf=out, html=html, previous=previous,
                                 pdf_variant=pdf_variant, posts=posts, peers=peers or [])
    echo_written(warnings, (out, html), quiet)
