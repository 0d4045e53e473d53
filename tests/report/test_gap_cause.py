"""The coverage appendix tells a stretch the collector could not see from a stretch without posts."""

from audit.posts.store import NOT_COLLECTED
from audit.report.periods import coverage_view, gap_cause


def test_the_report_tells_a_gap_the_collector_could_not_see_from_a_stretch_without_posts() -> None:
    seen = {"account_id": "hq-en", "from": "2026-11-01", "to": "2026-11-03", "days": 2.0}
    unseen = {**seen, "cause": NOT_COLLECTED, "reason": "gave up after 3 tries (HTTP 503)"}
    assert gap_cause(seen) == "No data of any kind: read as a hole in the export and left out of the scores"
    assert gap_cause(unseen) == "The collector could not see it: gave up after 3 tries (HTTP 503)"
    result = {"accounts": [{"id": "hq-en", "name": "HQ (English)"}], "period": {"start": "2026-11-01",
              "end": "2026-11-30"}, "coverage": {"gaps": [seen, unseen]}}
    rows = coverage_view(result)["gaps"]
    assert [r["account"] for r in rows] == ["HQ (English)"] * 2 and rows[1]["cause"].startswith("The collector")
