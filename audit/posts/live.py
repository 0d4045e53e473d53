"""Collecting accounts live into the store: incremental, resumable, honest about what it could not see.

For each account marked `collect`, a *walk* pages from the newest post back to a stop time:

* the first collection goes back to ``--since`` (or to the feed's first post without it);
* later ones only to the newest stored post minus an overlap (``overlap_hours``, default 24), so
  edits and late counts of recent posts are fetched again and everything older is left alone;
* after every page the page is stored, then the checkpoint (walk, page number, cursor) in the
  manifest. A run killed at any point resumes the unfinished walk from its cursor first, so there
  is no gap, and a page fetched twice lands under the same name, so there is no duplicate file
  (and rows are deduplicated on post_id anyway).

A walk that fails (retries exhausted, an error page) keeps its checkpoint and records a coverage
hole (from its stop time to the oldest post it reached) until a later run completes it, so a
report can tell "the account went quiet" from "the collector could not see".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from audit.accounts import Account, AccountsFile
from audit.collectors.live import LiveSource, Target
from audit.collectors.live_registry import live_sources
from audit.errors import AuditError, FetchError, InputError
from audit.posts.replies import RepliesRun, collect_replies
from audit.posts.store import Manifest, Store, Walk, iso, parse
from audit.sources.http import HttpClient, Wait
from audit.version import __version__

DEFAULT_OVERLAP_HOURS = 24
MAX_EMPTY_PAGES = 3
"""Empty pages in a row that end a walk even with a cursor (some APIs hand out cursors to nothing)."""

Say = Callable[[str], None]


@dataclass
class AccountRun:
    """What one account's collection did, for the progress summary and for scripts."""

    account_id: str
    platform: str
    pages: int = 0
    posts: int = 0
    requests: int = 0
    quota_units: int = 0
    resumed: bool = False
    newest: str | None = None
    holes: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    replies: RepliesRun | None = None
    """Replies by others fetched (`collect.replies`), or None when the account asks for none."""


def collect_live(accounts: AccountsFile, since: date | None = None, client: HttpClient | None = None,
                 say: Say = lambda line: None, only: str | None = None) -> list[AccountRun]:
    """Collect every account marked `collect` (or only the one with id `only`) into the store.

    One account's failure does not stop the others: its error is kept on its run and the walk
    stays resumable.
    """
    own = client is None
    http = client or HttpClient()
    runs = []
    try:
        for account in accounts.accounts:
            if account.collect is not None and only in (None, account.id):
                runs.append(_collect_guarded(account, since, http, say))
    finally:
        if own:
            http.close()
    return runs


def _collect_guarded(account: Account, since: date | None, client: HttpClient, say: Say) -> AccountRun:
    run = AccountRun(account.id, account.platform)
    client.on_wait = lambda wait: say(_wait_line(account.id, wait))
    before = client.requests
    try:
        collect_account_live(account, since, client, say, run)
    except AuditError as e:  # a fetch that failed, a store that holds another account, a lock held
        run.error = str(e)
        say(f"{account.id}: stopped: {e}")
    finally:
        run.requests = client.requests - before
    return run


def collect_account_live(account: Account, since: date | None, client: HttpClient, say: Say,
                         run: AccountRun) -> AccountRun:
    """Resume the account's unfinished walk, then walk from the newest post down to the stop time."""
    source, target = _source_for(account)
    store = Store.beside(account.base, account.id)
    with store.locked():
        manifest = store.load() or Manifest(account.id, account.platform, target.api, target.handle)
        _same_account(store, manifest, target)
        return _collect_locked(source, target, store, manifest, since, account, client, say, run)


def _collect_locked(source: LiveSource, target: Target, store: Store, manifest: Manifest, since: date | None,
                    account: Account, client: HttpClient, say: Say, run: AccountRun) -> AccountRun:
    manifest.ref = source.resolve(client, target)  # every run: a deleted account stops here, with a 404
    run.quota_units += int(manifest.ref.pop("quota_units", 0))
    _snapshot_followers(manifest, manifest.ref, client.now())
    store.save(manifest)
    walks = [manifest.pending.id] if manifest.pending is not None else []
    if manifest.pending is not None:
        run.resumed = True
        say(f"{account.id}: resuming an interrupted collection at page {manifest.pending.page + 1}")
        _walk(source, target, client, store, manifest, manifest.pending, run, say)
    manifest.walks += 1
    walk = Walk(id=walk_id(manifest.walks), stop_at=iso(_stop_at(manifest, since, account)))
    _walk(source, target, client, store, manifest, walk, run, say)
    run.newest, run.holes = manifest.newest, list(manifest.holes)
    run.replies = collect_replies(source, target, client, store, manifest.ref, [*walks, walk.id], say)
    if run.replies is not None and manifest.runs:
        manifest.runs[-1]["replies"] = run.replies.as_dict()
        store.save(manifest)
    return run


def _same_account(store: Store, manifest: Manifest, target: Target) -> None:
    """A store holds one account: a changed platform, server or handle would mix two accounts' posts."""
    stored = (manifest.platform, manifest.api.rstrip("/"), manifest.handle)
    if stored != (target.platform, target.api.rstrip("/"), target.handle):
        raise InputError(store.root, f"expected the store of {target.account_id} to hold {target.handle} on "
                                     f"{target.api}, found {manifest.handle} on {manifest.api}; move the folder away "
                                     "to collect the new account, or give the new account its own id")


