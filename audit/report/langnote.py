"""The report's warning about an account's language facts: many posts of unknown language, or the model and
the platform often disagreeing about a post's language (issue 9, item 1; docs/language.md).

Why: language reach and the labels rest on each post's language; when many posts have none, or the
model and the platform often disagree, those scores rest on fewer or shakier facts than they show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.report.labels import percent


def language_warnings(result: Mapping[str, Any]) -> list[str]:
    """`language_warning` of every account that has one, named (for the data-coverage appendix)."""
    found = ((a.get("name") or a["id"], language_warning(a.get("language_detection") or {}))
             for a in result["accounts"])
    return [f"{name}: {text}" for name, text in found if text]


def language_warning(detection: Mapping[str, Any]) -> str:
    """A sentence when an account's posts of unknown language, or its disagreement between the detected
    and the declared language, are above the share the result names (`warn_above`); '' otherwise (also
    for results written before these keys)."""
    limit = detection.get("warn_above")
    if not isinstance(limit, (int, float)):
        return ""
    parts = []
    und, posts = detection.get("und_share"), detection.get("posts")
    if isinstance(und, (int, float)) and und > limit:
        parts.append(f"the language of {percent(float(und))} of {posts} posts is unknown")
    share, compared = detection.get("share"), detection.get("compared")
    if isinstance(share, (int, float)) and share > limit:
        parts.append(f"the detected language differs from the platform's for {percent(float(share))} "
                     f"of {compared} posts")
    return f"Read language scores with care: {' and '.join(parts)}." if parts else ""
