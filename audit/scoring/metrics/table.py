"""The metric table: one row per metric a rubric may name, with everything said about it in one place.

A row holds the function that measures it, its label and unit for people, the scale of its values,
the one-sentence definition the report's method appendix and `audit rubric show` print, and the
detail keys its finding and advice sentences may use (besides ``value``, ``floor``, ``target`` and
``account``). A metric cannot exist without its row, and the scorer, the rubric checks and the
result's rubric snapshot all read this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from audit.scoring.metrics import cadence, crisis, engagement, language
from audit.scoring.metrics.measures import Metric

UNITS = ("share", "hours", "days", "per_week", "ratio", "count", "number", "languages", "events")
"""How a value is printed: shares as percentages, times with their unit, ratios with a ×."""


@dataclass(frozen=True)
class MetricDef:
    """One metric: how it is measured, named, printed and defined, and the numbers its sentences may use."""

    function: Metric
    label: str
    unit: str
    scale: str
    definition: str
    detail_keys: frozenset[str]
    numeric: bool = True
    """False for a table or a list (language shares, the crisis events): reported, never scored."""
    alone: bool = True
    """False for a metric that cannot carry its dimension by itself: scored only when another metric of
    the dimension is. One missed viral moment must not zero the crisis dimension of an account that
    faced no crisis (issue 9): opportunities are weighed beside crisis responses, never instead."""

    @property
    def name(self) -> str:
        return self.function.__name__


_ROWS = (
    MetricDef(
        language.language_shares, 'Languages of the posts', 'languages', 'a share per language (reported, not scored)',
        'Detected language of each authored post → fraction of those posts (`und` a key of its own).',
        frozenset(), numeric=False,
    ),
    MetricDef(
        language.audience_language_share,
        "Posts in the audience's languages", 'share', '0 to 1 (shown as a percentage)',
        "Authored posts in one of the audience's languages over all authored posts.",
        frozenset({'audience_languages'}),
    ),
    MetricDef(
        language.audience_reach, 'Audience reach', 'share', '0 to 1 (shown as a percentage)',
        "Mean, over messages (a statement and its translations are one message), of the share of the audience "
        "reading the message's best-read language, over the share reading the audience's most-read language "
        '(CLDR): the best reach attainable, so posting in every audience language scores 1.',
        frozenset({'audience_languages', 'best_language', 'best_share', 'messages'}),
    ),
    MetricDef(
        language.home_language_share, 'Posts in the home language only', 'share', '0 to 1 (shown as a percentage)',
        'Authored posts in a home language that the audience does not read, over all authored posts '
        '("preaching to the converted").',
        frozenset({'home_languages'}),
    ),
    MetricDef(
        language.languages_used, 'Languages used', 'count', 'a whole number, 0 or more',
        'Distinct detected languages among authored posts (undetermined left out).',
        frozenset({'languages'}),
    ),
    MetricDef(
        language.depth_parity_length, 'Depth parity: length', 'ratio', 'a ratio, 0 or more (1 = parity)',
        'Median length in words of audience-language posts over that of home-language posts: words where the '
        'script spaces them, characters over a characters-per-word factor where it does not (Chinese 1.5, '
        'Japanese 2.5, Thai 4), links left out.',
        frozenset({'audience_median_words', 'home_median_words', 'audience_median_chars', 'home_median_chars'}),
    ),
    MetricDef(
        language.depth_parity_media, 'Depth parity: media', 'ratio', 'a ratio, 0 or more (1 = parity)',
        'Share of audience-language posts with media over the same share of home-language posts.',
        frozenset({'audience_media_rate', 'home_media_rate'}),
    ),
    MetricDef(
        language.cadence_parity, 'Cadence parity', 'ratio', 'a ratio, 0 or more (1 = parity)',
        'Audience-language posts per home-language post.',
        frozenset({'audience_posts', 'home_posts'}),
    ),
    MetricDef(
        cadence.posts_per_week, 'Posts per week', 'per_week', 'posts per week, 0 or more',
        'Messages (a statement and its translations count once) / (days of the period with data / 7): '
        'holes in the export (30 days or more without any data) are left out.',
        frozenset({'days', 'posts', 'messages'}),
    ),
    MetricDef(
        cadence.active_week_share, 'Active weeks', 'share', '0 to 1 (shown as a percentage)',
        'Weeks with at least one authored post / weeks of the period, weeks wholly inside a hole in the '
        'export left out.',
        frozenset({'active_weeks', 'weeks'}),
    ),
    MetricDef(
        cadence.longest_gap_days, 'Longest silence', 'days', 'days, 0 or more',
        'Longest interval between two consecutive authored posts, in fractional days, less any hole in the '
        'export inside it (the stretches before and after a hole are silences of their own).',
        frozenset({'gap_end', 'gap_start'}),
    ),
    MetricDef(
        cadence.regularity_cv, 'Irregularity (CV of weekly posts)', 'number', 'a number, 0 or more',
        'Coefficient of variation (population standard deviation / mean) of weekly authored counts, over the '
        'weeks not wholly inside a hole in the export.',
        frozenset(),
    ),
    MetricDef(
        cadence.waking_hours_share, "Posts in the audience's waking hours", 'share', '0 to 1 (shown as a percentage)',
        "Authored posts published between the waking hours in the audience's time zone.",
        frozenset({'timezone', 'waking_end', 'waking_start'}),
    ),
    MetricDef(
        cadence.transition_continuity, 'Continuity across the transition', 'ratio', 'a ratio, 0 or more (1 = parity)',
        'Posts per week after the first transition in the period over posts per week before it.',
        frozenset({'after_per_week', 'before_per_week', 'transition'}),
    ),
    MetricDef(
        engagement.diplomacy_share, 'Public-diplomacy posts', 'share', '0 to 1 (shown as a percentage)',
        'Authored posts labelled diplomacy (addressed to or engaging foreign publics) over all authored posts.',
        frozenset(),
    ),
    MetricDef(
        engagement.reply_share, 'Replies to others', 'share', '0 to 1 (shown as a percentage)',
        'Replies to other accounts (not self-threads) over authored posts.',
        frozenset({'replies'}),
    ),
    MetricDef(
        engagement.external_mention_share, 'Posts mentioning other accounts', 'share', '0 to 1 (shown as a percentage)',
        'Authored posts that mention an account other than the account itself.',
        frozenset(),
    ),
    MetricDef(
        engagement.two_way_share, 'Two-way posts', 'share', '0 to 1 (shown as a percentage)',
        'Authored posts that reply, mention, ask a question or call on people to take part.',
        frozenset(),
    ),
    MetricDef(
        engagement.cultural_asset_share, 'Posts using cultural assets', 'share', '0 to 1 (shown as a percentage)',
        "Authored posts that use the country's cultural assets (the rubric's lexicon).",
        frozenset(),
    ),
    MetricDef(
        engagement.cultural_engagement_ratio,
        'Engagement of cultural posts vs others', 'ratio', 'a ratio, 0 or more (1 = parity)',
        'Mean engagement of cultural-asset posts over that of the other authored posts.',
        frozenset(),
    ),
    MetricDef(
        engagement.engagement_per_post, 'Engagement per post', 'number', 'a number, 0 or more',
        'Mean likes + shares + replies over authored posts whose export carries counts.',
        frozenset(),
    ),
    MetricDef(
        crisis.events, 'Crisis events in the period', 'events', 'a list of events (reported, not scored)',
        'The crisis events that concern the account in the period, each with its first response.',
        frozenset({'events'}), numeric=False,
    ),
    MetricDef(
        crisis.response_rate_24h, 'Crises answered within 24 h', 'share', '0 to 1 (shown as a percentage)',
        'Crisis events concerning the account answered within 24 hours, over all such events.',
        frozenset({'answered', 'events'}),
    ),
    MetricDef(
        crisis.median_first_response_hours, 'Median time to first response', 'hours', 'hours, 0 or more',
        "Median hours from a crisis event's start to the account's first matching post, over the events that "
        'were answered.',
        frozenset(),
    ),
    MetricDef(
        crisis.response_audience_language_share,
        "Crisis posts in the audience's languages", 'share', '0 to 1 (shown as a percentage)',
        "Share of the posts answering crisis events that are in the audience's languages.",
        frozenset(),
    ),
    MetricDef(
        crisis.follow_up_rate, 'Crises followed up', 'share', '0 to 1 (shown as a percentage)',
        'Share of answered crisis events with another matching post within the follow-up window.',
        frozenset(),
    ),
    MetricDef(
        crisis.rebuttal_share, 'Crisis posts rebutting false reports', 'share', '0 to 1 (shown as a percentage)',
        "Share of crisis-response posts that rebut false reports (rubric's rebuttal lexicon).",
        frozenset(),
    ),
    MetricDef(
        crisis.opportunity_response_rate_24h,
        'Opportunities taken within 24 h', 'share', '0 to 1 (shown as a percentage)',
        'Opportunity events (viral cultural moments) concerning the account answered within 24 hours. '
        'Scored only beside a crisis metric of the dimension.',
        frozenset({'answered', 'events'}), alone=False,
    ),
    MetricDef(
        crisis.opportunity_median_first_response_hours,
        'Median time to take an opportunity', 'hours', 'hours, 0 or more',
        "Median hours from an opportunity event's start to the account's first matching post. "
        'Scored only beside a crisis metric of the dimension.',
        frozenset(), alone=False,
    ),
)

METRICS: Mapping[str, MetricDef] = MappingProxyType({row.name: row for row in _ROWS})
METRIC_NAMES: frozenset[str] = frozenset(METRICS)
NON_NUMERIC_METRICS: frozenset[str] = frozenset(name for name, row in METRICS.items() if not row.numeric)
