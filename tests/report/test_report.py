"""The report: HTML structure for the sample result, PDF conventions, fonts for every script, errors."""

from __future__ import annotations

import copy
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import typer
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from typer.testing import CliRunner

from audit.api import load_result, render_report, report_html
from audit.cli.render import render
from audit.errors import InputError, RenderError
from audit.report.fonts import SCRIPTS, font_warnings, scripts_in
from audit.report.periods import SKIPPED_ROWS
from audit.result.io import check_result
from audit.scoring.rubric.loading import load_rubric

RESULTS = Path(__file__).resolve().parents[2] / "fixtures" / "results"
SAMPLE = RESULTS / "sample_result.json"
PREVIOUS = RESULTS / "previous_result.json"
SCRIPTS_IN_SAMPLE = {"ko", "ja", "zh", "ar", "ru", "hi", "th"}


# Helpers -----------------------------------------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""


class Tree(HTMLParser):
    """Every element with its attributes and its whole text: enough to check structure without bs4."""

    VOID = {"meta", "img", "br", "link", "hr", "input", "col"}

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(
            value in (e.attrs.get(key.rstrip("_")) or "").split() or e.attrs.get(key.rstrip("_")) == value
            for key, value in attrs.items())]

    def by_id(self, element_id: str) -> Element:
        (found,) = [e for e in self.elements if e.attrs.get("id") == element_id]
        return found


def tofu(path: Path) -> dict[str, set[str]]:
    """Characters drawn as WeasyPrint's placeholder: glyph ids beyond the embedded font's glyph count.

    Copied from shared/tools/tofu_check.py: pdftotext shows clean text over tofu, this does not.
    """
    reader = PdfReader(path)
    bad: dict[str, set[str]] = {}
    done: set[str] = set()
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for _, font in resources.get("/Font", {}).items():
            font = font.get_object()
            name = str(font["/BaseFont"])
            if name in done or "/DescendantFonts" not in font:
                continue
            done.add(name)
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            embedded = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            try:
                glyphs = TTFont(io.BytesIO(embedded.get_object().get_data()))["maxp"].numGlyphs
            except Exception:  # noqa: BLE001 - a font fontTools cannot read is skipped, as in the tool
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin1")
            for cid, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", cmap):
                if int(cid, 16) >= glyphs:
                    bad.setdefault(name, set()).add(bytes.fromhex(uni).decode("utf-16-be", "replace"))
    return bad


def one_account(result: dict[str, Any], index: int = 0) -> dict[str, Any]:
    """A copy of the result with one account: quick PDFs for tests that need a PDF but not all pages."""
    small = copy.deepcopy(result)
    small["accounts"] = [small["accounts"][index]]
    return small


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return load_result(SAMPLE)


@pytest.fixture(scope="module")
def page(sample: dict[str, Any]) -> tuple[str, list[str]]:
    return report_html(sample, load_result(PREVIOUS))


@pytest.fixture(scope="module")
def tree(page: tuple[str, list[str]]) -> Tree:
    return Tree(page[0])


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory, sample: dict[str, Any]) -> Path:
    """The sample report as PDF, rendered once for all PDF tests (about 15 s)."""
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    warnings = render_report(sample, pdf=out, previous=PREVIOUS)
    assert warnings == []
    return out


# The sample itself --------------------------------------------------------------------------------


def test_sample_has_posts_in_every_script_the_report_must_draw(sample: dict[str, Any]) -> None:
    langs = {p["lang"] for a in sample["accounts"] for p in a["evidence_posts"]}
    assert langs >= SCRIPTS_IN_SAMPLE
    names = {s.name for s in scripts_in(json.dumps(sample, ensure_ascii=False))}
    assert {"Korean", "Japanese", "Chinese", "Arabic", "Cyrillic", "Devanagari", "Thai", "Emoji"} <= names


def test_sample_evidence_ids_are_all_quoted(sample: dict[str, Any]) -> None:
    for account in sample["accounts"]:
        quoted = {p["post_id"] for p in account["evidence_posts"]}
        cited = {i for d in account["dimensions"].values() for i in d["evidence"]}
        assert cited == quoted, account["id"]


