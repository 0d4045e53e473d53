"""The archival and accessible PDFs: PDF/A-3 carries the data the report was drawn from, PDF/UA tells a
screen reader the language of every quoted post.

Attachments are read back with pypdf and compared byte for byte with the files written beside the PDF;
the structure tree is walked to find each quote (/BlockQuote) and its /Lang.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from audit.api import load_result, render_report, write_outputs

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"


def one_account(index: int) -> dict[str, Any]:
    result = copy.deepcopy(load_result(SAMPLE))
    result["accounts"] = [result["accounts"][index]]
    return result


def attached(pdf: Path) -> dict[str, bytes]:
    return {name: data[0] for name, data in PdfReader(pdf).attachments.items()}


def quote_languages(pdf: Path) -> list[str | None]:
    """The /Lang of every /BlockQuote structure element, in document order."""
    root: Any = PdfReader(pdf).trailer["/Root"]
    return [None if "/Lang" not in e else str(e["/Lang"]) for e in _elements(root["/StructTreeRoot"])
            if e.get("/S") == "/BlockQuote"]


def _elements(node: Any) -> Iterator[Any]:
    node = node.get_object()
    yield node
    kids = node.get("/K")
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            yield from _elements(kid)


# WeasyPrint's PDF/A writer reads its sRGB profile without closing the file (a ResourceWarning, not ours).
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("variant", ["pdf/a-3u", "pdf/a-3b"])
def test_pdf_a3_attaches_the_result_json_it_was_written_with_and_the_posts_table(
        tmp_path: Path, variant: str) -> None:
    result, posts = one_account(1), tmp_path / "posts.csv"
    posts.write_text("post_id,lang,label\n4412,ja,diplomacy\n", encoding="utf-8")
    pdf, json_out = tmp_path / "report.pdf", tmp_path / "result.json"
    write_outputs(result, json_out=json_out, pdf=pdf, pdf_variant=variant, posts=posts)
    files = attached(pdf)
    assert files == {"result.json": json_out.read_bytes(), "posts.csv": posts.read_bytes()}
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "as attached files" in text and "pdfdetach" in " ".join(text.split())


@pytest.mark.parametrize("variant", [None, "pdf/ua-1"])
def test_other_pdfs_attach_nothing_and_say_where_the_data_is(tmp_path: Path, variant: str | None) -> None:
    pdf = tmp_path / "report.pdf"
    render_report(one_account(1), pdf=pdf, pdf_variant=variant)
    assert attached(pdf) == {}
    assert "pdf/a-3u" in " ".join("".join(p.extract_text() for p in PdfReader(pdf).pages).split())


@pytest.mark.parametrize("variant", ["pdf/ua-1", None])  # the default PDF is tagged too
def test_tagged_pdf_gives_every_quote_its_own_language(tmp_path: Path, variant: str | None) -> None:
    result = one_account(0)
    pdf = tmp_path / "ua.pdf"
    render_report(result, pdf=pdf, pdf_variant=variant)
    langs = quote_languages(pdf)
    quoted = [p["lang"] for p in result["accounts"][0]["evidence_posts"] if p["lang"] not in ("", "und")]
    assert langs and None not in langs
    assert set(langs) == set(quoted), (langs, quoted)
    assert str(PdfReader(pdf).trailer["/Root"]["/Lang"]) == "en"  # the document's own language stays English
