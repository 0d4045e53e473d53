"""`audit compare`: a league table of several ministries with ranges and honest ties, rendered as the report is."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from audit.api import compare_results
from audit.errors import RenderError
from audit.report.compare import compare_view, reference, tick_label
from tests.report.test_peers import ministry, written
from tests.report.test_report import tofu

Q1 = {"start": "2025-01-01", "end": "2025-03-31", "days": 90}


def four() -> list[tuple[str, dict]]:
    return [("kr.json", ministry("Korea", 60, 55, 65)), ("de.json", ministry("Germany", 75, 70, 80)),
            ("jp.json", ministry("Japan", 58, 52, 63)), ("fr.json", ministry("France", 30, 25, 35))]


def test_the_league_table_ranks_best_first_with_ties_where_ranges_overlap():
    view = compare_view(four(), [])
    assert [(r["rank"], r["name"], r["score"], r["range"]) for r in view["league"]] == [
        ("1", "Germany", "75.0", "70–80"), ("2–3", "Korea", "60.0", "55–65"), ("2–3", "Japan", "58.0", "52–63"),
        ("4", "France", "30.0", "25–35")]
    assert [d["title"] for d in view["dimensions"]][:2] == ["Language reach", "Frequency and continuity"]
    assert view["dimensions"][0]["rows"][0]["name"] == "Germany"


def test_results_not_comparable_are_listed_with_the_reason_and_not_ranked():
    results = [*four(), ("q1.json", ministry("Quarterly", 99, 95, 100, period=Q1))]
    view = compare_view(results, [])
    last = view["league"][-1]
    assert (last["name"], last["rank"], last["reason"]) == ("Quarterly", "–", "a period of 90 days, not 181")
    assert view["excluded"] == [{"name": "Quarterly", "source": "q1.json", "reason": "a period of 90 days, not 181"}]
    assert all(row["name"] != "Quarterly" for d in view["dimensions"] for row in d["rows"])
    assert view["league"][0]["rank"] == "1"  # 99 would have been first: it is not ranked at all


def test_the_reference_is_what_most_results_share():
    results = [ministry("A", 50, 45, 55, period=Q1), ministry("B", 50, 45, 55), ministry("C", 50, 45, 55)]
    assert reference(results)["ministry"]["name"] == "B"


def test_fewer_than_two_results_is_an_error(tmp_path):
    one = written(tmp_path, ministry("Korea", 60, 55, 65), "kr.json")
    with pytest.raises(RenderError, match="at least two"):
        compare_results([one], html=tmp_path / "c.html")
    with pytest.raises(RenderError, match="at least two"):  # the same audit twice is one result
        compare_results([one, one], html=tmp_path / "c.html")


def test_the_html_escapes_ministry_names(tmp_path):
    paths = [written(tmp_path, r, n) for n, r in four()]
    paths.append(written(tmp_path, ministry("<script>alert(1)</script>", 40, 35, 45), "x.json"))
    compare_results(paths, html=tmp_path / "c.html")
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_pdf_has_the_report_conventions(tmp_path):
    paths = [written(tmp_path, r, n) for n, r in four()]
    warnings = compare_results(paths, pdf=tmp_path / "c.pdf")
    assert warnings == []
    reader = PdfReader(tmp_path / "c.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) <= 3
    assert f"Page 1 of {len(reader.pages)}" in text and "Germany" in text and "2–3" in text
    assert [o.title for o in reader.outline if not isinstance(o, list)][:3] == [
        "Comparing 4 ministries", "Scores by dimension", "What the ranks mean"]
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, as the report
    assert tofu(tmp_path / "c.pdf") == {}


def test_a_right_to_left_name_keeps_its_rank_first_in_the_chart():
    assert tick_label("4", "وزارة الخارجية") == "4. \u2068وزارة الخارجية\u2069"
