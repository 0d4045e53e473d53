"""Evidence posts as the report quotes them: grouped by dimension, in their own script and direction, with links."""


from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.report.labels import (
    language_name,
    timestamp,
)
from audit.report.method import safe_url

EVIDENCE_PER_DIMENSION = 3


def evidence_groups(account: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Cited posts grouped under the dimension that cites them, each post shown once."""
    posts = {p.get("post_id"): p for p in account.get("evidence_posts") or []}
    shown: set[str] = set()
    groups = []
    for dim_id, dim in account["dimensions"].items():
        ids = [i for i in dim.get("evidence") or [] if i in posts and i not in shown][:EVIDENCE_PER_DIMENSION]
        shown.update(ids)
        if ids:
            groups.append({"title": dim.get("title") or dim_id, "posts": [quote(posts[i]) for i in ids]})
    return groups


def quote(post: Mapping[str, Any]) -> dict[str, Any]:
    lang = post.get("lang")
    return {
        "text": str(post.get("text") or ""),
        "lang": lang if isinstance(lang, str) and lang not in ("", "und") else None,
        "language": language_name(lang) if isinstance(lang, str) and lang else "Undetermined",
        "when": timestamp(post.get("published_at")),
        "kind": post.get("kind") or "post",
        "label": post.get("label") or "",
        "label_reason": post.get("label_reason") or "",
        "url": safe_url(post.get("url")),
        "post_id": str(post.get("post_id") or ""),
    }
