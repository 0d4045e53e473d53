"""Only public posts are audited: a private post's words appear in no output, only its count.

The Mastodon fixture archive holds a direct message and a followers-only post among public ones.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from audit.api import audit_from_paths, report_html
from audit.posts.output import write_posts
from audit.result.io import result_json

ACCOUNTS = Path(__file__).resolve().parents[2] / "fixtures" / "accounts" / "ministry.toml"
PRIVATE_WORDS = (
    "颱風警報期間請注意安全",  # the followers-only post
    "Could we confirm the call for Friday",  # the direct message
)


def test_private_posts_reach_no_output_and_are_counted(tmp_path):
    frames: list[pl.DataFrame] = []
    result = audit_from_paths(ACCOUNTS, enriched=frames.append)
    posts_csv = tmp_path / "posts.csv"
    write_posts(pl.concat(frames, how="vertical_relaxed"), posts_csv)
    page, _ = report_html(result)
    outputs = {"json": result_json(result), "html": page, "posts": posts_csv.read_text(encoding="utf-8")}
    for name, text in outputs.items():
        for words in PRIVATE_WORDS:
            assert words not in text, f"private words {words!r} in the {name} output"
    reasons = [s["reason"] for s in result["coverage"]["skipped"]]
    assert reasons.count("followers-only post (private, not audited)") == 2  # read from the folder and the zip
    assert reasons.count("direct message (private, not audited)") == 2