# HTML structure -----------------------------------------------------------------------------------


def test_html_has_every_section_in_reading_order(page: tuple[str, list[str]], sample: dict[str, Any]) -> None:
    html = page[0]
    anchors = ["summary", "trend"] + [f"account-{i + 1}-{a['id']}" for i, a in enumerate(sample["accounts"])]
    anchors += ["method", "coverage"]
    positions = [html.index(f'id="{a}"') for a in anchors]
    assert positions == sorted(positions)


def test_html_has_no_warnings_for_the_sample(page: tuple[str, list[str]]) -> None:
    assert page[1] == []


def test_cover_names_ministry_period_rubric_date_and_tool(tree: Tree) -> None:
    cover = tree.find("section", class_="cover")[0].text
    for text in ("Ministry of Foreign Affairs", "1 January 2025 – 30 June 2025 (181 days)",
                 "Public diplomacy on social media (version 1.0.0)", "4 July 2025", "diplomacy-audit 0.1.0"):
        assert text in cover


def test_contents_link_every_section(tree: Tree, sample: dict[str, Any]) -> None:
    links = [a.attrs["href"] for a in tree.elements if a.tag == "a" and (a.attrs.get("href") or "").startswith("#")]
    toc = tree.find("nav", class_="toc")[0].text
    assert "#summary" in links and "#method" in links and "#coverage" in links
    for account in sample["accounts"]:
        assert account["name"] in toc


def test_page_one_briefs_verdict_margin_league_and_costliest_problems(tree: Tree, sample: dict[str, Any]) -> None:
    summary = " ".join(tree.by_id("summary").text.split())
    ministry = sample["ministry"]
    assert f"{ministry['score']:.1f}" in summary and f"Band {ministry['band']}" in summary
    assert ministry["verdict"] in summary and "What decided it:" in summary
    league = tree.find("table", class_="league")[0].text
    assert all(a["name"] in league for a in sample["accounts"]) and "posts" in league
    problems = tree.find("ol", class_="problems")[0].text
    points = [float(p) for p in re.findall(r"costs the ministry (\d+\.\d) points", " ".join(problems.split()))]
    assert len(points) == 3 and points == sorted(points, reverse=True)
    assert problems.count("Action:") == 3 and "Keep doing:" in summary


def test_scorecard_has_a_row_per_account_plus_the_ministry_with_band_words(tree: Tree, sample: dict[str, Any]) -> None:
    table = tree.find("table", class_="scorecard")[0].text
    for account in sample["accounts"]:
        assert account["name"] in table
        assert f"{account['score']:.1f} {account['band']}" in " ".join(table.split())
    cells = [e for e in tree.find("span", class_="score") if "tier-" in (e.attrs.get("class") or "")]
    assert cells, "scores carry a shading tier"
    bars = [e for e in tree.find("span", class_="fill") if "width:" in (e.attrs.get("style") or "")]
    assert len(bars) >= len(sample["accounts"]) * 5, "every score has a bar, so it reads in grey print"


def test_each_account_section_has_verdict_charts_evidence_advice_and_not_measured(
        tree: Tree, sample: dict[str, Any]) -> None:
    for i, account in enumerate(sample["accounts"]):
        section = tree.by_id(f"account-{i + 1}-{account['id']}").text
        assert account["verdict_explanation"] in section
        for heading in ("What to do first", "Scores by dimension", "Crisis response",
                        "Posts the findings rest on", "Metrics in detail"):
            assert heading in section, (account["id"], heading)
        for reason in (r for d in account["dimensions"].values() for r in d["not_measured"].values()):
            assert f"({reason})" in section


