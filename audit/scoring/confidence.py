"""How sure a score is: what it rests on (posts, weeks, events) and a bootstrap interval (issue 9, item 7).

The same account, audited on another 26 weeks of the same practice, would score somewhat differently.
The bootstrap estimates by how much: it draws the period's weeks with replacement (a week can come twice,
another not at all), lays the drawn weeks end to end as a new period of the same length, scores that, and
repeats; the 2.5th and 97.5th percentiles of the resampled scores are the interval. Weeks are drawn, not
posts, because the posts of one week are not independent (a campaign, a holiday, a crisis) and because the
cadence metrics (active weeks, silences, regularity) are about weeks. The crisis dimension rests on events,
not weeks: its resamples draw the events that concerned the account. A dimension with too few weeks or
events for a bootstrap to mean anything gets no interval and says why ("interval not measured: 5 weeks");
the account's interval then holds that dimension at its measured score.

Each resample runs the rubric's own metric functions on a resampled table (column-wise polars: one loop
per resample, never one per post), with a fixed seed per account, so the same data gives the same interval.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np
import polars as pl

from audit.scoring.allunits import AccountUnits, units_of, week_number
from audit.scoring.metrics import crisis
from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.instants import weeks_since
from audit.scoring.metrics.measures import AccountData, Measure
from audit.scoring.metrics.table import METRICS
from audit.scoring.resample import Units, week_times
from audit.scoring.rubric.model import Dimension, Rubric
from audit.scoring.unitwise import TWINS, UNIT, Arrays, built, length_columns, observed_weeks, unit_blocks

SEED = 20261206
"""The bootstrap's seed, mixed with the account id: reproducible, and not the same draws for every account."""
LOW, HIGH = 2.5, 97.5
_WEEK, _SLOT = "__week", "__slot"

Interval = tuple[float, float]


@dataclass(frozen=True)
class Samples:
    """Resampled values by key ('overall', 'basis', a dimension id, '<dimension>.<metric>'), and why a
    dimension has none (it was held at its measured score)."""

    values: Mapping[str, np.ndarray]
    held: Mapping[str, str]
    resamples: int
    fixed: tuple[str, ...] = ()
    """Metrics held at their measured value in every resample (no fast form, `bootstrap_exact` off)."""

    def interval(self, key: str, digits: int = 1, point: float | None = None) -> list[float] | None:
        """The 2.5th-97.5th percentile range of a key's resampled values, or None when it has none. It is
        widened to take in the measured value `point` when it misses it (a longest silence is left out of
        a third of resamples, so their scores lean one way): a reader is never shown a range without the
        number printed beside it."""
        found = self.values.get(key)
        if found is None or key in self.held or np.isnan(found).all():
            return None
        low, high = (float(v) for v in np.nanpercentile(found, [LOW, HIGH]))
        if point is not None:
            low, high = min(low, point), max(high, point)
        return [round(low, digits), round(high, digits)]


def rests_on(data: AccountData) -> dict[str, int]:
    """What an account's scores rest on: authored posts, weeks of the period (and how many had a post),
    and the crisis and opportunity events that concerned it in the period."""
    shared = units_of(data)
    if shared is not None and shared.posts == data.n and shared.plan.period == data.period:
        active = shared.active
    else:
        active = data.authored.select(week_number(data.period.start_at).n_unique()).item() if data.n else 0
    return {"posts": data.n, "weeks": data.period.weeks, "active_weeks": int(active),
            "events": data.responses.height}


def on_events(dimension: Dimension) -> bool:
    """True for a dimension whose scored metrics all measure responses to events (crisis responsiveness):
    its unit of resampling is the event, not the week."""
    scored = [s for s in dimension.metrics if s.scored]
    return bool(scored) and all(METRICS[s.name].function.__module__ == crisis.__name__ for s in scored)


def held_dimensions(data: AccountData, rubric: Rubric) -> dict[str, str]:
    """Dimensions too thin to bootstrap, with the reason the report prints."""
    s = rubric.settings
    weeks, events = len(observed_weeks(data)), data.responses.height
    held = {}
    for dim in rubric.dimensions:
        if on_events(dim) and events < s.bootstrap_min_events:
            held[dim.id] = f"interval not measured: {events} event{'s' if events != 1 else ''}"
        elif not on_events(dim) and weeks < s.bootstrap_min_weeks:
            held[dim.id] = f"interval not measured: {weeks} week{'s' if weeks != 1 else ''}"
    return held


