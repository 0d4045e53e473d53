"""One run of a plan at a time: an flock on a file beside the history database.

flock locks belong to the open file and vanish when the process dies, however it dies, so a
killed run never leaves a stale lock behind (unlike a pid file).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from audit.errors import ScheduleError

EX_TEMPFAIL = 75


class PlanLocked(ScheduleError):
    """Another run of the same plan holds the lock; the scheduler may simply try again later."""

    exit_code = EX_TEMPFAIL


@contextmanager
def plan_lock(path: Path, wait: bool = False) -> Iterator[None]:
    """Hold the lock at `path` for the block; raise PlanLocked at once unless `wait`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait)
        _note_holder(fd)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, wait: bool) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        holder = _holder(fd)
        raise PlanLocked(f"another run of this plan is in progress{holder} (lock {path}); "
                         "try again later, or pass --wait to wait for it") from None


def _note_holder(fd: int) -> None:
    """The holder's pid in the lock file, only to tell a user which process holds it."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def _holder(fd: int) -> str:
    text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return f" (process {text})" if text.isdigit() else ""


def is_locked(path: Path) -> bool:
    """True while some process holds the lock (status uses it to tell a live run from a killed one)."""
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
