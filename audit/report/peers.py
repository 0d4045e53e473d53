"""The ministry among its peers: other ministries' results (`--peers`), ranked on each score with ties.

A head of unit asks "are we doing well?" and the honest answer is relative: 3rd of 5 ministries on
language reach, and whether the gap to the first is larger than the margin of error. Peers scored with
another rubric (id or major version) or over a period of another length measure something else: they
are listed with the reason and never ranked. A peer that is the audited ministry itself (same name, same
period) is skipped with a warning, so that passing last month's file by mistake does not rank us twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from statistics import median
from typing import Any

from audit.report.labels import country_name, period_text, score_text, short_date
from audit.report.margins import (
    BEYOND,
    WITHIN,
    Span,
    ministry_dimension,
    rank_ranges,
    rank_text,
    rank_words,
    separated,
    span_of,
    span_text,
)
from audit.report.margins import not_comparable as why_not

Peer = tuple[str, Mapping[str, Any]]  # where it was read from (for messages) and the result
OVERALL = {"id": "overall", "title": "Overall score"}


def same_ministry(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """The same ministry over the same period: the same audit, whatever file it was read from."""
    keys = [(r["ministry"].get("name"), r["period"].get("start"), r["period"].get("end")) for r in (a, b)]
    return keys[0] == keys[1]


def peers_view(result: Mapping[str, Any], peers: Sequence[Peer], dims: Sequence[Mapping[str, str]],
               warnings: list[str]) -> dict[str, Any] | None:
    """The peers section: a row per score (rank, score, range, peers' median, sentence) and the peers."""
    if not peers:
        return None
    kept: list[tuple[Mapping[str, Any], str]] = []
    for source, peer in peers:
        if same_ministry(result, peer):
            warnings.append(f"{source}: this peer is the audited ministry itself (same name and period); skipped")
        else:
            kept.append((peer, why_not(result, peer)))
    ranked = [result] + [p for p, why in kept if not why]
    return {"measures": [measure(m, ranked) for m in [OVERALL, *dims]],
            "rows": ministry_rows([(result, "")] + kept, ranked), "ranked": len(ranked),
            "excluded": [{"name": p["ministry"].get("name", "?"), "reason": why} for p, why in kept if why]}


def score_and_span(result: Mapping[str, Any], dim_id: str) -> tuple[float | None, Span | None]:
    """A ministry's score on the overall scale or one dimension, with its range."""
    if dim_id == "overall":
        score = result["ministry"].get("score")
        return (float(score) if isinstance(score, (int, float)) else None), span_of(result["ministry"])
    return ministry_dimension(result, dim_id)


def measure(dim: Mapping[str, str], ranked: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One score across the ranked ministries (the audited one first): its rank, median and sentence."""
    found = [(i, *score_and_span(r, dim["id"])) for i, r in enumerate(ranked)]
    entries = [(i, s, span) for i, s, span in found if s is not None]
    ranks = rank_ranges(entries)
    others = [s for i, s, _ in entries if i != 0]
    _, score, span = found[0]
    return {"title": dim["title"], "score": score_text(score), "range": span_text(span),
            "rank": rank_text(ranks[0]) if 0 in ranks else "–", "of": len(entries),
            "median": score_text(median(others)) if others else "–",
            "sentence": sentence(dim["title"], entries, ranks, ranked)}


def sentence(title: str, entries: Sequence[tuple[int, float, Span | None]], ranks: Mapping[Any, tuple[int, int]],
             ranked: Sequence[Mapping[str, Any]]) -> str:
    """'3rd of 5 ministries on language reach; the gap to the first (X), 12.0 points, is larger than the
    margin of error.'"""
    what = "the overall score" if title == OVERALL["title"] else title[:1].lower() + title[1:]
    mine = next((e for e in entries if e[0] == 0), None)
    if mine is None:
        return f"Not ranked on {what}: not measured for this ministry."
    if len(entries) < 2:
        return f"Not ranked on {what}: no comparable peer is measured on it."
    order = sorted(entries, key=lambda e: -e[1])
    head = f"{rank_words(ranks[0]).capitalize()} of {len(entries)} ministries on {what}"
    other = order[1] if order[0][0] == 0 else order[0]
    gap = abs(mine[1] - other[1])
    name = ranked[other[0]]["ministry"].get("name", "?")
    where = f"its lead over the next ({name}), {gap:.1f} points," if other is order[1] and order[0][0] == 0 else \
        f"the gap to the first ({name}), {gap:.1f} points,"
    return f"{head}; {where} {_is(separated(mine[2], other[2]))}."


def _is(beyond: bool | None) -> str:
    if beyond is None:
        return "has no range to judge it by"
    return f"is {BEYOND}" if beyond else f"is {WITHIN}"


def ministry_rows(results: Sequence[tuple[Mapping[str, Any], str]],
                  ranked: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every ministry on the overall score, ranked ones first (best first), then the ones not comparable."""
    entries = [(i, s, span) for i, r in enumerate(ranked) for s, span in [score_and_span(r, "overall")]
               if s is not None]
    ranks = rank_ranges(entries)
    rows = []
    for i, (r, why) in enumerate(results):
        at = _index(ranked, r)
        rows.append(ministry_row(r, why, rank_text(ranks[at]) if at in ranks else "–", self_row=i == 0))
    return sorted(rows, key=lambda row: (bool(row["reason"]), -(row["value"] if row["value"] is not None else -1)))


def _index(ranked: Sequence[Mapping[str, Any]], result: Mapping[str, Any]) -> int:
    return next((i for i, r in enumerate(ranked) if r is result), -1)


def ministry_row(result: Mapping[str, Any], reason: str, rank: str, self_row: bool = False) -> dict[str, Any]:
    ministry = result["ministry"]
    score, span = score_and_span(result, "overall")
    rubric = result.get("rubric") or {}
    return {"name": str(ministry.get("name") or "?"), "country": country_name(ministry.get("country")),
            "self": self_row, "rank": rank, "score": score_text(score), "value": score, "range": span_text(span),
            "band": ministry.get("band") or "", "verdict": ministry.get("verdict") or "",
            "accounts": len(result["accounts"]), "posts": sum(int(a.get("posts") or 0) for a in result["accounts"]),
            "period": period_text(result["period"]), "short_period": short_period(result["period"]),
            "rubric": f"{rubric.get('id', '?')} {rubric.get('version', '?')}", "reason": reason}


def short_period(period: Mapping[str, Any]) -> str:
    """'1 Jan 2025 – 30 Jun 2025 (181 days)', for a table cell."""
    days = f" ({period['days']} days)" if period.get("days") else ""
    return f"{short_date(period.get('start'))} – {short_date(period.get('end'))}{days}"
