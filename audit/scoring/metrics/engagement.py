"""Outreach versus diplomacy: whether posts engage foreign publics two-way or only announce."""


from __future__ import annotations

import polars as pl

from audit.scoring.metrics.measures import AccountData, Measure, first_texts, mean_of, not_measured, share_of


def diplomacy_share(data: AccountData) -> Measure:
    return share_of(data, pl.col("label") == "diplomacy", pl.col("label") == "outreach")


def reply_share(data: AccountData) -> Measure:
    """Replies to other accounts (not self-threads) over authored posts."""
    m = share_of(data, pl.col("reply_to_other"))
    m.details["replies"] = m.details.get("count", 0)
    return m


def external_mention_share(data: AccountData) -> Measure:
    return share_of(data, pl.col("mentions_external"))


def two_way_share(data: AccountData) -> Measure:
    return share_of(data, pl.col("is_two_way"))


def cultural_asset_share(data: AccountData) -> Measure:
    return share_of(data, pl.col("cultural_asset"))


def engagement_count() -> pl.Expr:
    """Likes + shares + replies of a post; null where the export carries none of the three."""
    counts = [pl.col(c) for c in ("likes", "shares", "replies")]
    known = pl.any_horizontal(c.is_not_null() for c in counts)
    return pl.when(known).then(pl.sum_horizontal(c.fill_null(0) for c in counts))


def engagement_per_post(data: AccountData) -> Measure:
    """Mean likes + shares + replies over authored posts whose export carries counts."""
    eng = data.authored.select(engagement_count().alias("e"))["e"].drop_nulls()
    if eng.is_empty():
        return not_measured("the export carries no engagement counts")
    return Measure(mean_of(eng), details={"posts_with_counts": eng.len()})


def cultural_engagement_ratio(data: AccountData) -> Measure:
    """Mean engagement of cultural-asset posts over that of the other authored posts (one query)."""
    e, culture = engagement_count(), pl.col("cultural_asset")
    known = e.is_not_null()
    found = data.authored.select(
        known.sum().alias("known"), (known & culture).sum().alias("culture"), (known & ~culture).sum().alias("other"),
        e.filter(known & culture).mean().alias("c"), e.filter(known & ~culture).mean().alias("o"),
        first_texts(known & culture).alias("ids")).row(0, named=True)
    if not found["known"]:
        return not_measured("the export carries no engagement counts")
    if not found["culture"] or not found["other"]:
        return not_measured("needs both cultural-asset posts and other posts with engagement counts")
    other_mean = float(found["o"] or 0.0)
    if other_mean == 0:
        return not_measured("other posts have no engagement to compare with")
    return Measure(float(found["c"] or 0.0) / other_mean, evidence=list(found["ids"]))
