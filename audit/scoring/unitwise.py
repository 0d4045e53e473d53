"""Each metric's value on every unit of the bootstrap at once: one group_by per metric, not one call per unit.

The resample forms (audit.scoring.resample) need a metric's value on each unit - each block of consecutive
weeks - with the counts it is a share or a mean of. Running the metric's own function on each unit's table
costs a few polars calls per unit and metric: for 26 units and 15 metrics, about 0.4 s an account, most of
a 200-account audit. A *twin* here measures the same thing on every unit in one group_by over the unit
column of the account's posts (or of every account's, audit.scoring.allunits), and gives what the metric's
function gives on each unit's table, as numpy columns over the units (`Arrays`): whether it was measured, its
value and the details the forms read (`count`/`posts`, `audience_posts`/`home_posts`, `messages`, `posts`),
with no Python loop over units. tests/scoring/test_unitwise.py holds every twin to
its function on frames with empty, one-sided and mixed units. A metric without a twin is measured unit by
unit as before, and the forms still check every value on the identity resample.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from audit.scoring.metrics import cadence, engagement
from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.measures import AccountData, Measure
from audit.scoring.metrics.worldtime import audience_zones, awake_share

MAX_UNITS = 26
"""At most this many units are drawn: a longer period is resampled in blocks of consecutive weeks."""
UNIT = "__unit"
"""The column of the account's posts holding each post's unit (its block of weeks), 0 to units - 1."""
N = "__n"
"""Every unit's number of posts, in each twin's row."""
AWAKE, REACH, FIRST, IN_HOURS, START, MESSAGE = "__awake", "__reach", "__first", "__in_hours", "__start", "__message"
"""Helper columns the twins aggregate, whose values depend on the account (`with_helpers` for one account,
`audit.scoring.allunits` for all of them at once)."""



@dataclass(frozen=True)
class Twin:
    """A metric on every unit: the aggregates it needs (named by the twin, computed with every other twin's
    in one group_by, over the helper columns of `with_helpers` or of the all-accounts table) and the Measure
    built from one unit's aggregates (`N` among them). A twin that is not `ready` for the account (no
    transition in the period, a period too short) measures no unit."""

    aggs: Mapping[str, pl.Expr]
    build: Callable[[AccountData, Columns], Arrays]
    ready: Callable[[AccountData], bool] = lambda data: True


@dataclass(frozen=True)
class Arrays:
    """A metric on every unit, column-wise: whether each unit was measured, its value as the resample forms
    read it (0 where not measured or not finite) and the details they read (0 where not measured)."""

    measured: np.ndarray
    value: np.ndarray
    details: Mapping[str, np.ndarray]

    @classmethod
    def of(cls, measures: Sequence[Measure]) -> Arrays:
        """From the metric's own Measure on each unit: the details every measured unit has."""
        measured = np.array([m.value is not None for m in measures], dtype=bool)
        value = np.array([_finite(m.value) if m.value is not None else 0.0 for m in measures], dtype=float)
        kept = [k for k in FORM_DETAILS if all(k in m.details for m in measures if m.value is not None)]
        return cls(measured, value, {k: np.array([float(m.details.get(k, 0) or 0) if m.value is not None else 0.0
                                                  for m in measures], dtype=float) for k in kept})

    def measures(self) -> list[Measure]:
        """Each unit's Measure (value and details; None where not measured)."""
        return [Measure(float(self.value[i]), details={k: float(v[i]) for k, v in self.details.items()})
                if self.measured[i] else Measure(None) for i in range(len(self.measured))]


FORM_DETAILS = ("count", "posts", "audience_posts", "home_posts", "answered", "events", "messages",
                "posts_with_counts")
"""The details the resample forms read (resample.RATIO_DETAILS, MEAN_DETAILS)."""
Columns = Mapping[str, np.ndarray]
"""A twin's aggregates on every unit (floats, NaN where null) and every unit's number of posts in `N`."""


