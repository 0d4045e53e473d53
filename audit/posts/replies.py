"""Replies others wrote under an account's posts (`collect.replies`), fetched after the account's walks.

DESIGN.md's canonical table holds an account's own posts, and no metric counts replies received
(`reply_share` counts the account's replies to others, from its own posts). So others' replies are
only stored, beside the posts in the store's ``replies/`` folder, as the raw thread responses
(Mastodon ``/context``, Bluesky ``getPostThread``) with their language fields; the audit does not
read them, and the collection summary counts them with their languages.

Bounded: the threads of at most `replies` posts per run (40 for ``true``), newest first, chosen
among the posts this run stored that the platform says have replies. A thread that cannot be
fetched stops the replies of that account with a note; its posts are already complete.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from audit.collectors.live import LiveSource, Target, ThreadSource, max_threads
from audit.errors import FetchError
from audit.posts.store import Store
from audit.sources.http import HttpClient


@dataclass
class RepliesRun:
    """What one account's reply fetching did."""

    threads: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    error: str | None = None

    @property
    def replies(self) -> int:
        return sum(self.languages.values())

    def summary(self) -> str:
        """'3 replies by others under 2 posts', in words a person reads."""
        replies, posts = self.replies, self.threads
        return (f"{replies} repl{'y' if replies == 1 else 'ies'} by others under {posts} "
                f"post{'' if posts == 1 else 's'}")

    def as_dict(self) -> dict[str, Any]:
        return {"threads": self.threads, "replies_by_others": self.replies, "languages": dict(self.languages),
                **({"stopped": self.error} if self.error else {})}


def collect_replies(source: LiveSource, target: Target, client: HttpClient, store: Store, ref: dict[str, Any],
                    walks: list[str], say: Callable[[str], None]) -> RepliesRun | None:
    """Fetch and store the threads of this run's newest posts with replies; None when the account asks for none."""
    limit = max_threads(target.options)
    if not limit or not hasattr(source, "thread"):
        return None
    threads, run = cast(ThreadSource, source), RepliesRun()
    for key in newest_keys(threads, store, walks, limit):
        try:
            thread = threads.thread(client, target, ref, key)
        except FetchError as e:
            run.error = e.problem
            say(f"{target.account_id}: replies stopped: {e}")
            break
        store.write_reply(thread.name, thread.text)
        run.threads += 1
        run.languages.update(thread.languages)
    say(f"{target.account_id}: {run.summary()}")
    return run


def newest_keys(source: ThreadSource, store: Store, walks: list[str], limit: int) -> list[str]:
    """The thread keys of posts on this run's pages that have replies: newest first, each once, at most `limit`."""
    found = {}
    for path in store.page_files():
        if path.name.split("-", 1)[0] in walks:
            found.update({key: when for when, key in source.thread_keys(path.name, path.read_text(encoding="utf-8"))})
    return sorted(found, key=lambda key: found[key], reverse=True)[:limit]
