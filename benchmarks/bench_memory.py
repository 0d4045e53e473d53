"""Peak memory of `audit run`, stage by stage, against the archive's size (issue 13: peak RSS under 1x).

    .venv/bin/python benchmarks/bench_memory.py /work/bench-data/x-200k-real/accounts.toml
    .venv/bin/python benchmarks/bench_memory.py ACCOUNTS.toml --audit-src /tmp/base   # a `git archive` copy
    .venv/bin/python benchmarks/bench_memory.py ACCOUNTS.toml --env _RJEM_MALLOC_CONF=background_thread:true
    .venv/bin/python benchmarks/bench_memory.py ACCOUNTS.toml --posts-out --save mem.json --trace rss.tsv

A child process runs `audit run ACCOUNTS --json ...` (the command line's own `main`), with the engine's stage
functions wrapped so that each one's start and end is written to stderr as it happens; this process reads
the child's VmRSS from /proc every 20 ms (--every) and files each sample under the stage running then (the
innermost wrapped function; in scoring, whichever account's thread marked last). It prints, per stage, the
largest RSS seen, the RSS when the stage began and its seconds, then the whole peak (the samples' and the
kernel's VmHWM, which catches what falls between two samples) against the archives' size on disk (their
`data` folders, as `bench_floor.py` counts them), the child's wall and CPU seconds, and the load average.
Detection workers are other processes: their memory is not in the audit's RSS (os.wait4's maxrss, printed
too, is the largest of the child and its workers, each counting the pages it shares with the audit); the job's
peak adds to each sample of the audit's RSS its workers' private memory (smaps_rollup), the memory the whole
job holds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench_floor import archive_bytes, archives

ROOT = Path(__file__).resolve().parent.parent
MARK = "@@stage "

CHILD = """
import os, sys, threading
import audit.scoring.engine as engine
import audit.api as api
import audit.cli.run as cli_run
from audit.cli.app import main

local = threading.local()
MAIN = threading.main_thread()

def mark(name):
    sys.stderr.write(MARK + name + "\\n")
    sys.stderr.flush()

def wrapped(name, function):
    def stage(*args, **kwargs):
        stack = local.__dict__.setdefault("stack", [])
        stack.append(name)
        mark(name)
        try:
            return function(*args, **kwargs)
        finally:
            stack.pop()
            outer = "score_accounts" if threading.current_thread() is not MAIN else "cli"
            mark(stack[-1] if stack else outer)
    return stage

for name in STAGES:
    setattr(engine, name, wrapped(name, getattr(engine, name)))
engine.Counted.of = classmethod(wrapped("Counted.of", engine.Counted.of.__func__))
api.write_posts = wrapped("write_posts", api.write_posts)
cli_run._write_outputs = wrapped("write_json", cli_run._write_outputs)

def high_water():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write("@@hwm " + line.split()[1] + "\\n")

