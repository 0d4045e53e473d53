"""Charts with axes that do not mislead, each rule on a few numbers.

A share runs from 0 (to 100 %, or to a round step above small data), a score from 0 to 100, a period
without data breaks the line instead of being joined across or drawn as 0, the weekly chart stops at
the audit's last day, and names in legends and labels are wrapped, never cut.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from matplotlib.figure import Figure

import audit.report.charts as charts
import audit.report.trends as trends

PERIODS = ["2025-01", "2025-02", "2025-03", "2025-04"]
JUNE = (date(2025, 6, 1), date(2025, 6, 30))


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """The matplotlib figures the charts draw, kept for the test to read instead of encoded."""
    kept: list[Figure] = []

    def keep(fig: Figure) -> str:
        kept.append(fig)
        return "data:image/svg+xml;base64,"

    monkeypatch.setattr(charts, "svg_uri", keep)
    monkeypatch.setattr(charts, "image_uri", keep)
    monkeypatch.setattr(trends, "svg_uri", keep)
    return kept


@pytest.mark.parametrize(("values", "share", "score", "expected"), [
    ([0.0, 0.0, 0.0], True, False, (0.0, 0.1)),        # no replies at all: 0..10%, not -5..5%
    ([0.0, 0.05, 0.1], True, False, (0.0, 0.15)),      # small shares: 0 to a round step above the data
    ([0.3, 0.4, 0.6], True, False, (0.0, 1.0)),        # a share above half: the whole 0..100%
    ([100.0, 100.0], False, True, (0.0, 100.0)),       # a score: 0..100, not 95..105
    ([0.0, 0.0], False, True, (0.0, 100.0)),
    ([2.0, 3.0, 2.5], False, False, (0.0, 4.0)),       # counts: from 0 to a whole number above the largest
    ([0.0, 0.0], False, False, (0.0, 1.0)),
])
def test_value_axis_starts_at_zero_and_spans_the_scale(values, share, score, expected):
    low, high = trends.value_limits(values, share, score)
    assert (low, pytest.approx(high)) == (expected[0], expected[1])


def test_score_and_share_charts_use_their_whole_scale(figures):
    trends.trend_chart(PERIODS, {"Ministry": [100.0, 100.0, 100.0, 100.0]}, "Overall score", "score",
                       score_axis=True)
    trends.trend_chart(PERIODS, {"Embassy": [0.0, 0.0, 0.0, 0.0]}, "Replies", "share", percent_axis=True)
    score_axis, share_axis = (fig.axes[0].get_ylim() for fig in figures)
    assert score_axis == (0.0, 100.0)
    assert share_axis[0] == 0.0 and share_axis[1] > 0


def test_a_period_without_data_breaks_the_line(figures):
    trends.trend_chart(PERIODS, {"Embassy": [40.0, None, 55.0, 60.0]}, "Overall score", "score", score_axis=True)
    (line,) = figures[0].axes[0].get_lines()
    ys = list(line.get_ydata())
    assert ys[0] == 40.0 and math.isnan(ys[1]) and ys[2:] == [55.0, 60.0]  # not 0, not joined across


def test_legend_names_are_wrapped_not_cut(figures):
    name = "Embassy in Thailand (demo)"
    trends.trend_chart(PERIODS, {name: [1.0, 2.0, 3.0, 4.0]}, "Posts per week", "posts")
    (legend,) = figures[0].legends
    shown = [t.get_text() for t in legend.get_texts()]
    assert [" ".join(s.split()) for s in shown] == [name] and "…" not in shown[0]


def test_weekly_chart_is_clipped_to_the_audit_period(figures):
    weeks = [{"week_start": d, "authored": 3, "reposts": 0}
             for d in ("2025-05-26", "2025-06-02", "2025-06-09", "2025-06-16", "2025-06-23", "2025-06-30")]
    charts.cadence_chart(weeks, [], [], JUNE)
    ax = figures[0].axes[0]
    first, last = ax.get_xlim()
    assert first == charts._day_number(date(2025, 6, 1))
    assert last < charts._day_number(date(2025, 7, 1))  # the last day of June, not a July tick


def test_weekly_chart_drops_weeks_outside_the_period(figures):
    weeks = [{"week_start": "2025-07-07", "authored": 9}, {"week_start": "2025-06-09", "authored": 2}]
    chart = charts.cadence_chart(weeks, [], [], JUNE)
    assert chart is not None and "2 authored posts" in chart.alt


def test_event_titles_are_wrapped_not_cut(figures):
    title = "New government takes office after the general election (demo)"
    rows = [{"title": title, "date": "10 Mar 2025", "hours": 5.0}]
    charts.crisis_chart(rows, 72.0)
    (label,) = [t.get_text() for t in figures[0].axes[0].get_yticklabels()]
    assert "…" not in label and "election" in label


def test_a_week_inside_an_export_gap_is_not_marked_silent(figures):
    weeks = [{"week_start": d, "authored": n} for d, n in
             (("2025-06-02", 2), ("2025-06-09", 0), ("2025-06-16", 0), ("2025-06-23", 1))]
    charts.cadence_chart(weeks, [(date(2025, 6, 14), date(2025, 6, 22))], [], JUNE)
    (marks,) = [line for line in figures[0].axes[0].get_lines() if line.get_label().startswith("no authored")]
    assert list(marks.get_xdata()) == [charts._day_number(date(2025, 6, 9)) + 3.5]  # the week of 16 June is a gap
