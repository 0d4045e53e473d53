"""The report warns where an account's language facts are shaky: many posts of unknown language, or the
model and the platform often disagreeing (issue 9, item 1). Read in the account section beside the
language reach score, and in the data-coverage appendix."""

from __future__ import annotations

from typing import Any

import pytest

from audit.report.langnote import language_warning


def detection(und: float, share: float | None) -> dict[str, Any]:
    return {"posts": 200, "declared": 120, "compared": 100, "disagreeing": 0, "share": share,
            "und": int(und * 200), "und_share": und, "from_declared": 3, "warn_above": 0.1}


@pytest.mark.parametrize(("und", "share", "expected"), [
    (0.05, 0.02, ""),
    (0.10, 0.10, ""),  # at the limit: no warning
    (0.14, 0.02, "Read language scores with care: the language of 14% of 200 posts is unknown."),
    (0.02, 0.25, "Read language scores with care: the detected language differs from the platform's for 25% "
                 "of 100 posts."),
    (0.30, None, "Read language scores with care: the language of 30% of 200 posts is unknown."),
])
def test_warning_above_ten_percent(und: float, share: float | None, expected: str) -> None:
    assert language_warning(detection(und, share)) == expected


def test_a_result_without_the_shares_gets_no_warning() -> None:
    old = {"posts": 8, "declared": 6, "compared": 5, "disagreeing": 2, "share": 0.4}  # before warn_above
    assert language_warning(old) == ""
