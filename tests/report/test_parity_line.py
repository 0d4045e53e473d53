"""The ministry's language parity (Robertson's comparison, issue 9 item 5) is one short line of the summary."""

from __future__ import annotations

import json
from pathlib import Path

from audit.api import report_html

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"
FINDING = ("The English account (MOFA English) is severely limited in content depth and frequency: 0.20× the Korean "
           "account's posts a week and 0.40× its median length in words (MOFA Korean).")


def test_the_summary_prints_robertsons_sentence_for_each_foreign_language_account():
    result = json.loads(SAMPLE.read_text(encoding="utf-8"))
    result["ministry"]["language_parity"] = {"accounts": [{"id": "mofa-en", "finding": FINDING}]}
    page, _ = report_html(result)
    assert "Foreign-language accounts against the home-language one:" in page
    assert "severely limited in content depth and frequency" in page


def test_no_line_without_a_comparison():
    page, _ = report_html(json.loads(SAMPLE.read_text(encoding="utf-8")))
    assert "Foreign-language accounts against the home-language one" not in page
