"""Audit benchmark: parse, detect languages, enrich, score and write the JSON result, stage by stage.

    python benchmarks/make_x_archive.py --tweets 1000000 --parts 4 --corpus phrases --out benchmarks/data/x-1m/
    .venv/bin/python benchmarks/bench_audit.py benchmarks/data/x-1m/ [--events fixtures/demo/events.toml]
    .venv/bin/python benchmarks/bench_audit.py /work/bench-data/x-200k-200/accounts.toml   # 200 accounts
    AUDIT_DETECT_WORKERS=1 .venv/bin/python benchmarks/bench_audit.py ACCOUNTS.toml --profile /tmp/audit.prof

In a fresh Python process (so imports count, as they do for a user) it runs `audit run`'s own function
(`audit_collected`, the posts split per account as the tool splits them) with the default rubric, and
reports each stage's seconds from the times its progress lines arrive (languages: from "Detecting" to
the first "Scoring"; score: from there to the result, enrichment, scores, intervals and the ministry),
the JSON's seconds, the posts per second, the child's CPU seconds (os.wait4: its detection workers
included) and peak RSS, and the load average before and after. An export
(file, folder or zip) is audited as one embassy in --host-country; an accounts file as it stands.
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
from audit.events.loading import load_events
from audit.posts.collect import collect_accounts
from audit.scoring.engine import AuditRequest, audit_collected
from audit.scoring.rubric.loading import load_rubric
t1 = time.perf_counter()
accounts = load_accounts(Path(sys.argv[1]))
events = load_events(Path(sys.argv[2])) if sys.argv[2] else ()
request = AuditRequest(accounts=accounts, rubric=load_rubric("public-diplomacy"), events=events)
collected = collect_accounts(accounts)
t2 = time.perf_counter()
said = {}
def say(message):
    said.setdefault(message.split()[0], time.perf_counter())
profile = None
if sys.argv[3]:
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
result = audit_collected(request, collected, say)
t4 = time.perf_counter()
text = json.dumps(result, ensure_ascii=False, default=str)
t5 = time.perf_counter()
if profile is not None:
    profile.disable()
    profile.dump_stats(sys.argv[3])
t3 = said.get("Scoring", t4)
print(json.dumps({"posts": collected.posts.height, "accounts": len(accounts.accounts), "import_s": t1 - t0,
                  "collect_s": t2 - t1, "languages_s": t3 - t2, "score_s": t4 - t3, "json_s": t5 - t4,
                  "json_bytes": len(text)}))
"""

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="an export file, folder or zip, or an accounts file (.toml)")
    parser.add_argument("--platform", default="x")
    parser.add_argument("--host-country", default="JP")
    parser.add_argument("--events", type=Path, default=ROOT / "fixtures" / "demo" / "events.toml")
    parser.add_argument("--audit-src", type=Path, default=ROOT,
                        help="a folder holding the `audit` package to measure (a `git archive` copy); "
                             "this checkout by default")
    parser.add_argument("--profile", type=Path,
                        help="write a cProfile of detection, scoring and the JSON here (pstats); with "
                             "AUDIT_DETECT_WORKERS=1 the whole of it runs in the profiled process")
    return parser.parse_args()


def accounts_file(folder: Path, export: Path, platform_name: str, host: str) -> Path:
    path = folder / "accounts.toml"
    path.write_text(
        f'[ministry]\nname = "Benchmark"\ncountry = "KR"\n\n[[accounts]]\nid = "bench"\nrole = "embassy"\n'
        f'host_country = "{host}"\nplatform = "{platform_name}"\nsource = "{export.resolve()}"\n',
        encoding="utf-8",
    )
    return path


def run_child(accounts: Path, events: Path | None, src: Path,
              profile: Path | None = None) -> tuple[dict[str, float], float, float, int]:
    """The child's stages, its wall and CPU seconds, and its peak RSS."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(accounts), str(events or ""),
                             str(profile.resolve()) if profile else ""],
                            stdout=subprocess.PIPE, cwd=src, env={**os.environ, "PYTHONPATH": str(src.resolve())})
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if status:
        raise SystemExit(f"benchmark child failed with status {status}")
    return json.loads(out), wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def main() -> None:
    args = parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        accounts = args.export if args.export.suffix == ".toml" else \
            accounts_file(Path(tmp), args.export, args.platform, args.host_country)
        stats, wall, cpu, peak = run_child(accounts.resolve(), args.events, args.audit_src, args.profile)
    posts = stats["posts"]
    print(f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print("| accounts | posts | wall s | CPU s | import | collect | languages | score | json | posts/s (all) "
          "| detect posts/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {stats['accounts']} | {posts:,} | {wall:.1f} | {cpu:.1f} | {stats['import_s']:.1f} | "
          f"{stats['collect_s']:.1f} | {stats['languages_s']:.1f} | {stats['score_s']:.1f} | {stats['json_s']:.2f} | "
          f"{posts / wall:,.0f} | {posts / stats['languages_s']:,.0f} | {peak / 2**20:,.0f} |")


if __name__ == "__main__":
    main()
