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

import numpy as np
import polars as pl

from audit.enrich.audience import country_languages, country_timezone
from audit.scoring.metrics.population import TERRITORY_POPULATION

SLOT = "15m"
"""Posts are grouped by quarter-hour before converting: every zone's offset is a multiple of 15 minutes."""
AWAKE = "awake"
CHUNK = 200_000
"""Slots weighed at a time (about two years of quarter-hours), which bounds the arrays' size."""


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
    """The awake weight of each slot, computing only the slots not seen before."""
    key = (zones, start, end, unique.schema["slot"])
    known = _KNOWN.get(key)
    missing = (unique if known is None else unique.join(known, on="slot", how="anti")).drop_nulls()
    if missing.is_empty() and known is not None:
        return known
    parts = [_weights(chunk.to_series(), zones, start, end) for chunk in missing.select("slot").iter_slices(CHUNK)]
    found = missing.with_columns(pl.concat(parts) if parts else pl.Series(AWAKE, [], dtype=pl.Float64))
    _KNOWN[key] = found if known is None else pl.concat([known, found])
    return _KNOWN[key]


def _weights(slots: pl.Series, zones: Sequence[tuple[str, float]], start: int, end: int) -> pl.Series:
    """The summed weight of the zones whose local hour is in [start, end), for each slot.

    Converting every slot to some 200 zones was most of a global account's scoring, so each zone's offset
    from UTC is read at the start of each day with posts and of the day after: where the two agree (every
    day but those on which the zone's clock changes) the slot's local hour is its UTC time of day plus
    that offset; on a day the clock changes, the zone's slots are converted one by one. The weights are
    added zone after zone, in the zones' order (polars' sum_horizontal, used before, adds in an order of
    its own that depends on the number of rows: the sums differ from it by 1e-16 at most).
    """
    minutes = slots.dt.epoch("s").to_numpy() // 60
    days, at = np.unique(minutes // 1440, return_inverse=True)
    offsets = _day_offsets(days, zones)
    clocks: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    minute, total = minutes % 1440, np.zeros(len(slots))
    for i, (zone, weight) in enumerate(zones):
        awake, changes = _clock(clocks, offsets[i], at, minute, start, end)
        if changes.size:
            awake = awake.copy()
            hour = slots.gather(changes).dt.convert_time_zone(zone).dt.hour().to_numpy()
            awake[changes] = (hour >= start) & (hour < end)
        np.add(total, weight, out=total, where=awake)  # adding 0.0 elsewhere would change nothing
    return pl.Series(AWAKE, total, dtype=pl.Float64)


def _clock(clocks: dict[bytes, tuple[np.ndarray, np.ndarray]], offsets: np.ndarray, at: np.ndarray,
           minute: np.ndarray, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Whether each slot is in the waking hours by a zone's offsets at the start of its day and of the next,
    and the slots on a day those differ; worked out once for all the zones that keep the same offsets on
    the days with posts (most of the 200 zones share a clock with another)."""
    key = offsets.tobytes()
    if key not in clocks:
        first, after = offsets[:len(offsets) // 2], offsets[len(offsets) // 2:]
        local = (minute + first[at]) % 1440  # minutes into the local day; hour in [start, end) = these bounds
        clocks[key] = ((local >= 60 * start) & (local < 60 * end), np.flatnonzero((first != after)[at]))
    return clocks[key]


def _day_offsets(days: np.ndarray, zones: Sequence[tuple[str, float]]) -> np.ndarray:
    """Minutes each zone is ahead of UTC at the start of each day and of the next (zones x 2 * days), each
    distinct day converted once: a day with posts is most often the day after another one."""
    distinct, back = np.unique(np.concatenate([days, days + 1]), return_inverse=True)
    stamps = pl.Series("t", distinct * 86_400_000_000, dtype=pl.Int64).cast(pl.Datetime("us", "UTC"))
    utc = stamps.dt.replace_time_zone(None)
    local = [(pl.col("t").dt.convert_time_zone(zone).dt.replace_time_zone(None) - utc).dt.total_minutes()
             .alias(str(i)) for i, (zone, _) in enumerate(zones)]
    if not local:
        return np.zeros((0, 2 * len(days)), dtype=np.int64)
    return stamps.to_frame().select(local).to_numpy().T[:, back.ravel()]


def _hour_in(zone: str, start: int, end: int) -> pl.Expr:
    hour = pl.col("slot").dt.convert_time_zone(zone).dt.hour()
    return (hour >= start) & (hour < end)


def awake_by_utc_hour(zones: Sequence[tuple[str, float]], day: date, start: int, end: int) -> list[float]:
    """The share of the audience awake at each UTC hour of `day`: what a global account's hours chart
    draws its posts against, since no single clock tells when a global audience is awake."""
    first = datetime(day.year, day.month, day.day, tzinfo=UTC)
    hours = pl.Series([first + timedelta(hours=h) for h in range(24)], dtype=pl.Datetime("us", "UTC"))
    return [round(float(v), 4) for v in awake_share(hours, zones, start, end)]
