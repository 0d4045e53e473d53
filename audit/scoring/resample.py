"""Metric values of bootstrap resamples, all resamples at once (audit.scoring.confidence).

A resample draws units (the weeks of the period, or the events that concerned the account) with
replacement. Re-running every metric on every resample costs about 60 polars calls per resample, which
for 200 resamples and 200 accounts is many minutes. Most metrics need far less: a share is a count over a
count, and the counts of a resample are sums of the counts of the units drawn; posts per week and active
weeks add up over weeks; regularity is the spread of the drawn weeks' message counts; the longest silence
follows from each week's first, last and longest inner gap. So each metric is measured once per unit
(with the rubric's own metric function; a week without posts is not measured), and the resamples are
matrix products over a units-by-resamples table of draw counts.

Which of these forms a metric follows is not assumed: each form is checked on the identity resample
(every unit once), which must give back the metric's measured value. A metric no form reproduces - a
median, a ratio of means, a change across a transition - is measured on each physically resampled table,
so every interval rests on the rubric's own definitions - when the rubric asks for it (`bootstrap_exact`);
by default such a metric is held at its measured value and named in the result, which keeps an audit of
200 accounts fast at the price of a slightly narrower interval where those metrics weigh.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any

import numpy as np
import polars as pl

from audit.scoring.metrics.measures import AccountData, Measure
from audit.scoring.metrics.table import METRICS
from audit.scoring.unitwise import TWINS, Arrays, unit_arrays

RATIO_DETAILS = (("count", "posts"), ("audience_posts", "home_posts"), ("answered", "events"))
"""Detail pairs whose quotient is the metric's value: sums over units give a resample's value."""
MEAN_DETAILS = ("messages", "posts_with_counts", "posts")
"""Detail counts a metric's value is a mean over."""
TOLERANCE = 1e-6
WEEKLY_FORMS = {"active_week_share": "_active", "regularity_cv": "_spread", "longest_gap_days": "_longest_gap"}
"""Cadence metrics of DESIGN.md's contract whose resamples follow from the weeks' own counts and times, tried
first (checked like any form) so that they are not measured once per unit."""


