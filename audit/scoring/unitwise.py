"""Each metric's value on every unit of the bootstrap at once: one group_by per metric, not one call per unit.

The resample forms (audit.scoring.resample) need a metric's value on each unit - each block of consecutive
weeks - with the counts it is a share or a mean of. Running the metric's own function on each unit's table
costs a few polars calls per unit and metric: for 26 units and 15 metrics, about 0.4 s an account, most of
a 200-account audit. A *twin* here measures the same thing on every unit in one group_by over the unit
column of the account's posts, and returns what the metric's function returns on the unit's table: its
value (None where the function says not measured) and the details the forms read (`count`/`posts`,
`audience_posts`/`home_posts`, `messages`, `posts`). tests/scoring/test_unitwise.py holds every twin to
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

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Twin:
    """A metric on every unit: the aggregates it needs (named by the twin, computed with every other twin's
    in one group_by, over the helper columns of `with_helpers` or of the all-accounts table) and the Measure
    built from one unit's aggregates (`N` among them). A twin that is not `ready` for the account (no
    transition in the period, a period too short) measures no unit."""

    aggs: Mapping[str, pl.Expr]
    build: Callable[[AccountData, Row], Measure]
    ready: Callable[[AccountData], bool] = lambda data: True


def unit_measures(data: AccountData, tagged: pl.DataFrame, units: int,
                  names: Sequence[str]) -> dict[str, list[Measure]]:
    """The twinned metrics among `names` measured on every unit (None where a unit has no posts)."""
    twins = {name: TWINS[name] for name in names if name in TWINS and TWINS[name].ready(data)}
    found = with_helpers(data, tagged, twins).group_by(UNIT).agg(pl.len().alias(N), *named_aggs(twins)).collect()
    return built(data, twins, {row[UNIT]: row for row in found.iter_rows(named=True)}, units, names)


def named_aggs(twins: Mapping[str, Twin]) -> list[pl.Expr]:
    """Every twin's aggregates, named '<metric>.<key>' so that twins do not collide."""
    return [expr.alias(f"{name}.{key}") for name, twin in twins.items() for key, expr in twin.aggs.items()]


def built(data: AccountData, twins: Mapping[str, Twin], rows: Mapping[Any, Row], units: int,
          names: Iterable[str]) -> dict[str, list[Measure]]:
    """The twins' Measures on units 0 to `units` - 1 from their rows of the group_by (by unit); the names
    that have a twin not ready for the account measure no unit."""
    found = [rows.get(unit) for unit in range(units)]
    measured = {name: _built(data, twin, [(key, f"{name}.{key}") for key in twin.aggs], found)
                for name, twin in twins.items()}
    return measured | {name: [Measure(None)] * units for name in names if name in TWINS and name not in twins}


def _built(data: AccountData, twin: Twin, keys: Sequence[tuple[str, str]], rows: Sequence[Row | None]) -> list[Measure]:
    """The twin's Measure on each unit from its own aggregates in the unit's row (`keys`: each aggregate's
    name in the twin and in the row)."""
    return [Measure(None) if row is None else twin.build(data, {N: row[N], **{k: row[named] for k, named in keys}})
            for row in rows]


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


def length_rows(data: AccountData, unit_of: np.ndarray) -> dict[int, dict[str, Any]]:
    """depth_parity_length's aggregates on every unit with posts, from the account's own columns (its posts'
    words are made per account, `AccountData.words`) with numpy: each side's posts and the median of their
    words as polars takes it (the middle value, or lo + (hi - lo) * 0.5). `unit_of`: each post's unit, -1
    outside the units."""
    a = data.authored
    audience, home = a["audience_language"].to_numpy(), a["home_language"].to_numpy()
    words = data.words.to_numpy().astype(float)
    found: dict[int, dict[str, Any]] = {int(u): {} for u in np.unique(unit_of[unit_of >= 0])}
    for side, short, mask in (("foreign", "a", audience & ~home), ("home", "h", home & ~audience)):
        for unit, (count, median) in _medians(unit_of[mask & (unit_of >= 0)], words[mask & (unit_of >= 0)]).items():
            found[unit] |= {f"depth_parity_length.{side}": count, f"depth_parity_length.{short}": median}
    return {u: {"depth_parity_length.foreign": 0, "depth_parity_length.home": 0, "depth_parity_length.a": None,
                "depth_parity_length.h": None} | row for u, row in found.items()}


