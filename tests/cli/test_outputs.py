"""The outputs of one run land together: a run that fails while rendering leaves the earlier ones as
they were, and no temporary files pile up beside them."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from audit import api
from audit.files import STALE_SECONDS, remove_stale_temporaries

RESULT = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"


def outputs(folder: Path) -> dict[str, Path]:
    return {"json_out": folder / "r.json", "pdf": folder / "r.pdf", "html": folder / "r.html"}


def test_a_run_that_fails_while_rendering_leaves_the_previous_outputs_and_no_temporaries(tmp_path, monkeypatch):
    paths = outputs(tmp_path)
    for path in paths.values():
        path.write_text("previous", encoding="utf-8")

    def broken_render(result, pdf=None, html=None, **_):
        Path(html).write_text("half a report", encoding="utf-8")
        raise RuntimeError("killed while drawing the PDF")

    monkeypatch.setattr(api, "render_report", broken_render)
    with pytest.raises(RuntimeError):
        api.write_outputs(json.loads(RESULT.read_text(encoding="utf-8")), **paths)
    assert {p.read_text(encoding="utf-8") for p in paths.values()} == {"previous"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json", "r.pdf"]


def test_all_outputs_appear_once_ready(tmp_path):
    paths = outputs(tmp_path)
    api.write_outputs(json.loads(RESULT.read_text(encoding="utf-8")), **{k: v for k, v in paths.items() if k != "pdf"})
    assert json.loads(paths["json_out"].read_text(encoding="utf-8"))["schema_version"] == 2
    assert "<html" in paths["html"].read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json"]


def test_temporaries_of_killed_runs_are_removed_but_not_those_of_a_live_one(tmp_path):
    target = tmp_path / "report.pdf"
    old, fresh = tmp_path / ".report.pdf.abc123.tmp", tmp_path / ".report.pdf.def456.tmp"
    for path in (old, fresh):
        path.write_bytes(b"%PDF-partial")
    long_ago = time.time() - STALE_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    assert remove_stale_temporaries(target) == 1
    assert not old.exists() and fresh.exists()
