"""What the machine gives the stages: the cores this process may use, and memory freed by a stage given
back to the system (issue 13).

On memory: Arrow's readers allocate with the C library's malloc (`ytd._read_arrow` chooses the system pool), and glibc
keeps much of what is freed in its heap for later (its threshold for giving a large block its own mapping
rises as large blocks are freed): after reading a 1M-post archive, 0.4 GB freed stayed resident until
`malloc_trim`. Called between stages, where a large working set has just been let go.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from functools import cache


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform has one), at least one: what
    reading, detection and scoring size their threads and processes by."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's malloc_trim); nothing where there is none."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    """glibc's malloc_trim, or None on a C library without it (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None
