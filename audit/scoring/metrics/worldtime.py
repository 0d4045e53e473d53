"""The waking hours of a global audience: many time zones, weighted by the people in each.

A ministry-level account (no host country) speaks to the readers of the global audience's languages
wherever they live, so its posts are not timed against the capital's clock. The rule, written out so
that it can be checked by hand:

1. Readers of the audience's languages in each territory = the territory's population (CLDR
   territoryInfo, `population.py`) x the share of it reading each audience language (CLDR language
   shares, as for a host country), summed over the languages (a reader of two counts twice).
2. Each territory's readers live in its time zone (`country_timezone`: the only one, or the capital's
   for a country with several); the readers of each zone are added up and divided by the total, so
   the zones' weights sum to 1.
3. A post's waking share is the total weight of the zones in which it appeared between the waking
   hours (local time, with daylight saving); the metric is the mean over posts with a time of day.

With the six UN languages (January, 08:00-22:00), a third of the weight is at UTC+8 (China, the
Philippines, Malaysia), over a third between UTC and UTC+3 (Europe, Africa, the Arab world), a sixth in
the Americas and a tenth in South Asia: a post at 13:00 UTC falls in the waking hours of 95% of the
audience, one at 22:00 UTC of 20% (tests/scoring/test_worldtime.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache

import polars as pl

from audit.enrich.audience import country_languages, country_timezone
from audit.scoring.metrics.population import TERRITORY_POPULATION

SLOT = "15m"
"""Posts are grouped by quarter-hour before converting: every zone's offset is a multiple of 15 minutes."""
AWAKE = "awake"


@cache
def audience_zones(languages: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """The time zones of the readers of `languages`, each with its share of them (summing to 1), largest first."""
    readers: dict[str, float] = {}
    for territory, population in TERRITORY_POPULATION.items():
        shares = country_languages(territory, 0.0)
        read = population * sum(shares.get(lang, 0.0) for lang in languages)
        if read > 0:
            zone = country_timezone(territory)
            readers[zone] = readers.get(zone, 0.0) + read
    total = sum(readers.values())
    weights = sorted(((zone, n / total) for zone, n in readers.items()), key=lambda zw: (-zw[1], zw[0]))
    return tuple(weights)


_KNOWN: dict[tuple[object, ...], pl.DataFrame] = {}
"""The awake weight of every quarter-hour already converted, per (zones, waking hours, time type): a
global account's posts are converted once per process, not once per metric, chart and bootstrap unit."""


def awake_share(published: pl.Series, zones: Sequence[tuple[str, float]], start: int, end: int) -> pl.Series:
    """For each timestamp, the weight of the zones whose local hour is in [start, end)."""
    slots = published.dt.truncate(SLOT)
    table = _slot_table(slots.unique().to_frame("slot"), tuple(zones), start, end)
    joined = slots.to_frame("slot").join(table, on="slot", how="left", maintain_order="left")
    return joined[AWAKE]


def _slot_table(unique: pl.DataFrame, zones: tuple[tuple[str, float], ...], start: int, end: int) -> pl.DataFrame:
    """The awake weight of each slot, converting (about 200 zones each) only the slots not seen before."""
    key = (zones, start, end, unique.schema["slot"])
    known = _KNOWN.get(key)
    missing = unique if known is None else unique.join(known, on="slot", how="anti")
    if missing.is_empty() and known is not None:
        return known
    awake = [pl.when(_hour_in(zone, start, end)).then(weight).otherwise(0.0) for zone, weight in zones]
    found = missing.with_columns(pl.sum_horizontal(awake).alias(AWAKE) if awake else pl.lit(0.0).alias(AWAKE))
    _KNOWN[key] = found if known is None else pl.concat([known, found])
    return _KNOWN[key]


def _hour_in(zone: str, start: int, end: int) -> pl.Expr:
    hour = pl.col("slot").dt.convert_time_zone(zone).dt.hour()
    return (hour >= start) & (hour < end)


def awake_by_utc_hour(zones: Sequence[tuple[str, float]], day: date, start: int, end: int) -> list[float]:
    """The share of the audience awake at each UTC hour of `day`: what a global account's hours chart
    draws its posts against, since no single clock tells when a global audience is awake."""
    first = datetime(day.year, day.month, day.day, tzinfo=UTC)
    hours = pl.Series([first + timedelta(hours=h) for h in range(24)], dtype=pl.Datetime("us", "UTC"))
    return [round(float(v), 4) for v in awake_share(hours, zones, start, end)]
