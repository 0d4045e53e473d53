"""Render: time and peak memory of the report (PDF + HTML) for the sample and a 50-account result.

Each case runs in a fresh Python process (imports included, as `audit render` would), which
reports its own wall time and peak resident memory (resource.getrusage). The CPU seconds of that
process and of the workers it starts (user + system, read from RUSAGE_CHILDREN around it) are
printed too: on a machine shared with other work they compare runs where wall time cannot. The synthetic result
repeats the sample's four accounts under new ids: report size grows with accounts and weeks,
never with the number of posts, so this is the size that matters.

    .venv/bin/python benchmarks/bench_render.py [--accounts 50] [--repeat 1]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "fixtures" / "results"

CHILD = """
import json, resource, sys, time
start = time.perf_counter()
from pathlib import Path
from audit.api import load_result, render_report
out = Path(sys.argv[2])
warnings = render_report(load_result(Path(sys.argv[1])), pdf=out / "r.pdf", html=out / "r.html",
                         previous=Path(sys.argv[3]) if len(sys.argv) > 3 else None)
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "warnings": warnings}))
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50, help="accounts in the synthetic result")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case (the best is printed)")
    return parser.parse_args()


def synthetic(result: dict[str, Any], accounts: int) -> dict[str, Any]:
    """The sample with its accounts repeated to `accounts`, each under a new id and name."""
    big = copy.deepcopy(result)
    originals = result["accounts"]
    big["accounts"] = []
    for i in range(accounts):
        account = copy.deepcopy(originals[i % len(originals)])
        copy_number = i // len(originals) + 1
        account["id"] = f"{account['id']}-{copy_number}"
        account["name"] = f"{account['name']} #{copy_number}"
        big["accounts"].append(account)
    return big


def run_case(result_path: Path, previous: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        args = [sys.executable, "-c", CHILD, str(result_path), out] + ([str(previous)] if previous else [])
        before = _children_cpu()
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True)
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        figures["cpu"] = _children_cpu() - before
        pdf = Path(out) / "r.pdf"
        figures["pdf_kib"] = pdf.stat().st_size / 1024
        figures["pages"] = _pages(pdf)
        return figures


def _children_cpu() -> float:
    """User + system seconds of every finished child process (and the workers they waited for)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pages(pdf: Path) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    return len(PdfReader(pdf).pages)


def best_of(repeat: int, result_path: Path, previous: Path | None) -> dict[str, Any]:
    runs = [run_case(result_path, previous) for _ in range(repeat)]
    return min(runs, key=lambda r: r["seconds"])


def main() -> None:
    args = parse_args()
    sample = RESULTS / "sample_result.json"
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "synthetic.json"
        big.write_text(json.dumps(synthetic(json.loads(sample.read_text(encoding="utf-8")), args.accounts),
                                  ensure_ascii=False), encoding="utf-8")
        cases = [("sample, 4 accounts, with trend", sample, RESULTS / "previous_result.json"),
                 (f"synthetic, {args.accounts} accounts", big, None)]
        print("## Render (PDF + HTML, fresh process, imports included)")
        print(f"load average {os.getloadavg()[0]:.1f}")
        print(f"{'case':<34} {'seconds':>8} {'CPU s':>6} {'peak MiB':>9} {'pages':>6} {'PDF KiB':>8}")
        for label, path, previous in cases:
            r = best_of(args.repeat, path, previous)
            print(f"{label:<34} {r['seconds']:>8.1f} {r['cpu']:>6.1f} {r['peak_mib']:>9.0f} {r['pages'] or '?':>6} "
                  f"{r['pdf_kib']:>8.0f}")
            for warning in r["warnings"]:
                print(f"  warning: {warning}")


if __name__ == "__main__":
    main()
