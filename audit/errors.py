"""The errors a user of `audit` can see.

Everything raised on purpose for a user mistake derives from :class:`AuditError`; the CLI prints
``Error: <message>`` on one line per problem and exits with code 1. Anything else is a bug and is
allowed to show a traceback.

    AuditError
    ├── InputError          a file that cannot be read as what it should be (names file and position)
    │   ├── UnknownFormatError   no collector recognises the file
    │   └── UnsafeArchiveError   a zip with escaping member names or members that expand too far
    ├── ConfigError         an accounts, events, rubric or plan file with problems (all listed at once)
    ├── RenderError         the report could not be written
    ├── ScheduleError       a periodic audit could not run (lock held, delivery failed)
    └── FetchError          a live source could not be read (names account, URL without secrets, what to do)
"""

from __future__ import annotations

from collections.abc import Iterable


class AuditError(Exception):
    """An error meant for the user to read: its message says what, where and what to do."""


class InputError(AuditError):
    """A file is missing, truncated, or not what it should be.

    The message always reads ``<file>[:<position>]: <what was expected>``, so that a user can
    open the file at the right place.
    """

    def __init__(self, path: object, expected: str, position: str | int | None = None) -> None:
        self.path = str(path)
        self.position = position
        self.expected = expected
        where = self.path if position is None else f"{self.path}:{position}"
        super().__init__(f"{where}: {expected}")


class UnknownFormatError(InputError):
    """No collector recognises the file's content."""


class UnsafeArchiveError(InputError):
    """A zip archive would write outside its folder or expand past the size limit."""


class ConfigError(AuditError):
    """A user-written file (accounts, events, rubric, plan) has one or more problems.

    ``problems`` holds every problem found, each starting with its key path, so a user can fix
    them all in one pass instead of one per run.
    """

    def __init__(self, path: object, problems: Iterable[str]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"{self.path}: {p}" for p in self.problems)
        super().__init__(lines)


class RenderError(AuditError):
    """The report could not be rendered or written."""


class ScheduleError(AuditError):
    """A scheduled audit could not run or deliver."""


class FetchError(AuditError):
    """A live source could not be read: which account, which URL (secrets removed), what to do."""

    def __init__(self, account: str, url: str, problem: str, advice: str) -> None:
        self.account, self.url, self.problem, self.advice = account, url, problem, advice
        super().__init__(f"{account}: {url}: {problem}; {advice}")
