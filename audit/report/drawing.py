"""Charts encoded on every core: a 50-account report draws 200 charts, and encoding each as PNG
(matplotlib's Agg renderer) is most of the time they take.

Inside `parallel()`, `png()` hands the finished figure to a pool of forked worker processes and returns
a Future; the main process goes on building the next figures meanwhile. The workers draw with the same
matplotlib settings and send back the image and any warning (a missing glyph), so the report warns as
before. Outside `parallel()` (small reports, one core) a chart is encoded where it is drawn.
"""

from __future__ import annotations

import base64
import io
import multiprocessing
import os
import warnings
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure

Encoded = tuple[str, list[str]]  # the data: URI and the warnings met while drawing it
_pool: list[ProcessPoolExecutor] = []


@contextmanager
def parallel(enabled: bool = True) -> Iterator[None]:
    """Encode charts in worker processes (one per core, at most four) until the block ends."""
    cores = min(4, os.cpu_count() or 1)
    if not enabled or cores < 2:
        yield
        return
    pool = ProcessPoolExecutor(max_workers=cores, mp_context=multiprocessing.get_context("fork"))
    _pool.append(pool)
    try:
        yield
    finally:
        _pool.remove(pool)
        pool.shutdown(wait=True)  # every Future is resolved before the block is left


def png(fig: Figure, dpi: int, rc: Mapping[Any, Any]) -> str | Future[Encoded]:
    """The figure as a PNG data: URI, now or (inside `parallel()`) as a Future of it and its warnings."""
    if not _pool:
        return encode(fig, dpi)
    return _pool[-1].submit(_encode_with_warnings, fig, dpi, dict(rc))


def encode(fig: Figure, dpi: int) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _encode_with_warnings(fig: Figure, dpi: int, rc: dict[Any, Any]) -> Encoded:
    with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uri = encode(fig, dpi)
    return uri, sorted({f"chart: {w.message}" for w in caught})
