"""Golden files for collectors: `fixtures/<format>/<fixture>.expected.json` beside each fixture.

A golden file holds the read context (`source_timezone`, CSV `columns`), the posts a fixture
must give (the canonical columns minus account_id/platform/source, timestamps in ISO 8601) and the
skipped records. Regenerate one for review with:

    python -m tests.golden fixtures/<format>/<fixture>

and read it before committing: the point of a golden file is that a person checked it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from audit.collectors.base import ReadContext
from audit.posts.collect import read_export

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GOLDEN_COLUMNS = [
    "post_id", "published_at", "kind", "text", "reply_to", "declared_lang", "url", "mentions", "hashtags",
    "urls", "media_count", "likes", "shares", "replies", "views",
]


def golden_path(fixture: Path) -> Path:
    return fixture.parent / f"{fixture.name}.expected.json"


def fixture_of(golden: Path) -> Path:
    return golden.parent / golden.name.removesuffix(".expected.json")


def context_from(spec: dict[str, Any]) -> ReadContext:
    return ReadContext(account_id="fixture", handle=spec.get("handle"), source_timezone=spec.get("source_timezone"),
                       options={"columns": spec.get("columns", {}), **spec.get("options", {})})


def actual(fixture: Path, fmt: str, spec: dict[str, Any]) -> dict[str, Any]:
    """What reading `fixture` as `fmt` gives, in golden-file form."""
    report, batch = read_export(fixture, context_from(spec), fmt=fmt)
    rows = batch.posts.select(GOLDEN_COLUMNS).with_columns(
        pl.col("published_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.fZ")
    )
    skipped = [{"index": s.index, "reason": s.reason} for s in batch.skipped]
    return {"posts": rows.to_dicts(), "skipped": skipped}


def write_golden(fixture: Path) -> None:
    fmt = fixture.parent.name
    path = golden_path(fixture)
    spec = json.loads(path.read_text())["context"] if path.exists() else {}
    data = {"context": spec, **actual(fixture, fmt, spec)}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        write_golden(Path(arg).resolve())
