"""How posts answer events: first responses to crises and opportunities, and the split at a transition.

Column-wise polars work (DESIGN.md, "Definitions of the contract metrics"): one keyword regex per
event over the account's authored posts, inside the response window.
"""


from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Final

import polars as pl

from audit.collectors.table import AUTHORED_KINDS
from audit.enrich.keywords import matches_event
from audit.events.model import RESPONSIVE_TYPES, Event, concerns

DEFAULT_WINDOW_HOURS: Final = 72.0


RESPONSE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "account_id": pl.String(),
    "event_id": pl.String(),
    "event_type": pl.String(),
    "first_post_id": pl.String(),
    "first_response_hours": pl.Float64(),
    "responded_within_24h": pl.Boolean(),
    "matched_post_ids": pl.List(pl.String()),
}


def first_responses(
    posts: pl.DataFrame,
    events: Sequence[Event],
    host_countries: Mapping[str, str | None],
    home_country: str,
    window_hours: float = DEFAULT_WINDOW_HOURS,
) -> pl.DataFrame:
    """One row per (account, crisis or opportunity event that concerns it), in RESPONSE_SCHEMA.

    `host_countries` maps every audited account id to its host country (None for ministry-level
    accounts); rows are made for exactly those accounts, so an account that never answered still
    gets its row. The response window is inclusive at both ends: a post exactly at the start
    and one exactly `window_hours` later both count. Only authored posts (post, reply, quote)
    answer; a repost never does. The caller restricts `events` to the audited period.
    """
    if window_hours <= 0:
        raise ValueError(f"window_hours must be positive, got {window_hours}")
    authored = _authored(posts).select("account_id", "post_id", "published_at", "text", "hashtags")
    window = timedelta(hours=window_hours)
    frames = [
        _event_responses(authored, event, accounts, window)
        for event in events
        if event.type in RESPONSIVE_TYPES and (accounts := _concerned(event, host_countries, home_country))
    ]
    if not frames:
        return pl.DataFrame(schema=RESPONSE_SCHEMA)
    return pl.concat(frames).sort("account_id", maintain_order=True)


def _concerned(event: Event, host_countries: Mapping[str, str | None], home_country: str) -> list[str]:
    return [account for account, host in host_countries.items() if concerns(event, host, home_country)]


def _event_responses(
    authored: pl.DataFrame, event: Event, accounts: list[str], window: timedelta
) -> pl.DataFrame:
    hits = _matching_posts(authored, event, accounts, window)
    hours = (pl.col("first_at") - pl.lit(event.start)).dt.total_microseconds() / 3_600_000_000
    return (
        pl.DataFrame({"account_id": accounts}, schema={"account_id": pl.String()})
        .join(hits, on="account_id", how="left", maintain_order="left")
        .with_columns(event_id=pl.lit(event.id), event_type=pl.lit(event.type), first_response_hours=hours)
        .with_columns(
            responded_within_24h=(pl.col("first_response_hours") <= 24).fill_null(False),
            matched_post_ids=pl.col("matched_post_ids").fill_null(pl.lit([], dtype=pl.List(pl.String()))),
        )
        .select(list(RESPONSE_SCHEMA))
        .cast(pl.Schema(RESPONSE_SCHEMA))
    )


def _matching_posts(
    authored: pl.DataFrame, event: Event, accounts: list[str], window: timedelta
) -> pl.DataFrame:
    """Matching posts per account, earliest first; the cheap time filter runs before the regex."""
    in_window = authored.filter(
        pl.col("account_id").is_in(accounts),
        pl.col("published_at").is_between(event.start, event.start + window, closed="both"),
    )
    return (
        in_window.filter(matches_event(event.keywords))
        .sort("published_at", "post_id")
        .group_by("account_id", maintain_order=True)
        .agg(
            first_post_id=pl.col("post_id").first(),
            first_at=pl.col("published_at").first(),
            matched_post_ids=pl.col("post_id"),
        )
    )


def transition_split(posts: pl.DataFrame, transition: Event) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Authored posts before the transition's start, and at or after it (cadence before/after)."""
    authored = _authored(posts)
    after = pl.col("published_at") >= transition.start
    return authored.filter(~after), authored.filter(after)


def _authored(posts: pl.DataFrame) -> pl.DataFrame:
    """Reposts are activity, not content (DESIGN.md): they never answer an event."""
    return posts.filter(pl.col("kind").is_in(AUTHORED_KINDS))