import atexit
atexit.register(high_water)
mark("cli")
sys.argv = ["audit", "run", *sys.argv[1:]]
main()
"""

STAGES = ("collect_accounts", "with_languages", "with_lexicon_masks", "score_accounts", "with_signals",
          "authored_of", "responses_for", "authored_by_account", "split_accounts", "audit_account", "account_result",
          "ministry_result", "coverage")
"""The engine's functions wrapped, in the order they first run."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("accounts", type=Path, help="an accounts file (.toml)")
    parser.add_argument("--events", type=Path, default=ROOT / "fixtures" / "demo" / "events.toml")
    parser.add_argument("--posts-out", action="store_true", help="also write the enriched posts (--posts-out)")
    parser.add_argument("--audit-src", type=Path, default=ROOT,
                        help="a folder holding the `audit` package to measure (a `git archive` copy)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="set in the child's environment (an allocator setting, AUDIT_DETECT_WORKERS...)")
    parser.add_argument("--every", type=float, default=0.02, help="seconds between two samples")
    parser.add_argument("--save", type=Path, help="write the figures as JSON here")
    parser.add_argument("--trace", type=Path, help="write every sample (seconds, RSS bytes, stage) here")
    return parser.parse_args()


def rss_bytes(pid: int) -> int | None:
    """The process's resident set now, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


WORKERS_EVERY = 10
"""Samples between two readings of the workers' private memory (the last one held in between): reading
smaps_rollup of processes of a few GB at every 20 ms sample made a 1M-post audit twice as slow."""


def descendants(pid: int) -> list[int]:
    """The process's children and theirs (the detection workers), from /proc's task lists."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                found += [int(child) for child in children.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []
    return found + [grandchild for child in found for grandchild in descendants(child)]


def private_bytes(pid: int) -> int:
    """Memory only this process holds (Private_Clean + Private_Dirty): a worker forked from the audit shares
    the audit's pages until it writes to them, so its RSS would count the audit's memory twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return sum(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Private_"))
    except (FileNotFoundError, ProcessLookupError):
        return 0


class Marks:
    """The child's stderr read on a thread: the stage running now, every line kept, the child's VmHWM."""

    def __init__(self, child: subprocess.Popen[bytes], started: float) -> None:
        self.stage, self.lines, self.hwm, self.began = "start-up", [], 0, {"start-up": 0.0}
        self._child, self._started = child, started
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self._child.stderr is not None
        for raw in self._child.stderr:
            line = raw.decode(errors="replace").rstrip()
            if line.startswith(MARK):
                self.stage = line[len(MARK):]
                self.began.setdefault(self.stage, time.perf_counter() - self._started)
            elif line.startswith("@@hwm "):
                self.hwm = int(line.split()[1]) * 1024
            else:
                self.lines.append(line)


def sample(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    """Run the audit in a child and sample its RSS until it ends."""
    env = {**os.environ, "PYTHONPATH": str(args.audit_src.resolve()),
           **dict(item.split("=", 1) for item in args.env)}
    code = CHILD.replace("MARK", repr(MARK)).replace("STAGES", repr(STAGES))
    argv = [str(args.accounts.resolve()), "--json", str(out / "result.json")]
    argv += ["--events", str(args.events.resolve())] if args.events else []
    argv += ["--posts-out", str(out / "posts.parquet")] if args.posts_out else []
    load = os.getloadavg()
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *argv], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, env=env, cwd=args.audit_src)
    marks, samples, workers = Marks(child, started), [], []
    while (rss := rss_bytes(child.pid)) is not None and child.poll() is None:
        samples.append((time.perf_counter() - started, rss, marks.stage))
        every = len(samples) % WORKERS_EVERY == 1 or not workers  # smaps_rollup walks page tables: not at 50 Hz
        workers.append(sum(private_bytes(pid) for pid in descendants(child.pid)) if every else workers[-1])
        time.sleep(args.every)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    marks.thread.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the audit failed:\n" + "\n".join(marks.lines[-40:]))
    return {"samples": samples, "workers": workers, "hwm": marks.hwm, "began": marks.began, "wall_s": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
            "maxrss": usage.ru_maxrss * 1024, "load": [load, os.getloadavg()]}


def per_stage(samples: list[tuple[float, int, str]], began: dict[str, float]) -> dict[str, dict[str, float]]:
    """Each stage's largest RSS, its RSS at its first sample, its first mark and its seconds (summed over
    the samples filed under it, so a stage that runs again, per account, adds up)."""
    stages: dict[str, dict[str, float]] = {}
    for (at, rss, stage), following in zip(samples, [*samples[1:], None], strict=True):
        step = (following[0] - at) if following else 0.0
        row = stages.setdefault(stage, {"peak": rss, "first": rss, "began_s": began.get(stage, at), "s": 0.0})
        row["peak"], row["s"] = max(row["peak"], rss), row["s"] + step
    return stages


def report(args: argparse.Namespace, run: dict[str, Any]) -> dict[str, Any]:
    size = archive_bytes(archives(args.accounts.resolve()))
    stages = per_stage(run["samples"], run["began"])
    peak = max([rss for _, rss, _ in run["samples"]] + [run["hwm"]])
    print(f"{args.accounts} ({size / 1e9:.2f} GB archive), audit from {args.audit_src}"
          f"{' with ' + ' '.join(args.env) if args.env else ''}")
    print(f"{'stage':<20} {'began s':>8} {'s':>7} {'RSS at start GB':>16} {'peak GB':>8}")
    for name, row in sorted(stages.items(), key=lambda item: item[1]["began_s"]):
        print(f"{name:<20} {row['began_s']:8.1f} {row['s']:7.1f} {row['first'] / 1e9:16.2f} {row['peak'] / 1e9:8.2f}")
    top = max(stages.items(), key=lambda item: item[1]["peak"])[0]
    print(f"peak RSS {peak / 1e9:.2f} GB = {peak / size:.2f}x the archive (VmHWM {run['hwm'] / 1e9:.2f} GB, "
          f"sampled max in {top}; wait4 maxrss {run['maxrss'] / 1e9:.2f} GB)")
    job, job_stage, private = max(((rss + own, stage, own) for (_, rss, stage), own
                                   in zip(run["samples"], run["workers"], strict=True)), default=(0, "-", 0))
    print(f"job peak (the audit's RSS + its workers' private memory, sampled) {job / 1e9:.2f} GB = "
          f"{job / size:.2f}x the archive, in {job_stage} (workers {private / 1e9:.2f} GB; at most "
          f"{max(run['workers'], default=0) / 1e9:.2f} GB)")
    load = run["load"]
    print(f"wall {run['wall_s']:.1f} s, CPU {run['cpu_s']:.1f} s (user {run['user_s']:.1f}, sys "
          f"{run['sys_s']:.1f}); load {load[0][0]:.1f} before, {load[1][0]:.1f} after")
    return {"accounts": str(args.accounts), "archive_bytes": size, "audit_src": str(args.audit_src),
            "env": args.env, "peak_rss": peak, "rss_over_size": peak / size, "job_peak": job,
            "job_over_size": job / size, "stages": stages,
            **{k: run[k] for k in ("hwm", "maxrss", "wall_s", "cpu_s", "user_s", "sys_s", "load")}}


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        run = sample(args, Path(folder))
    figures = report(args, run)
    if args.save:
        args.save.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if args.trace:
        args.trace.write_text("".join(f"{at:.3f}\t{rss}\t{stage}\n" for at, rss, stage in run["samples"]),
                              encoding="utf-8")


if __name__ == "__main__":
    main()