def _medians(units: np.ndarray, values: np.ndarray) -> dict[int, tuple[int, float]]:
    """Per unit, its number of values and their median."""
    order = np.lexsort((values, units))
    units, values = units[order], values[order]
    found = {}
    for unit, first, count in zip(*np.unique(units, return_index=True, return_counts=True), strict=True):
        lo, hi = values[first + (count - 1) // 2], values[first + count // 2]
        found[int(unit)] = (int(count), float(lo + (hi - lo) * 0.5) if count % 2 == 0 else float(lo))
    return found


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
                lambda data, r: Measure(r["hits"] / r[N], details={"count": r["hits"], "posts": r[N]}))


_TIMED = pl.col("time_precision") != "day"


_WAKING_AGGS = {"timed": _TIMED.sum(), "awake": pl.when(_TIMED).then(pl.col(AWAKE)).mean(),
                "hits": (_TIMED & pl.col(IN_HOURS)).sum()}


def _waking(data: AccountData, r: Row) -> Measure:
    """cadence.waking_hours_share on a unit: a share of its timed posts, or for a global audience the mean
    share of the audience awake; not measured when none of its posts has a time of day."""
    if not r["timed"]:
        return Measure(None)
    if data.speaks_to_world:
        return Measure(float(r["awake"] or 0.0), details={"posts": r["timed"]})
    return Measure(r["hits"] / r["timed"], details={"count": r["hits"], "posts": r["timed"]})


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
    lambda data, r: Measure(float(r["mean"] or 0.0), details={"messages": r["messages"]}),
    lambda data: best_reach(data) is not None,
)
"""language.audience_reach on a unit: the mean over its messages of their best relative reach."""


def _per_week(data: AccountData, r: Row) -> Measure:
    """cadence.posts_per_week on a unit: its messages over the period's days with data (a unit's table
    keeps the period and its holes, so each unit adds its share of the whole rate)."""
    days = data.covered_days
    return Measure(r["messages"] / (days / 7), details={"posts": r[N], "messages": r["messages"], "days": round(days)})


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


def _cadence_parity(data: AccountData, r: Row) -> Measure:
    if not r["home"]:
        return Measure(None)
    return Measure(r["foreign"] / r["home"], details={"audience_posts": r["foreign"], "home_posts": r["home"]})


def _parity(data: AccountData, r: Row) -> Measure:
    """a / h; not measured without posts on both sides or with nothing on the home side, as the functions say."""
    if not r["foreign"] or not r["home"]:
        return Measure(None)
    a, h = float(r["a"] or 0.0), float(r["h"] or 0.0)
    return Measure(a / h) if h else Measure(None)


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


def _ratio_of_means(data: AccountData, r: Row) -> Measure:
    """engagement.cultural_engagement_ratio on a unit: mean engagement of cultural posts over the others'."""
    if not r["known"] or not r["culture"] or not r["other"]:
        return Measure(None)
    other = float(r["o"] or 0.0)
    return Measure(float(r["c"] or 0.0) / other) if other else Measure(None)


def _transition(data: AccountData) -> tuple[float, float, Any] | None:
    """Days before and after the first transition in the period, and its start; None without one."""
    inside = [e for e in data.transitions if data.period.start_at <= e.start < data.period.end_before]
    if not inside:
        return None
    start = min(inside, key=lambda e: e.start).start
    before = (start - data.period.start_at).total_seconds() / 86400
    return (before, (data.period.end_before - start).total_seconds() / 86400, start) if before > 0 else None


def _continuity(data: AccountData, r: Row) -> Measure:
    """cadence.transition_continuity on a unit: posts per week after the transition over before it."""
    before_days, after_days, _ = _transition(data) or (0.0, 0.0, None)
    if not r["before"]:
        return Measure(None)
    return Measure(((r[N] - r["before"]) / (after_days / 7)) / (r["before"] / (before_days / 7)))


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
