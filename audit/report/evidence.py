"""Evidence posts as the report quotes them: grouped by dimension, numbered so findings can cite them,
in their own script, language and direction, with links.

The PDF renderer ignores dir="auto", so each quote gets an explicit dir: right-to-left when its detected
language is written right to left, else from the first strong character of the text (an undetermined
or mis-detected Arabic post still reads right to left).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from audit.report.labels import language_name, timestamp
from audit.report.method import safe_url

EVIDENCE_PER_DIMENSION = 2
RTL_LANGUAGES = frozenset({"ar", "arz", "ary", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "ckb", "dv", "syr"})
TELEGRAM_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")


def evidence_groups(account: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Cited posts grouped under the dimension that cites them, each post shown once and numbered.

    Within a dimension's cited posts, one in a language not yet quoted comes first, so the few quotes
    show the account's languages rather than three posts in the same one; a third post is quoted only
    when it adds a language.
    """
    posts = {p.get("post_id"): p for p in account.get("evidence_posts") or []}
    shown: set[str] = set()
    languages: set[Any] = set()
    groups = []
    for dim_id, dim in account["dimensions"].items():
        fresh = [i for i in dim.get("evidence") or [] if i in posts and i not in shown]
        ranked = sorted(fresh, key=lambda i: posts[i].get("lang") in languages)
        ids = ranked[:EVIDENCE_PER_DIMENSION]
        seen = languages | {posts[i].get("lang") for i in ids}
        extra = ranked[EVIDENCE_PER_DIMENSION:EVIDENCE_PER_DIMENSION + 1]
        ids += [i for i in extra if posts[i].get("lang") not in seen]
        shown.update(ids)
        languages.update(posts[i].get("lang") for i in ids)
        if ids:
            quotes = [quote(posts[i], account) | {"number": len(shown) - len(ids) + n + 1}
                      for n, i in enumerate(ids)]
            groups.append({"id": dim_id, "title": dim.get("title") or dim_id, "posts": quotes})
    return groups


def citations(groups: list[dict[str, Any]]) -> dict[str, list[int]]:
    """The quote numbers each dimension cites, for the 'Posts: [1] [2]' beside its findings."""
    return {g["id"]: [q["number"] for q in g["posts"]] for g in groups}


def quote(post: Mapping[str, Any], account: Mapping[str, Any] | None = None) -> dict[str, Any]:
    lang = post.get("lang")
    known = lang if isinstance(lang, str) and lang not in ("", "und") else None
    text = str(post.get("text") or "")
    return {
        "text": text,
        "lang": known,
        "dir": direction(known, text),
        "language": language_name(lang) if isinstance(lang, str) and lang else "Undetermined",
        "when": timestamp(post.get("published_at")),
        "kind": post.get("kind") or "post",
        "label": post.get("label") or "",
        "label_reason": post.get("label_reason") or "",
        "url": safe_url(post.get("url")) or post_link(post, account or {}),
        "post_id": str(post.get("post_id") or ""),
        "repeat_of": None,
    }


def direction(lang: str | None, text: str) -> str:
    """'rtl' or 'ltr': from the language when it is known to be right-to-left, else the first strong character."""
    if lang and lang.split("-")[0].lower() in RTL_LANGUAGES:
        return "rtl"
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def post_link(post: Mapping[str, Any], account: Mapping[str, Any]) -> str | None:
    """A public t.me link for a Telegram post when the account's handle is a public channel username.

    Telegram exports give a numeric chat id and a message id ('1700000001/5000'); only a public username
    makes a link anyone can open, so without one the post is named by its id instead.
    """
    handle = TELEGRAM_USERNAME.match(str(account.get("handle") or ""))
    message = str(post.get("post_id") or "").rpartition("/")[2]
    if account.get("platform") != "telegram" or handle is None or not message.isdigit():
        return None
    return safe_url(f"https://t.me/{handle.group(1)}/{message}")


def mark_repeats(accounts: list[dict[str, Any]]) -> None:
    """Mark each quote whose text an earlier account already quoted, so the report prints it once.

    Embassies often repost the ministry's statement word for word; quoting it again on every account's
    page adds length, not evidence. A repeat keeps its number, date and link, and points to the first.
    """
    first: dict[str, dict[str, Any]] = {}
    for account in accounts:
        for group in account["evidence"]:
            for q in group["posts"]:
                key = " ".join(q["text"].split()).casefold()
                if key in first and first[key]["account"] != account["name"]:
                    q["repeat_of"] = first[key]
                elif key:
                    first.setdefault(key, {"account": account["name"], "number": q["number"],
                                           "anchor": f"{account['anchor']}-q{q['number']}"})
