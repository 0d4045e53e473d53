"""Records that could not be used: one exception to raise while reading, one value for coverage.

Every reader (collectors, event feeds) raises :class:`SkipRecord` for a record it cannot use and
records a :class:`Skipped`, so a damaged record is counted and shown with its reason, never dropped
in silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Skipped:
    """A record a collector could not use: where it was and why it was left out."""

    file: str
    index: int | str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "index": self.index, "reason": self.reason}


class SkipRecord(Exception):
    """A record that cannot be used; its message is the reason shown in coverage."""
