"""The longest silence (cadence.longest_gap_days) held equal to a plain computation, point by point, on small
accounts made by hand: holes in the export at the ends, inside, touching a post; posts at one instant; two
posts only; a table out of time order.

The plain computation: the points are the authored posts and the edges of each hole between the first and
the last post, in time order; at one instant a hole's closing edge comes first, then the posts in their
order in the table, then a hole's opening edge. A silence runs from each point that does not open a hole to
the next one; the longest is the first of the longest, in days (its microseconds times 1 / 86_400e6, the
product polars computed).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl
import pytest

from audit.enrich.audience import Audience
from audit.scoring.metrics.cadence import longest_gap_days
from audit.scoring.metrics.measures import AccountData, Hole, Period

PERIOD = Period(date(2025, 1, 1), date(2025, 3, 31))
AUDIENCE = Audience({"ja": 0.95}, "Asia/Tokyo", {"ko": 1.0}, "host")
CLOSES, POST, OPENS = 0, 1, 2

Posts = list[tuple[str, datetime]]


def day(n: float, hour: int = 10) -> datetime:
    """`n` days after 2025-01-01 at `hour` UTC."""
    return datetime(2025, 1, 1, hour, tzinfo=UTC) + timedelta(days=n)


def account(posts: Posts, holes: tuple[Hole, ...] = ()) -> AccountData:
    table = pl.DataFrame({"post_id": [i for i, _ in posts], "published_at": [t for _, t in posts]},
                         schema={"post_id": pl.String, "published_at": pl.Datetime("us", "UTC")})
    return AccountData(table, PERIOD, AUDIENCE, pl.DataFrame(), holes=holes)


def plain_longest_gap(posts: Posts, holes: tuple[Hole, ...]) -> tuple[float, dict[str, Any], list[str]]:
    """The longest silence worked out one point at a time (Python's sort is stable)."""
    first, last = min(t for _, t in posts), max(t for _, t in posts)
    inside = [h for h in holes if first <= h.start and h.end <= last]
    edges = [p for h in inside for p in ((h.start, OPENS, None), (h.end, CLOSES, None))]
    points = [(t, POST, i) for i, t in posts] + edges
    points.sort(key=lambda p: (p[0], p[1]))
    best: tuple[float, datetime, datetime, str | None, str | None] | None = None
    for (start, rank, opening_post), (end, _, closing_post) in zip(points, points[1:], strict=False):
        gap = (end - start) // timedelta(microseconds=1) * (1 / 86_400e6)
        if rank != OPENS and (best is None or gap > best[0]):
            best = (gap, start, end, opening_post, closing_post)
    assert best is not None
    gap, start, end, *ids = best
    details: dict[str, Any] = {"gap_start": start.date().isoformat(), "gap_end": end.date().isoformat()}
    if inside:
        details.update(hole_days=round(sum(h.days for h in inside), 1), holes=len(inside))
    return gap, details, [i for i in ids if i is not None]


TIED = [("a", day(0)), ("b", day(2)), ("c", day(2)), ("d", day(9)), ("e", day(9)), ("f", day(10))]

CASES: dict[str, tuple[Posts, tuple[Hole, ...]]] = {
    "two posts only": ([("a", day(0)), ("b", day(3, 16))], ()),
    "two posts at one instant": ([("a", day(4)), ("b", day(4))], ()),
    "posts at one instant": (TIED, ()),
    "a table out of time order": ([TIED[i] for i in (3, 0, 2, 5, 1, 4)], ()),
    "equal silences": ([("a", day(0, 9)), ("b", day(1, 9)), ("c", day(2, 9))], ()),
    "a hole inside, ending at a post": ([("a", day(0)), ("b", day(3)), ("c", day(45)), ("d", day(50))],
                                        (Hole(day(10), day(45)),)),
    "a hole touching a post at both ends": ([("a", day(0)), ("b", day(2)), ("c", day(40)), ("d", day(48))],
                                            (Hole(day(2), day(40)),)),
    "holes beyond the first and the last post": ([("a", day(5)), ("b", day(7)), ("c", day(8))],
                                                 (Hole(PERIOD.start_at, day(5)), Hole(day(8), PERIOD.end_before))),
    "a hole from the first post": ([("a", day(0)), ("b", day(40)), ("c", day(43))], (Hole(day(0), day(40)),)),
    "a hole to the last post": ([("a", day(0)), ("b", day(2)), ("c", day(40))], (Hole(day(2), day(40)),)),
    "a hole between two posts only": ([("a", day(1)), ("b", day(40))], (Hole(day(1), day(40)),)),
    "two holes, posts tied at their edges": (
        [("a", day(0)), ("b", day(1)), ("c", day(1)), ("d", day(35)), ("e", day(35)), ("f", day(36)),
         ("g", day(70)), ("h", day(72))],
        (Hole(day(1), day(35)), Hole(day(36), day(70)))),
    "out of time order, with a hole": ([("d", day(50)), ("b", day(3)), ("c", day(45)), ("a", day(0))],
                                       (Hole(day(10), day(45)),)),
}


@pytest.mark.parametrize("name", CASES)
def test_the_longest_silence_is_the_plain_computation(name):
    posts, holes = CASES[name]
    m = longest_gap_days(account(posts, holes))
    assert (m.value, m.details, m.evidence) == plain_longest_gap(posts, holes)


def test_of_equal_silences_the_first_is_the_longest():
    """Three posts a day apart at one hour: the old query's arg_max read the gaps, flagged sorted, from
    the end, and cited the last of them."""
    m = longest_gap_days(account(*CASES["equal silences"]))
    assert (m.value, m.details["gap_start"], m.evidence) == (1.0, "2025-01-01", ["a", "b"])


def test_posts_at_one_instant_keep_their_order_in_the_table():
    """b and c at day 2, d and e at day 9, the table reading d a c f b e: the silence runs from b (the
    later of b and c in the table) to d (the earlier of d and e)."""
    m = longest_gap_days(account(*CASES["a table out of time order"]))
    assert (m.value, m.evidence) == (7.0, ["b", "d"])


def test_the_silence_after_a_hole_starts_at_the_post_that_ends_it():
    m = longest_gap_days(account(*CASES["a hole touching a post at both ends"]))
    assert m.value == 8.0
    assert (m.details["gap_start"], m.details["gap_end"], m.evidence) == ("2025-02-10", "2025-02-18", ["c", "d"])
