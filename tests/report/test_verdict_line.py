"""The report's verdict line names the rule that decided it, its numbers with their ranges, and the word
"borderline" when a range straddles the threshold; each dimension score shows its range and what it rests
on; a score on other dimensions than most is flagged (issue 9, item 7; issue 12, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit.report.verdicts import comparability_note, decided_reason, dimension_confidence
from audit.result.io import load_result
from audit.result.rubric import rubric_of

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"


@pytest.fixture(scope="module")
def rubric():
    return rubric_of(load_result(SAMPLE))


def rule(value: float, interval: list[float], borderline: bool, verdict: str = "adapter") -> dict:
    return {"verdict": verdict, "rule": verdict, "label": "", "borderline": borderline,
            "conditions": [{"on": "overall", "value": value, "min": 50.0, "max": None, "held": value >= 50,
                            "interval": interval, "borderline": borderline}],
            "borderline_text": "Borderline: ..." if borderline else ""}


@pytest.mark.parametrize("decided, expected", [
    pytest.param(rule(61.3, [44.7, 69.0], True), "Borderline adapter (rule: adapter): score on the verdict's "
                 "dimensions 61.3 (range 44.7–69.0; needs ≥ 50.0), 11.3 above.", id="borderline"),
    pytest.param(rule(67.2, [58.0, 76.4], False), "Adapter (rule: adapter): score on the verdict's dimensions "
                 "67.2 (range 58.0–76.4; needs ≥ 50.0), 17.2 above.", id="clear"),
])
def test_the_verdict_line_names_the_rule_its_numbers_and_borderline(rubric, decided, expected):
    assert decided_reason(decided, rubric) == expected


def test_a_default_verdict_says_no_rule_holds(rubric):
    decided = {**rule(45.4, [39.0, 57.3], True, "avoider"), "rule": "default"}
    assert decided_reason(decided, rubric).startswith("Borderline avoider (no rule holds, so the default applies)")


@pytest.mark.parametrize("dim, expected", [
    pytest.param({"score": 42.5, "confidence": {"interval": [31.6, 55.9], "note": None,
                                                "rests_on": {"posts": 67, "weeks": 26, "active_weeks": 23,
                                                             "events": 1}}},
                 "range 32–56 · 67 posts, 23 of 26 weeks, 1 event", id="with a range"),
    pytest.param({"score": 82.3, "confidence": {"interval": None, "note": "interval not measured: 2 events",
                                                "rests_on": {}}},
                 "interval not measured: 2 events", id="too few events"),
    pytest.param({"score": None, "confidence": {"interval": None, "note": "not measured"}}, "", id="not measured"),
    pytest.param({"score": 50.0}, "", id="a result written before intervals"),
])
def test_a_dimension_score_shows_its_range_and_what_it_rests_on(dim, expected):
    assert dimension_confidence(dim) == expected


def test_a_score_on_other_dimensions_is_flagged_not_comparable():
    note = "Not comparable: scored on 3 dimensions (crisis responsiveness not measured), most accounts on 4."
    assert comparability_note({"comparable": {"comparable": False, "note": note}}) == \
        "not comparable: crisis responsiveness not measured"
    assert comparability_note({"comparable": {"comparable": True}}) == comparability_note({}) == ""
