"""`audit rubric check|show`: check a ministry's rubric before an audit, and show what it scores.

Checking is cheap and lists every problem at once, so a ministry adapting the default rubric can
fix its copy in one pass instead of discovering problems one audit at a time.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from audit.api import DEFAULT_RUBRIC_ID, Rubric, load_rubric, rubric_table
from audit.cli.common import echo_table, user_errors

app = typer.Typer(
    no_args_is_help=True, add_completion=False,
    help="Check a rubric file, or show the metrics, weights and targets a rubric scores.",
)

TABLE_COLUMNS = ["dimension", "metric", "weight", "floor", "target", "direction", "of overall"]


FILE_HELP = "A rubric file (TOML), or a bundled rubric id."


@app.command()
def check(file: Annotated[str, typer.Argument(help=FILE_HELP, show_default=False)]) -> None:
    """Check a rubric and list every problem with its key path (exit code 1 when there are any).

    Example: audit rubric check rubrics/my-ministry.toml
    """
    with user_errors():
        rubric = load_rubric(file)
    typer.echo(f"OK: {rubric.id} {rubric.version}: {len(rubric.dimensions)} dimensions, "
               f"{rubric.metric_count} metrics")


@app.command()
def show(
    file: Annotated[str, typer.Argument(help=FILE_HELP)] = DEFAULT_RUBRIC_ID,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metric rows as JSON.")] = False,
) -> None:
    """Show the dimensions, metrics, weights, floors and targets of a rubric, and its verdict rules.

    Example: audit rubric show --json
    """
    with user_errors():
        rubric = load_rubric(file)
    if as_json:
        typer.echo(json.dumps(rubric_table(rubric), ensure_ascii=False, indent=2))
        return
    _print_rubric(rubric)


def _print_rubric(rubric: Rubric) -> None:
    typer.echo(f"{rubric.id} {rubric.version}: {rubric.title}")
    typer.echo(f"Bands: {_minimums(rubric.bands)}")
    typer.echo(f"Grades: {_minimums(rubric.grades)}")
    typer.echo("")
    for dim in rubric.dimensions:
        typer.echo(f"{dim.id} ({dim.weight:.0%}): {dim.title}")
        if dim.question:
            typer.echo(f"    {dim.question}")
    typer.echo("")
    rows = rubric_table(rubric)
    echo_table([_readable(row) for row in rows], TABLE_COLUMNS)
    typer.echo("")
    typer.echo("What each metric measures:")
    for row in {r["metric"]: r for r in rows}.values():
        typer.echo(f"  {row['metric']} ({row['label']}, {row['unit']}): {row['definition']}")
    typer.echo("")
    typer.echo("Verdict (the first rule that holds):")
    for rule in rubric.verdict.rules:
        typer.echo(f"  {rule.verdict}: " + " and ".join(c.describe() for c in rule.conditions))
    typer.echo(f"  otherwise: {rubric.verdict.default}")


def _readable(row: dict[str, Any]) -> dict[str, object]:
    """A table row for people: 'reported' metrics show no scale, shares of the overall as percentages."""
    scored = row["direction"] != "reported"
    return {
        "dimension": row["dimension"], "metric": row["metric"], "weight": f"{row['weight']:g}",
        "floor": _number(row["floor"]) if scored else "", "target": _number(row["target"]) if scored else "",
        "direction": f"{row['direction']} is better" if scored else "reported",
        "of overall": f"{row['overall_weight']:.1%}" if scored else "",
    }


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _minimums(table: Any) -> str:
    return ", ".join(f"{name} >= {minimum:g}" for name, minimum in table.items())
