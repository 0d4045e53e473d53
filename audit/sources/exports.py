"""Exports seen as sets of named members, whatever they arrive as: a file, a folder, a zip or a tar.

Mastodon's "Request your archive" gives a .tar.gz; the other platforms give zips.

Collectors never open paths themselves: they ask an :class:`Export` for its member names and
bytes. That keeps zip handling (and its dangers) in one place: member names that climb out of
the archive (``../``) or are absolute are refused, and no member may expand past a size limit,
counted while reading rather than trusted from the zip header.
"""

from __future__ import annotations

import glob
import os
import tarfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from audit.errors import InputError, UnsafeArchiveError
from audit.sources.limits import MAX_MEMBER_BYTES, MAX_MEMBERS, MAX_RATIO, MAX_TOTAL_BYTES

SKIP_NAMES = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Export:
    """A file, folder or zip read as members with posix-style relative names."""

    path: Path
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)
    _names: list[str] = field(default_factory=list, repr=False)
    _tar: tarfile.TarFile | None = field(default=None, repr=False)
    refused: dict[str, str] = field(default_factory=dict)
    """Entries seen but not offered to collectors, with the reason: links out of a folder, tar links."""

    @property
    def label(self) -> str:
        return str(self.path)

    def members(self) -> list[str]:
        """Member names, sorted, without folders and OS clutter."""
        return self._names

    def where(self, member: str) -> str:
        """How a member is named in messages: the file itself, or `archive.zip!inner/name`."""
        archive = self._zip is not None or self._tar is not None
        if self.path.is_file() and not archive:
            return str(self.path)
        joiner = "!" if archive else "/"
        return f"{self.path}{joiner}{member}"

    def read_bytes(self, member: str) -> bytes:
        """The member's whole content; zip members are size-checked while they are read."""
        if self._zip is not None:
            return _read_zip_member(self._zip, member, self.where(member))
        if self._tar is not None:
            return _read_tar_member(self._tar, member, self.where(member))
        target = self.path if self.path.is_file() else self.path / member
        try:
            return target.read_bytes()
        except OSError as e:
            raise InputError(target, f"cannot be read ({e.strerror})") from None

    def file_path(self, member: str) -> Path | None:
        """The member's own file on disk, which can be mapped instead of read (None inside a zip or tar)."""
        if self._zip is not None or self._tar is not None:
            return None
        return self.path if self.path.is_file() else self.path / member

    def head(self, member: str, size: int = 4096) -> bytes:
        """The first bytes of a member, for detecting its format without reading it all.

        A damaged member is an InputError here too: detection runs before reading, so this is
        where a corrupt archive is usually met first.
        """
        try:
            if self._zip is not None:
                with self._zip.open(member) as f:
                    return f.read(size)
            if self._tar is not None:
                return _read_tar_member(self._tar, member, self.where(member), size)
            target = self.path if self.path.is_file() else self.path / member
            with target.open("rb") as f:
                return f.read(size)
        except (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, OSError) as e:
            raise InputError(self.where(member), f"expected a readable file ({e})") from None
        except (NotImplementedError, RuntimeError) as e:  # zipfile: encrypted or unsupported compression
            raise InputError(self.where(member),
                             f"expected an unencrypted member with a standard compression ({e})") from None

    def size(self, member: str) -> int:
        if self._zip is not None:
            return self._zip.getinfo(member).file_size
        if self._tar is not None:
            return self._tar.getmember(member).size
        target = self.path if self.path.is_file() else self.path / member
        return target.stat().st_size

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for archive in (self._zip, self._tar):
            if archive is not None:
                archive.close()


def open_export(path: Path) -> Export:
    """Open a file, folder or zip as an :class:`Export`; a missing path is an InputError."""
    try:
        path.stat()
    except FileNotFoundError:
        pass
    except OSError as e:  # a name too long for the file system, a loop of links, no permission
        raise InputError(path, f"cannot be opened ({e.strerror})") from None
    if path.is_dir():
        return _open_folder(path)
    if not path.is_file():
        raise InputError(path, "no such file or folder")
    if zipfile.is_zipfile(path):
        return _open_zip(path)
    if _is_tar(path):
        return _open_tar(path)
    if path.suffix.lower() == ".zip":
        raise InputError(path, "expected a zip archive, found a damaged or truncated one (no zip directory)")
    return Export(path, None, [path.name])


def expand_source(source: str, base: Path) -> list[Path]:
    """The paths an accounts-file `source` names: a file, folder, zip or glob, relative to `base`.

    `..` is folded away (`accounts/../exports/x` becomes `exports/x`) so messages and the `source`
    column name files the way a person would.
    """
    pattern = os.path.normpath(source if Path(source).is_absolute() else base / source)
    if glob.has_magic(pattern):
        found = sorted(Path(p) for p in glob.glob(pattern, recursive=True))
        if not found:
            raise InputError(pattern, "the pattern matches no file")
        return found
    return [Path(pattern)]


def _open_folder(path: Path) -> Export:
    """A folder's files; a symbolic link is followed only to a file inside the folder, else listed as refused."""
    root, names, refused = path.resolve(), [], {}
    for entry in sorted(path.rglob("*")):
        name = entry.relative_to(path).as_posix()
        if _skipped(name) or (entry.is_dir() and not entry.is_symlink()):
            continue
        problem = _link_problem(entry, root) if entry.is_symlink() else None
        if problem:
            refused[name] = problem
        elif entry.is_file():
            names.append(name)
    return Export(path, None, names, refused=refused)


