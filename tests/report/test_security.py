"""Post text is untrusted: it is escaped, and rendering fetches nothing from the network or the disk.

A hostile post (or a tampered result file) carries markup that would fetch from a loopback HTTP
listener and read a local file if it were interpreted. The test checks that the listener hears
nothing, that the markup comes out as text, and that the file's contents never reach the PDF.
"""

from __future__ import annotations

import base64
import copy
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import StreamObject
from weasyprint import HTML

from audit.api import load_result, render_report, report_html
from audit.report.pdf import ASSETS, PackageOnlyFetcher

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"
SECRET = "TOP-SECRET-CABLE-7f3a9"


class Listener(HTTPServer):
    """A loopback HTTP server that records every request path it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), Recorder)


class Recorder(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        assert isinstance(self.server, Listener)
        self.server.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        pass


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def hostile_texts(port: int, secret: Path) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    return [
        f'<img src="{base}/pixel.png"> look at this',
        f'<link rel="stylesheet" href="{base}/evil.css">',
        f"<style>@import url({base}/import.css); body {{ background: url({base}/bg.png) }}</style>",
        f'<iframe src="file://{secret}"></iframe><object data="file:///etc/passwd"></object>',
        f'<img src="file://{secret}"> and <a href="javascript:alert(1)">click</a>',
        "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %} ${7*7}",
        f'<svg><image href="{base}/svg.png"/></svg><script>fetch("{base}/script")</script>',
    ]


def hostile_result(port: int, secret: Path) -> dict[str, Any]:
    """One account of the sample whose posts, names and links carry hostile markup."""
    result = copy.deepcopy(load_result(SAMPLE))
    result["accounts"] = result["accounts"][:1]
    account = result["accounts"][0]
    texts = hostile_texts(port, secret)
    for post, text in zip(account["evidence_posts"], texts, strict=False):
        post["text"] = text
    account["evidence_posts"][0]["url"] = "javascript:alert(document.cookie)"
    account["evidence_posts"][1]["url"] = f"file://{secret}"
    account["name"] = f'<img src="http://127.0.0.1:{port}/name.png">MOFA'
    account["key_findings"] = [f"<b>bold</b> {{{{ 7*7 }}}} <img src='http://127.0.0.1:{port}/finding.png'>"]
    result["ministry"]["name"] = "Ministry <script>alert(1)</script>"
    result["coverage"]["skipped"].append({"file": f"file://{secret}", "index": 1, "reason": "<img src=x>"})
    return result


def pdf_text_and_bytes(path: Path) -> tuple[str, bytes]:
    """Extracted text, and the PDF's bytes followed by every stream decoded (fonts, images, pages)."""
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    streams = []
    size: Any = reader.trailer["/Size"]
    for number in range(1, int(size)):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - free or damaged entries of the xref table hold nothing
            continue
        if isinstance(obj, StreamObject):
            streams.append(obj.get_data())
    return text, path.read_bytes() + b"".join(streams)


def test_hostile_posts_render_as_text_and_fetch_nothing(tmp_path: Path, listener: Listener,
                                                        secret_file: Path) -> None:
    port = listener.server_address[1]
    result = hostile_result(port, secret_file)
    html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
    warnings = render_report(result, pdf=pdf_path, html=html_path)
    assert listener.requests == []
    assert warnings == []
    html = html_path.read_text(encoding="utf-8")
    assert f"&lt;img src=&#34;http://127.0.0.1:{port}/pixel.png&#34;&gt;" in html
    assert f'src="http://127.0.0.1:{port}' not in html
    assert "<script>" not in html and "<iframe" not in html and "<link rel" not in html
    assert "{{ 7*7 }}" in html and "{% for x in range(3) %}loop{% endfor %}" in html
    assert "looplooploop" not in html
    assert 'href="javascript:' not in html and f'href="file://{secret_file}' not in html
    text, data = pdf_text_and_bytes(pdf_path)
    assert SECRET not in text and SECRET.encode() not in data
    assert "root:x:0:0" not in text and b"root:x:0:0" not in data
    assert "{{ 7*7 }}" in text and "<img src=" in text


def test_escaping_alone_already_stops_every_fetch(tmp_path: Path, listener: Listener, secret_file: Path) -> None:
    """The first wall on its own: the HTML twin laid out with WeasyPrint's default, fetch-anything
    fetcher still asks the listener for nothing and reads no file (the fetcher is the second wall)."""
    port = listener.server_address[1]
    html, _ = report_html(hostile_result(port, secret_file))
    out = tmp_path / "default-fetcher.pdf"
    HTML(string=html, base_url=str(tmp_path)).write_pdf(out)
    assert listener.requests == []
    assert SECRET.encode() not in pdf_text_and_bytes(out)[1]


def test_fetcher_serves_only_its_own_data_uris_and_package_assets(tmp_path: Path) -> None:
    own = "data:image/svg+xml;base64," + base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    fetcher = PackageOnlyFetcher([own])
    assert fetcher(own).read().startswith(b"<svg")
    assert b"@page" in fetcher((ASSETS / "report.css").as_uri()).read()
    refused = ["http://127.0.0.1:9/x.png", "https://example.org/a.css", "file:///etc/passwd",
               (ASSETS / ".." / "__init__.py").as_uri(), "data:text/css,body{}", "ftp://127.0.0.1/x",
               f"file://localhost{tmp_path}/x.css", "file://evil.example/etc/passwd"]
    for url in refused:
        with pytest.raises(ValueError, match="refused to fetch"):
            fetcher(url)
    assert len(fetcher.refused) == len(refused)


def test_the_fetcher_stops_markup_that_got_past_escaping(tmp_path: Path, listener: Listener,
                                                         secret_file: Path) -> None:
    """The second wall on its own: raw markup handed straight to the PDF writer fetches nothing."""
    from audit.report.pdf import write_pdf

    base = f"http://127.0.0.1:{listener.server_address[1]}"
    raw = (f'<html><head><link rel="stylesheet" href="{base}/a.css"></head><body>'
           f'<img src="{base}/b.png"><img src="file://{secret_file}"><p style="background: url({base}/c.png)">x</p>'
           "</body></html>")
    warnings = write_pdf(raw, tmp_path / "raw.pdf", [])
    assert listener.requests == []
    assert any(f"{base}/a.css" in w for w in warnings) and any(str(secret_file) in w for w in warnings)
    assert SECRET.encode() not in pdf_text_and_bytes(tmp_path / "raw.pdf")[1]