def _source_for(account: Account) -> tuple[LiveSource, Target]:
    sources = live_sources()
    if account.platform not in sources:
        raise FetchError(account.id, account.platform, f"live collection of {account.platform} is not available "
                         "yet", "collect it by hand and name the export in `source` (see README)")
    source, table = sources[account.platform], dict(account.collect or {})
    handle = account.handle or table.get("channel_id")
    return source, Target(account.id, account.platform, handle, str(table.get("api") or source.default_api), table)


def _stop_at(manifest: Manifest, since: date | None, account: Account) -> datetime | None:
    """How far back this walk goes: --since on a first collection, else the newest stored minus the overlap."""
    asked = datetime.combine(since, time(), UTC) if since else None
    covered, newest = parse(manifest.covered_from), parse(manifest.newest)
    if not manifest.complete or newest is None or (asked and covered and asked < covered):
        return asked
    hours = float((account.collect or {}).get("overlap_hours", DEFAULT_OVERLAP_HOURS))
    return newest - timedelta(hours=hours)


def walk_id(seq: int) -> str:
    """Page names of later walks sort first, so the freshest copy of a post (an edit, later counts) is read
    first and wins deduplication, which keeps the first row of a post."""
    return f"w{999999 - seq:06d}"


def _walk(source: LiveSource, target: Target, client: HttpClient, store: Store, manifest: Manifest, walk: Walk,
          run: AccountRun, say: Say) -> None:
    empty = 0
    stop = parse(walk.stop_at)
    while True:
        asked = walk.cursor
        try:
            page = source.page(client, target, manifest.ref, asked)
        except FetchError as e:
            _interrupted(store, manifest, walk, e, client.now())
            raise
        walk.page += 1
        for kind, text in page.files:
            store.write_page(f"{walk.id}-{walk.page:05d}-{kind}", text)
        _advance(walk, page.times, page.next)
        run.pages, run.posts = run.pages + 1, run.posts + len(page.times)
        run.quota_units += page.quota_units
        empty = 0 if page.times else empty + 1
        reached = stop is not None and bool(page.times) and min(page.times) < stop
        say(_page_line(target.account_id, walk, len(page.times), run))
        if page.next is None or page.next == asked or reached or empty >= MAX_EMPTY_PAGES:
            _finish(manifest, walk, reached, client.now(), _early_end(source, walk, reached, page.next != asked
                                                                      and page.next is not None))
            store.save(manifest)
            return
        manifest.pending = walk
        store.save(manifest)


def _advance(walk: Walk, times: list[datetime], cursor: str | None) -> None:
    walk.cursor = cursor
    walk.posts += len(times)
    if times:
        walk.top = walk.top or iso(max(times))
        oldest = parse(walk.oldest)
        walk.oldest = iso(min(times) if oldest is None else min(oldest, min(times)))


def _early_end(source: LiveSource, walk: Walk, reached: bool, more: bool) -> str | None:
    """Why a walk that did not reach its stop time ended before the account's first post, if it did:
    empty pages with a cursor still offered, or an API that reaches back only so many posts."""
    reach = getattr(source, "reach", None)
    if reached:
        return None
    if more:
        return f"the API answered {MAX_EMPTY_PAGES} empty pages in a row; older posts were not reached"
    if reach is not None and walk.posts >= reach:
        return f"the API reaches back only about {reach:,} posts; older ones cannot be collected"
    return None


def _finish(manifest: Manifest, walk: Walk, reached: bool, now: datetime, early: str | None = None) -> None:
    """A walk is complete: advance the newest post, widen the coverage, close its hole (or record
    the one an early end leaves, from the stop time to the oldest post reached)."""
    tops = [t for t in (parse(manifest.newest), parse(walk.top)) if t is not None]
    manifest.newest = iso(max(tops)) if tops else None
    start = walk.stop_at if reached else None
    if not manifest.complete or start is None or (manifest.covered_from and start < manifest.covered_from):
        manifest.covered_from = start
    manifest.complete, manifest.pending = True, None
    manifest.holes = [h for h in manifest.holes if h.get("walk") != walk.id]
    if early is not None:
        manifest.holes.append({"walk": walk.id, "from": walk.stop_at, "to": walk.oldest, "reason": early})
    manifest.runs.append({"walk": walk.id, "pages": walk.page, "posts": walk.posts, "finished": iso(now),
                          "how": f"audit {__version__} live {manifest.platform} via {manifest.api}"})


def _interrupted(store: Store, manifest: Manifest, walk: Walk, error: FetchError, now: datetime) -> None:
    """Keep the checkpoint and record what is not yet seen as a coverage hole (up to now when the walk
    reached nothing: the posts since the last collection are unseen too)."""
    manifest.pending = walk
    hole = {"walk": walk.id, "from": walk.stop_at or manifest.covered_from, "to": walk.oldest or iso(now),
            "reason": error.problem}
    manifest.holes = [h for h in manifest.holes if h.get("walk") != walk.id] + [hole]
    store.save(manifest)


def _snapshot_followers(manifest: Manifest, ref: dict[str, Any], now: datetime) -> None:
    """Follower counts exist only as 'now', so each collection keeps one (the lookup's)."""
    count = ref.get("followers")
    if isinstance(count, int) and not isinstance(count, bool):
        manifest.followers.append({"at": iso(now), "count": count})


def _page_line(account_id: str, walk: Walk, count: int, run: AccountRun) -> str:
    back = f", back to {walk.oldest[:10]}" if walk.oldest else ""
    quota = f", {run.quota_units} quota units used" if run.quota_units else ""
    return f"{account_id}: page {walk.page}: {count} posts{back}{quota}"


def _wait_line(account_id: str, wait: Wait) -> str:
    return f"{account_id}: waiting {wait.seconds:.0f} s, until {wait.until:%H:%M:%S} UTC ({wait.reason})"
