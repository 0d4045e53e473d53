"""One disaster seen by several feeds is one event: joined on GLIDE number, else on time, place and hazard.

ReliefWeb and GDACS both carry GLIDE numbers (GDACS often leaves it ""); USGS has none. Without a
shared GLIDE, two sightings are the same disaster when they have the same hazard, share a country
and start within 48 hours of each other. Batches are given in order of preference: the first
sighting keeps its id and title (ReliefWeb's titles are written by editors), later ones add their
countries, keywords and span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from audit.events.feeds.common import EventBatch, JoinKey, merge_events
from audit.events.model import Event

SAME_TIME: Final = timedelta(hours=48)
"""Feeds date one disaster differently (onset, first report, first alert); two days covers it."""
FAMILY: Final = {"FF": "FL", "MS": "LS"}
"""GLIDE codes one feed uses where another uses the broader one (a flash flood is a flood)."""


@dataclass
class _Group:
    event: Event
    key: JoinKey
    glides: set[str]


def join_feeds(batches: Sequence[EventBatch]) -> tuple[list[Event], int]:
    """The events of every batch, one per disaster, and how many sightings were joined into another."""
    groups: list[_Group] = []
    seen = 0
    for batch in batches:
        for event in batch.events:
            seen += 1
            key = batch.joins.get(event.id, JoinKey(hazard=""))
            group = next((g for g in groups if _same(g, event, key)), None)
            if group is None:
                groups.append(_Group(event, key, {key.glide} if key.glide else set()))
            else:
                group.event = merge_events(group.event, event)
                group.glides |= {key.glide} if key.glide else set()
    return [group.event for group in groups], seen - len(groups)


def _same(group: _Group, event: Event, key: JoinKey) -> bool:
    """Same GLIDE; or, when one side has none, same hazard, a shared country and starts within 48 h."""
    if key.glide and key.glide in group.glides:
        return True
    if key.glide and group.glides:
        return False  # two different GLIDE numbers are two disasters, however close
    hazard = FAMILY.get(key.hazard, key.hazard)
    return (bool(hazard) and hazard == FAMILY.get(group.key.hazard, group.key.hazard)
            and bool(set(event.countries) & set(group.event.countries))
            and abs(event.start - group.event.start) <= SAME_TIME)
