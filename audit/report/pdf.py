"""The PDF: WeasyPrint over the HTML report, with a URL fetcher that fetches nothing from outside.

Post text is escaped before it reaches the HTML, so no post can add an element. The fetcher is
the second wall: it serves only the data: URIs the renderer made itself (the charts) and files
inside the package's own templates folder, and refuses everything else (http, file, ftp, other
data: URIs), recording what it refused so the caller can warn about it.
"""

from __future__ import annotations

import base64
import binascii
import io
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pydyf  # type: ignore[import-untyped]
from weasyprint import HTML, Attachment
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import VARIANTS
from weasyprint.urls import URLFetcher, URLFetcherResponse

from audit.errors import RenderError
from audit.report.attachments import Attached

ASSETS = Path(__file__).resolve().parent / "templates"
OFFERED_VARIANTS = tuple(v for v in VARIANTS if v != "debug")


class PackageOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves the renderer's own data: URIs and package assets; refuses every other URL."""

    def __init__(self, data_uris: Iterable[str]) -> None:
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)
        self.data_uris = frozenset(data_uris)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url in self.data_uris:
            return _data_response(url)
        asset = _package_asset(url)
        if asset is not None:
            return URLFetcherResponse(url, asset.read_bytes(), {"Content-Type": _content_type(asset)})
        self.refused.append(url[:120])
        raise ValueError(f"refused to fetch {url[:120]!r}: the report loads nothing from outside the package")


def _data_response(uri: str) -> URLFetcherResponse:
    header, _, payload = uri.partition(",")
    mime = header.removeprefix("data:").split(";")[0] or "text/plain"
    try:
        body = base64.b64decode(payload) if header.endswith(";base64") else urllib.parse.unquote_to_bytes(payload)
    except binascii.Error as e:
        raise ValueError(f"malformed data: URI ({e})") from None
    return URLFetcherResponse(uri[:64], body, {"Content-Type": mime})


def _package_asset(url: str) -> Path | None:
    """The file behind a file: URL if it lies inside the package's templates folder, else None."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    path = Path(urllib.parse.unquote(parsed.path)).resolve()
    return path if path.is_file() and path.is_relative_to(ASSETS) else None


CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


def _content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix, "application/octet-stream")


def check_variant(variant: str | None) -> None:
    if variant is not None and variant not in OFFERED_VARIANTS:
        raise RenderError(f"unknown PDF variant {variant!r}; expected one of {', '.join(OFFERED_VARIANTS)}")


def write_pdf(html: str, target: Path, data_uris: Iterable[str], variant: str | None = None,
              files: Sequence[Attached] = ()) -> list[str]:
    """Lay out `html` and write the PDF to `target`, with `files` attached; returns warnings (refused URLs)."""
    check_variant(variant)
    fetcher = PackageOnlyFetcher(data_uris)
    document = HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=fetcher)
    # Tagged by default (headings, tables, figures with alt text, quotes with their language for screen
    # readers): it cost no measurable render time on the sample (5.1-5.3 s against 5.4-5.6 s) and 7% in size.
    options: dict[str, Any] = {"pdf_tags": True} | ({"pdf_variant": variant} if variant else {})
    embedded = [Attachment(file_obj=io.BytesIO(f.data), name=f.name, description=f.description,
                           relationship="Data") for f in files]
    document.write_pdf(target, finisher=quote_languages, attachments=embedded, **options)
    return [f"refused to fetch {url}" for url in dict.fromkeys(fetcher.refused)]


def quote_languages(document: Any, pdf: Any) -> None:
    """Give each quoted post's structure element its own /Lang, so a screen reader speaks it in its language.

    WeasyPrint tags a <blockquote> as /BlockQuote but passes on only the document's language. Its tag tree
    is built box by box, in document order (a line box is not an element; its text is marked content), so
    the n-th /BlockQuote element belongs to the n-th blockquote block box. When the two counts disagree
    nothing is changed: a wrong language is worse than none.
    """
    quotes = [o for o in pdf.objects if isinstance(o, pydyf.Dictionary) and o.get("S") == "/BlockQuote"]
    if not quotes:
        return
    langs = [box.element.get("lang") for page in document.pages for box in _boxes(page._page_box)
             if box.element_tag == "blockquote" and not isinstance(box, (boxes.LineBox, boxes.TextBox))]
    if len(quotes) != len(langs):
        return
    for element, lang in zip(quotes, langs, strict=True):
        if lang:
            element["Lang"] = pydyf.String(lang)


def _boxes(box: Any) -> Iterator[Any]:
    """Every box under `box`, parents before children (the order WeasyPrint builds its tag tree in)."""
    box = getattr(box, "_box", box)  # an absolutely positioned box sits behind a placeholder
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)