def test_charts_are_embedded_images_with_alt_text(tree: Tree, sample: dict[str, Any]) -> None:
    images = tree.find("img")
    assert images and all((i.attrs["src"] or "").startswith(("data:image/png;base64,", "data:image/svg+xml;base64,"))
                          for i in images)
    assert all(i.attrs.get("alt") for i in images)
    crises = sum(1 for a in sample["accounts"] if any(
        d["metrics"].get("events") for d in a["dimensions"].values()))
    assert crises and len(images) == 4 * len(sample["accounts"])  # crises are named in a table, not drawn


def test_evidence_is_quoted_with_lang_and_direction(tree: Tree) -> None:
    quotes = tree.find("blockquote")
    assert all(q.attrs.get("dir") == ("rtl" if q.attrs.get("lang") in ("ar", "fa", "ur", "he") else "ltr")
               for q in quotes)  # explicit: the PDF renderer ignores dir="auto"
    assert {q.attrs.get("lang") for q in quotes} >= SCRIPTS_IN_SAMPLE
    arabic = [q.text for q in quotes if q.attrs.get("lang") == "ar"]
    assert any("السيول في جدة" in t for t in arabic)


def test_evidence_links_point_to_the_posts(tree: Tree, sample: dict[str, Any]) -> None:
    hrefs = {a.attrs.get("href") for a in tree.find("a")}
    quoted = " ".join(q.text for q in tree.find("blockquote"))
    shown = [p for p in sample["accounts"][0]["evidence_posts"] if p["text"] in quoted]
    assert shown and all(post["url"] in hrefs for post in shown)


def test_trend_shows_deltas_and_new_accounts(tree: Tree, sample: dict[str, Any]) -> None:
    trend = " ".join(tree.by_id("trend").text.split())
    before, now = load_result(PREVIOUS)["ministry"]["score"], sample["ministry"]["score"]
    assert f"Ministry (mean) {before:.1f} {now:.1f} {now - before:+.1f} ▲" in trend
    india = next(a for a in sample["accounts"] if a["id"] == "emb-in")
    assert f"Embassy in India new {india['score']:.1f} – – – – – exploiter" in trend


def test_method_appendix_defines_every_rubric_metric_and_rule(tree: Tree) -> None:
    rubric = load_rubric("public-diplomacy")
    method = tree.by_id("method").text
    for dimension in rubric.dimensions:
        assert dimension.title in method
        for metric in dimension.metrics:
            assert metric.name in method
    for source in rubric.sources:
        assert source.citation in " ".join(method.split()) or source.citation[:60] in method
    rules = tree.find("table", class_="rules")[0].text
    assert all(r.explanation in rules for r in rubric.verdict.rules)
    assert all(c.text in method for c in rubric.caveats)


def test_coverage_appendix_lists_files_gaps_and_skipped(tree: Tree, sample: dict[str, Any]) -> None:
    coverage = tree.by_id("coverage").text
    for f in sample["coverage"]["files"]:
        assert f["path"] in coverage
    for s in sample["coverage"]["skipped"]:
        assert s["reason"] in coverage
    assert "Embassy in Saudi Arabia" in tree.find("table", class_="gaps")[0].text


def test_skipped_records_are_capped_with_a_count_of_the_rest(sample: dict[str, Any]) -> None:
    big = copy.deepcopy(sample)
    big["coverage"]["skipped"] = [{"file": "x.json", "index": i, "reason": f"bad record {i % 3}"} for i in range(120)]
    tree = Tree(report_html(big)[0])
    rows = tree.find("table", class_="skipped")[0]
    assert rows.text.count("x.json") == SKIPPED_ROWS
    assert f"and {120 - SKIPPED_ROWS} more" in tree.by_id("coverage").text


def test_rendering_a_saved_json_twice_gives_the_same_html(tmp_path: Path, sample: dict[str, Any]) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    render_report(load_result(saved), html=first, previous=PREVIOUS)
    render_report(load_result(saved), html=second, previous=PREVIOUS)
    assert first.read_bytes() == second.read_bytes()


# Tolerance of what the result may lack ----------------------------------------------------------


