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

from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from audit.scoring.metrics import cadence, engagement
from audit.scoring.metrics.depth import words_of
from audit.scoring.metrics.measures import AccountData, Measure
from audit.scoring.metrics.worldtime import audience_zones, awake_share

UNIT = "__unit"
"""The column of the account's posts holding each post's unit (its block of weeks), 0 to units - 1."""
_N = "__n"

Row = Mapping[str, Any]
Twin = Callable[[AccountData, pl.DataFrame, int], list[Measure]]


def per_unit(tagged: pl.DataFrame, units: int, *aggs: pl.Expr) -> list[Row | None]:
    """The aggregates of each unit's posts (with `__n`, its number of posts), None for a unit without any."""
    found = tagged.group_by(UNIT).agg(pl.len().alias(_N), *aggs)
    rows = {row[UNIT]: row for row in found.iter_rows(named=True)}
    return [rows.get(unit) for unit in range(units)]


def _none(units: int) -> list[Measure]:
    return [Measure(None) for _ in range(units)]


def _share(mask: pl.Expr) -> Twin:
    """Twin of a `share_of` metric: posts where `mask` holds over the unit's posts (measures.share_of)."""
    def twin(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
        rows = per_unit(tagged, units, mask.sum().alias("hits"))
        return [Measure(None) if r is None else
                Measure(r["hits"] / r[_N], details={"count": r["hits"], "posts": r[_N]}) for r in rows]
    return twin


def waking_hours_share(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """cadence.waking_hours_share per unit: a share of timed posts, or for a global audience the mean share
    of the audience awake (one conversion of the account's posts, worldtime's cache doing the rest)."""
    start, end = data.settings.waking_hours
    timed = pl.col("time_precision") != "day"
    if not data.speaks_to_world:
        hour = pl.col("audience_local_time").dt.hour()
        rows = per_unit(tagged, units, timed.sum().alias("timed"), (timed & (hour >= start) & (hour < end)).sum()
                        .alias("hits"))
        return [Measure(None) if r is None or not r["timed"] else
                Measure(r["hits"] / r["timed"], details={"count": r["hits"], "posts": r["timed"]}) for r in rows]
    zones = audience_zones(tuple(sorted(data.audience.languages)))
    if not zones:
        return _none(units)
    awake = awake_share(tagged["published_at"], zones, start, end).alias("__awake")
    rows = per_unit(tagged.with_columns(awake), units, timed.sum().alias("timed"),
                    pl.col("__awake").filter(timed).mean().alias("awake"))
    return [Measure(None) if r is None or not r["timed"] else
            Measure(float(r["awake"] or 0.0), details={"posts": r["timed"]}) for r in rows]


def audience_reach(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """language.audience_reach per unit: the mean over the unit's messages of their best relative reach."""
    shares = dict(data.audience.languages)
    best = max(shares, key=lambda lang: shares[lang], default=None)
    if best is None or shares[best] <= 0:
        return _none(units)
    relative = {lang: share / shares[best] for lang, share in shares.items()}
    reach = pl.col("lang").replace_strict(relative, default=0.0, return_dtype=pl.Float64)
    message = pl.col("message_id") if "message_id" in tagged.columns else pl.col("post_id")
    per_message = tagged.group_by(UNIT, message.alias("__message")).agg(reach.max().alias("reach"))
    rows = per_unit(per_message, units, pl.col("reach").mean().alias("mean"))
    return [Measure(None) if r is None else
            Measure(float(r["mean"] or 0.0), details={"messages": r[_N]}) for r in rows]


def posts_per_week(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """cadence.posts_per_week per unit: the unit's messages over the period's days with data (a unit's
    table keeps the period and its holes, so each unit adds its share of the whole rate)."""
    if cadence.too_short(data):
        return _none(units)
    days = data.covered_days
    messages = pl.col("message_id").n_unique() if "message_id" in tagged.columns else pl.len()
    rows = per_unit(tagged, units, messages.alias("messages"))
    return [Measure(None) if r is None else
            Measure(r["messages"] / (days / 7), details={"posts": r[_N], "messages": r["messages"],
                                                          "days": round(days)}) for r in rows]


_FOREIGN = pl.col("audience_language") & ~pl.col("home_language")
_HOME = pl.col("home_language") & ~pl.col("audience_language")


def cadence_parity(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """language.cadence_parity per unit: audience-language posts per home-language post."""
    rows = per_unit(tagged, units, _FOREIGN.sum().alias("foreign"), _HOME.sum().alias("home"))
    return [Measure(None) if r is None or not r["home"] else
            Measure(r["foreign"] / r["home"], details={"audience_posts": r["foreign"], "home_posts": r["home"]})
            for r in rows]


def depth_parity_media(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """language.depth_parity_media per unit: media rates of audience- and home-language posts."""
    media = pl.col("media_count") > 0
    rows = per_unit(tagged, units, _FOREIGN.sum().alias("foreign"), _HOME.sum().alias("home"),
                    media.filter(_FOREIGN).mean().alias("a"), media.filter(_HOME).mean().alias("h"))
    return [_parity(r) for r in rows]


def depth_parity_length(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """language.depth_parity_length per unit: median words of audience- and home-language posts."""
    words = words_of()
    rows = per_unit(tagged, units, _FOREIGN.sum().alias("foreign"), _HOME.sum().alias("home"),
                    words.filter(_FOREIGN).median().alias("a"), words.filter(_HOME).median().alias("h"))
    return [_parity(r) for r in rows]


def _parity(row: Row | None) -> Measure:
    """a / h; not measured without posts on both sides or with nothing on the home side, as the functions say."""
    if row is None or not row["foreign"] or not row["home"]:
        return Measure(None)
    a, h = float(row["a"] or 0.0), float(row["h"] or 0.0)
    return Measure(a / h) if h else Measure(None)


def cultural_engagement_ratio(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """engagement.cultural_engagement_ratio per unit: mean engagement of cultural posts over the others'."""
    e = engagement.engagement_count()
    culture, known = pl.col("cultural_asset"), e.is_not_null()
    rows = per_unit(tagged, units, known.sum().alias("known"), (known & culture).sum().alias("culture"),
                    (known & ~culture).sum().alias("other"), e.filter(known & culture).mean().alias("c"),
                    e.filter(known & ~culture).mean().alias("o"))
    return [_ratio_of_means(r) for r in rows]


def _ratio_of_means(row: Row | None) -> Measure:
    if row is None or not row["known"] or not row["culture"] or not row["other"]:
        return Measure(None)
    other = float(row["o"] or 0.0)
    return Measure(float(row["c"] or 0.0) / other) if other else Measure(None)


def transition_continuity(data: AccountData, tagged: pl.DataFrame, units: int) -> list[Measure]:
    """cadence.transition_continuity per unit: posts per week after the first transition over before it."""
    inside = [e for e in data.transitions if data.period.start_at <= e.start < data.period.end_before]
    if not inside:
        return _none(units)
    event = min(inside, key=lambda e: e.start)
    before_days = (event.start - data.period.start_at).total_seconds() / 86400
    after_days = (data.period.end_before - event.start).total_seconds() / 86400
    rows = per_unit(tagged, units, (pl.col("published_at") < event.start).sum().alias("before"))
    if before_days <= 0:
        return _none(units)
    return [Measure(None) if r is None or not r["before"] else
            Measure(((r[_N] - r["before"]) / (after_days / 7)) / (r["before"] / (before_days / 7))) for r in rows]


TWINS: Mapping[str, Twin] = {
    "audience_language_share": _share(pl.col("audience_language")),
    "home_language_share": _share(_HOME),
    "diplomacy_share": _share(pl.col("label") == "diplomacy"),
    "reply_share": _share(pl.col("reply_to_other")),
    "external_mention_share": _share(pl.col("mentions_external")),
    "two_way_share": _share(pl.col("is_two_way")),
    "cultural_asset_share": _share(pl.col("cultural_asset")),
    "waking_hours_share": waking_hours_share,
    "audience_reach": audience_reach,
    "posts_per_week": posts_per_week,
    "cadence_parity": cadence_parity,
    "depth_parity_media": depth_parity_media,
    "depth_parity_length": depth_parity_length,
    "cultural_engagement_ratio": cultural_engagement_ratio,
    "transition_continuity": transition_continuity,
}
"""Metric name -> its twin. The metric functions stay the definitions; a twin must agree with its function."""
