"""Rendering the report: a PDF and its HTML twin, drawn from an AuditResult alone.

`render_report` needs nothing but the result (and optionally the previous result for the trend):
the charts come from the result's small series, the method appendix from the rubric it carries.
Outputs are written atomically, and the returned warnings (missing fonts, a rubric that could not
be found, a chart glyph that could not be drawn) are for the caller to show.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from audit.files import write_atomic, write_text_atomic
from audit.report import drawing
from audit.report.attachments import ARCHIVE_VARIANTS, attachments, data_note
from audit.report.benchmark import best_of_role
from audit.report.context import build_context
from audit.report.events import events_view
from audit.report.evidence import mark_repeats
from audit.report.fonts import font_warnings
from audit.report.html import render_html
from audit.report.network import network_view
from audit.report.pdf import check_variant, write_pdf
from audit.report.peers import Peer, peers_view
from audit.result.io import check_result, load_result, result_json
from audit.result.rubric import DEFAULT_BANDS, rubric_of
from audit.result.upgrade import upgrade_result

PARALLEL_FROM = 8  # accounts: below this, starting worker processes costs more than it saves
NO_METHOD = ("The result names its rubric {id!r} but does not carry it (it was written by an older version "
             "and no rubric of that id could be found), so the method cannot be shown.")


def render_report(result: Mapping[str, Any], pdf: Path | None = None, html: Path | None = None,
                  previous: Path | None = None, pdf_variant: str | None = None,
                  platforms: Mapping[str, str] | None = None, notes: Sequence[str] = (),
                  posts: Path | None = None, source: Mapping[str, Any] | None = None,
                  peers: Sequence[Peer] = ()) -> list[str]:
    """Write the PDF and/or HTML report of `result`; returns warnings for the user to read.

    The PDF/A-3 variant carries the result JSON and the posts table (`posts`, if written) as attached files;
    the JSON is `source` (the result as the caller holds it, before a rubric was attached to it) if given.
    `peers` (other ministries' results, each with the file it came from) add the section placing the
    ministry among them.
    """
    check_variant(pdf_variant)
    check_result(result)
    earlier = load_result(previous) if previous is not None else None
    files = attachments(result_json(source or result), posts) if pdf_variant in ARCHIVE_VARIANTS else []
    page, chart_uris, warnings = _render(result, earlier, platforms or {}, notes, data_note(pdf_variant, files),
                                         peers)
    if html is not None:
        write_text_atomic(html, page)
    if pdf is not None:
        refused: list[str] = []
        write_atomic(pdf, lambda tmp: refused.extend(write_pdf(page, tmp, chart_uris, pdf_variant, files)))
        warnings += refused
    return warnings


def report_html(result: Mapping[str, Any], previous: Mapping[str, Any] | None = None,
                platforms: Mapping[str, str] | None = None, notes: Sequence[str] = (),
                peers: Sequence[Peer] = ()) -> tuple[str, list[str]]:
    """The report's HTML and the warnings met while making it (no files written)."""
    page, _, warnings = _render(result, previous, platforms or {}, notes, data_note(None, []), peers)
    return page, warnings


def _render(result: Mapping[str, Any], previous: Mapping[str, Any] | None,
            platforms: Mapping[str, str], notes: Sequence[str], data: str,
            peers: Sequence[Peer] = ()) -> tuple[str, list[str], list[str]]:
    """HTML, the data: URIs of the charts it embeds (all the PDF may load), and warnings.

    `notes` are said about the method (a rubric version other than the one scored with) and warned.
    Results of an older schema (a kept file, `--previous`) are read in the current one.
    """
    result, previous = upgrade_result(result), upgrade_result(previous)
    warnings = font_warnings(json.dumps([result, previous], ensure_ascii=False))
    rubric = rubric_of(result)
    named = (result.get("rubric") or {}).get("id", "unknown")
    note = " ".join(notes) if rubric else NO_METHOD.format(id=named)
    if note:
        warnings.append(note)
    with drawing.parallel(len(result["accounts"]) >= PARALLEL_FROM):
        context = build_context(result, previous, rubric, note, warnings, platforms)
        cutoffs = list((rubric.bands if rubric else DEFAULT_BANDS).values())
        context["network"] = network_view(context["accounts"], context["dimensions"], cutoffs, warnings)
    mark_repeats(context["accounts"])
    context |= {"events": events_view(result, context["accounts"]), "data_note": data,
                "peers": peers_view(result, [(s, upgrade_result(p)) for s, p in peers], context["dimensions"],
                                    warnings)}
    for view, account in zip(context["accounts"], result["accounts"], strict=True):
        view["benchmark"] = best_of_role(account, result)  # the line against the best account of its role
    drawn = [c for a in context["accounts"] for c in a["charts"].values() if c is not None]
    drawn += list((context["history"] or {}).get("charts", [])) + list((context["network"] or {}).get("charts", []))
    warnings += [p for p in dict.fromkeys(p for c in drawn for p in c.problems) if p not in warnings]
    return render_html(context), [c.uri for c in drawn], warnings
