"""The local post store: what live collection fetched, kept beside the accounts file, read like an export.

Layout (one folder per account, so accounts never share a checkpoint)::

    .audit-store/<account-id>/
        manifest.json            when and how it was fetched, the checkpoint, the coverage holes
        pages/<walk>-<n>-<kind>.json   raw API responses (.html: Telegram's web preview), as the readers
                                       of saved responses read them
        replies/<post>-<kind>.json     replies others wrote (`collect.replies`): raw thread responses, kept
                                       apart because the audit reads only the account's own posts

Why raw pages: the platform's saved-response collector (mastodon_api, bluesky_feed, youtube_api)
reads the ``pages`` folder unchanged, so a live post and the same post exported by hand are one
row with one post_id, and the audit reads the store exactly as it reads an export. Every file is
written through :func:`audit.files.atomic_path` (a temporary file renamed into place), page first
and manifest after, so a kill at any moment leaves either the old manifest or the new one and no
half-written page; a page written just before a kill is fetched again under the same name.
"""

from __future__ import annotations

import fcntl
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from audit.accounts import Account
from audit.errors import InputError
from audit.files import write_text_atomic
from audit.sources.exports import expand_source

STORE_DIR = ".audit-store"
MANIFEST = "manifest.json"
LOCK = ".lock"
PAGES = "pages"
REPLIES = "replies"
MAX_RUNS = 50
"""Runs (and follower snapshots) kept in a manifest's history: enough to see a pattern, small enough to read."""


@dataclass
class Walk:
    """One pass from the newest post back to `stop_at` (or the end): the checkpoint while it runs."""

    id: str
    stop_at: str | None
    cursor: str | None = None
    page: int = 0
    posts: int = 0
    top: str | None = None
    oldest: str | None = None


@dataclass
class Manifest:
    """What the store knows about one account. Times are ISO 8601 UTC strings (JSON has no datetime)."""

    account_id: str
    platform: str
    api: str
    handle: str | None
    ref: dict[str, Any] = field(default_factory=dict)
    newest: str | None = None
    covered_from: str | None = None
    complete: bool = False
    """True once a walk has finished: `covered_from` (None = the feed's first post) to the last run is whole."""
    pending: Walk | None = None
    walks: int = 0
    holes: list[dict[str, Any]] = field(default_factory=list)
    followers: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def account_folder(account_id: str) -> str:
    """A folder name for an account id: safe characters kept, anything else replaced."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", account_id).lstrip(".") or "_"


@dataclass(frozen=True)
class Store:
    """One account's folder in the store."""

    root: Path

    @classmethod
    def beside(cls, base: Path, account_id: str) -> Store:
        return cls(base / STORE_DIR / account_folder(account_id))

    @property
    def pages(self) -> Path:
        return self.root / PAGES

    def page_files(self) -> list[Path]:
        return sorted(p for p in self.pages.glob("*") if p.suffix in (".json", ".html")) if self.pages.is_dir() else []

    def write_page(self, name: str, text: str) -> None:
        """Atomically, without sweeping the folder for stale temporaries on every page (`locked` does it once)."""
        write_text_atomic(self.pages / name, text, sweep=False)

    @property
    def replies(self) -> Path:
        return self.root / REPLIES

    def write_reply(self, name: str, text: str) -> None:
        """A thread's latest state: fetched again, it replaces the earlier copy (replies come and go)."""
        write_text_atomic(self.replies / name, text, sweep=False)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One collection of an account at a time: two would overwrite each other's checkpoint."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InputError(self.root, "expected no other `audit collect` to be collecting this account; "
                                            "wait for it to finish") from None
            self._sweep()
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _sweep(self) -> None:
        """Temporary files of a killed collection: under the lock no other writer is alive, so all are stale."""
        for folder in (self.pages, self.replies):
            for stale in folder.glob(".*.tmp") if folder.is_dir() else ():
                stale.unlink(missing_ok=True)

    def load(self) -> Manifest | None:
        """The manifest, or None before the first collection; an unreadable one names its file."""
        path = self.root / MANIFEST
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            pending = data.pop("pending", None)
            return Manifest(**data, pending=Walk(**pending) if pending else None)
        except (ValueError, TypeError) as e:
            raise InputError(path, f"expected the store's manifest (JSON written by `audit collect`): {e}; "
                                   "delete the account's store folder to collect it again") from None

    def save(self, manifest: Manifest) -> None:
        manifest.runs = manifest.runs[-MAX_RUNS:]
        manifest.followers = manifest.followers[-MAX_RUNS:]
        write_text_atomic(self.root / MANIFEST, manifest.as_json())


def iso(when: datetime | None) -> str | None:
    return when.isoformat().replace("+00:00", "Z") if when is not None else None


def parse(when: str | None) -> datetime | None:
    return datetime.fromisoformat(when.replace("Z", "+00:00")) if when else None


def stored_pages(base: Path, account_id: str) -> list[Path]:
    """The store's pages folder to read for an account (none when it holds no post yet).

    Reading an account that was never collected is a mistake worth stopping for; an account that
    was collected and has posted nothing is not, and reads as no posts.
    """
    store = Store.beside(base, account_id)
    manifest = store.load()
    if manifest is None:
        raise InputError(store.root, f"expected posts collected for account {account_id!r}; run "
                                     "`audit collect ACCOUNTS.toml` first")
    return [store.pages] if store.page_files() else []


NOT_COLLECTED = "not_collected"
"""The `cause` of a coverage gap the collector could not see (a data gap without a cause may be a silence)."""


def collector_gaps(account: Account, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """The store's coverage holes inside [start, end), as the result's `coverage.gaps` entries.

    A hole is a stretch the collector could not see: a walk that failed or stopped early, an API
    that reaches back only so far, or days before the first collection reached (for an account
    read from the store alone). Each says why, so a report never reads it as a silence.
    """
    manifest = Store.beside(account.base, account.id).load() if account.collect is not None else None
    if manifest is None:
        return []
    spans = [(parse(h.get("from")), parse(h.get("to")), str(h.get("reason") or "")) for h in manifest.holes]
    if manifest.complete and manifest.covered_from and not account.source:
        spans.append((None, parse(manifest.covered_from),
                      f"not collected before {manifest.covered_from[:10]} (where the first collection stopped)"))
    clipped = [(max(a or start, start), min(b or end, end), why) for a, b, why in spans]
    return [_gap(account.id, a, b, why) for a, b, why in clipped if a < b]


def _gap(account_id: str, start: datetime, end: datetime, reason: str) -> dict[str, Any]:
    return {"account_id": account_id, "from": start.date().isoformat(), "to": end.date().isoformat(),
            "days": round((end - start).total_seconds() / 86400, 1), "cause": NOT_COLLECTED, "reason": reason}


def account_paths(account: Account) -> list[Path]:
    """What an account reads: the paths its `source` names, then its store's pages when it is collected."""
    paths = expand_source(account.source, account.base) if account.source else []
    return paths + (stored_pages(account.base, account.id) if account.collect is not None else [])
