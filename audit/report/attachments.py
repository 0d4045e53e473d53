"""Files the PDF/A-3 edition carries inside it: the result JSON and, when written, the posts table.

A reader who doubts a number can open the data it came from without asking for it: PDF/A-3 is the
archival PDF that may embed files (ISO 19005-3). The report says in words which files are attached
and how to open them; other PDF variants carry none, and the note says where the files are instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ARCHIVE_VARIANTS = ("pdf/a-3b", "pdf/a-3u", "pdf/a-3a")
OPEN_HOW = ("open them from the attachments panel (the paper clip) of Acrobat Reader, Firefox, Okular or Evince, "
            "or save them with pdfdetach -saveall")


@dataclass(frozen=True)
class Attached:
    """One file to embed: its name inside the PDF, its bytes, and what it is, in words."""

    name: str
    data: bytes
    description: str


def attachments(result_json: str, posts: Path | None) -> list[Attached]:
    """The result as JSON and the posts table (`--posts-out`), if one was written."""
    found = [Attached("result.json", result_json.encode("utf-8"),
                      "The audit result (AuditResult JSON): every score, metric, finding and event of this report")]
    if posts is not None and posts.is_file():
        found.append(Attached(posts.name, posts.read_bytes(),
                              "Every post of the period with its language, signals and label (--posts-out)"))
    return found


def data_note(variant: str | None, files: Sequence[Attached]) -> str:
    """The sentence that tells a reader where the data behind the report is and how to open it."""
    if variant in ARCHIVE_VARIANTS and files:
        names = " and ".join(f"{f.name} ({f.description.split(':')[0].lower()})" for f in files)
        return f"This PDF carries {names} as attached files: {OPEN_HOW}."
    return ("Every number here comes from the result JSON (audit run --json). The archival edition (--pdf-variant "
            f"pdf/a-3u) carries it and the posts table (--posts-out) inside the PDF: {OPEN_HOW}.")