class Units:
    """One account's units (weeks or events), the resamples' draws of them, and a way to build a resample.

    `split` builds each unit's table, only when a metric without a twin needs them; `tagged` (the account's
    posts with their unit in unitwise.UNIT) lets a metric with a twin be measured on every unit at once;
    `measured` holds the values the scorer measured on the whole account, so none is measured twice;
    `names`, the metrics the bootstrap will ask for; `twinned`, the twins' measures on every unit when they
    were computed for all accounts at once (audit.scoring.allunits); `times`, week_times's columns."""

    def __init__(self, data: AccountData, split: Callable[[], Sequence[AccountData]], draws: np.ndarray,
                 physical: Callable[[np.ndarray], AccountData] | None, times: Mapping[str, np.ndarray] | None = None,
                 weekly: Sequence[np.ndarray] | None = None, tagged: pl.DataFrame | None = None,
                 measured: Mapping[str, Measure] | None = None, names: Sequence[str] = (),
                 twinned: Mapping[str, Arrays] | None = None) -> None:
        self.data, self.split, self.draws, self.physical = data, split, draws, physical
        self.weekly = list(weekly) if weekly is not None else None
        self.counts = np.zeros((draws.shape[0], draws.shape[1]))
        rows = np.repeat(np.arange(draws.shape[0]), draws.shape[1])
        np.add.at(self.counts, (rows, draws.ravel()), 1.0)
        self.times, self.tagged, self.measured = times, tagged, dict(measured or {})
        self.names = list(names)
        self._twinned: dict[str, Arrays] = dict(twinned or {})
        self._forms: dict[str, tuple[np.ndarray, float] | None] = {}
        self._parts: list[AccountData] | None = None
        self._built: list[AccountData] | None = None

    @property
    def parts(self) -> list[AccountData]:
        """Each unit's own table (built once, when first needed)."""
        if self._parts is None:
            self._parts = list(self.split())
        return self._parts

    def values(self, name: str) -> tuple[np.ndarray, bool]:
        """The metric's value in every resample (NaN where it could not be measured), and whether it was
        resampled: without a form that reproduces it and without `physical`, it is held at its value."""
        function = METRICS[name].function
        full = _number((self.measured.get(name) or function(self.data)).value)
        if full is None:
            return np.full(self.draws.shape[0], np.nan), True
        if name in WEEKLY_FORMS:
            found = self._weekly(WEEKLY_FORMS[name])
            if found is not None and _agrees(found[1], full):
                return found[0], True
        units = self.unit_arrays(name)
        for form in (self._ratio, self._mean, self._additive):
            found = form(units)
            if found is not None and _agrees(found[1], full):
                return found[0], True
        for weekly in ("_spread", "_longest_gap"):
            found = self._weekly(weekly)
            if found is not None and _agrees(found[1], full):
                return found[0], True
        if self.physical is None:
            return np.full(self.draws.shape[0], full), False
        return self._measured(name, self.physical), True

    def _weekly(self, form: str) -> tuple[np.ndarray, float] | None:
        """A form that follows from the weeks' own counts and times alone (the same for every metric),
        computed once."""
        if form not in self._forms:
            self._forms[form] = getattr(self, form)()
        return self._forms[form]

    def unit_arrays(self, name: str) -> Arrays:
        """The metric on each unit, column-wise: by its twin when it has one (the twins of all of `names` in
        one group_by, the first time one is asked for), else unit by unit with its function."""
        if name in TWINS and (self.tagged is not None or name in self._twinned):
            if name not in self._twinned and self.tagged is not None:
                names = [n for n in dict.fromkeys([*self.names, name]) if n not in self._twinned]
                self._twinned |= unit_arrays(self.data, self.tagged, self.draws.shape[1], names)
            return self._twinned[name]
        function = METRICS[name].function
        return Arrays.of([function(part) if part.n else Measure(None) for part in self.parts])

    def _ratio(self, units: Arrays) -> tuple[np.ndarray, float] | None:
        for top, bottom in RATIO_DETAILS:
            if top in units.details and bottom in units.details:
                num, den = units.details[top], units.details[bottom]
                if den.sum() > 0:
                    return _quotient(self.counts @ num, self.counts @ den), float(num.sum() / den.sum())
        return None

    def _mean(self, units: Arrays) -> tuple[np.ndarray, float] | None:
        for key in MEAN_DETAILS:
            if key in units.details:
                den = units.details[key]
                num = units.value * den
                if den.sum() > 0:
                    return _quotient(self.counts @ num, self.counts @ den), float(num.sum() / den.sum())
        return None

    def _additive(self, units: Arrays) -> tuple[np.ndarray, float] | None:
        return self.counts @ units.value, float(units.value.sum())

    @cached_property
    def _drawn_weeks(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Message counts of the drawn weeks (resamples x weeks, NaN past a short block) and of all weeks
        (made once: the active share and the regularity both read them)."""
        if not self.weekly or not self.draws.size:
            return None
        width = max(len(w) for w in self.weekly)
        table = np.full((len(self.weekly), width), np.nan)
        for i, weeks in enumerate(self.weekly):
            table[i, :len(weeks)] = weeks
        return table[self.draws].reshape(self.draws.shape[0], -1), np.concatenate(self.weekly)

    def _active(self) -> tuple[np.ndarray, float] | None:
        """Share of the drawn weeks with at least one message."""
        found = self._drawn_weeks
        if found is None or not found[1].size:
            return None
        drawn, every = found
        with np.errstate(invalid="ignore"):
            return np.nanmean(np.where(np.isnan(drawn), np.nan, drawn > 0), axis=1), float((every > 0).mean())

    def _spread(self) -> tuple[np.ndarray, float] | None:
        """Coefficient of variation of the drawn weeks' message counts (population standard deviation)."""
        found = self._drawn_weeks
        if found is None or not found[1].size or found[1].mean() == 0:
            return None
        drawn, every = found
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.nanmean(drawn, axis=1)
            spread = np.where(means > 0, np.nanstd(drawn, axis=1) / means, np.nan)
        return spread, float(every.std() / every.mean())

    def _longest_gap(self) -> tuple[np.ndarray, float] | None:
        """Longest time between consecutive posts once the drawn weeks are laid end to end, in days."""
        if self.times is None or not len(self.times["has"]):
            return None
        first, last, inner, has, length = (self.times[c] for c in ("first", "last", "inner", "has", "length"))
        longest = np.full(self.draws.shape[0], np.nan)
        previous = np.full(self.draws.shape[0], np.nan)
        start = np.zeros(self.draws.shape[0])
        for slot in range(self.draws.shape[1]):
            unit = self.draws[:, slot]
            present = has[unit] > 0
            opening = start + first[unit]
            longest = np.where(present, np.fmax(longest, np.fmax(opening - previous, inner[unit])), longest)
            previous = np.where(present, start + last[unit], previous)
            start = start + length[unit]
        identity = _identity_gap(first, last, inner, has, np.concatenate([[0.0], np.cumsum(length)[:-1]]))
        return longest, identity

    def _measured(self, name: str, physical: Callable[[np.ndarray], AccountData]) -> np.ndarray:
        """The metric run on each physically resampled table (the general, slower way)."""
        if self._built is None:
            self._built = [physical(row) for row in self.draws]
        function = METRICS[name].function
        found = (_number(function(d).value) for d in self._built)
        return np.array([np.nan if v is None else v for v in found], dtype=float)


def _identity_gap(first: np.ndarray, last: np.ndarray, inner: np.ndarray, has: np.ndarray,
                  start: np.ndarray) -> float:
    longest, previous = math.nan, math.nan
    for unit in range(len(has)):
        if has[unit] > 0:
            longest = float(np.fmax(longest, np.fmax(start[unit] + first[unit] - previous, inner[unit])))
            previous = start[unit] + last[unit]
    return longest


def week_times(tagged: pl.DataFrame, blocks: Sequence[Sequence[int]], week_col: str,
               origin: float) -> dict[str, np.ndarray]:
    """Per unit (a block of consecutive observed weeks, in order): its length in days, and its posts' first
    and last time and longest inner gap, in days from the unit's first week's start (`origin`: the
    period's start in epoch days)."""
    unit_of = {w: i for i, block in enumerate(blocks) for w in block}
    starts = pl.DataFrame({"unit": range(len(blocks)), "start": [b[0] * 7.0 if b else 0.0 for b in blocks],
                           "length": [len(b) * 7.0 for b in blocks]},
                          schema={"unit": pl.Int64, "start": pl.Float64, "length": pl.Float64})
    offset = (pl.col("published_at").dt.epoch("us") / 86_400e6) - origin
    found = tagged.lazy().sort("published_at").with_columns(
        pl.col(week_col).replace_strict(unit_of, default=None, return_dtype=pl.Int64).alias("unit")
    ).group_by("unit").agg(offset.min().alias("lo"), offset.max().alias("hi"),
                           offset.diff().max().fill_null(0.0).alias("inner"), pl.len().alias("has"))
    joined = starts.lazy().join(found, on="unit", how="left").sort("unit")
    times = joined.select(
        "length", (pl.col("lo") - pl.col("start")).fill_null(0.0).alias("first"),
        (pl.col("hi") - pl.col("start")).fill_null(0.0).alias("last"),
        pl.col("inner").fill_null(0.0), pl.col("has").fill_null(0),
    ).collect()  # one query: each eager step would be one
    return {c: times[c].to_numpy().astype(float) for c in times.columns}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _agrees(found: float, full: float) -> bool:
    return math.isfinite(found) and abs(found - full) <= TOLERANCE * max(1.0, abs(full))


def _quotient(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)
