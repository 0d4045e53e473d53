"""Writing tables and documents atomically: a crash never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from audit.errors import InputError


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed over it only when the block succeeds.

    The temporary file is made private (mkstemp); it gets the permissions a plain new file would
    have before it is renamed, so a report shared with a policy team is not left owner-only.
    """
    with atomic_paths([target]) as (tmp,):
        yield tmp


STALE_SECONDS = 3600
"""A temporary file older than this was left by a killed run: no live run writes for an hour."""


@contextmanager
def atomic_paths(targets: Sequence[Path], sweep: bool = True) -> Iterator[list[Path]]:
    """Temporary paths for several outputs of one run, renamed over their targets only when all are ready.

    The renames follow each other in the given order once every file is written, so a killed run
    leaves the earlier outputs untouched instead of a new JSON beside an old report; put the file
    that says the run finished (the JSON result) last. Stale temporary files of earlier killed runs
    beside the targets are removed first, unless `sweep` is False: a writer of thousands of files into
    one folder (the live store's pages) sweeps once itself, since each sweep lists the whole folder.
    """
    for target in targets if sweep else ():
        remove_stale_temporaries(target)
    with ExitStack() as stack:
        tmps = [stack.enter_context(_staged(target)) for target in targets]
        yield tmps
        for tmp, target in zip(tmps, targets, strict=True):
            _replace(tmp, target)


@contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A private temporary path beside `target`, deleted if it was not renamed."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise InputError(target, f"expected a writable location ({e.strerror})") from None
    os.close(fd)
    try:
        yield Path(tmp)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.chmod(tmp, _new_file_mode())
        os.replace(tmp, target)
    except OSError as e:
        raise InputError(target, f"expected a writable location ({e.strerror})") from None


def remove_stale_temporaries(target: Path) -> int:
    """Remove `.NAME.*.tmp` files beside `target` older than STALE_SECONDS; how many were removed."""
    removed, cutoff = 0, time.time() - STALE_SECONDS
    for stale in _temporaries_of(target):
        try:
            if stale.stat().st_mtime < cutoff:
                stale.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def _temporaries_of(target: Path) -> list[Path]:
    """`.NAME.*.tmp` beside `target`, by name prefix: a glob matches every entry of the folder in Python,
    which made each write into a folder of thousands of files (the live store's pages) cost milliseconds."""
    prefix = f".{target.name}."
    try:
        with os.scandir(target.parent) as entries:
            return [Path(e.path) for e in entries if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _new_file_mode() -> int:
    """0o666 minus the process umask: what open() would have given the file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(target: Path, write: Callable[[Path], object], sweep: bool = True) -> None:
    with atomic_paths([target], sweep) as (tmp,):
        write(tmp)


def write_text_atomic(target: Path, text: str, sweep: bool = True) -> None:
    write_atomic(target, lambda p: p.write_text(text, encoding="utf-8"), sweep)
