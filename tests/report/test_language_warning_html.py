"""The report shows the language warning beside the language reach score and in the data-coverage appendix."""

from __future__ import annotations

import copy
from pathlib import Path

from audit.api import load_result, report_html
from tests.report.test_language_warning import detection

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"


def test_the_report_shows_the_warning_by_language_reach_and_in_the_coverage_appendix() -> None:
    result = load_result(SAMPLE)
    result = copy.deepcopy(result) | {"accounts": [copy.deepcopy(result["accounts"][0])]}
    account = result["accounts"][0]
    account["language_detection"] = detection(0.14, 0.02)
    html, _ = report_html(result)
    text = "the language of 14% of 200 posts is unknown"
    assert html.count(text) == 2
    account_section = html[html.index('class="account"'):html.index('id="coverage"')]
    assert text in account_section
    assert f"{account['name']}: Read language scores with care: {text}" in html
