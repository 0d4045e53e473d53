"""What one page says, another page says too: page 1 and an account's page count the same events, a
dimension read as "not measured" never carries a finding that looks like what its score rests on, the
glossary says how a global account's waking hours are measured, and a chart drawn in a worker process is
the chart drawn here."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from audit.api import report_html
from audit.report import charts, drawing
from audit.report.briefing import basis, keep_doing
from audit.report.labels import GLOSSARY
from audit.report.verdicts import dimension_confidence, dimension_findings, events_text

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"
UNMEASURED_CRISIS: dict[str, Any] = {  # the demo's embassy in Thailand: no crisis, one viral moment missed
    "title": "Crisis responsiveness", "score": None,
    "metrics": {"events": [], "opportunity_response_rate_24h": 0.0},
    "not_measured": {"response_rate_24h": "no crisis event concerns the account in the period",
                     "median_first_response_hours": "no crisis event was answered in the response window"},
    "findings": ["The account picked up 0 of 1 viral cultural moments within 24 hours (0%).",
                 "A median of 26 hours passed between a viral cultural moment and the first related post."],
}


def test_an_unmeasured_dimension_says_why_before_its_context():
    first, second, *rest = dimension_findings(UNMEASURED_CRISIS)
    assert first == "Not measured: no crisis event concerns the account in the period."
    assert second == ("For context, not scored: the account picked up 0 of 1 viral cultural moments within 24 hours"
                      " (0%).")
    assert rest == UNMEASURED_CRISIS["findings"][1:]


def test_a_measured_dimension_keeps_its_findings():
    measured = UNMEASURED_CRISIS | {"score": 40.0}
    assert dimension_findings(measured) == UNMEASURED_CRISIS["findings"]


@pytest.mark.parametrize(("total", "crises", "text"), [
    (2, 1, "2 events (1 crisis)"),  # the demo's embassy in Japan: an earthquake and a viral moment
    (1, 0, "1 opportunity event"),  # the demo's ministry account: no crisis concerned it, a viral moment did
    (2, 2, "2 events"),
    (0, 0, "0 events"),
    (3, None, "3 events"),  # a dimension that does not list the crises
    (0, 1, "1 event"),  # an older result without a count: the crises listed are the events
])
def test_events_are_counted_the_same_way_everywhere(total, crises, text):
    assert events_text(total, crises) == text


def test_page_one_and_the_account_page_count_the_same_events():
    crisis_dim = {"score": 82.3, "metrics": {"events": [{"id": "eq-2025-03"}]},
                  "confidence": {"rests_on": {"posts": 67, "weeks": 26, "active_weeks": 23, "events": 2}}}
    account = {"posts": 67, "dimensions": {"crisis_responsiveness": crisis_dim},
               "confidence": {"rests_on": {"posts": 67, "events": 2}}}
    assert "2 events (1 crisis)" in basis(account)["text"]
    assert "2 events (1 crisis)" in dimension_confidence(crisis_dim)


def test_glossary_says_how_a_global_account_is_timed():
    waking = dict(GLOSSARY)["Waking hours"]
    assert "global account" in waking and "every time zone" in waking and "readers of its languages" in waking


HOURS = [0, 0, 0, 0, 0, 0, 1, 2, 4, 5, 3, 2, 1, 2, 3, 1, 0, 0, 0, 1, 2, 0, 0, 0]


def test_a_chart_drawn_in_a_worker_is_the_chart_drawn_here():
    problems: list[str] = []
    with charts.chart_style(problems):  # the report's matplotlib settings, as the account page draws with
        here = charts.hours_chart(HOURS, "Asia/Tokyo", (7, 23))
    with drawing.parallel():
        there = charts.hours_chart(HOURS, "Asia/Tokyo", (7, 23))
        nothing = charts.hours_chart([0] * 24, "Asia/Tokyo", (7, 23))
    assert here is not None and there is not None and nothing is not None
    assert (there.uri, there.alt, there.problems) == (here.uri, here.alt, [])
    assert not nothing and nothing.uri == ""  # a worker with nothing to draw: the template leaves it out


@pytest.mark.parametrize("title", ["Earthquake in Tokyo", "새 정부 출범", "انتخابات مجلس الشورى", "भारत में बाढ़"])
def test_a_chart_keeps_every_script_it_draws(title):
    """A label in another script is drawn with the whole font list (Latin-only charts get a short one)."""
    weeks = [{"week_start": f"2025-06-{d:02d}", "authored": 2, "reposts": 1} for d in (2, 9, 16, 23)]
    marker = charts.Marker(date(2025, 6, 10), "transition", title)
    with drawing.parallel():
        chart = charts.cadence_chart(weeks, [], [marker], (date(2025, 6, 1), date(2025, 6, 29)))
    assert chart and chart.problems == []



def _account(name: str, posts: int, dims: dict[str, Any]) -> dict[str, Any]:
    weekly = [{"authored": 3}] * 26
    return {"name": name, "posts": posts, "series": {"weekly": weekly}, "dimensions": dims}


def _keep_result(crisis_events: int, reach: float) -> dict[str, Any]:
    crisis = {"title": "Crisis responsiveness", "score": 95.0, "findings": ["Answered every crisis."],
              "metrics": {"events": [{"id": f"e{i}"} for i in range(crisis_events)]}}
    language = {"title": "Language reach", "score": reach, "findings": ["Most posts speak to the host."],
                "metrics": {}}
    return {"rubric": {"definition": {"bands": {"strong": 75.0, "adequate": 50.0, "weak": 25.0, "poor": 0.0}}},
            "accounts": [_account("Embassy A", 120, {"crisis_responsiveness": crisis}),
                         _account("Embassy B", 120, {"language_reach": language})]}


@pytest.mark.parametrize("events, reach, kept", [
    pytest.param(1, 70.0, "Embassy B on language reach (70.0): Most posts speak to the host.", id="one crisis"),
    pytest.param(3, 70.0, "Embassy A on crisis responsiveness (95.0): Answered every crisis.", id="three crises"),
    pytest.param(1, 40.0, "Embassy A on crisis responsiveness (95.0): Answered every crisis. (it rests on little "
                 "data: confirm before holding it up to the other accounts)", id="only thin is worth keeping"),
])
def test_keep_doing_holds_up_a_well_founded_practice(events: int, reach: float, kept: str) -> None:
    assert keep_doing(_keep_result(events, reach)) == kept


def test_nothing_weak_is_held_up_as_the_practice_to_keep() -> None:
    result = _keep_result(3, 40.0)
    result["accounts"][0]["dimensions"]["crisis_responsiveness"]["score"] = 45.0
    assert keep_doing(result) == ""


def test_the_ministry_row_of_the_score_table_prints_its_ranges() -> None:
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    result["ministry"]["confidence"] = {"interval": [48.2, 61.0],
                                        "dimensions": {"language_reach": [40.0, 55.5], "frequency": None}}
    page, _ = report_html(result)
    table = page[page.index('id="scorecard"'):page.index("</table>", page.index('id="scorecard"'))]
    footer = table[table.index("<tfoot>"):]
    assert "range 48–61" in footer and "range 40–56" in footer
    assert footer.count("range ") == 2  # no range where the result has none
