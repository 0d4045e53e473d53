"""Frequency and continuity: how often and how steadily an account posts, and whether it keeps going
(across a change of government too)."""


from __future__ import annotations

import math
from dataclasses import replace

import polars as pl

from audit.scoring.metrics.measures import MIN_CADENCE_DAYS, AccountData, Measure, not_measured, share_of


def weekly_counts(data: AccountData) -> list[int]:
    """Messages in each week of the period (weeks start on the period's first day); a statement posted
    in several languages is one message (AccountData.messages)."""
    week = ((pl.col("published_at") - pl.lit(data.period.start_at)).dt.total_days() // 7).alias("week")
    counts = dict(data.messages.select(week).group_by("week").len().iter_rows())
    return [int(counts.get(w, 0)) for w in range(data.period.weeks)]


def _too_short(data: AccountData) -> Measure | None:
    days = data.period.days
    if days < MIN_CADENCE_DAYS:
        return not_measured(f"the period is {days} day{'s' if days > 1 else ''}; cadence needs at least a full week")
    return None


def posts_per_week(data: AccountData) -> Measure:
    """Messages in the period / (days in the period / 7): translations of one statement count once."""
    if short := _too_short(data):
        return short
    days, messages = data.period.days, data.messages.height
    return Measure(messages / (days / 7), details={"posts": data.n, "messages": messages, "days": days})


def active_week_share(data: AccountData) -> Measure:
    """Weeks of the period with at least one authored post / weeks in the period."""
    if short := _too_short(data):
        return short
    counts = weekly_counts(data)
    active = sum(1 for c in counts if c)
    return Measure(active / len(counts), details={"active_weeks": active, "weeks": len(counts)})


def longest_gap_days(data: AccountData) -> Measure:
    """Longest interval between two consecutive authored posts, in fractional days."""
    if data.n < 2:
        return not_measured("needs at least two authored posts")
    times = data.authored.sort("published_at").select(
        pl.col("post_id"), pl.col("published_at"),
        (pl.col("published_at").diff().dt.total_microseconds() / 86_400e6).alias("gap"),
    )
    row = times.filter(pl.col("gap") == pl.col("gap").max()).row(0, named=True)
    i = times["post_id"].to_list().index(row["post_id"])
    start = times["published_at"][i - 1]
    details = {"gap_start": start.date().isoformat(), "gap_end": row["published_at"].date().isoformat()}
    return Measure(float(row["gap"]), details=details, evidence=[times["post_id"][i - 1], row["post_id"]])


def regularity_cv(data: AccountData) -> Measure:
    """Coefficient of variation (population standard deviation / mean) of weekly authored counts."""
    if short := _too_short(data):
        return short
    counts = weekly_counts(data)
    mean = sum(counts) / len(counts)
    if mean == 0:
        return not_measured("no authored posts in the period")
    std = math.sqrt(sum((c - mean) ** 2 for c in counts) / len(counts))
    return Measure(std / mean)


def waking_hours_share(data: AccountData) -> Measure:
    """Authored posts published between the waking hours in the audience's time zone.

    Posts known only to their day (a CSV of dates, the oldest X archives) have no hour: they are
    left out, and when no post has one the share is not measured instead of reading midnight.
    """
    start, end = data.settings.waking_hours
    timed = data.authored.filter(pl.col("time_precision") != "day")
    if timed.is_empty() and data.n:
        return not_measured(f"the export gives only the date of all {data.n} posts, not their time of day")
    hour = pl.col("audience_local_time").dt.hour()
    m = share_of(replace(data, authored=timed), (hour >= start) & (hour < end), (hour < start) | (hour >= end))
    m.details.update(timezone=data.audience.timezone, waking_start=start, waking_end=end)
    if dated := data.n - timed.height:
        m.details.update(date_only_posts=dated)
    return m


def transition_continuity(data: AccountData) -> Measure:
    """Posts per week after the first transition in the period over posts per week before it."""
    inside = [e for e in data.transitions if data.period.start_at <= e.start < data.period.end_before]
    if not inside:
        return not_measured("no government transition in the period")
    event = min(inside, key=lambda e: e.start)
    before_days = (event.start - data.period.start_at).total_seconds() / 86400
    after_days = (data.period.end_before - event.start).total_seconds() / 86400
    before = data.authored.filter(pl.col("published_at") < event.start).height
    if before_days <= 0 or before == 0:
        return not_measured(f"no authored posts before the transition {event.id!r}")
    before_rate, after_rate = before / (before_days / 7), (data.n - before) / (after_days / 7)
    details = {"transition": event.title, "before_per_week": before_rate, "after_per_week": after_rate}
    return Measure(after_rate / before_rate, details=details)
