"""Live-collection benchmark: 100,000 Mastodon posts from a local replay server into the store.

    .venv/bin/python benchmarks/bench_collect.py [--posts 100000] [--out-json figures.json]

A loopback HTTP server in its own process (so its memory is not counted) answers the account
lookup with the recorded real response and the statuses endpoint with pages of 40 (Mastodon's
maximum) derived from the recorded real status (samples/live/mastodon/, provenance in
samples/SOURCES.md), each with a distinct id, time (5 minutes apart) and text, newest first,
with ``Link: rel="next"`` paging like the real server. The texts and languages come from the
realistic multilingual corpus of the audit benchmarks (corpus_text.py, an embassy in Japan's mix),
seeded by the post's number, so the Parquet file is not flattered by repeated text. The benchmark process then runs
``collect_live`` exactly as ``audit collect`` does (the shared HttpClient, page by page, atomic
page and checkpoint writes) and measures:

* posts per second for the whole first collection (HTTP, JSON parsing, page and manifest writes);
* peak RSS of the collecting process (ru_maxrss), and its RSS before collecting;
* the store's overhead against one Parquet file of the same rows: its size on disk, the time
  spent writing pages and checkpoints, and the time to read it back into the posts table, next
  to the size and write time of ``write_posts(rows, "posts.parquet")``;
* a second, incremental collection (nothing new: only the overlap is fetched again).

Not a test: it prints a table (and optionally writes the figures as JSON).
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import multiprocessing
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIVE = ROOT.parent / "shared" / "samples" / "live" / "mastodon"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_text import Composer, embassy_mix  # noqa: E402 (a script beside this one)

ACCOUNT_ID = "117020565966271181"
FIRST_ID = 110446183735368325
START = datetime(2025, 1, 1, tzinfo=UTC)
COMPOSER = Composer(embassy_mix("ja"))


# The replay server (its own process) -----------------------------------------------------------


def status(template: dict[str, Any], n: int) -> dict[str, Any]:
    """Status number n (0 = the oldest): the recorded status with its own id, time and text."""
    s = copy.copy(template)
    s["id"] = str(FIRST_ID + n * 1000)
    s["uri"] = s["url"] = f"https://diplo.example.social/@examplia_en/{s['id']}"
    when = START + timedelta(minutes=5 * n)
    draft = COMPOSER.post(random.Random(n), when)
    s["created_at"] = when.isoformat().replace("+00:00", ".000Z")
    s["content"] = "<p>" + html.escape(draft.text).replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"
    s["language"] = None if draft.declared == "und" else draft.declared
    s["edited_at"] = None
    return s


def serve(count: int, ready: Any) -> None:
    """Answer lookups and status pages until killed; put the port on `ready`."""
    template = json.loads((LIVE / "mastodon_social__statuses_id__local_edited.json").read_text(encoding="utf-8"))
    lookup = (LIVE / "api_v1_accounts_lookup__200.json").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/api/v1/accounts/lookup":
                self.answer(lookup, {})
            elif url.path == f"/api/v1/accounts/{ACCOUNT_ID}/statuses":
                self.page(query)
            else:
                self.answer(b'{"error":"Record not found"}', {}, 404)

        def page(self, query: dict[str, str]) -> None:
            limit = min(int(query.get("limit", 20)), 40)
            below = count if "max_id" not in query else (int(query["max_id"]) - FIRST_ID) // 1000
            numbers = range(below - 1, max(-1, below - 1 - limit), -1)
            body = json.dumps([status(template, n) for n in numbers], separators=(",", ":")).encode()
            headers = {}
            if numbers:
                last = FIRST_ID + numbers[-1] * 1000
                host = self.headers["Host"]
                headers["Link"] = (f'<http://{host}/api/v1/accounts/{ACCOUNT_ID}/statuses?limit={limit}'
                                   f'&max_id={last}>; rel="next"')
            self.answer(body, headers)

        def answer(self, body: bytes, headers: dict[str, str], code: int = 200) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ready.put(server.server_address[1])
    server.serve_forever()


# The collecting side (this process) -------------------------------------------------------------


class Timer:
    """Wraps a method to add up the seconds spent in it."""

    def __init__(self) -> None:
        self.seconds, self.calls = 0.0, 0

    def wrap(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1
        return timed


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def size_on_disk(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def collect_once(accounts_path: Path) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds of this process, and the account's run."""
    from audit.accounts import load_accounts
    from audit.posts.live import collect_live

    started, cpu = time.perf_counter(), time.process_time()
    [run] = collect_live(load_accounts(accounts_path))
    if run.error:
        raise SystemExit(f"collection failed: {run.error}")
    return time.perf_counter() - started, time.process_time() - cpu, run


