"""Collect benchmark: an export read into the posts table and written as Parquet, like `audit posts`.

    python benchmarks/make_x_archive.py --tweets 1000000 --parts 4 --corpus phrases --out benchmarks/data/x-1m/
    .venv/bin/python benchmarks/bench_posts.py benchmarks/data/x-1m/ [--platform x] [--runs 3]

Each run writes an accounts file for the export into a temporary folder and, in a fresh Python
process, loads it, collects the account (audit.collect.collect_account: detection, the collector,
validation, dedupe, sort) and writes the posts with audit.output.write_posts. The parent measures the
child's wall time, CPU time and peak RSS (os.wait4 gives that child's own rusage), so import time and
the Parquet write are included, as they are for a user. It prints one table row per run.
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
started = time.perf_counter()
from pathlib import Path
from audit.accounts import load_accounts
from audit.posts.collect import collect_account
from audit.posts.output import write_posts
imported = time.perf_counter()
accounts = load_accounts(Path(sys.argv[1]))
result = collect_account(accounts.accounts[0])
collected = time.perf_counter()
write_posts(result.posts, Path(sys.argv[2]))
done = time.perf_counter()
print(json.dumps({"posts": result.posts.height, "skipped": len(result.skipped),
                  "import_s": imported - started, "collect_s": collected - imported, "write_s": done - collected}))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="an export file, folder or zip")
    parser.add_argument("--platform", default="x")
    parser.add_argument("--runs", type=int, default=1)
    return parser.parse_args()


def size_on_disk(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def accounts_file(folder: Path, export: Path, platform_name: str) -> Path:
    path = folder / "accounts.toml"
    path.write_text(
        '[ministry]\nname = "Benchmark ministry"\ncountry = "KR"\n\n'
        f'[[accounts]]\nid = "bench"\nname = "Benchmark"\nrole = "ministry"\nplatform = "{platform_name}"\n'
        f"source = {json.dumps(str(export.resolve()))}\n",
        encoding="utf-8",
    )
    return path


def run_once(export: Path, platform_name: str) -> dict[str, float]:
    """One collect in a fresh process: its own figures, plus wall seconds, CPU seconds and peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        accounts = accounts_file(folder, export, platform_name)
        out = folder / "posts.parquet"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with (folder / "stdout").open("w") as stdout, (folder / "stderr").open("w") as stderr:
            started = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-c", CHILD, str(accounts), str(out)], cwd=ROOT, env=env,
                                     stdout=stdout, stderr=stderr)
            _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not all children's
            wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"collect failed:\n{(folder / 'stderr').read_text()}")
        figures: dict[str, float] = json.loads((folder / "stdout").read_text().strip().splitlines()[-1])
        figures.update(wall_s=wall, peak_rss=usage.ru_maxrss * 1024, cpu_s=usage.ru_utime + usage.ru_stime)
        return figures


def main() -> None:
    args = parse_args()
    size = size_on_disk(args.export)
    print(f"{args.export}: {size / 1e9:.2f} GB on disk; {os.cpu_count()} cores; Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d')}")
    print(f"{'archive GB':>10} {'posts':>9} {'seconds':>8} {'posts/s':>8} {'peak RSS GB':>11} {'RSS/size':>8} "
          f"{'collect s':>9} {'write s':>8} {'CPU s':>7}")
    for _ in range(args.runs):
        r = run_once(args.export, args.platform)
        print(f"{size / 1e9:>10.2f} {int(r['posts']):>9} {r['wall_s']:>8.1f} {r['posts'] / r['wall_s']:>8.0f} "
              f"{r['peak_rss'] / 1e9:>11.2f} {r['peak_rss'] / size:>8.2f} {r['collect_s']:>9.1f} "
              f"{r['write_s']:>8.1f} {r['cpu_s']:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