def _link_problem(entry: Path, root: Path) -> str | None:
    """Why a symbolic link in a folder export is not followed (None: it names a file inside the folder)."""
    target = entry.resolve()
    if not target.is_relative_to(root):
        return "symbolic link pointing outside the export folder (not followed)"
    if not target.exists():
        return "broken symbolic link"
    return None if target.is_file() else "symbolic link to a folder (not followed)"


def _unique_names(path: Path, names: list[str], archive: zipfile.ZipFile | tarfile.TarFile) -> list[str]:
    """Names sorted; one that occurs twice is an error (the archive is closed), since either copy could be it."""
    names = sorted(names)
    twice = next((a for a, b in zip(names, names[1:], strict=False) if a == b), None)
    if twice is not None:
        archive.close()
        raise InputError(path, "expected each member name once, found it twice "
                               "(an appended archive? which copy holds the export is ambiguous)", repr(twice))
    return names


def _open_zip(path: Path) -> Export:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise InputError(path, f"expected a readable zip archive ({e})") from None
    names = []
    _check_totals(path, archive.infolist())
    for info in archive.infolist():
        _check_member(path, info)
        if not info.is_dir() and not _skipped(info.filename):
            names.append(info.filename)
    return Export(path, archive, _unique_names(path, names, archive))


def _check_totals(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse archives past MAX_MEMBERS entries or MAX_TOTAL_BYTES expanded, before reading any of them."""
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS or total > MAX_TOTAL_BYTES:
        raise UnsafeArchiveError(path, f"expected at most {MAX_MEMBERS} members and {MAX_TOTAL_BYTES} bytes "
                                       f"expanded, found {len(infos)} members and {total} bytes")


def _check_name(path: Path, filename: str) -> None:
    name = PurePosixPath(filename.replace("\\", "/"))
    if name.is_absolute() or ".." in name.parts or ":" in filename.split("/")[0]:
        raise UnsafeArchiveError(path, "expected member names inside the archive, found one that escapes it",
                                 position=repr(filename))


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    _check_name(path, info.filename)
    if info.file_size > MAX_MEMBER_BYTES or info.file_size > max(info.compress_size, 1) * MAX_RATIO + 2**20:
        raise UnsafeArchiveError(
            path, f"member expands to {info.file_size} bytes from {info.compress_size}; refusing a zip bomb",
            position=repr(info.filename),
        )


def _read_zip_member(archive: zipfile.ZipFile, member: str, where: str) -> bytes:
    info = archive.getinfo(member)
    limit = min(MAX_MEMBER_BYTES, max(info.compress_size, 1) * MAX_RATIO + 2**20)
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                total += len(chunk)
                if total > limit:
                    raise UnsafeArchiveError(where, f"member expands past {limit} bytes; refusing a zip bomb")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
        raise InputError(where, f"expected an intact zip member ({e})") from None
    except (NotImplementedError, RuntimeError) as e:  # encrypted, or a compression zipfile cannot read
        raise InputError(where, f"expected an unencrypted member with a standard compression ({e})") from None
    return b"".join(chunks)


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except (OSError, tarfile.TarError, EOFError):
        return False


def _open_tar(path: Path) -> Export:
    """A tar (or .tar.gz) archive: regular files only; links and devices are not export data."""
    try:
        archive = tarfile.open(path)  # noqa: SIM115 - kept open by the Export, closed by Export.close()
        infos = archive.getmembers()
    except (tarfile.TarError, zlib.error, EOFError, OSError) as e:
        raise InputError(path, f"expected a readable tar archive ({e})") from None
    total = 0
    for info in infos:
        _check_name(path, info.name)
        total += info.size if info.isfile() else 0
    limit = max(path.stat().st_size, 1) * MAX_RATIO + 2**20
    if total > limit or any(i.size > MAX_MEMBER_BYTES for i in infos):
        archive.close()
        raise UnsafeArchiveError(path, f"members expand to {total} bytes; refusing an archive bomb")
    names = _unique_names(path, [i.name for i in infos if i.isfile() and not _skipped(i.name)], archive)
    refused = {i.name: f"{_tar_kind(i)} in a tar archive (not followed)" for i in infos
               if not (i.isfile() or i.isdir() or _skipped(i.name))}
    return Export(path, None, names, archive, refused)


def _tar_kind(info: tarfile.TarInfo) -> str:
    return "symbolic link" if info.issym() else "hard link" if info.islnk() else "special file"


def _read_tar_member(archive: tarfile.TarFile, member: str, where: str, size: int = -1) -> bytes:
    try:
        handle = archive.extractfile(member)
        if handle is None:
            raise InputError(where, "expected a regular file in the archive")
        with handle:
            return handle.read(size) if size >= 0 else handle.read(MAX_MEMBER_BYTES + 1)
    except (tarfile.TarError, zlib.error, EOFError, OSError) as e:
        raise InputError(where, f"expected an intact tar member ({e})") from None


def _skipped(name: str) -> bool:
    return any(part in name for part in SKIP_NAMES) or PurePosixPath(name).name.startswith("._")

