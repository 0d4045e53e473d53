"""Accounts are scored on several threads at once; the result must not depend on how many, nor on which
thread finishes first: same scores, intervals and evidence, enriched posts delivered in the accounts' order."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from audit.errors import AuditError
from audit.scoring.engine import SCORE_THREADS_ENV, audit_files, score_threads

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


def _audit(monkeypatch: pytest.MonkeyPatch, threads: int) -> tuple[dict[str, object], list[pl.DataFrame]]:
    monkeypatch.setenv(SCORE_THREADS_ENV, str(threads))
    frames: list[pl.DataFrame] = []
    result = dict(audit_files(DEMO / "accounts.toml", events=DEMO / "events.toml", enriched=frames.append))
    result.pop("generated_at")
    return result, frames


def test_the_result_is_the_same_on_one_thread_and_on_four(monkeypatch: pytest.MonkeyPatch) -> None:
    alone, alone_frames = _audit(monkeypatch, 1)
    together, together_frames = _audit(monkeypatch, 4)
    assert together == alone
    assert [f["account_id"].unique().to_list() for f in together_frames] == \
        [[a["id"]] for a in alone["accounts"] if a["posts"] or a["reposts"]]  # type: ignore[index]
    for mine, theirs in zip(alone_frames, together_frames, strict=True):
        assert_frame_equal(mine, theirs)


def test_the_number_of_threads_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SCORE_THREADS_ENV, "3")
    assert score_threads() == 3
    monkeypatch.delenv(SCORE_THREADS_ENV)
    assert score_threads() >= 1
    monkeypatch.setenv(SCORE_THREADS_ENV, "many")
    with pytest.raises(AuditError, match="AUDIT_SCORE_THREADS='many': expected a whole number of threads"):
        score_threads()
