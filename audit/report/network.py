"""The network overview a large audit leads with: small multiples of the key scores, the best and worst five.

With fifty accounts nobody reads fifty account pages first. Before them the report shows, for the
overall score and each dimension, every account's score as one small chart (sorted, with the ministry's
mean and the band cut-offs), and names the five best and five worst accounts with what holds each back.
The league table with every score is the scorecard beside it. A small audit (a page of accounts) has no
overview: its scorecard and account pages already are one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import mean
from typing import Any

from matplotlib.figure import Figure

from audit.report import drawing
from audit.report.charts import GREY, INK, LATIN_RC, MID, RC, Chart, chart_style, image_uri
from audit.report.drawing import fixed_layout

NETWORK_FROM = 13  # accounts: from here the report leads with the overview
SHOWN = 5


def network_view(accounts: Sequence[Mapping[str, Any]], dims: Sequence[Mapping[str, str]],
                 cutoffs: Sequence[float], problems: list[str]) -> dict[str, Any] | None:
    """Charts (overall and per dimension) and the best and worst five, or None for a small audit."""
    if len(accounts) < NETWORK_FROM:
        return None
    scored = [a for a in accounts if a["score_value"] is not None]
    ranked = sorted(scored, key=lambda a: -a["score_value"])
    series = [("Overall score", [a["score_value"] for a in scored])]
    series += [(d["title"], [s for a in scored if (s := _dimension_score(a, d["id"])) is not None]) for d in dims]
    with chart_style(problems):
        drawn = [small_multiple(title, scores, cutoffs) for title, scores in series]
    return {"charts": [c for c in drawn if c is not None], "accounts": len(accounts),
            "best": [_row(a) for a in ranked[:SHOWN]], "worst": [_row(a) for a in ranked[-SHOWN:][::-1]]}


def _dimension_score(account: Mapping[str, Any], dim_id: str) -> float | None:
    for d in account["dimensions"]:
        if d["id"] == dim_id:
            text = d["cell"]["text"]
            return float(text) if d["cell"]["tier"] != "none" else None
    return None


def _row(account: Mapping[str, Any]) -> dict[str, Any]:
    """An account as the best/worst lists show it: score, verdict and its weakest measured dimension."""
    measured = [d for d in account["dimensions"] if d["cell"]["tier"] != "none"]
    weakest = min(measured, key=lambda d: float(d["cell"]["text"]), default=None)
    return {"name": account["name"], "anchor": account["anchor"], "overall": account["overall"],
            "verdict": account["verdict"], "platform": account["platform"],
            "weakest": f"{weakest['title']} {weakest['cell']['text']}" if weakest else "–"}


@drawing.elsewhere(RC, LATIN_RC)
def small_multiple(title: str, scores: Sequence[float], cutoffs: Sequence[float]) -> Chart | None:
    """Every account's score on one 0-100 axis, highest first, the ministry's mean dashed across."""
    if not scores:
        return None
    values = sorted(scores, reverse=True)
    fig = Figure(figsize=(2.2, 1.25))
    fixed_layout(fig, left=0.3, bottom=0.2, top=0.2)
    ax = fig.add_subplot()
    ax.bar(range(len(values)), values, width=0.8, color=MID, edgecolor=INK, linewidth=0.2)
    for cut in cutoffs:
        ax.axhline(cut, color=GREY, linewidth=0.4, linestyle=":")
    average = mean(values)
    ax.axhline(average, color=INK, linewidth=0.9, linestyle="--")
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 25, 50, 75, 100])
    ax.set_xticks([])
    ax.set_xlabel(f"{len(values)} accounts, best first", fontsize=6)
    ax.set_title(title, fontsize=7.5, loc="left")
    alt = (f"{title} of {len(values)} accounts, from {values[0]:.1f} to {values[-1]:.1f}; "
           f"mean {average:.1f} (dashed line).")
    return Chart(image_uri(fig), alt)