def test_a_result_without_optional_keys_still_renders(sample: dict[str, Any]) -> None:
    bare = one_account(sample)
    for key in ("events", "coverage", "language_detection", "tool", "generated_at"):
        del bare[key]
    account = bare["accounts"][0]
    for key in ("series", "evidence_posts", "audience", "language_shares", "key_findings", "handle"):
        del account[key]
    html, _ = report_html(bare)
    assert "The result holds no activity series for this account" in html
    assert "The result records no coverage" in html


def test_an_account_without_posts_gets_no_empty_charts(sample: dict[str, Any]) -> None:
    silent = one_account(sample)
    account = silent["accounts"][0]
    account.update(posts=0, score=None, grade=None, band=None, language_shares={}, evidence_posts=[], key_findings=[])
    account["series"] = {"weekly": [{**w, "authored": 0, "reposts": 0} for w in account["series"]["weekly"]],
                         "hours": [0] * 24, "labels": {}, "kinds": {}}
    for dim in account["dimensions"].values():
        dim.update(score=None, band=None, metrics={}, metric_scores={}, findings=[], advice=[], evidence=[],
                   not_measured={"posts_per_week": "no authored posts in the period"})
    tree = Tree(report_html(silent)[0])
    assert len(tree.find("img")) == 1, "only the cadence chart, which shows the silence"
    assert "n/a not measured" in " ".join(tree.find("table", class_="scorecard")[0].text.split())


def test_an_unknown_rubric_is_a_warning_and_a_note_not_a_failure(sample: dict[str, Any]) -> None:
    other = one_account(sample)
    other["rubric"] = {"id": "no-such-rubric", "version": "9"}
    html, warnings = report_html(other)
    assert len(warnings) == 1 and "no-such-rubric" in warnings[0]
    assert "could not be loaded" in html and "The rubric's caveats are not available" in html


def test_a_rubric_version_other_than_the_results_is_pointed_out(sample: dict[str, Any]) -> None:
    other = one_account(sample)
    other["rubric"]["version"] = "0.9.0"
    html, _ = report_html(other)
    assert "computed with version 0.9.0 of this rubric" in html


# Fonts -------------------------------------------------------------------------------------------


