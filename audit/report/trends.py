"""A plan's trend charts: one line per account over the plan's periods, on an axis that does not mislead.

Kept apart from charts.py (the per-account charts) because its rules are its own: a missing period
breaks the line, and the value axis starts at 0 and spans the whole scale of a score or a share.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from audit.report.charts import HALF_WIDTH, INK, Chart, chart_text, svg_uri, wrapped

TREND_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
TREND_STYLES = ("-", "--", ":", "-.")


def trend_chart(periods: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str,
                ylabel: str, percent_axis: bool = False, score_axis: bool = False) -> Chart | None:
    """Lines over a plan's periods, one per account (marker and dash tell them apart in grey).

    A period without a value breaks the line (no data is not 0, and no line is drawn across it);
    the value axis starts at 0 and spans the whole scale of a score or a share (see `value_limits`).
    """
    drawn = {name: values for name, values in series.items() if any(v is not None for v in values)}
    if len(periods) < 2 or not drawn:
        return None
    fig = Figure(figsize=(HALF_WIDTH, 2.1 + 0.12 * len(drawn)), layout="constrained")
    ax = fig.add_subplot()
    xs = list(range(len(periods)))
    for i, (name, values) in enumerate(drawn.items()):
        ax.plot(xs, gapped(values, len(xs)), color=INK, linewidth=1.0,
                linestyle=TREND_STYLES[i % len(TREND_STYLES)], marker=TREND_MARKERS[i % len(TREND_MARKERS)],
                markersize=3.5, markerfacecolor="white" if i % 2 else INK, label=wrapped(name, 22, lines=2),
                clip_on=False)  # a marker at 100 is drawn whole, not cut by the axis
    ax.set_xticks(xs, [chart_text(p, 10) for p in periods], rotation=45 if len(periods) > 6 else 0)
    ax.set_xlim(-0.3, len(xs) - 1 + 0.3)
    ax.set_title(wrapped(title, 60, lines=2), loc="left")
    ax.set_ylabel(ylabel)
    ax.set_ylim(*value_limits([v for vs in drawn.values() for v in vs if v is not None], percent_axis, score_axis))
    ax.yaxis.set_major_locator(MaxNLocator(5))
    if percent_axis:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    fig.legend(loc="outside lower center", ncols=2, handlelength=2.2)
    alt = f"{title} over {', '.join(periods)}: " + "; ".join(
        f"{name} " + ", ".join("no data" if v is None else f"{v:.2f}" for v in values)
        for name, values in drawn.items())
    return Chart(svg_uri(fig), alt)


def gapped(values: Sequence[float | None], length: int) -> list[float]:
    """Values with NaN where a period has none: matplotlib breaks a line at NaN instead of joining across."""
    padded = list(values)[:length] + [None] * max(0, length - len(values))
    return [math.nan if v is None else float(v) for v in padded]


def value_limits(values: Sequence[float], percent_axis: bool, score_axis: bool) -> tuple[float, float]:
    """The value axis: 0..100 for a score, 0..100% for a share unless the data is small (then 0 to a round
    step above it), 0 to a little above the largest count otherwise. Never a range around zero."""
    if score_axis:
        return 0.0, 100.0
    top = max([0.0, *values])
    if percent_axis:
        return 0.0, 1.0 if top > 0.5 else _round_up(top * 1.2, 0.05, 0.1)
    return 0.0, _round_up(top * 1.15, 1.0, 1.0) if top >= 1 else 1.0


def _round_up(value: float, step: float, least: float) -> float:
    return max(least, math.ceil(value / step - 1e-9) * step)
