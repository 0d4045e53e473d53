"""Reach that can be reached (issue 9, item 5): each test audits a scenario end to end and asserts what a
public-diplomacy scholar would say of it. Scenarios and helpers as in test_tricks.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.scoring.test_tricks import START, UN_STATEMENT, audit


def dimension(result: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = result["accounts"][0]["dimensions"][name]
    return found


def statements(langs: list[str]) -> list[tuple[datetime, str]]:
    """One statement a week (with its link), in each of `langs` within the hour."""
    return [(START + timedelta(weeks=w, minutes=10 * i), f"{UN_STATEMENT[lang]} https://example.org/statements/{w}")
            for w in range(8) for i, lang in enumerate(langs)]


def test_six_un_languages_reach_the_whole_global_audience(tmp_path):
    """Robertson's remedy for a home-language ministry is more languages, not fewer: a statement in all
    six UN languages reaches the global audience as far as it can be reached, no less than in English."""
    reach = [dimension(audit(tmp_path, statements(langs), None, host=None), "language_reach")
             for langs in (["en"], list(UN_STATEMENT))]
    assert [r["metrics"]["audience_reach"] for r in reach] == [1.0, 1.0]
    assert reach[1]["metric_scores"]["audience_reach"] == 100.0
    assert reach[1]["score"] >= reach[0]["score"]


INDONESIAN = [
    "Kedutaan Besar Republik Korea di Jakarta mengucapkan selamat Hari Kemerdekaan kepada seluruh rakyat Indonesia.",
    "Hari ini Duta Besar bertemu dengan mahasiswa Universitas Indonesia untuk membahas kerja sama pendidikan.",
]


def test_an_embassy_writing_in_indonesian_reaches_all_that_can_be_reached_in_indonesia(tmp_path):
    """CLDR counts 64% of Indonesia as reading Indonesian; it is the best reach any post can have there,
    so the reach target (75%) is met, not out of reach."""
    posts = [(START + timedelta(weeks=w, days=d), INDONESIAN[d % 2]) for w in range(8) for d in (0, 3)]
    language = dimension(audit(tmp_path, posts, None, host="ID"), "language_reach")
    assert language["metrics"]["audience_reach"] == 1.0
    assert language["metric_scores"]["audience_reach"] == 100.0
