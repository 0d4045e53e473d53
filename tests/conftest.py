from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture
def samples() -> Path:
    """The real export samples in ../shared/samples; tests using them skip visibly when absent."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not found at {SAMPLES} (clone the project beside ../shared to run these)")
    return SAMPLES


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
