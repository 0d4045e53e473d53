"""`audit compare`: several ministries' saved results side by side, as a league table with ranges."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from audit.cli.common import echo_written, user_errors


def compare(
    results: Annotated[list[Path], typer.Argument(
        help="Two or more AuditResult JSON files (audit run --json), or folders of them.", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the PDF here.")] = Path("reports/compare.pdf"),
    html: Annotated[Path | None, typer.Option("--html", help="Also write the HTML twin here.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors and warnings.")] = False,
) -> None:
    """Compare several ministries: a league table (rank, score and its 95% range, band, verdict), a table
    per dimension and a chart. Ministries whose ranges overlap share a rank ("2–3"); results scored with
    another rubric or over a period of another length are listed, not ranked.

    Example: audit compare results/kr.json results/jp.json results/de.json --out reports/compare.pdf
    """
    from audit.api import compare_results

    with user_errors():
        warnings = compare_results(results, pdf=out, html=html)
    echo_written(warnings, (out, html), quiet)
