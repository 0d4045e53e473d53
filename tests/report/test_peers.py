"""Benchmarks: each account against the best of its role, and the ministry among its peers (`--peers`).

Results are made by hand from the sample fixture: a ministry's name, its scores and their 95% ranges are
all a test changes, so each test reads as the example it checks.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from audit.api import report_html
from audit.errors import InputError
from audit.report.benchmark import best_of_role
from audit.report.margins import not_comparable, rank_ranges, rank_text, rank_words
from audit.report.peers import peers_view

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"
DIMS = [{"id": "language_reach", "title": "Language reach"}, {"id": "frequency", "title": "Frequency and continuity"}]


def ministry(name: str, score: float, low: float, high: float, **changes: Any) -> dict[str, Any]:
    """The sample result as ministry `name`, whose overall score is `score` (range low–high) and whose
    accounts all score `score` on every dimension with the same range."""
    result = copy.deepcopy(json.loads(SAMPLE.read_text(encoding="utf-8")))
    result["ministry"] |= {"name": name, "score": score, "confidence": {"interval": [low, high]},
                           "dimensions": {k: score for k in result["ministry"]["dimensions"]}}
    for account in result["accounts"]:
        for dim in account["dimensions"].values():
            dim["score"], dim["confidence"] = score, {"interval": [low, high]}
    for key, value in changes.items():
        result[key] = value
    return result


def written(tmp_path: Path, result: dict[str, Any], name: str) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return path


# Margins and ranks -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("spans", "expected"), [
    ([(70, (65, 75)), (50, (45, 55)), (30, (25, 35))], ["1", "2", "3"]),  # apart: strict ranks
    ([(70, (60, 75)), (65, (58, 72)), (30, (25, 35))], ["1–2", "1–2", "3"]),  # overlap: shared ranks
    ([(70, None), (65, None)], ["1", "2"]),  # no range: ranked by value alone
    ([(70, (50, 90)), (60, (58, 62)), (40, (35, 45))], ["1–2", "1–2", "3"]),
])
def test_ranks_are_shared_where_ranges_overlap(spans, expected):
    ranks = rank_ranges([(i, score, span) for i, (score, span) in enumerate(spans)])
    assert [rank_text(ranks[i]) for i in range(len(spans))] == expected


def test_rank_words_read_as_english():
    ranks = [(1, 1), (2, 3), (11, 13), (22, 22)]
    assert [rank_words(r) for r in ranks] == ["1st", "2nd to 3rd", "11th to 13th", "22nd"]


@pytest.mark.parametrize(("change", "reason"), [
    ({}, ""),
    ({"rubric": {"id": "public-diplomacy", "version": "1.4.0"}}, ""),  # a minor version compares
    ({"rubric": {"id": "nation-branding", "version": "1.0.0"}}, "rubric nation-branding"),
    ({"rubric": {"id": "public-diplomacy", "version": "2.0.0"}}, "version 2.x, not 1.x"),
    ({"period": {"start": "2025-01-01", "end": "2025-03-31", "days": 90}}, "90 days, not 181"),
    ({"period": {"start": "2025-07-01", "end": "2025-12-31", "days": 184}}, ""),  # H2 against H1
])
def test_peers_of_another_rubric_or_period_length_are_not_comparable(change, reason):
    peer = ministry("Peer", 50, 45, 55, **change)
    found = not_comparable(ministry("Us", 50, 45, 55), peer)
    assert (reason in found and found) if reason else found == ""


# The best account of the same role --------------------------------------------------------------------


def sample() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_an_embassy_is_compared_with_the_best_embassy_gap_by_gap():
    result = sample()
    line = best_of_role(result["accounts"][1], result)  # Embassy in Japan 47.0; the best embassy is India, 84.7
    assert line is not None and line["best"] == "Embassy in India" and line["role"] == "embassy"
    assert line["parts"][0].startswith("overall −37.7 (47.0 against 84.7; no range")
    assert any(p.startswith("crisis responsiveness −17.7") for p in line["parts"])


@pytest.mark.parametrize("account_id", ["emb-in", "mofa-en"])  # the best embassy; the only ministry account
def test_the_best_or_only_account_of_its_role_gets_no_line(account_id):
    result = sample()
    account = next(a for a in result["accounts"] if a["id"] == account_id)
    assert best_of_role(account, result) is None


@pytest.mark.parametrize(("mine", "best", "words"), [
    ((40.0, [35, 45]), (80.0, [75, 85]), "larger than the margin of error"),
    ((70.0, [60, 78]), (80.0, [75, 85]), "within the margin of error"),
])
def test_a_gap_is_beyond_the_margin_only_when_the_ranges_part(mine, best, words):
    result = sample()
    japan, india = result["accounts"][1], result["accounts"][3]
    for account, (score, span) in ((japan, mine), (india, best)):
        account["score"], account["confidence"] = score, {"interval": span}
    line = best_of_role(japan, result)
    assert line is not None and words in line["parts"][0]


def test_a_dimension_not_measured_is_named_and_the_overall_gap_not_given():
    result = sample()
    result["accounts"][3]["dimensions"]["crisis_responsiveness"]["score"] = None
    line = best_of_role(result["accounts"][1], result)
    assert line is not None
    assert line["parts"][0] == "overall not compared (crisis responsiveness measured for one of the two only)"
    assert "crisis responsiveness not compared, not measured for Embassy in India" in line["parts"]


def test_an_account_without_an_overall_score_says_so():
    result = sample()
    result["accounts"][1]["score"] = None
    line = best_of_role(result["accounts"][1], result)
    assert line is not None and line["note"] == "not compared: this account's overall score is not measured"


# The ministry among its peers ---------------------------------------------------------------------------


def test_the_ministry_is_ranked_among_comparable_peers_with_a_sentence_per_score():
    us = ministry("Us", 60, 55, 65)
    peers = [("a.json", ministry("Alpha", 80, 75, 85)), ("b.json", ministry("Beta", 58, 52, 63)),
             ("c.json", ministry("Gamma", 30, 25, 35))]
    view = peers_view(us, peers, DIMS, [])
    assert view is not None
    overall = view["measures"][0]
    assert (overall["rank"], overall["of"], overall["median"]) == ("2–3", 4, "58.0")
    assert overall["sentence"] == ("2nd to 3rd of 4 ministries on the overall score; the gap to the first (Alpha), "
                                   "20.0 points, is larger than the margin of error.")
    assert [m["title"] for m in view["measures"]] == ["Overall score", "Language reach", "Frequency and continuity"]


def test_the_first_is_told_its_lead_over_the_next():
    view = peers_view(ministry("Us", 80, 70, 90), [("a.json", ministry("Alpha", 75, 70, 80))], DIMS, [])
    assert view is not None
    assert view["measures"][0]["sentence"] == ("1st to 2nd of 2 ministries on the overall score; its lead over the "
                                               "next (Alpha), 5.0 points, is within the margin of error.")


def test_peers_that_are_not_comparable_are_listed_but_not_ranked():
    us = ministry("Us", 60, 55, 65)
    other = ministry("Other rubric", 90, 85, 95, rubric={"id": "nation-branding", "version": "1.0.0"})
    view = peers_view(us, [("a.json", ministry("Alpha", 50, 40, 54)), ("o.json", other)], DIMS, [])
    assert view is not None
    assert view["measures"][0]["rank"] == "1" and view["measures"][0]["of"] == 2
    row = next(r for r in view["rows"] if r["name"] == "Other rubric")
    assert row["rank"] == "–" and "nation-branding" in row["reason"]
    assert view["excluded"] == [{"name": "Other rubric", "reason": row["reason"]}]


def test_a_peer_identical_to_the_audited_ministry_is_skipped_with_a_warning():
    us = ministry("Us", 60, 55, 65)
    warnings: list[str] = []
    view = peers_view(us, [("us-again.json", copy.deepcopy(us)), ("a.json", ministry("Alpha", 50, 45, 55))],
                      DIMS, warnings)
    assert view is not None and view["ranked"] == 2
    assert warnings == ["us-again.json: this peer is the audited ministry itself (same name and period); skipped"]


def test_no_peers_no_section():
    assert peers_view(ministry("Us", 60, 55, 65), [], DIMS, []) is None


# In the report -------------------------------------------------------------------------------------------


def test_the_report_lists_the_peers_section_in_its_contents_and_escapes_names(tmp_path):
    peer = written(tmp_path, ministry("<script>alert(1)</script> Ministry", 40, 35, 45), "peer.json")
    html, _ = report_html(ministry("Us", 60, 55, 65), peers=[peer])
    assert '<a href="#peers">Among peer ministries</a>' in html
    assert '<section class="peers" id="peers">' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Ministry" in html
    assert html.index('id="peers"') < html.index('class="account"')


def test_a_peer_file_that_is_not_a_result_is_an_error_naming_it(tmp_path):
    bad = tmp_path / "not-a-result.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not-a-result.json: expected an AuditResult"):
        report_html(ministry("Us", 60, 55, 65), peers=[bad])


def test_each_account_page_carries_its_best_of_role_line():
    html, _ = report_html(sample())
    assert html.count('class="small benchmark"') == 2  # Japan and Saudi Arabia against India
    assert "Against the best embassy, Embassy in India:" in html