def bootstrap(data: AccountData, rubric: Rubric, wanted: Mapping[str, frozenset[str]],
              measured: Mapping[str, Any], account_id: str, measures: Mapping[str, Measure] | None = None) -> Samples:
    """Resample the account `bootstrap_resamples` times. `wanted` names, per dimension, the metrics whose
    values verdict conditions read; `measured` holds the measured dimension scores and 'dim.metric' values
    (what a held dimension keeps); `measures`, the scorer's Measure of each metric on the whole account."""
    count = rubric.settings.bootstrap_resamples
    held = held_dimensions(data, rubric) if count else {d.id: "interval not measured: bootstrap off"
                                                         for d in rubric.dimensions}
    rng = np.random.default_rng([SEED, zlib.crc32(account_id.encode())])
    exact = rubric.settings.bootstrap_exact
    on_weeks = [s.name for d in rubric.dimensions if d.id not in held and not on_events(d) for s in d.metrics
                if s.scored or s.name in wanted.get(d.id, ())]
    weeks = week_units(data, rng, count, exact, measures, on_weeks)
    events = event_units(data, rng, count, exact, measures)
    values: dict[str, np.ndarray] = {}
    fixed: list[str] = []
    for dim in rubric.dimensions:
        names = [s.name for s in dim.metrics if s.scored or s.name in wanted.get(dim.id, ())]
        if dim.id in held:
            values |= {k: np.full(count, _nan(measured.get(k))) for k in
                       [dim.id, *(f"{dim.id}.{m}" for m in wanted.get(dim.id, ()))]}
            continue
        units = events if on_events(dim) else weeks
        found = {name: units.values(name) for name in names}
        metrics = {name: v for name, (v, _) in found.items()}
        fixed += [name for name, (_, resampled) in found.items() if not resampled]
        values[dim.id] = dimension_scores(dim, metrics, count)
        values |= {f"{dim.id}.{m}": metrics[m] for m in wanted.get(dim.id, ()) if m in metrics}
    basis = set(rubric.verdict.basis) or {d.id for d in rubric.dimensions}
    values["overall"] = _weighted([(values[d.id], d.weight) for d in rubric.dimensions], count)
    values["basis"] = _weighted([(values[d.id], d.weight) for d in rubric.dimensions if d.id in basis], count)
    return Samples(values, held, count, tuple(fixed))


def week_units(data: AccountData, rng: np.random.Generator, count: int, exact: bool,
               measures: Mapping[str, Measure] | None = None, names: Sequence[str] = ()) -> Units:
    """The observed weeks as units - in blocks of consecutive weeks when there are more than MAX_UNITS, so
    the cost is bounded whatever the period's length - with the twins' measures on every unit (from the
    account's rows of the all-accounts table when it has them, else from its posts tagged by unit), the
    times of its posts, the draws, each unit's table (for the metrics without a twin), and the resampled
    table for a draw (its blocks' weeks laid end to end in the observed weeks' places)."""
    slots, blocks = observed_weeks(data), unit_blocks(data)
    draws = rng.integers(0, max(len(blocks), 1), size=(count, len(blocks)))
    weekly = [np.array([data.weekly[int(w)] for w in b], dtype=float) for b in blocks]
    shared = units_of(data)
    tagged = cache(lambda: _tagged(data, blocks))

    def split() -> list[AccountData]:
        return [replace(data, authored=tagged().filter(pl.col(UNIT) == i).drop(_WEEK, UNIT, WORDS))
                for i in range(len(blocks))]

    def physical(row: np.ndarray) -> AccountData:
        weeks = np.concatenate([blocks[i] for i in row])[:len(slots)]
        return replace(data, authored=resampled_weeks(tagged().drop(UNIT, WORDS), weeks, slots[:len(weeks)]))

    if shared is not None and shared.fits(data, blocks):
        return Units(data, split, draws, physical if exact else None, shared.times, weekly, None, measures, names,
                     _shared_twins(data, shared, blocks))
    origin = data.period.start_at.timestamp() / 86400
    times = week_times(tagged(), [[int(w) for w in b] for b in blocks], _WEEK, origin)
    return Units(data, split, draws, physical if exact else None, times, weekly,
                 tagged().filter(pl.col(UNIT).is_not_null()), measures, names)


def _tagged(data: AccountData, blocks: list[np.ndarray]) -> pl.DataFrame:
    """The account's posts with their week and unit (each post's words made once, `AccountData.words`, for
    the length twin)."""
    unit_of = {int(w): i for i, block in enumerate(blocks) for w in block}
    return data.authored.lazy().with_columns(data.words, week_number(data.period.start_at).alias(_WEEK)).with_columns(
        pl.col(_WEEK).replace_strict(unit_of, default=None, return_dtype=pl.Int64).alias(UNIT)).collect()


