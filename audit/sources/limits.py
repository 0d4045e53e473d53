"""The limits `audit` enforces on what it reads, in one place (docs/limits.md states them for users).

Real exports stay far below every one of them; each exists so that a damaged or hostile file ends
in a one-line InputError naming where it went wrong, not in a traceback, a hang or a full disk.
"""

from __future__ import annotations

from typing import Final

MAX_JSON_DEPTH: Final = 500
"""JSON nested this deep is always read; deeper may be refused. Python's parser stops near 990 levels
(its recursion limit less the caller's stack); the error then points at where the nesting passed this
value. Real exports nest under 15 levels."""

MAX_TOML_DEPTH: Final = 100
"""Arrays and inline tables of a user file (accounts, events, rubric, plan) nest at most this deep
(real files nest under 4; Python's TOML parser fails with a RecursionError near 300)."""

MAX_CBOR_DEPTH: Final = 1000
"""DAG-CBOR (Bluesky CAR blocks) nested deeper than this is refused: libipld's own decoding limit."""

MAX_NUMBER_DIGITS: Final = 4300
"""An integer literal longer than this is refused: Python's int conversion limit (sys.get_int_max_str_digits)."""

MAX_MEMBER_BYTES: Final = 4 * 1024**3
"""No single member of a zip or tar may expand past this (4 GiB); larger is treated as a bomb."""

MAX_RATIO: Final = 200
"""No zip member (or tar as a whole) may expand more than this many times its compressed size, plus 1 MiB."""

MAX_MEMBERS: Final = 100_000
"""An archive or folder with more members than this is refused (a ministry's X archive has ~10,000)."""

MAX_TOTAL_BYTES: Final = 16 * 1024**3
"""The members of one archive may expand to at most this much in total (16 GiB)."""

PLAN_YEARS: Final = (1970, 9000)
"""A plan's start and end lie in these years (inclusive): a period ending past 9999 cannot be computed."""
