"""The crisis metrics read an account's responses table once as Python rows (AccountData.response_rows),
not by a polars query per metric (issue 13): every Measure must stay what the polars queries gave.

An empty table (no events file, or no event concerning the account) gives the "not measured" Measures
below; a few hand-made tables (events answered or not, care columns present or absent, equal hours,
repeated texts, a matched post outside the account's posts) give what `reference` - the polars queries
the metrics ran before - gives.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.events.matching import RESPONSE_SCHEMA
from audit.events.model import Event
from audit.scoring.metrics import crisis
from audit.scoring.metrics.measures import AccountData, Measure, Period, evidence_ids, not_measured

AUDIENCE = Audience({"ja": 1.0}, "Asia/Tokyo", {"ko": 1.0}, "host")
PERIOD = Period(date(2025, 1, 1), date(2025, 1, 31))
CARE_SCHEMA = {"care_first_post_id": pl.String(), "care_first_response_hours": pl.Float64(),
               "care_matched_post_ids": pl.List(pl.String())}
NAMES = ("events", "response_rate_24h", "median_first_response_hours", "opportunity_response_rate_24h",
         "opportunity_median_first_response_hours", "response_audience_language_share", "follow_up_rate",
         "rebuttal_share")
NO_CRISIS = "no crisis event concerns the account in the period"
NO_OPPORTUNITY = "no opportunity event concerns the account in the period"
Response = tuple[object, ...]
"""(event_id, event_type, first_post_id, first_response_hours, responded_within_24h, matched_post_ids,
care_first_post_id, care_first_response_hours)"""


def _at(day: int, hour: int = 0) -> datetime:
    return datetime(2025, 1, day, hour, tzinfo=UTC)


def _posts() -> pl.DataFrame:
    """Authored posts in time order: p2 and p3 share a text and a time, p5 rebuts, p4 answers nothing."""
    rows = [("p1", _at(2, 1), "地震", True, False), ("p2", _at(2, 5), "지진 안내", False, False),
            ("p3", _at(2, 5), "지진 안내", False, True), ("p4", _at(9), "other", True, False),
            ("p5", _at(20, 3), "false report", True, True), ("p6", _at(23), "津波", True, False)]
    return pl.DataFrame(rows, schema={"post_id": pl.String(), "published_at": pl.Datetime("us", "UTC"),
                                      "text": pl.String(), "audience_language": pl.Boolean(),
                                      "rebuttal": pl.Boolean()}, orient="row")


def _table(rows: list[Response], care: bool) -> pl.DataFrame:
    """A responses table of (event_id, event_type, first_post_id, hours, within_24h, matched[, care id,
    care hours]) rows, in the columns the engine gives it (care columns included when `care`)."""
    schema = {**RESPONSE_SCHEMA, **(CARE_SCHEMA if care else {})}
    full = [("emb-jp", *r[:5], list(r[5]) if r[5] is not None else None,  # type: ignore[call-overload]
             *((*r[6:8], []) if care else ())) for r in rows]
    return pl.DataFrame(full, schema=schema, orient="row")


def _data(responses: pl.DataFrame, unseen: tuple[Event, ...] = ()) -> AccountData:
    return AccountData(_posts(), PERIOD, AUDIENCE, responses, unseen=unseen)


def _measures(data: AccountData) -> dict[str, Measure]:
    return {name: getattr(crisis, name)(data) for name in NAMES}


def reference(data: AccountData) -> dict[str, Measure]:
    """The crisis metrics as the polars queries they were before the rows were read once."""
    parts = {str(k): f for (k,), f in data.responses.partition_by("event_type", as_dict=True,
                                                                   maintain_order=True).items()}
    crises, chances = (parts.get(kind, data.responses.clear()) for kind in ("crisis", "opportunity"))
    ids = crises["matched_post_ids"].explode().drop_nulls().unique().to_list()
    posts = data.authored.filter(pl.col("post_id").is_in(ids)) if crises.height else data.authored.clear()
    return {"events": _reference_events(data, crises),
            "response_rate_24h": _reference_rate(crises, NO_CRISIS),
            "median_first_response_hours": _reference_median(crises, NO_CRISIS, "crisis"),
            "opportunity_response_rate_24h": _reference_rate(chances, NO_OPPORTUNITY),
            "opportunity_median_first_response_hours": _reference_median(chances, NO_OPPORTUNITY, "opportunity"),
            **_reference_posts(posts), "follow_up_rate": _reference_follow_up(crises, posts)}


def _reference_events(data: AccountData, rows: pl.DataFrame) -> Measure:
    care = [c for c in ("care_first_post_id", "care_first_response_hours") if c in data.responses.columns]
    rows = rows.select(pl.col("event_id").alias("id"), "first_response_hours", "responded_within_24h",
                       "first_post_id", *care)
    cared = int(rows["care_first_post_id"].is_not_null().sum()) if care else 0
    return Measure(rows.to_dicts(), details={"events": rows.height, "cared_for_nationals": cared},
                   evidence=_reference_first(rows))


def _reference_first(rows: pl.DataFrame) -> list[str]:
    return [p for p in rows["first_post_id"].to_list() if p][:5]


def _reference_rate(rows: pl.DataFrame, none: str) -> Measure:
    if rows.is_empty():
        return not_measured(none)
    answered = int(rows["responded_within_24h"].sum())
    return Measure(answered / rows.height, details={"answered": answered, "events": rows.height},
                   evidence=_reference_first(rows))


def _reference_median(rows: pl.DataFrame, none: str, kind: str) -> Measure:
    hours = rows["first_response_hours"].drop_nulls()
    if rows.is_empty():
        return not_measured(none)
    if hours.is_empty():
        return not_measured(f"no {kind} event was answered in the response window")
    return Measure(float(hours.median() or 0.0))  # type: ignore[arg-type]


def _reference_posts(posts: pl.DataFrame) -> dict[str, Measure]:
    if posts.is_empty():
        none = not_measured("no post answered a crisis event")
        return {"response_audience_language_share": none, "rebuttal_share": none}
    hits = posts.filter(pl.col("rebuttal"))
    return {"response_audience_language_share": Measure(float(posts["audience_language"].mean() or 0.0),  # type: ignore[arg-type]
                                                        evidence=evidence_ids(posts)),
            "rebuttal_share": Measure(hits.height / posts.height, evidence=evidence_ids(hits))}


def _reference_follow_up(crises: pl.DataFrame, posts: pl.DataFrame) -> Measure:
    rows = crises.filter(pl.col("first_post_id").is_not_null())
    if rows.is_empty():
        return not_measured("no crisis event was answered")
    times = dict(posts.select("post_id", "published_at").iter_rows())
    window = timedelta(hours=72)
    followed = sum(any(times[first] < times[p] <= times[first] + window for p in matched if p in times)
                   for first, matched in rows.select("first_post_id", "matched_post_ids").iter_rows())
    return Measure(followed / rows.height, details={"followed": followed, "answered": rows.height})


EMPTY = {"events": Measure([], details={"events": 0, "cared_for_nationals": 0}),
         "response_rate_24h": not_measured(NO_CRISIS), "median_first_response_hours": not_measured(NO_CRISIS),
         "opportunity_response_rate_24h": not_measured(NO_OPPORTUNITY),
         "opportunity_median_first_response_hours": not_measured(NO_OPPORTUNITY),
         "response_audience_language_share": not_measured("no post answered a crisis event"),
         "follow_up_rate": not_measured("no crisis event was answered"),
         "rebuttal_share": not_measured("no post answered a crisis event")}


@pytest.mark.parametrize("care", [True, False])
def test_an_empty_table_gives_every_crisis_metric_its_not_measured_measure(care):
    data = _data(_table([], care))
    assert _measures(data) == EMPTY == reference(data)
    assert data.response_rows == {}
    assert data.crisis_response_posts.is_empty() and data.crisis_response_posts.schema == data.authored.schema


def test_an_event_in_a_hole_is_named_in_the_reason_of_an_empty_table():
    quake = Event("eq", "Quake", "crisis", _at(10), None, ("JP",), ("地震",))
    measures = _measures(_data(_table([], True), unseen=(quake,)))
    assert measures["response_rate_24h"].reason == (
        "the crisis event that concerns the account fell in a hole in the export (no data of any kind around "
        "it): whether it answered cannot be seen")
    assert measures["opportunity_response_rate_24h"].reason == NO_OPPORTUNITY


ANSWERED: Response = ("eq", "crisis", "p1", 0.1, True, ["p1", "p2", "p3"], "p9", 2.0)
UNANSWERED: Response = ("fire", "crisis", None, None, False, [], None, None)
LATE: Response = ("ts", "crisis", "p6", 0.7, True, ["p6", "p7"], None, None)  # p7: after the account's posts
RUMOUR: Response = ("rumour", "crisis", "p5", 27.0, False, ["p5"], "p5", 27.0)
FAIR: Response = ("fair", "opportunity", "p4", 24.0, True, ["p4"], None, None)
EXPO: Response = ("expo", "opportunity", "p4", 24.0, True, ["p4"], None, None)  # the same hours: a tie
TABLES: dict[str, list[Response]] = {
    "one answered crisis": [ANSWERED],
    "answered and not": [ANSWERED, UNANSWERED],
    "none answered": [UNANSWERED, ("quiet", "crisis", None, None, None, None, None, None)],
    "two middle hours": [LATE, UNANSWERED, ANSWERED],
    "crises and opportunities": [FAIR, ANSWERED, RUMOUR, EXPO, LATE, UNANSWERED],
    "opportunities only": [FAIR, EXPO],
    "more answers than evidence": [ANSWERED, LATE, RUMOUR, ANSWERED, LATE, RUMOUR, UNANSWERED],
}


@pytest.mark.parametrize("care", [True, False])
@pytest.mark.parametrize("table", sorted(TABLES))
def test_rows_give_the_measures_the_polars_queries_gave(table, care):
    data = _data(_table(TABLES[table], care))
    assert _measures(data) == reference(data)


def test_a_hand_made_table_worked_out():
    measures = _measures(_data(_table([LATE, UNANSWERED, ANSWERED, RUMOUR], True)))
    assert measures["events"].value[0] == {  # type: ignore[index]
        "id": "ts", "first_response_hours": 0.7, "responded_within_24h": True, "first_post_id": "p6",
        "care_first_post_id": None, "care_first_response_hours": None}
    assert measures["events"].details == {"events": 4, "cared_for_nationals": 2}
    assert measures["events"].evidence == ["p6", "p1", "p5"]
    assert (measures["response_rate_24h"].value, measures["median_first_response_hours"].value) == (0.5, 0.7)
    assert measures["response_audience_language_share"].value == 0.6  # p1, p5, p6 of p1, p2, p3, p5, p6
    assert measures["response_audience_language_share"].evidence == ["p1", "p2", "p5", "p6"]  # p3 repeats p2
    assert measures["follow_up_rate"].details == {"followed": 1, "answered": 3}  # p2 follows p1
    assert (measures["rebuttal_share"].value, measures["rebuttal_share"].evidence) == (0.4, ["p3", "p5"])


def test_two_middle_hours_are_interpolated_as_polars_does():
    measure = _measures(_data(_table([LATE, ANSWERED], False)))["median_first_response_hours"]
    assert measure.value == 0.4 != (0.1 + 0.7) / 2  # 0.39999999999999997


@pytest.mark.parametrize("values", [[0.1, 0.7], [3.0], [5.0, 1.0, 2.0], [2.0, 2.0, 7.5, 1.0], [7.7, 19.9, 0.35, 1.45],
                                    [1.0, math.nan, 3.0], [math.nan, 2.0], [5.0, 1.0, math.nan, math.nan]])
def test_median_is_polars_median_to_the_last_bit(values):
    expected = pl.Series(values, dtype=pl.Float64).median()
    assert repr(crisis.median(values)) == repr(expected)