def _shared_twins(data: AccountData, shared: AccountUnits, blocks: list[np.ndarray]) -> dict[str, Arrays]:
    """Every twin on every unit from the account's columns of the all-accounts table; the length twin's
    from the account's own words."""
    columns = dict(shared.columns)
    if "depth_parity_length" in TWINS:
        week = weeks_since(data.authored["published_at"], data.period.start_at)
        unit_of = np.full(max(data.period.weeks, int(week.max(initial=-1)) + 1), -1)
        for i, block in enumerate(blocks):
            unit_of[block] = i
        columns |= length_columns(data, unit_of[week], len(blocks))
    twins = {name: twin for name, twin in TWINS.items() if twin.ready(data)}
    return built(data, twins, lambda column: columns[column], len(blocks), TWINS)


def event_units(data: AccountData, rng: np.random.Generator, count: int, exact: bool,
                measures: Mapping[str, Measure] | None = None) -> Units:
    """The events that concerned the account as units (their rows of the responses table)."""
    rows = data.responses.height
    draws = rng.integers(0, max(rows, 1), size=(count, rows))

    def split() -> list[AccountData]:
        return [replace(data, responses=data.responses.slice(i, 1)) for i in range(rows)]

    def physical(row: np.ndarray) -> AccountData:
        return replace(data, responses=data.responses[row.tolist()])

    return Units(data, split, draws, physical if exact else None, measured=measures)


def dimension_scores(dimension: Dimension, metrics: Mapping[str, np.ndarray], count: int) -> np.ndarray:
    """The dimension's score in every resample: metric points weighted as the scorer weighs them (a metric
    not measured in a resample is left out), NaN where no metric that can stand alone was measured."""
    scored = [s for s in dimension.metrics if s.scored and s.name in metrics]
    points = [(_points(s.floor, s.target, metrics[s.name]), s.weight, METRICS[s.name].alone) for s in scored]
    score = _weighted([(p, w) for p, w, _ in points], count)
    alone = np.zeros(count, dtype=bool)
    for p, _, can in points:
        alone |= can & ~np.isnan(p)
    return np.where(alone, score, np.nan)


def _points(floor: float | None, target: float | None, values: np.ndarray) -> np.ndarray:
    if floor is None or target is None or floor == target:
        return np.full(values.shape, np.nan)
    return 100.0 * np.clip((values - floor) / (target - floor), 0.0, 1.0)


def _weighted(pairs: list[tuple[np.ndarray, float]], count: int) -> np.ndarray:
    """Weighted mean per resample over the arrays with a value (NaN when none has one)."""
    top, bottom = np.zeros(count), np.zeros(count)
    for values, weight in pairs:
        if weight > 0:
            known = ~np.isnan(values)
            top += np.where(known, values, 0.0) * weight
            bottom += known * weight
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def _nan(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else np.nan


def resampled_weeks(tagged: pl.DataFrame, draws: np.ndarray, slots: np.ndarray) -> pl.DataFrame:
    """The posts of the drawn weeks, each drawn week moved to its slot in the new period (a week drawn twice
    comes twice, as different messages), sorted by time as the metrics expect."""
    table = pl.DataFrame({_WEEK: draws.astype(np.int64), _SLOT: slots.astype(np.int64)})
    joined = tagged.join(table, on=_WEEK, how="inner")
    shift = pl.duration(days=(pl.col(_SLOT) - pl.col(_WEEK)) * 7)
    moved = [pl.col("published_at") + shift, pl.col("audience_local_time") + shift]
    if "message_id" in joined.columns:
        moved.append(pl.concat_str(pl.col("message_id"), pl.lit("#"), pl.col(_SLOT).cast(pl.String)))
    return joined.with_columns(moved).drop(_WEEK, _SLOT).sort("published_at", maintain_order=True)


def condition_metrics(rubric: Rubric) -> dict[str, frozenset[str]]:
    """Per dimension, the metrics the verdict rules name (their intervals decide 'borderline')."""
    found: dict[str, set[str]] = {}
    for rule in rubric.verdict.rules:
        for cond in rule.conditions:
            if cond.metric:
                dim, _, metric = cond.metric.partition(".")
                found.setdefault(dim, set()).add(metric)
    return {d: frozenset(m) for d, m in found.items()}


def method_text(samples: Samples) -> str:
    """One line for the result and the method appendix."""
    if not samples.resamples:
        return "No interval: the rubric turns the bootstrap off (bootstrap_resamples = 0)."
    names = ", ".join(dict.fromkeys(METRICS[m].label.lower() for m in samples.fixed))
    fixed = f" Held at their measured values in every resample: {names} (bootstrap_exact = false)." if names else ""
    return (f"Bootstrap over weeks (events for crisis responsiveness): {samples.resamples} resamples with a fixed "
            f"seed, {LOW:g}th to {HIGH:g}th percentile.{fixed}")
