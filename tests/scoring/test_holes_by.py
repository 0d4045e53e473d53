"""Every account's holes found in one query (`data_holes_by`, issue 13) are what `data_holes` finds in each
account's posts alone: one account's posts never close another's hole."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl

from audit.scoring.metrics.measures import Hole, Period, data_holes, data_holes_by

PERIOD = Period(date(2025, 1, 1), date(2025, 4, 30))
DAY = timedelta(days=1)
START = datetime(2025, 1, 1, 10, tzinfo=UTC)
TIMES = {  # account -> days after Jan 1, 10:00 UTC
    "gap-inside": [0, 3, 40, 41, 60, 85, 110, 118],  # 37 days without data in the middle
    "quiet-end": [1, 2, 5],  # nothing after Jan 6: a hole to the period's end
    "late-start": [60, 61, 70, 95, 118],  # nothing before Mar 2: a hole from the period's start
    "dense": [7 * w for w in range(18)],  # no hole
    "fills-the-gaps": [20, 30, 50, 80, 90],  # would close the others' holes if the accounts were mixed
    "outside": [-10, 200],  # no data in the period: the whole period, by `data_holes`
}


def posts() -> pl.DataFrame:
    rows = [(account, START + d * DAY) for account, days in TIMES.items() for d in days]
    return pl.DataFrame(rows, schema={"account_id": pl.String, "published_at": pl.Datetime("us", "UTC")},
                        orient="row").sample(fraction=1.0, shuffle=True, seed=3)  # any order


def test_each_account_holes_found_with_the_others_are_its_own() -> None:
    table = posts()
    together = data_holes_by(table, "account_id", PERIOD)
    assert sorted(together) == sorted(a for a in TIMES if a != "outside")
    for account_id in TIMES:
        alone = data_holes(table.filter(pl.col("account_id") == account_id)["published_at"], PERIOD)
        assert together.get(account_id, (Hole(PERIOD.start_at, PERIOD.end_before),)) == alone


def test_the_holes_worked_out_by_hand() -> None:
    together = data_holes_by(posts(), "account_id", PERIOD)
    assert together["gap-inside"] == (Hole(START + 3 * DAY, START + 40 * DAY),)
    assert together["quiet-end"] == (Hole(START + 5 * DAY, PERIOD.end_before),)
    assert together["late-start"] == (Hole(PERIOD.start_at, START + 60 * DAY),)
    assert together["dense"] == ()
