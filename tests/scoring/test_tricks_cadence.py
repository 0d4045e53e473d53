"""Holes in the export are not silences (issue 9, item 4): each test audits a scenario end to end and
asserts what a public-diplomacy scholar would say of it. Scenarios and helpers as in test_tricks.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.scoring.test_tricks import START, audit, routine


def dimension(result: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = result["accounts"][0]["dimensions"][name]
    return found


def test_a_hole_in_the_export_is_not_a_silence(tmp_path):
    """Two Korean posts a week, but the export lacks five weeks (Feb 13 - Mar 17: 32 days without any
    data). The account was never seen to fall silent: its longest silence is a weekend, every week it
    was observed in has posts, and its frequency is no worse than had the export been whole."""
    whole = audit(tmp_path, routine(), None)
    holed = audit(tmp_path, [p for p in routine() if not START + timedelta(weeks=1, days=4) <= p[0]
                             < START + timedelta(weeks=6)], None)
    (gap,) = holed["coverage"]["gaps"]
    assert (gap["from"], gap["to"], gap["days"]) == ("2025-02-13", "2025-03-17", 32.0)
    metrics = dimension(holed, "frequency")["metrics"]
    assert metrics["longest_gap_days"] == 4.0  # Thursday to Monday, not 32 days
    assert metrics["active_week_share"] == 1.0  # the 4 observed weeks, not 4 of 8
    assert dimension(holed, "frequency")["score"] >= dimension(whole, "frequency")["score"]
    assert holed["accounts"][0]["verdict"] == whole["accounts"][0]["verdict"]


def test_an_account_with_no_data_in_the_period_is_not_measured_never_zero(tmp_path):
    """Posts only before the audit period: nothing was observed in it, so its cadence is not measured."""
    early = [(when - timedelta(weeks=10), text) for when, text in routine()]
    frequency = dimension(audit(tmp_path, early, None), "frequency")
    assert frequency["score"] is None
    assert "no data at all" in frequency["not_measured"]["posts_per_week"]
