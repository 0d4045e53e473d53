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

import polars as pl

from audit.scoring.metrics import cadence, engagement
from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.measures import AccountData, Measure
from audit.scoring.metrics.worldtime import audience_zones, awake_share

UNIT = "__unit"
"""The column of the account's posts holding each post's unit (its block of weeks), 0 to units - 1."""
N = "__n"
"""Every unit's number of posts, in each twin's row."""
_AWAKE, _REACH, _FIRST = "__awake", "__reach", "__first"

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Twin:
    """A metric on every unit: the aggregates it needs (named by the twin, computed with every other twin's
    in one group_by) and the Measure built from one unit's aggregates (`N` among them). A twin that is not
    `ready` for the account (no transition in the period, a period too short) measures no unit."""

    aggs: Callable[[AccountData], Mapping[str, pl.Expr]]
    build: Callable[[AccountData, Row], Measure]
    ready: Callable[[AccountData], bool] = lambda data: True


def unit_measures(data: AccountData, tagged: pl.DataFrame, units: int,
                  names: Sequence[str]) -> dict[str, list[Measure]]:
    """The twinned metrics among `names` measured on every unit (None where a unit has no posts)."""
    twins = {name: TWINS[name] for name in names if name in TWINS and TWINS[name].ready(data)}
    aggs = {name: twin.aggs(data) for name, twin in twins.items()}
    named = [expr.alias(f"{name}.{key}") for name, exprs in aggs.items() for key, expr in exprs.items()]
    found = with_helpers(data, tagged, twins).group_by(UNIT).agg(pl.len().alias(N), *named).collect()
    rows = {row[UNIT]: row for row in found.iter_rows(named=True)}
    measured = {name: [_build(data, twin, aggs[name], name, rows.get(unit)) for unit in range(units)]
                for name, twin in twins.items()}
    return measured | {name: [Measure(None)] * units for name in names if name in TWINS and name not in twins}


def _build(data: AccountData, twin: Twin, keys: Iterable[str], name: str, row: Row | None) -> Measure:
    """The twin's Measure from its own aggregates in the unit's row."""
    if row is None:
        return Measure(None)
    return twin.build(data, {N: row[N], **{key: row[f"{name}.{key}"] for key in keys}})


def with_helpers(data: AccountData, tagged: pl.DataFrame, twins: Mapping[str, Twin]) -> pl.LazyFrame:
    """The columns some twins aggregate: each message's best reach once per unit, the audience awake."""
    helpers: list[pl.Expr | pl.Series] = []
    if "audience_reach" in twins:
        message = pl.col("message_id") if "message_id" in tagged.columns else pl.col("post_id")
        helpers += [_reach(data).max().over(UNIT, message).alias(_REACH),
                    pl.struct(UNIT, message).is_first_distinct().alias(_FIRST)]
    if "waking_hours_share" in twins and data.speaks_to_world:
        start, end = data.settings.waking_hours
        zones = audience_zones(tuple(sorted(data.audience.languages)))
        helpers.append(awake_share(tagged["published_at"], zones, start, end).alias(_AWAKE))
    return tagged.lazy().with_columns(helpers)


def _share(mask: pl.Expr) -> Twin:
    """Twin of a `share_of` metric: posts where `mask` holds over the unit's posts (measures.share_of)."""
    return Twin(lambda data: {"hits": mask.sum()},
                lambda data, r: Measure(r["hits"] / r[N], details={"count": r["hits"], "posts": r[N]}))


_TIMED = pl.col("time_precision") != "day"


def _waking_aggs(data: AccountData) -> dict[str, pl.Expr]:
    start, end = data.settings.waking_hours
    if data.speaks_to_world:
        return {"timed": _TIMED.sum(), "awake": pl.when(_TIMED).then(pl.col(_AWAKE)).mean()}
    hour = pl.col("audience_local_time").dt.hour()
    return {"timed": _TIMED.sum(), "hits": (_TIMED & (hour >= start) & (hour < end)).sum()}


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


def _best(data: AccountData) -> str | None:
    shares = dict(data.audience.languages)
    best = max(shares, key=lambda lang: shares[lang], default=None)
    return best if best is not None and shares[best] > 0 else None


def _reach(data: AccountData) -> pl.Expr:
    """A post's reach relative to the audience's most-read language (language.audience_reach)."""
    shares = dict(data.audience.languages)
    relative = {lang: share / shares[_best(data) or ""] for lang, share in shares.items()}
    return pl.col("lang").replace_strict(relative, default=0.0, return_dtype=pl.Float64)


_REACH_TWIN = Twin(
    lambda data: {"mean": pl.when(pl.col(_FIRST)).then(pl.col(_REACH)).mean(), "messages": pl.col(_FIRST).sum()},
    lambda data, r: Measure(float(r["mean"] or 0.0), details={"messages": r["messages"]}),
    lambda data: _best(data) is not None,
)
"""language.audience_reach on a unit: the mean over its messages of their best relative reach."""


def _per_week(data: AccountData, r: Row) -> Measure:
    """cadence.posts_per_week on a unit: its messages over the period's days with data (a unit's table
    keeps the period and its holes, so each unit adds its share of the whole rate)."""
    days = data.covered_days
    return Measure(r["messages"] / (days / 7), details={"posts": r[N], "messages": r["messages"], "days": round(days)})


_PER_WEEK_TWIN = Twin(
    lambda data: {"messages": pl.col("message_id").n_unique() if "message_id" in data.authored.columns else pl.len()},
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


_MEDIA = Twin(lambda data: _aggregated(_sides(pl.col("media_count") > 0), "mean"), _parity)
_LENGTH = Twin(lambda data: _aggregated(_sides(pl.col(WORDS)), "median"), _parity)
"""depth_parity_length on a unit, from the words `confidence.week_units` puts in the tagged posts."""

_KNOWN = engagement.engagement_count().is_not_null()
_CULTURE = pl.col("cultural_asset")


def _culture_aggs(data: AccountData) -> dict[str, pl.Expr]:
    e = engagement.engagement_count()
    return {"known": _KNOWN.sum(), "culture": (_KNOWN & _CULTURE).sum(), "other": (_KNOWN & ~_CULTURE).sum(),
            "c": pl.when(_KNOWN & _CULTURE).then(e).mean(), "o": pl.when(_KNOWN & ~_CULTURE).then(e).mean()}


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


_CONTINUITY = Twin(lambda data: {"before": (pl.col("published_at") < (_transition(data) or (0, 0, None))[2]).sum()},
                   _continuity, lambda data: _transition(data) is not None)

TWINS: Mapping[str, Twin] = {
    "audience_language_share": _share(pl.col("audience_language")),
    "home_language_share": _share(_HOME),
    "diplomacy_share": _share(pl.col("label") == "diplomacy"),
    "reply_share": _share(pl.col("reply_to_other")),
    "external_mention_share": _share(pl.col("mentions_external")),
    "two_way_share": _share(pl.col("is_two_way")),
    "cultural_asset_share": _share(pl.col("cultural_asset")),
    "waking_hours_share": Twin(_waking_aggs, _waking, _world_ready),
    "audience_reach": _REACH_TWIN,
    "posts_per_week": _PER_WEEK_TWIN,
    "cadence_parity": Twin(lambda data: _sides(), _cadence_parity),
    "depth_parity_media": _MEDIA,
    "depth_parity_length": _LENGTH,
    "cultural_engagement_ratio": Twin(_culture_aggs, _ratio_of_means),
    "transition_continuity": _CONTINUITY,
}
"""Metric name -> its twin. The metric functions stay the definitions; a twin must agree with its function."""