def test_font_check_names_the_package_for_a_missing_script(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("audit.report.fonts.has_font", lambda query: query != ":lang=th")
    problems = font_warnings("สวัสดี and 안녕하세요")
    assert problems == ["no installed font draws Thai text, which will print as empty boxes: install the Debian "
                        "package fonts-noto-core (apt-get install fonts-noto-core)"]


def test_every_script_has_a_font_here() -> None:
    assert font_warnings("".join(s.pattern.pattern[1] for s in SCRIPTS)) == []


# PDF ---------------------------------------------------------------------------------------------


def test_pdf_draws_every_script_without_tofu(pdf: Path) -> None:
    assert tofu(pdf) == {}


def test_pdf_has_metadata(pdf: Path) -> None:
    info = PdfReader(pdf).metadata
    assert info is not None
    assert info.title == "Public-diplomacy audit: Ministry of Foreign Affairs"
    assert info.author == "diplomacy-audit"
    assert info.subject and "4 social-media accounts" in info.subject
    assert "public diplomacy" in str(info.get("/Keywords"))


def test_pdf_text_holds_accounts_scores_and_page_numbers(pdf: Path, sample: dict[str, Any]) -> None:
    reader = PdfReader(pdf)
    text = "\n".join(p.extract_text() for p in reader.pages)
    pages = len(reader.pages)
    assert pages >= 10  # bounded from above in test_length.py
    for account in sample["accounts"]:
        assert account["name"] in text and f"{account['score']:.1f}" in text
    assert f"Page 3 of {pages}" in text


def test_pdf_bookmarks_and_contents_agree_on_pages(pdf: Path, sample: dict[str, Any]) -> None:
    reader = PdfReader(pdf)
    top = {item.title: (reader.get_destination_page_number(item) or 0) + 1
           for item in reader.outline if not isinstance(item, list)}
    assert {"Briefing", "Since the previous audit", "Appendix A. Method"} <= set(top)
    contents = reader.pages[1].extract_text()
    for account in sample["accounts"]:
        page = top[account["name"]]
        assert re.search(rf"{re.escape(account['name'])}\W*\.*\s*{page}\b", contents), account["name"]


def test_pdf_links_are_clickable(pdf: Path) -> None:
    annotations: list[Any] = [a for p in PdfReader(pdf).pages for a in p.get("/Annots", [])]
    links = [a.get_object() for a in annotations if a.get_object().get("/Subtype") == "/Link"]
    uris = {link["/A"].get("/URI") for link in links if "/A" in link}
    internal = {str(link["/Dest"]) for link in links if "/Dest" in link}
    assert "https://x.com/mofa_demo_en/status/1897001" in uris
    assert {"summary", "method", "coverage", "account-1-mofa-en"} <= internal


def test_pdf_variant_for_archives(tmp_path: Path, sample: dict[str, Any]) -> None:
    out = tmp_path / "ua.pdf"
    small = one_account(sample, 3)
    render_report(small, pdf=out, pdf_variant="pdf/ua-1")
    reader = PdfReader(out)
    root: Any = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()


def test_an_unknown_pdf_variant_is_a_render_error(tmp_path: Path, sample: dict[str, Any]) -> None:
    with pytest.raises(RenderError, match="unknown PDF variant 'pdf/z-9'; expected one of pdf/a-1b"):
        render_report(sample, pdf=tmp_path / "x.pdf", pdf_variant="pdf/z-9")
    assert not (tmp_path / "x.pdf").exists()


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ('{"schema_version": 1, "period": {}', "expected valid JSON (Expecting ',' delimiter)"),
    ("[1, 2]", "expected a JSON object (an AuditResult), found list"),
    ('{"schema_version": 3, "period": {}, "ministry": {}, "accounts": []}', "expected schema_version 1 or 2, found 3"),
    ('{"schema_version": 1, "period": {}, "ministry": {}}', "expected an AuditResult with keys accounts"),
    ('{"schema_version": 1, "period": {}, "ministry": {}, "accounts": [{"id": "a"}]}',
     "accounts[0]: expected an account with keys name, dimensions"),
])
def test_a_malformed_result_is_a_one_line_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "result.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_result(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert str(caught.value).startswith(str(path))


def test_a_result_dict_is_checked_too() -> None:
    with pytest.raises(InputError, match="result: expected an AuditResult with keys period, ministry"):
        check_result({"schema_version": 1, "accounts": []})


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.command()(render)
    return app


def test_cli_renders_html_and_pdf(tmp_path: Path, sample: dict[str, Any]) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(one_account(sample, 2), ensure_ascii=False), encoding="utf-8")
    out, html = tmp_path / "r.pdf", tmp_path / "r.html"
    result = CliRunner().invoke(_cli(), [str(saved), "--out", str(out), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-" and "<!DOCTYPE html>" in html.read_text(encoding="utf-8")
    assert f"Wrote {out}" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--pdf-variant", "pdf/z-9"], "Error: unknown PDF variant 'pdf/z-9'"),
    (["--previous", "missing.json"], "missing.json: no such file; expected an AuditResult JSON"),
])
def test_cli_errors_are_one_line(tmp_path: Path, sample: dict[str, Any], args: list[str], message: str) -> None:
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(one_account(sample)), encoding="utf-8")
    result = CliRunner().invoke(_cli(), [str(saved), "--out", str(tmp_path / "r.pdf"), *args])
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_cli_reports_a_broken_result_file(tmp_path: Path) -> None:
    broken = tmp_path / "result.json"
    broken.write_text('{"schema_version": 1,', encoding="utf-8")
    result = CliRunner().invoke(_cli(), [str(broken)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {broken}:1:22: expected valid JSON")


def test_an_unwritable_target_is_a_one_line_error(tmp_path: Path, sample: dict[str, Any]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError, match=r"file/report.html: expected a writable location"):
        render_report(one_account(sample), html=blocker / "report.html")
