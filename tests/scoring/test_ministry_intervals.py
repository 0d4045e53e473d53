"""The ministry's range on each dimension is the interval of its role-weighted mean over the accounts'
joint resamples, as its overall range is; none when an account measured on the dimension has no range."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from audit.report.margins import ministry_dimension
from audit.scoring.confidence import Samples
from audit.scoring.judgement import dimension_intervals
from audit.scoring.rubric.loading import load_rubric

DIMS = ("language_reach", "frequency", "outreach_vs_diplomacy", "crisis_responsiveness")


@pytest.fixture(scope="module")
def rubric():
    return load_rubric("public-diplomacy")


def account(account_id: str, role: str, **scores: float | None) -> dict[str, Any]:
    return {"id": account_id, "role": role, "dimensions": {d: {"score": scores.get(d)} for d in DIMS}}


def test_the_range_is_the_percentiles_of_the_role_weighted_mean_resample_by_resample(rubric):
    ministry, embassy = np.arange(0.0, 100.0), np.arange(100.0, 200.0)  # 100 resamples each
    samples = {"mofa": Samples({"language_reach": ministry}, {}, 100),
               "emb": Samples({"language_reach": embassy}, {}, 100)}
    accounts = [account("mofa", "ministry", language_reach=50.0), account("emb", "embassy", language_reach=150.0)]
    means = (2.0 * ministry + 1.0 * embassy) / 3.0  # [weighting] roles: ministry 2, embassy 1
    low, high = np.percentile(means, [2.5, 97.5])
    found = dimension_intervals(accounts, rubric, samples, {"language_reach": 83.3})
    assert found["language_reach"] == [round(float(low), 1), round(float(high), 1)]
    assert found["frequency"] is None  # no account measured on it


def test_no_range_when_one_account_measured_on_the_dimension_has_none(rubric):
    samples = {"a": Samples({"crisis_responsiveness": np.full(100, 80.0)}, {}, 100),
               "b": Samples({}, {"crisis_responsiveness": "interval not measured: 2 events"}, 100)}
    accounts = [account("a", "embassy", crisis_responsiveness=80.0),
                account("b", "embassy", crisis_responsiveness=20.0)]
    found = dimension_intervals(accounts, rubric, samples, {"crisis_responsiveness": 50.0})
    assert found["crisis_responsiveness"] is None


def test_the_report_reads_the_carried_range_and_falls_back_for_older_results():
    accounts = [{"id": "a", "dimensions": {"frequency": {"score": 60.0, "confidence": {"interval": [40.0, 80.0]}}}},
                {"id": "b", "dimensions": {"frequency": {"score": 40.0, "confidence": {"interval": [20.0, 60.0]}}}}]
    older = {"ministry": {"dimensions": {"frequency": 50.0}}, "accounts": accounts}
    assert ministry_dimension(older, "frequency") == (50.0, (30.0, 70.0))  # mean of the accounts' ranges
    newer = {"ministry": {"dimensions": {"frequency": 50.0},
                          "confidence": {"dimensions": {"frequency": [44.0, 56.0]}}}, "accounts": accounts}
    assert ministry_dimension(newer, "frequency") == (50.0, (44.0, 56.0))
