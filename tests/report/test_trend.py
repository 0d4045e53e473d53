"""A plan's report shows the multi-period trend: charts of the score and key metrics, and the changes in words."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from audit.api import render_report

RESULTS = Path(__file__).resolve().parents[2] / "fixtures" / "results"
PERIODS = ["2025-01", "2025-02", "2025-03"]


@pytest.fixture(scope="module")
def planned() -> dict:
    result = json.loads((RESULTS / "sample_result.json").read_text(encoding="utf-8"))
    ids = [a["id"] for a in result["accounts"]]
    result = copy.deepcopy(result)
    result["trend"] = {
        "periods": PERIODS,
        "ministry": [48.0, None, 55.5],
        "accounts": {i: [40.0 + n, 45.0 + n, 50.0 + n] for n, i in enumerate(ids)},
        "metrics": {i: {"audience_language_share": [0.3, 0.4, 0.5], "posts_per_week": [2.0, 3.0, 2.5],
                        "reply_share": [0.0, 0.05, 0.1], "response_rate_24h": [None, 1.0, 0.5]} for i in ids},
    }
    result["trend_summary"] = ["Since 2025-02: 3 measures improved, 1 slipped.",
                               "Embassy in Japan: audience-language share rose from 40% to 50%."]
    return result


def test_trend_section_has_charts_and_sentences(planned, tmp_path):
    html = tmp_path / "r.html"
    render_report(planned, pdf=None, html=html, previous=RESULTS / "previous_result.json", pdf_variant=None)
    text = html.read_text(encoding="utf-8")
    section = text[text.index('id="trend"'):]
    section = section[: section.index("</section>")]
    assert "Over the plan&#39;s periods" in section or "Over the plan's periods" in section
    assert "audience-language share rose from 40% to 50%" in section
    assert section.count('<figure class="chart') == 5  # the score and four key metrics
    assert "Overall score over 2025-01, 2025-02, 2025-03" in section


def test_a_single_period_draws_no_trend_chart(planned, tmp_path):
    one = {**planned, "trend": {**planned["trend"], "periods": ["2025-03"]}}
    html = tmp_path / "r.html"
    render_report(one, pdf=None, html=html, previous=RESULTS / "previous_result.json", pdf_variant=None)
    assert "Over the plan" not in html.read_text(encoding="utf-8")
