"""`audit compare`: several ministries side by side, a league table in the manner of the Digital Diplomacy Index.

Unlike an index that prints one rank per country, every score here keeps its 95% range and a rank is a
range too (margins.py): two ministries whose ranges overlap share "2–3", because the data cannot tell
them apart. The reference is the rubric and period length most of the results share (the first given on
a tie); a result scored otherwise is listed with the reason and not ranked. Same renderer, stylesheet,
fonts and chart look as the report.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from audit.errors import RenderError
from audit.files import write_atomic, write_text_atomic
from audit.report.charts import GREY, INK, MID, Chart, chart_style, image_uri, isolated, wrapped
from audit.report.context import dimension_order
from audit.report.fonts import font_warnings
from audit.report.html import environment, stylesheet
from audit.report.labels import period_text
from audit.report.margins import major_version, not_comparable, period_days, rank_ranges, rank_text, span_text
from audit.report.pdf import write_pdf
from audit.report.peers import Peer, ministry_row, same_ministry, score_and_span
from audit.result.rubric import DEFAULT_BANDS, rubric_of

TEMPLATE = "compare.html.j2"


def render_compare(results: Sequence[Peer], pdf: Path | None = None, html: Path | None = None) -> list[str]:
    """Write the comparison (PDF and/or HTML) of `results`, each with the file it came from; returns warnings."""
    warnings: list[str] = []
    kept = distinct(results, warnings)
    if len(kept) < 2:
        raise RenderError(f"audit compare needs at least two different AuditResult files, found {len(kept)}")
    context = compare_view(kept, warnings)
    warnings += font_warnings(json.dumps([r for _, r in kept], ensure_ascii=False))
    page = environment().get_template(TEMPLATE).render(**context, css=stylesheet())
    chart = context["chart"]
    warnings += [p for p in (chart.problems if chart else []) if p not in warnings]
    if html is not None:
        write_text_atomic(html, page)
    if pdf is not None:
        uris = [chart.uri] if chart else []
        write_atomic(pdf, lambda tmp: warnings.extend(write_pdf(page, tmp, uris)))
    return warnings


def distinct(results: Sequence[Peer], warnings: list[str]) -> list[Peer]:
    """The results, a repeated audit (same ministry and period) kept once with a warning."""
    kept: list[Peer] = []
    for source, result in results:
        if any(same_ministry(result, r) for _, r in kept):
            warnings.append(f"{source}: the same ministry and period as an earlier file; skipped")
        else:
            kept.append((source, result))
    return kept


def reference(results: Sequence[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The result whose rubric (id and major version) and period length most results share."""
    def key(r: Mapping[str, Any]) -> tuple[Any, ...]:
        rubric = r.get("rubric") or {}
        return rubric.get("id"), major_version(rubric.get("version")), period_days(r)
    counts = Counter(key(r) for r in results)
    return max(results, key=lambda r: counts[key(r)])  # max keeps the first of equals


def compare_view(results: Sequence[Peer], warnings: list[str]) -> dict[str, Any]:
    """What compare.html.j2 prints: the league table, a table per dimension, the chart and the method note."""
    ref = reference([r for _, r in results])
    reasons = [not_comparable(ref, r) for _, r in results]
    ranked = [r for (_, r), why in zip(results, reasons, strict=True) if not why]
    dims = dimension_order(ref, rubric_of(ref))
    league = table(ranked, "overall", [r for _, r in results], reasons)
    rubric = rubric_of(ref)
    cutoffs = list((rubric.bands if rubric else DEFAULT_BANDS).values())
    with chart_style(warnings):
        chart = whisker_chart([row for row in league if not row["reason"] and row["value"] is not None], cutoffs)
    return {
        "title": f"Comparing {len(results)} ministries",
        "league": league, "chart": chart, "ranked": len(ranked),
        "dimensions": [{"title": d["title"], "rows": table(ranked, d["id"], ranked, [""] * len(ranked))}
                       for d in dims],
        "excluded": [{"name": r["ministry"].get("name", "?"), "source": Path(s).name, "reason": why}
                     for (s, r), why in zip(results, reasons, strict=True) if why],
        "reference": ministry_row(ref, "", ""),
        "period": period_text(ref["period"]),
    }


def table(ranked: Sequence[Mapping[str, Any]], dim_id: str, shown: Sequence[Mapping[str, Any]],
          reasons: Sequence[str]) -> list[dict[str, Any]]:
    """Rows for one score: ranked results best first with their rank range, then those not comparable."""
    found = [(i, *score_and_span(r, dim_id)) for i, r in enumerate(ranked)]
    ranks = rank_ranges([(i, s, span) for i, s, span in found if s is not None])
    rows = []
    for result, why in zip(shown, reasons, strict=True):
        at = next((i for i, r in enumerate(ranked) if r is result), -1)
        score, span = score_and_span(result, dim_id)
        rows.append(ministry_row(result, why, rank_text(ranks[at]) if at in ranks else "–")
                    | {"score": f"{score:.1f}" if score is not None else "n/a", "value": score,
                       "range": span_text(span), "low_high": span})
    return sorted(rows, key=lambda r: (bool(r["reason"]), r["value"] is None, -(r["value"] or 0.0)))


def whisker_chart(rows: Sequence[Mapping[str, Any]], cutoffs: Sequence[float]) -> Chart | None:
    """Each ranked ministry's overall score as a dot on a 0–100 axis, its 95% range as a whisker."""
    if not rows:
        return None
    fig = Figure(figsize=(6.7, 0.55 + 0.36 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    for y, row in enumerate(rows):
        low, high = row["low_high"] or (row["value"], row["value"])
        ax.plot([low, high], [y, y], color=MID, linewidth=2.2, solid_capstyle="butt")
        ax.plot([row["value"]], [y], marker="o", markersize=5, color=INK)
    for cut in cutoffs:
        ax.axvline(cut, color=GREY, linewidth=0.5, linestyle=":")
    ax.set_yticks(range(len(rows)), [tick_label(row["rank"], row["name"]) for row in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Overall score (dot) and its 95% range (bar); dotted lines: band cut-offs")
    alt = "; ".join(f"{row['name']} {row['value']:.1f}" + (f" (range {row['range']})" if row["range"] else "")
                    for row in rows)
    return Chart(image_uri(fig), f"Overall scores with their ranges: {alt}.")


def tick_label(rank: str, name: str) -> str:
    """'2–3. Name' over at most two lines, each line of the name isolated: an Arabic or Hebrew name would
    otherwise turn the whole label right to left and print the rank after it."""
    lines = [isolated(line) for line in wrapped(name, 30, 2).split("\n")]
    return "\n".join([f"{rank}. {lines[0]}", *lines[1:]])
