"""Outreach versus diplomacy: whether posts engage foreign publics two-way or only announce."""


from __future__ import annotations

import polars as pl

from audit.scoring.metrics.measures import AccountData, Measure, evidence_ids, mean_of, not_measured, share_of


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
    """Mean engagement of cultural-asset posts over that of the other authored posts."""
    df = data.authored.with_columns(engagement_count().alias("e")).filter(pl.col("e").is_not_null())
    if df.is_empty():
        return not_measured("the export carries no engagement counts")
    culture, other = df.filter(pl.col("cultural_asset")), df.filter(~pl.col("cultural_asset"))
    if culture.is_empty() or other.is_empty():
        return not_measured("needs both cultural-asset posts and other posts with engagement counts")
    other_mean = mean_of(other["e"])
    if other_mean == 0:
        return not_measured("other posts have no engagement to compare with")
    return Measure(mean_of(culture["e"]) / other_mean, evidence=evidence_ids(culture))
