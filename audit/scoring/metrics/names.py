"""The names of the catalogue's metrics and the detail keys their sentences may use.

This is the contract between rubric files and code, kept apart from the metric functions so that
loading and checking a rubric does not import polars-heavy code. `audit.scoring.catalogue`
asserts that it implements exactly these names; a rubric may name only these metrics, and its
finding/advice templates may use only ``value``, ``floor``, ``target``, ``account`` and the
metric's own detail keys listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

METRIC_DETAIL_KEYS: Mapping[str, frozenset[str]] = MappingProxyType({
    # language_reach
    "language_shares": frozenset(),
    "audience_language_share": frozenset({"audience_languages"}),
    "audience_reach": frozenset({"audience_languages"}),
    "home_language_share": frozenset({"home_languages"}),
    "languages_used": frozenset({"languages"}),
    "depth_parity_length": frozenset({"audience_median_chars", "home_median_chars"}),
    "depth_parity_media": frozenset({"audience_media_rate", "home_media_rate"}),
    "cadence_parity": frozenset({"audience_posts", "home_posts"}),
    # frequency
    "posts_per_week": frozenset({"posts", "days"}),
    "active_week_share": frozenset({"active_weeks", "weeks"}),
    "longest_gap_days": frozenset({"gap_start", "gap_end"}),
    "regularity_cv": frozenset(),
    "waking_hours_share": frozenset({"timezone", "waking_start", "waking_end"}),
    "transition_continuity": frozenset({"transition", "before_per_week", "after_per_week"}),
    # outreach_vs_diplomacy
    "diplomacy_share": frozenset(),
    "reply_share": frozenset({"replies"}),
    "external_mention_share": frozenset(),
    "two_way_share": frozenset(),
    "cultural_asset_share": frozenset(),
    "cultural_engagement_ratio": frozenset(),
    "engagement_per_post": frozenset(),
    # crisis_responsiveness
    "crisis_events": frozenset({"events"}),
    "response_rate_24h": frozenset({"answered", "events"}),
    "median_first_response_hours": frozenset(),
    "response_audience_language_share": frozenset(),
    "follow_up_rate": frozenset(),
    "rebuttal_share": frozenset(),
    "opportunity_response_rate_24h": frozenset({"answered", "events"}),
    "opportunity_median_first_response_hours": frozenset(),
})

METRIC_NAMES: frozenset[str] = frozenset(METRIC_DETAIL_KEYS)

NON_NUMERIC_METRICS: frozenset[str] = frozenset({"language_shares", "crisis_events"})
"""Metrics whose value is a table or a list, not a number: they are reported, never scored."""