def measure(count: int, port: int, folder: Path) -> dict[str, Any]:
    from audit.accounts import load_accounts
    from audit.posts.collect import collect_account
    from audit.posts.output import write_posts
    from audit.posts.store import Store

    accounts = folder / "accounts.toml"
    accounts.write_text('[ministry]\nname = "Ministry of Foreign Affairs of Examplia"\ncountry = "KR"\n\n'
                        '[[accounts]]\nid = "hq-en"\nrole = "ministry"\nplatform = "mastodon"\n'
                        'handle = "@mastodonpy_test@diplo.example.social"\n'
                        f'collect = {{ api = "http://127.0.0.1:{port}" }}\n', encoding="utf-8")
    pages, checkpoints = Timer(), Timer()
    Store.write_page = pages.wrap(Store.write_page)  # type: ignore[method-assign]
    Store.save = checkpoints.wrap(Store.save)  # type: ignore[method-assign]
    before = rss_mib()
    seconds, cpu, run = collect_once(accounts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    again, _, second = collect_once(accounts)
    store = Store.beside(folder, "hq-en")
    started = time.perf_counter()
    posts = collect_account(load_accounts(accounts).accounts[0]).posts
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    write_posts(posts, folder / "posts.parquet")
    parquet_s = time.perf_counter() - started
    return {
        "posts": run.posts, "pages": run.pages, "requests": run.requests, "rows_read_back": posts.height,
        "collect_s": seconds, "posts_per_s": run.posts / seconds, "collect_cpu_s": cpu,
        "rss_before_mib": before, "peak_rss_mib": peak,
        "page_writes_s": pages.seconds, "checkpoint_writes": checkpoints.calls, "checkpoint_s": checkpoints.seconds,
        "store_bytes": size_on_disk(store.root), "store_read_s": read_s,
        "parquet_bytes": size_on_disk(folder / "posts.parquet"), "parquet_write_s": parquet_s,
        "incremental_s": again, "incremental_posts": second.posts, "incremental_requests": second.requests,
    }


def report(f: dict[str, Any]) -> str:
    mib = 1024 * 1024
    rows = [
        ("posts collected (pages, requests)", f"{f['posts']:,} ({f['pages']:,} pages, {f['requests']:,} requests)"),
        ("first collection", f"{f['collect_s']:.1f} s = {f['posts_per_s']:,.0f} posts/s "
                             f"({f['collect_cpu_s']:.1f} CPU s in the collecting process)"),
        ("RSS before / peak", f"{f['rss_before_mib']:.0f} MiB / {f['peak_rss_mib']:.0f} MiB"),
        ("store on disk (raw pages + manifest)", f"{f['store_bytes'] / mib:.1f} MiB"),
        ("one Parquet file of the same rows", f"{f['parquet_bytes'] / mib:.1f} MiB "
                                              f"(store = {f['store_bytes'] / f['parquet_bytes']:.1f} x)"),
        ("writing pages (atomic) / checkpoints", f"{f['page_writes_s']:.2f} s / {f['checkpoint_s']:.2f} s "
                                                 f"({f['checkpoint_writes']:,} checkpoints)"),
        ("writing the Parquet file", f"{f['parquet_write_s']:.2f} s"),
        ("reading the store back into rows", f"{f['store_read_s']:.2f} s ({f['rows_read_back']:,} rows)"),
        ("incremental run (nothing new)", f"{f['incremental_s']:.2f} s, {f['incremental_posts']} posts re-read, "
                                          f"{f['incremental_requests']} requests"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--out-json", type=Path)
    args = parser.parse_args()
    ready: Any = multiprocessing.get_context("fork").Queue()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(args.posts, ready), daemon=True)
    server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-collect-") as folder:
            figures = measure(args.posts, ready.get(timeout=30), Path(folder))
    finally:
        server.terminate()
        server.join()
    figures["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(report(figures))
    if args.out_json:
        args.out_json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
