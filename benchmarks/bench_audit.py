"""Audit benchmark: parse, detect languages, enrich, score and write the JSON result for one big export.

    python benchmarks/make_x_archive.py --tweets 1000000 --parts 4 --corpus phrases --out benchmarks/data/x-1m/
    .venv/bin/python benchmarks/bench_audit.py benchmarks/data/x-1m/ [--events fixtures/demo/events.toml]

In a fresh Python process (so imports count, as they do for a user) it runs the stages of
`audit run` one by one with the default rubric and reports each stage's seconds, the posts per
second of the whole pipeline and of language detection alone, and the child's peak RSS (from
os.wait4, the child's own rusage).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from audit.accounts import load_accounts
from audit.posts.collect import collect_accounts
from audit.scoring.engine import AuditRequest, audit_account, resolve_period, with_languages
from audit.events.loading import load_events
from audit.scoring.rubric.loading import load_rubric
t1 = time.perf_counter()
accounts = load_accounts(Path(sys.argv[1]))
rubric = load_rubric("public-diplomacy")
events = load_events(Path(sys.argv[2])) if sys.argv[2] else ()
request = AuditRequest(accounts=accounts, rubric=rubric, events=events)
collected = collect_accounts(accounts)
t2 = time.perf_counter()
posts = with_languages(collected.posts, rubric.settings.min_detect_letters, rubric.settings.min_detect_confidence)
t3 = time.perf_counter()
period = resolve_period(posts, None, None)
result = [audit_account(request, a, posts, period, collected) for a in accounts.accounts]
t4 = time.perf_counter()
text = json.dumps(result, ensure_ascii=False, default=str)
t5 = time.perf_counter()
print(json.dumps({"posts": posts.height, "import_s": t1 - t0, "collect_s": t2 - t1, "languages_s": t3 - t2,
                  "score_s": t4 - t3, "json_s": t5 - t4, "json_bytes": len(text)}))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="an export file, folder or zip")
    parser.add_argument("--platform", default="x")
    parser.add_argument("--host-country", default="JP")
    parser.add_argument("--events", type=Path, default=ROOT / "fixtures" / "demo" / "events.toml")
    return parser.parse_args()


def accounts_file(folder: Path, export: Path, platform_name: str, host: str) -> Path:
    path = folder / "accounts.toml"
    path.write_text(
        f'[ministry]\nname = "Benchmark"\ncountry = "KR"\n\n[[accounts]]\nid = "bench"\nrole = "embassy"\n'
        f'host_country = "{host}"\nplatform = "{platform_name}"\nsource = "{export.resolve()}"\n',
        encoding="utf-8",
    )
    return path


def run_child(accounts: Path, events: Path | None) -> tuple[dict[str, float], float, int]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(accounts), str(events or "")],
                            stdout=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status:
        raise SystemExit(f"benchmark child failed with status {status}")
    return json.loads(out), wall, usage.ru_maxrss * 1024


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        accounts = accounts_file(Path(tmp), args.export, args.platform, args.host_country)
        stats, wall, peak = run_child(accounts, args.events)
    posts = stats["posts"]
    print(f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| posts | wall s | import | collect | languages | score | json | posts/s (all) | detect posts/s "
          "| peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {posts:,} | {wall:.1f} | {stats['import_s']:.1f} | {stats['collect_s']:.1f} | "
          f"{stats['languages_s']:.1f} | {stats['score_s']:.1f} | {stats['json_s']:.2f} | {posts / wall:,.0f} | "
          f"{posts / stats['languages_s']:,.0f} | {peak / 2**20:,.0f} |")


if __name__ == "__main__":
    main()
