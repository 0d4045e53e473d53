"""Scores combine only what was measured; sentences carry the numbers; verdicts follow the rubric's rules."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from audit.scoring import scorer
from audit.scoring.metrics.measures import Measure
from audit.scoring.rubric.loading import load_rubric
from audit.scoring.rubric.model import Dimension, MetricSpec
from audit.scoring.scorer import fill, score_dimension, verdict_for, weighted_mean


def test_weighted_mean_leaves_out_what_was_not_measured():
    assert weighted_mean([(80.0, 0.5), (None, 0.3), (40.0, 0.2)]) == pytest.approx((80 * 0.5 + 40 * 0.2) / 0.7)
    assert weighted_mean([(None, 1.0)]) is None
    assert weighted_mean([(50.0, 0.0)]) is None


def test_fill_formats_numbers_and_never_crashes():
    assert fill("{value:.0%} of posts ({count})", {"value": 0.413, "count": 7}) == "41% of posts (7)"
    assert fill("{value:.0%} and {missing}", {"value": 0.5}) == "{value:.0%} and {missing}"
    assert fill("gap since {gap_start}", {"gap_start": None}) == "gap since n/a"


def _dimension() -> Dimension:
    return Dimension(
        id="d", title="D", weight=1.0,
        metrics=(
            MetricSpec("a", 0.5, 0.0, 1.0, "a is {value:.0%}", "raise a to {target:.0%}"),
            MetricSpec("b", 0.5, 10.0, 0.0, "b is {value}", "lower b below {target}"),
            MetricSpec("c", 0.0, None, None, "c is {value}", None),
        ),
    )


def test_dimension_score_bands_findings_and_advice(monkeypatch):
    measures = {"a": Measure(0.5, evidence=["p1"]), "b": Measure(None, "no data"), "c": Measure(3.0)}
    table = {k: SimpleNamespace(function=lambda _d, m=m: m, alone=True) for k, m in measures.items()}
    monkeypatch.setattr(scorer, "METRICS", table)
    result = score_dimension(_dimension(), None, "Embassy", load_rubric("public-diplomacy"))  # type: ignore[arg-type]
    assert result.score == 50.0  # only `a` counts: 0.5 on a 0..1 scale
    assert result.band == "adequate"
    assert result.not_measured == {"b": "no data"}
    assert result.findings == ["a is 50%", "c is 3.0"]
    assert result.advice == ["raise a to 100%"]
    assert result.evidence == ["p1"]
    assert result.metric_scores == {"a": 50.0}


def test_a_nan_value_is_not_measured_rather_than_a_crash(monkeypatch):
    measures = {"a": Measure(float("nan")), "b": Measure(5.0), "c": Measure(None, "x")}
    table = {k: SimpleNamespace(function=lambda _d, m=m: m, alone=True) for k, m in measures.items()}
    monkeypatch.setattr(scorer, "METRICS", table)
    result = score_dimension(_dimension(), None, "E", load_rubric("public-diplomacy"))  # type: ignore[arg-type]
    assert "a" in result.not_measured
    assert result.score == 50.0  # b = 5 on a 10 -> 0 scale


@pytest.mark.parametrize(
    ("overall", "dims", "metrics", "verdict"),
    [
        (80.0, {"outreach_vs_diplomacy": 80.0}, {"outreach_vs_diplomacy.two_way_share": 0.6,
                                                 "outreach_vs_diplomacy.reply_share": 0.3,
                                                 "crisis_responsiveness.median_first_response_hours": 3.0,
                                                 "frequency.posts_per_week": 10.0}, "exploiter"),
        (80.0, {"outreach_vs_diplomacy": 80.0}, {"outreach_vs_diplomacy.two_way_share": 0.3,
                                                 "frequency.posts_per_week": 10.0}, "adapter"),
        (55.0, {}, {"frequency.posts_per_week": 2.0}, "adapter"),
        (55.0, {}, {"frequency.posts_per_week": 0.5}, "avoider"),
        (30.0, {}, {"frequency.posts_per_week": 20.0}, "avoider"),
        (None, {}, {}, "avoider"),
    ],
)
def test_verdict_rules_of_the_default_rubric(overall, dims, metrics, verdict):
    assert verdict_for(load_rubric("public-diplomacy"), overall, dims, metrics)[0] == verdict
