"""Outreach versus diplomacy: whether posts engage foreign publics two-way or only announce."""


from __future__ import annotations

import polars as pl

from audit.scoring.metrics.measures import AccountData, Measure, first_texts, not_measured
from audit.scoring.metrics.points import found, query, share, share_aggregates


def engagement_count() -> pl.Expr:
    """Likes + shares + replies of a post; null where the export carries none of the three."""
    counts = [pl.col(c) for c in ("likes", "shares", "replies")]
    known = pl.any_horizontal(c.is_not_null() for c in counts)
    return pl.when(known).then(pl.sum_horizontal(c.fill_null(0) for c in counts))


_LABEL, _CULTURE = pl.col("label"), pl.col("cultural_asset")
_ENGAGEMENT = engagement_count()
_KNOWN = _ENGAGEMENT.is_not_null()
query("diplomacy_share", share_aggregates(_LABEL == "diplomacy", _LABEL == "outreach"))
query("reply_share", share_aggregates(pl.col("reply_to_other")))
query("external_mention_share", share_aggregates(pl.col("mentions_external")))
query("two_way_share", share_aggregates(pl.col("is_two_way")))
query("cultural_asset_share", share_aggregates(_CULTURE))
query("engagement", {"known": _KNOWN.sum(), "mean": _ENGAGEMENT.mean()})
query("cultural_engagement", {
    "culture": (_KNOWN & _CULTURE).sum(), "other": (_KNOWN & ~_CULTURE).sum(),
    "c": _ENGAGEMENT.filter(_KNOWN & _CULTURE).mean(), "o": _ENGAGEMENT.filter(_KNOWN & ~_CULTURE).mean(),
    "ids": first_texts(_KNOWN & _CULTURE)})


def diplomacy_share(data: AccountData) -> Measure:
    return share(data, "diplomacy_share")


def reply_share(data: AccountData) -> Measure:
    """Replies to other accounts (not self-threads) over authored posts."""
    m = share(data, "reply_share")
    m.details["replies"] = m.details.get("count", 0)
    return m


def external_mention_share(data: AccountData) -> Measure:
    return share(data, "external_mention_share")


def two_way_share(data: AccountData) -> Measure:
    return share(data, "two_way_share")


def cultural_asset_share(data: AccountData) -> Measure:
    return share(data, "cultural_asset_share")


def engagement_per_post(data: AccountData) -> Measure:
    """Mean likes + shares + replies over authored posts whose export carries counts."""
    got = found(data, "engagement")
    if not got["known"]:
        return not_measured("the export carries no engagement counts")
    return Measure(float(got["mean"] or 0.0), details={"posts_with_counts": got["known"]})


def cultural_engagement_ratio(data: AccountData) -> Measure:
    """Mean engagement of cultural-asset posts over that of the other authored posts."""
    if not found(data, "engagement")["known"]:
        return not_measured("the export carries no engagement counts")
    got = found(data, "cultural_engagement")
    if not got["culture"] or not got["other"]:
        return not_measured("needs both cultural-asset posts and other posts with engagement counts")
    other_mean = float(got["o"] or 0.0)
    if other_mean == 0:
        return not_measured("other posts have no engagement to compare with")
    return Measure(float(got["c"] or 0.0) / other_mean, evidence=list(got["ids"]))
