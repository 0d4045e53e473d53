"""Charts drawn on every core: a 50-account report draws 250 charts, and making and encoding each
(matplotlib's Agg renderer) was most of its render time.

Inside `parallel()`, a chart function decorated with `@elsewhere` does not run where it is called: the call
(its name and its small arguments: weekly counts, 24 hours, a few languages) goes to a pool of forked worker
processes, which build the figure, encode it as PNG and send back the image, its alt text and any warning
(a missing glyph), so the report warns as before. The caller gets a `Chart` at once and goes on; the chart
is waited for only when the HTML is written. Sending the call instead of the finished figure saves
pickling a figure (about 20 ms each way) and builds the figures in parallel too. Outside `parallel()`
(small reports, one core, tests) a chart is drawn where it is called.

Charts whose labels have a known size are laid out with fixed margins (`fixed_layout`, `top_legend`)
rather than matplotlib's constrained layout, which measured every label in a dry run before each drawing.
"""

from __future__ import annotations

import base64
import functools
import importlib
import io
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, ParamSpec

import matplotlib
from matplotlib.figure import Figure

Drawn = tuple[str, str, list[str]] | None  # data: URI, alt text and warnings of a chart; None: nothing to draw
P = ParamSpec("P")
_pool: list[ProcessPoolExecutor] = []


class Chart:
    """A chart as a data: URI with the sentence a screen reader (and a grey print) needs; drawn already,
    or being drawn in a worker process (then reading it waits for the worker)."""

    def __init__(self, source: str | Future[Drawn], alt: str = "") -> None:
        self._source, self._alt = source, alt

    def _drawn(self) -> Drawn:
        if isinstance(self._source, str):
            return self._source, self._alt, []
        return self._source.result()

    def __bool__(self) -> bool:
        """False for a chart a worker found nothing to draw for (the template then leaves it out)."""
        return self._drawn() is not None

    @property
    def uri(self) -> str:
        drawn = self._drawn()
        return drawn[0] if drawn else ""

    @property
    def alt(self) -> str:
        drawn = self._drawn()
        return drawn[1] if drawn else ""

    @property
    def problems(self) -> list[str]:
        """Warnings met while a worker drew the chart (drawn here, they were caught by the caller's style)."""
        drawn = self._drawn()
        return drawn[2] if drawn else []


@contextmanager
def parallel(enabled: bool = True) -> Iterator[None]:
    """Draw `@elsewhere` charts in worker processes (one per core, at most four) until the block ends."""
    cores = min(4, os.cpu_count() or 1)
    if not enabled or cores < 2:
        yield
        return
    pool = ProcessPoolExecutor(max_workers=cores, mp_context=multiprocessing.get_context("fork"),
                               initializer=_in_worker)
    _pool.append(pool)
    try:
        yield
    finally:
        _pool.remove(pool)
        pool.shutdown(wait=True)  # every chart is drawn before the block is left


def _in_worker() -> None:
    """A forked worker inherits the pool list: cleared, so the charts it is sent are drawn in it."""
    _pool.clear()


def elsewhere(rc: Mapping[Any, Any], latin: Mapping[Any, Any]) -> Callable[[Callable[P, Chart | None]],
                                                                        Callable[P, Chart | None]]:
    """Run the chart function in a worker, with matplotlib settings `rc`, when a pool is open; else here.

    A chart whose arguments hold only Latin, Greek or Cyrillic text and common symbols is drawn with the
    settings `latin` on top (a short font list): laying out each label against seven fallback fonts was a
    sixth of a chart's time. Any other script keeps the whole list, so no glyph is lost."""

    def decorate(draw: Callable[P, Chart | None]) -> Callable[P, Chart | None]:
        @functools.wraps(draw)
        def maybe_later(*args: P.args, **kwargs: P.kwargs) -> Chart | None:
            if not _pool:
                with matplotlib.rc_context(dict(latin) if _latin_only(repr((args, kwargs))) else {}):
                    return draw(*args, **kwargs)
            where = (draw.__module__, draw.__qualname__)  # by name: a worker looks the function up itself
            return Chart(_pool[-1].submit(_draw_here, where, args, kwargs, dict(rc)))

        return maybe_later

    return decorate


def _latin_only(text: str) -> bool:
    """Every character below Armenian (Latin, Greek, Cyrillic), or punctuation, arrows and mathematical signs."""
    return all(ord(c) < 0x0530 or 0x2000 <= ord(c) < 0x2300 for c in text)


def _draw_here(where: tuple[str, str], args: Any, kwargs: Any, rc: dict[Any, Any]) -> Drawn:
    draw = getattr(importlib.import_module(where[0]), where[1])
    with matplotlib.rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        chart = draw(*args, **kwargs)
        drawn = (chart.uri, chart.alt) if chart is not None else None
    return (*drawn, sorted({f"chart: {w.message}" for w in caught})) if drawn else None


def png(fig: Figure, dpi: int) -> str:
    """The figure as a PNG data: URI (no timestamp or software name: the same chart gives the same bytes)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def fixed_layout(fig: Figure, left: float, bottom: float, top: float, right: float = 0.06) -> None:
    """Margins in inches, set once, instead of matplotlib's constrained layout: that layout measures every
    label in a dry run before each drawing, half of a chart's time. For charts whose labels have a known size."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)


def top_legend(fig: Figure, ncols: int, bottom: bool = False, **style: Any) -> int:
    """The legend in rows across the top left (or the bottom centre) of the figure; returns its rows."""
    place: dict[str, Any] = {"loc": "lower center", "bbox_to_anchor": (0.5, 0.0)} if bottom else \
        {"loc": "upper left", "bbox_to_anchor": (0.0, 1.0)}
    legend = fig.legend(ncols=ncols, borderaxespad=0.15, **place, **style)
    return -(-len(legend.legend_handles) // ncols)


LEGEND_ROW = 0.16  # inches: a 7-point legend row with its spacing