def _finite(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and \
        np.isfinite(value) else 0.0


def arrays(measured: np.ndarray, value: np.ndarray, details: Mapping[str, np.ndarray] | None = None) -> Arrays:
    """A twin's Arrays, zero where not measured (as `Arrays.of` makes them from Measures)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        kept = np.where(measured & np.isfinite(value), value, 0.0)
    return Arrays(measured, kept, {k: np.where(measured, v, 0.0) for k, v in (details or {}).items()})


def unit_arrays(data: AccountData, tagged: pl.DataFrame, units: int, names: Sequence[str]) -> dict[str, Arrays]:
    """The twinned metrics among `names` on every unit (not measured where a unit has no posts)."""
    twins = {name: TWINS[name] for name in names if name in TWINS and TWINS[name].ready(data)}
    found = with_helpers(data, tagged, twins).group_by(UNIT).agg(pl.len().alias(N), *named_aggs(twins)).collect()
    at = found[UNIT].to_numpy()
    return built(data, twins, lambda column: scatter(found[column].to_numpy(), at, units), units, names)


def unit_measures(data: AccountData, tagged: pl.DataFrame, units: int,
                  names: Sequence[str]) -> dict[str, list[Measure]]:
    """The twinned metrics among `names` measured on every unit (None where a unit has no posts)."""
    return {name: found.measures() for name, found in unit_arrays(data, tagged, units, names).items()}


def scatter(values: np.ndarray, at: np.ndarray, units: int) -> np.ndarray:
    """Values of some units (at `at`) on every unit, NaN for the others."""
    found = np.full(units, np.nan)
    found[at] = values.astype(float)
    return found


def named_aggs(twins: Mapping[str, Twin]) -> list[pl.Expr]:
    """Every twin's aggregates, named '<metric>.<key>' so that twins do not collide."""
    return [expr.alias(f"{name}.{key}") for name, twin in twins.items() for key, expr in twin.aggs.items()]


def built(data: AccountData, twins: Mapping[str, Twin], column: Callable[[str], np.ndarray], units: int,
          names: Iterable[str]) -> dict[str, Arrays]:
    """The twins' Arrays on units 0 to `units` - 1 from the group_by's columns (`column`: one on every unit,
    NaN where the unit has no row); the names that have a twin not ready for the account measure no unit."""
    n = np.nan_to_num(column(N))
    measured = {name: twin.build(data, {N: n, **{key: column(f"{name}.{key}") for key in twin.aggs}})
                for name, twin in twins.items()}
    none = Arrays(np.zeros(units, dtype=bool), np.zeros(units), {})
    return measured | {name: none for name in names if name in TWINS and name not in twins}


def observed_weeks(data: AccountData) -> np.ndarray:
    """The weeks the bootstrap draws from and fills: those not wholly inside a hole in the export (a hole
    is not a silence, so it is neither drawn nor filled, and stays where it is)."""
    covered = getattr(data, "covered_weeks", None)
    weeks = covered() if callable(covered) else range(data.period.weeks)
    return np.array(list(weeks), dtype=np.int64)


def unit_blocks(data: AccountData) -> list[np.ndarray]:
    """The observed weeks as units: in blocks of consecutive weeks when there are more than MAX_UNITS, so
    the cost is bounded whatever the period's length."""
    slots = observed_weeks(data)
    return np.array_split(slots, min(len(slots), MAX_UNITS)) if len(slots) else []


def length_columns(data: AccountData, unit_of: np.ndarray, units: int) -> dict[str, np.ndarray]:
    """depth_parity_length's aggregates on every unit, from the account's own columns (its posts' words are
    made per account, `AccountData.words`) with numpy: each side's posts and the median of their words as
    polars takes it (the middle value, or lo + (hi - lo) * 0.5). `unit_of`: each post's unit, -1 outside."""
    a = data.authored
    audience, home = a["audience_language"].to_numpy(), a["home_language"].to_numpy()
    words = data.words.to_numpy().astype(float)
    found: dict[str, np.ndarray] = {}
    for side, short, mask in (("foreign", "a", audience & ~home), ("home", "h", home & ~audience)):
        kept = mask & (unit_of >= 0)
        count, median = _medians(unit_of[kept], words[kept], units)
        found |= {f"depth_parity_length.{side}": count, f"depth_parity_length.{short}": median}
    return found


def _medians(units: np.ndarray, values: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, its number of values and their median (NaN without values)."""
    order = np.lexsort((values, units))
    values = values[order]
    count = np.bincount(units, minlength=width)
    first = np.cumsum(count) - count
    has = count > 0
    lo = np.where(has, values[np.where(has, first + (count - 1) // 2, 0)] if len(values) else 0.0, np.nan)
    hi = np.where(has, values[np.where(has, first + count // 2, 0)] if len(values) else 0.0, np.nan)
    return count.astype(float), np.where(count % 2 == 0, lo + (hi - lo) * 0.5, lo)


def with_helpers(data: AccountData, tagged: pl.DataFrame, twins: Mapping[str, Twin]) -> pl.LazyFrame:
    """The columns some twins aggregate, for one account: each message's best reach once per unit, the
    audience awake, the posts in the waking hours of the audience's zone, the transition's start."""
    helpers: list[pl.Expr | pl.Series] = []
    if "audience_reach" in twins:
        message = pl.col("message_id") if "message_id" in tagged.columns else pl.col("post_id")
        helpers += [_reach(data).max().over(UNIT, message).alias(REACH),
                    pl.struct(UNIT, message).is_first_distinct().alias(FIRST)]
    if "waking_hours_share" in twins:
        start, end = data.settings.waking_hours
        hour = pl.col("audience_local_time").dt.hour()
        helpers.append(((hour >= start) & (hour < end)).alias(IN_HOURS))
        helpers.append(awake_share(tagged["published_at"], audience_zones(tuple(sorted(data.audience.languages))),
                                   start, end).alias(AWAKE) if data.speaks_to_world else
                       pl.lit(None, pl.Float64).alias(AWAKE))
    if "transition_continuity" in twins:
        helpers.append(pl.lit(transition_start(data)).alias(START))
    if "posts_per_week" in twins:
        helpers.append(message_column(tagged.columns))
    return tagged.lazy().with_columns(helpers)


def _share(mask: pl.Expr) -> Twin:
    """Twin of a `share_of` metric: posts where `mask` holds over the unit's posts (measures.share_of)."""
    return Twin({"hits": mask.sum()},
                lambda data, c: arrays(c[N] > 0, _over(c["hits"], c[N]), {"count": c["hits"], "posts": c[N]}))


def _over(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """top / bottom unit by unit (NaN where bottom is 0 or missing: such a unit is not measured)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom != 0, top / np.where(bottom != 0, bottom, 1.0), np.nan)


_TIMED = pl.col("time_precision") != "day"


_WAKING_AGGS = {"timed": _TIMED.sum(), "awake": pl.when(_TIMED).then(pl.col(AWAKE)).mean(),
                "hits": (_TIMED & pl.col(IN_HOURS)).sum()}


def _waking(data: AccountData, c: Columns) -> Arrays:
    """cadence.waking_hours_share on a unit: a share of its timed posts, or for a global audience the mean
    share of the audience awake; not measured when none of its posts has a time of day."""
    timed = np.nan_to_num(c["timed"])
    if data.speaks_to_world:
        return arrays(timed > 0, np.nan_to_num(c["awake"]), {"posts": timed})
    return arrays(timed > 0, _over(c["hits"], timed), {"count": c["hits"], "posts": timed})


def _world_ready(data: AccountData) -> bool:
    return not data.speaks_to_world or bool(audience_zones(tuple(sorted(data.audience.languages))))


def best_reach(data: AccountData) -> str | None:
    """The audience's most-read language (None without one read by anybody)."""
    shares = dict(data.audience.languages)
    best = max(shares, key=lambda lang: shares[lang], default=None)
    return best if best is not None and shares[best] > 0 else None


def relative_reach(data: AccountData) -> dict[str, float]:
    """Each audience language's share relative to the most-read one (language.audience_reach)."""
    shares = dict(data.audience.languages)
    return {lang: share / shares[best_reach(data) or ""] for lang, share in shares.items()}


def _reach(data: AccountData) -> pl.Expr:
    """A post's reach relative to the audience's most-read language (language.audience_reach)."""
    return pl.col("lang").replace_strict(relative_reach(data), default=0.0, return_dtype=pl.Float64)


_REACH_TWIN = Twin(
    {"mean": pl.when(pl.col(FIRST)).then(pl.col(REACH)).mean(), "messages": pl.col(FIRST).sum()},
    lambda data, c: arrays(c[N] > 0, np.nan_to_num(c["mean"]), {"messages": c["messages"]}),
    lambda data: best_reach(data) is not None,
)
"""language.audience_reach on a unit: the mean over its messages of their best relative reach."""


def _per_week(data: AccountData, c: Columns) -> Arrays:
    """cadence.posts_per_week on a unit: its messages over the period's days with data (a unit's table
    keeps the period and its holes, so each unit adds its share of the whole rate)."""
    return arrays(c[N] > 0, c["messages"] / (data.covered_days / 7), {"posts": c[N], "messages": c["messages"]})


_PER_WEEK_TWIN = Twin(
    {"messages": pl.col(MESSAGE).n_unique()},
    _per_week, lambda data: cadence.too_short(data) is None,
)

_FOREIGN = pl.col("audience_language") & ~pl.col("home_language")
_HOME = pl.col("home_language") & ~pl.col("audience_language")


def _sides(a: pl.Expr | None = None) -> dict[str, pl.Expr]:
    """Posts on each side of a parity metric, and `a` of each side's posts (a mean or a median)."""
    sides = {"foreign": _FOREIGN.sum(), "home": _HOME.sum()}
    if a is not None:
        sides |= {"a": pl.when(_FOREIGN).then(a), "h": pl.when(_HOME).then(a)}
    return sides


def _cadence_parity(data: AccountData, c: Columns) -> Arrays:
    home = np.nan_to_num(c["home"])
    return arrays(home > 0, _over(c["foreign"], home), {"audience_posts": c["foreign"], "home_posts": home})


def _parity(data: AccountData, c: Columns) -> Arrays:
    """a / h; not measured without posts on both sides or with nothing on the home side, as the functions say."""
    h = np.nan_to_num(c["h"])
    both = (np.nan_to_num(c["foreign"]) > 0) & (np.nan_to_num(c["home"]) > 0) & (h != 0)
    return arrays(both, _over(np.nan_to_num(c["a"]), h))


def _aggregated(parts: Mapping[str, pl.Expr], how: str) -> dict[str, pl.Expr]:
    return {k: getattr(v, how)() if k in ("a", "h") else v for k, v in parts.items()}


_MEDIA = Twin(_aggregated(_sides(pl.col("media_count") > 0), "mean"), _parity)
_LENGTH = Twin(_aggregated(_sides(pl.col(WORDS)), "median"), _parity)
"""depth_parity_length on a unit, from the words `confidence.week_units` puts in the tagged posts."""

_KNOWN = engagement.engagement_count().is_not_null()
_CULTURE = pl.col("cultural_asset")


_E = engagement.engagement_count()
_CULTURE_AGGS = {"known": _KNOWN.sum(), "culture": (_KNOWN & _CULTURE).sum(), "other": (_KNOWN & ~_CULTURE).sum(),
                 "c": pl.when(_KNOWN & _CULTURE).then(_E).mean(), "o": pl.when(_KNOWN & ~_CULTURE).then(_E).mean()}


def _ratio_of_means(data: AccountData, c: Columns) -> Arrays:
    """engagement.cultural_engagement_ratio on a unit: mean engagement of cultural posts over the others'."""
    other = np.nan_to_num(c["o"])
    counted = (np.nan_to_num(c["known"]) > 0) & (np.nan_to_num(c["culture"]) > 0) & (np.nan_to_num(c["other"]) > 0)
    return arrays(counted & (other != 0), _over(np.nan_to_num(c["c"]), other))


def _transition(data: AccountData) -> tuple[float, float, Any] | None:
    """Days before and after the first transition in the period, and its start; None without one."""
    inside = [e for e in data.transitions if data.period.start_at <= e.start < data.period.end_before]
    if not inside:
        return None
    start = min(inside, key=lambda e: e.start).start
    before = (start - data.period.start_at).total_seconds() / 86400
    return (before, (data.period.end_before - start).total_seconds() / 86400, start) if before > 0 else None


def _continuity(data: AccountData, c: Columns) -> Arrays:
    """cadence.transition_continuity on a unit: posts per week after the transition over before it."""
    before_days, after_days, _ = _transition(data) or (0.0, 0.0, None)
    before = np.nan_to_num(c["before"])
    with np.errstate(invalid="ignore", divide="ignore"):
        return arrays(before > 0, ((c[N] - before) / (after_days / 7)) / (before / (before_days / 7)))


_CONTINUITY = Twin({"before": (pl.col("published_at") < pl.col(START)).sum()},
                   _continuity, lambda data: _transition(data) is not None)


def message_column(columns: Sequence[str]) -> pl.Expr:
    """What tells a post's message (the helper column MESSAGE): its message id, else the row (one post, one
    message)."""
    return (pl.col("message_id") if "message_id" in columns else pl.int_range(pl.len())).alias(MESSAGE)


def transition_start(data: AccountData) -> Any:
    """The start of the account's first transition in the period (the helper column START), else None."""
    return (_transition(data) or (0, 0, None))[2]

TWINS: Mapping[str, Twin] = {
    "audience_language_share": _share(pl.col("audience_language")),
    "home_language_share": _share(_HOME),
    "diplomacy_share": _share(pl.col("label") == "diplomacy"),
    "reply_share": _share(pl.col("reply_to_other")),
    "external_mention_share": _share(pl.col("mentions_external")),
    "two_way_share": _share(pl.col("is_two_way")),
    "cultural_asset_share": _share(pl.col("cultural_asset")),
    "waking_hours_share": Twin(_WAKING_AGGS, _waking, _world_ready),
    "audience_reach": _REACH_TWIN,
    "posts_per_week": _PER_WEEK_TWIN,
    "cadence_parity": Twin(_sides(), _cadence_parity),
    "depth_parity_media": _MEDIA,
    "depth_parity_length": _LENGTH,
    "cultural_engagement_ratio": Twin(_CULTURE_AGGS, _ratio_of_means),
    "transition_continuity": _CONTINUITY,
}
"""Metric name -> its twin. The metric functions stay the definitions; a twin must agree with its function."""
