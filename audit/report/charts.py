"""The report's charts: small SVGs drawn from the result's series, embedded as data: URIs.

Why these choices (see reference/PDF.md):
* matplotlib with `svg.fonttype = "path"`: text becomes outlines, so Arabic, Hindi and Thai labels
  keep their shaping in the PDF (WeasyPrint draws SVG <text> one character at a time);
* the object API (`Figure`), not pyplot: no global figure registry, no backend state, no leaks;
* every series is told apart by hatching, markers or line style as well as colour, so a chart
  still reads when the PDF is printed in grey;
* the input is weekly counts, 24 hours, a few languages and events: the cost of a chart is bounded
  by weeks and events, never by the number of posts.
"""

from __future__ import annotations

import base64
import io
import textwrap
import unicodedata
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import matplotlib
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from audit.report import drawing
from audit.report.drawing import LEGEND_ROW, fixed_layout, top_legend
from audit.report.drawing import Chart as Chart  # re-exported: the chart modules and their callers use it from here
from audit.report.labels import language_name, percent

FULL_WIDTH = 6.7  # inches: the A4 text block
HALF_WIDTH = 3.25
INK = "#1b3a5c"
MID = "#7d9cbf"
PALE = "#dbe5f0"
ACCENT = "#a23b1d"
GREY = "#8a8a8a"
FONT_FAMILIES = ["Noto Sans", "Noto Sans CJK JP", "Noto Sans Arabic", "Noto Sans Devanagari", "Noto Sans Thai",
                 "DejaVu Sans", "sans-serif"]
RC: dict[Any, Any] = {  # keys are matplotlib rcParams names
    "svg.fonttype": "path", "svg.hashsalt": "audit-report", "font.family": FONT_FAMILIES, "font.size": 7.5,
    "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#555555", "axes.linewidth": 0.6,
    "axes.titlesize": 8, "axes.labelsize": 7.5, "xtick.labelsize": 7, "ytick.labelsize": 7,
    "legend.fontsize": 7, "legend.frameon": False, "hatch.linewidth": 0.6, "hatch.color": INK,
    "axes.unicode_minus": False,
}
LATIN_RC = {"font.family": ["Noto Sans", "DejaVu Sans"]}  # for charts with no other script (drawing.elsewhere)
LABEL_STYLES = {  # label -> (fill, hatch): distinct in grey as well as in colour
    "diplomacy": (INK, ""), "outreach": ("white", "////"), "consular": (PALE, "---"), "other": ("#eeeeee", "xx"),
}
MAX_LANGUAGES = 5  # the rest is one 'other' bar: the chart shares a third of the page width
MAX_LABEL_CHARS = 42
PRINT_DPI = 200  # sharp in print (reference/PDF.md measured PNG at 200 dpi faster than SVG, same size)


@dataclass(frozen=True)
class Marker:
    """A dated event drawn on the cadence chart."""

    day: date
    kind: str  # transition, crisis, opportunity
    title: str


@contextmanager
def chart_style(problems: list[str]) -> Iterator[None]:
    """matplotlib settings for report charts; warnings (a missing glyph) are collected, not raised."""
    with matplotlib.rc_context(RC), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    problems.extend(sorted({f"chart: {w.message}" for w in caught}))


def svg_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def image_uri(fig: Figure) -> str:
    """The chart as a PNG at print resolution: WeasyPrint places a PNG at once, while it parses and draws an
    SVG path by path (0.1 s a chart, a quarter of a 50-account render); text is outlines either way."""
    return drawing.png(fig, PRINT_DPI)


def _day_number(day: date) -> float:
    """matplotlib's number for a day (its date functions are untyped)."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def chart_text(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """A label matplotlib can draw: no emoji (no colour-emoji support in its SVG output), shortened."""
    kept = "".join(c for c in text if not _is_pictograph(c))
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else kept[: limit - 1].rstrip() + "…"


def wrapped(text: str, width: int, lines: int = 3) -> str:
    """A label broken over lines instead of cut: a reader must see "Thailand (demo)", not "Thailand (de…"."""
    kept = chart_text(text, limit=10_000)
    return "\n".join(textwrap.wrap(kept, width, max_lines=lines, placeholder=" …")) or kept


def isolated(text: str) -> str:
    """Text wrapped in Unicode isolates, so a right-to-left title does not reorder what follows it."""
    return f"\u2068{text}\u2069"


def _each_line(change: Any, text: str) -> str:
    return "\n".join(change(line) for line in text.split("\n"))


def _is_pictograph(char: str) -> bool:
    return ord(char) >= 0x1F000 or char in "\u200d\ufe0f" or (
        unicodedata.category(char) == "So" and 0x2600 <= ord(char) <= 0x27BF)


# Weekly cadence --------------------------------------------------------------------------------


@drawing.elsewhere(RC, LATIN_RC)
def cadence_chart(weekly: Sequence[Mapping[str, Any]], gaps: Sequence[tuple[date, date]],
                  markers: Sequence[Marker], period: tuple[date, date] | None = None) -> Chart | None:
    """Authored posts and reposts per week, weeks without posts, export gaps, events.

    The axis spans the audit period when it is given, so a June audit does not run into July."""
    weekly = _weeks_in(weekly, period)
    if not weekly:
        return None
    starts = [date.fromisoformat(str(w["week_start"])) for w in weekly]
    authored = [int(w.get("authored", 0)) for w in weekly]
    reposts = [int(w.get("reposts", 0)) for w in weekly]
    fig = Figure(figsize=(FULL_WIDTH, 1.3))
    ax = fig.add_subplot()
    centres = [_day_number(d) + 3.5 for d in starts]  # mid-week (a date drops the half day of a timedelta)
    ax.bar(centres, authored, width=5.6, color=INK, label="authored posts")
    if any(reposts):
        ax.bar(centres, reposts, bottom=authored, width=5.6, color="white", edgecolor=INK, linewidth=0.4,
               hatch="////", label="reposts")
    peak = max(max(a + r for a, r in zip(authored, reposts, strict=True)), 1)
    first, end = period or (starts[0], starts[-1] + timedelta(days=6))
    _silent_weeks(ax, centres, authored, gaps)
    _gap_spans(ax, gaps)
    _event_lines(ax, markers, peak, end)
    _date_axis(ax, first, end)
    ax.set_ylim(0, peak * 1.25)  # headroom for the transition labels
    ax.set_ylabel("posts per week")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    rows = top_legend(fig, 5, handlelength=1.6)
    fixed_layout(fig, left=0.48, bottom=0.26, top=0.1 + LEGEND_ROW * rows)  # room for 3-digit counts
    silent = sum(1 for a in authored if a == 0)
    alt = (f"Posts per week over {len(weekly)} weeks: {sum(authored)} authored posts and {sum(reposts)} reposts; "
           f"{silent} week{'s' if silent != 1 else ''} without an authored post.")
    return Chart(image_uri(fig), alt)


def _weeks_in(weekly: Sequence[Mapping[str, Any]], period: tuple[date, date] | None) -> list[Mapping[str, Any]]:
    """The weeks that overlap the period (a week starting before it still holds its first days)."""
    if period is None:
        return list(weekly)
    first, last = period
    return [w for w in weekly if first - timedelta(days=6) <= date.fromisoformat(str(w["week_start"])) <= last]


def _silent_weeks(ax: Any, centres: Sequence[float], authored: Sequence[int],
                  gaps: Sequence[tuple[date, date]]) -> None:
    """× under a week without an authored post, except inside an export gap: no data is not a silence."""
    spans = [(_day_number(start), _day_number(end) + 1) for start, end in gaps]
    silent = [c for c, a in zip(centres, authored, strict=True)
              if a == 0 and not any(low <= c <= high for low, high in spans)]
    if silent:
        ax.plot(silent, [0] * len(silent), linestyle="none", marker="x", markersize=4, color=ACCENT,
                clip_on=False, label="no authored post that week")


def _gap_spans(ax: Any, gaps: Sequence[tuple[date, date]]) -> None:
    for i, (start, end) in enumerate(gaps):
        ax.axvspan(_day_number(start), _day_number(end), facecolor="#f0f0f0", edgecolor=GREY,
                   hatch="\\\\\\", linewidth=0, label="no data in the export" if i == 0 else None, zorder=0)


def _event_lines(ax: Any, markers: Sequence[Marker], peak: int, last: date) -> None:
    styles = {"transition": ("--", ACCENT, "government transition"), "crisis": (":", INK, "crisis event"),
              "opportunity": ("-.", MID, "opportunity event")}
    shown: set[str] = set()
    for m in sorted(markers, key=lambda m: m.day):
        style, colour, name = styles.get(m.kind, (":", GREY, m.kind))
        ax.axvline(_day_number(m.day), linestyle=style, color=colour, linewidth=1.0,
                   label=None if m.kind in shown else name)
        shown.add(m.kind)
        if m.kind == "transition":
            late = (last - m.day).days < 60  # near the right edge: write the label to the left of the line
            ax.annotate(isolated(chart_text(m.title, 60)), (_day_number(m.day), peak * 1.16),
                        xytext=(-3 if late else 3, 0), textcoords="offset points", fontsize=6.5, color=colour,
                        va="center", ha="right" if late else "left",
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})


def _date_axis(ax: Any, first: date, last: date) -> None:
    """From the first day's start to the last day's end, so no tick of the next month is drawn."""
    ax.set_xlim(_day_number(first), _day_number(last) + 0.99)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


# Language mix --------------------------------------------------------------------------------------


@drawing.elsewhere(RC, LATIN_RC)
def language_chart(post_shares: Mapping[str, float], audience: Mapping[str, float],
                   home: Sequence[str]) -> Chart | None:
    """Share of posts in each language beside the share of the audience that reads it."""
    if not post_shares:
        return None
    langs = _top_languages(post_shares, audience)
    rows = [(lang, float(post_shares.get(lang, 0.0)), audience.get(lang)) for lang in langs]
    rest = 1.0 - sum(p for _, p, _ in rows)
    if rest > 0.005:
        rows.append(("other", rest, None))
    fig = Figure(figsize=(HALF_WIDTH, 0.55 + 0.21 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(len(rows)))
    posts = [p * 100 for _, p, _ in rows]
    reach = [(a or 0.0) * 100 for _, _, a in rows]
    ax.barh([y - 0.2 for y in ys], posts, height=0.38, color=INK, label="% of posts")
    ax.barh([y + 0.2 for y in ys], reach, height=0.38, color="white", edgecolor=INK, linewidth=0.5,
            hatch="-----", label="% of audience reading it")
    _bar_values(ax, ys, posts, reach)
    ax.set_yticks(ys, [_language_label(lang, home) for lang, _, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_xticks([0, 25, 50, 75, 100])
    fig.legend(loc="outside lower center", ncols=2, handlelength=1.4)
    alt = "Languages of the posts against the audience's languages: " + "; ".join(
        f"{language_name(lang)} {percent(p)} of posts" + (f", read by {percent(a)}" if a else "")
        for lang, p, a in rows)
    return Chart(image_uri(fig), alt)


def _top_languages(post_shares: Mapping[str, float], audience: Mapping[str, float]) -> list[str]:
    langs = set(post_shares) | set(audience)
    ranked = sorted(langs, key=lambda lang: (-max(post_shares.get(lang, 0.0), audience.get(lang, 0.0)), lang))
    return ranked[:MAX_LANGUAGES]


def _language_label(lang: str, home: Sequence[str]) -> str:
    if lang == "other":
        return "other languages"
    suffix = " (home)" if lang in home else ""
    return wrapped(f"{language_name(lang)}{suffix}", 20, lines=2)


def _bar_values(ax: Any, ys: Sequence[int], posts: Sequence[float], reach: Sequence[float]) -> None:
    for y, p, r in zip(ys, posts, reach, strict=True):
        ax.text(p + 1.5, y - 0.2, f"{p:.0f}%", va="center", fontsize=6.5)
        if r:
            ax.text(r + 1.5, y + 0.2, f"{r:.0f}%", va="center", fontsize=6.5, color="#444444")


# Posting hours -------------------------------------------------------------------------------------


@drawing.elsewhere(RC, LATIN_RC)
def hours_chart(hours: Sequence[int], timezone: str, waking: tuple[int, int],
                awake_by_hour: Sequence[float] | None = None) -> Chart | None:
    """Authored posts by hour of day in the audience's time zone, against its waking hours; for a global
    audience, by UTC hour against the hours when most of its readers are awake (`awake_by_hour`)."""
    if len(hours) != 24 or not any(hours):
        return None
    awake_hours, (start, end) = _awake_hours(waking, awake_by_hour), waking
    fig = Figure(figsize=(HALF_WIDTH, 1.35))
    ax = fig.add_subplot()
    band = "most readers awake" if awake_by_hour else f"waking hours {start:02d}–{end:02d}"
    # One shape for the band and a bar only where there are posts: a third of the artists, drawn in a third of the time.
    ax.broken_barh([(h - 0.5, 1) for h in sorted(awake_hours)], (0, 1), transform=ax.get_xaxis_transform(),
                   facecolor="#eef2f7", edgecolor="none", zorder=0, label=band)
    awake = [h if i in awake_hours else 0 for i, h in enumerate(hours)]
    asleep = [h if i not in awake_hours else 0 for i, h in enumerate(hours)]
    for counts, style in ((awake, {"color": INK, "label": "posts while awake"}),
                          (asleep, {"color": "white", "edgecolor": ACCENT, "linewidth": 0.5, "hatch": "xxx",
                                    "label": "posts at night"})):
        shown = [i for i, n in enumerate(counts) if n]
        ax.bar(shown or [0], [counts[i] for i in shown] or [0], width=0.8, **style)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}" for h in range(0, 24, 3)])
    ax.set_xlim(-0.6, 23.6)
    clock = "UTC" if awake_by_hour else f"audience time ({chart_text(timezone, 30)})"
    ax.set_xlabel(f"hour of day, {clock}")
    ax.set_ylabel("authored posts")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    rows = top_legend(fig, 3, handlelength=1.2, columnspacing=0.8)
    fixed_layout(fig, left=0.42, bottom=0.45, top=0.1 + LEGEND_ROW * rows)
    return Chart(image_uri(fig), _hours_alt(sum(awake) / sum(hours), timezone, waking, awake_by_hour))


def _awake_hours(waking: tuple[int, int], awake_by_hour: Sequence[float] | None) -> set[int]:
    """The hours drawn as awake: the waking hours, or the UTC hours when most of a global audience is awake."""
    if awake_by_hour and len(awake_by_hour) == 24:
        return {h for h, share in enumerate(awake_by_hour) if share >= 0.5}
    return set(range(waking[0], waking[1]))


def _hours_alt(share: float, timezone: str, waking: tuple[int, int], awake_by_hour: Sequence[float] | None) -> str:
    if awake_by_hour:
        return (f"Posting hours in UTC: {percent(share)} of authored posts fall in hours when most of the global "
                "audience is awake.")
    return (f"Posting hours in {timezone}: {percent(share)} of authored posts fall between {waking[0]:02d}:00 "
            f"and {waking[1]:02d}:00.")


# Diplomacy / outreach split ------------------------------------------------------------------------


@drawing.elsewhere(RC, LATIN_RC)
def label_chart(labels: Mapping[str, int]) -> Chart | None:
    """One 100% bar: diplomacy, outreach, consular and other posts, each with its own hatching."""
    total = sum(int(v) for v in labels.values())
    if total == 0:
        return None
    order = [k for k in LABEL_STYLES if labels.get(k)] + sorted(k for k in labels if k not in LABEL_STYLES)
    fig = Figure(figsize=(HALF_WIDTH, 1.1))
    ax = fig.add_subplot()
    left = 0.0
    for label in order:
        share = labels[label] / total * 100
        fill, hatch = LABEL_STYLES.get(label, ("#eeeeee", "--"))
        ax.barh(0, share, left=left, height=0.6, color=fill, edgecolor=INK, linewidth=0.5, hatch=hatch,
                label=f"{label} {labels[label]} ({share:.0f}%)")
        _segment_text(ax, left, share, fill)
        left += share
    ax.set_xlim(0, 100)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.spines["left"].set_visible(False)
    rows = top_legend(fig, 2, bottom=True, handlelength=1.4)
    fixed_layout(fig, left=0.14, bottom=0.3 + LEGEND_ROW * rows, top=0.06, right=0.16)
    alt = "Authored posts by label: " + ", ".join(f"{k} {labels[k]} ({labels[k] / total:.0%})" for k in order)
    return Chart(image_uri(fig), alt)


def _segment_text(ax: Any, left: float, share: float, fill: str) -> None:
    if share < 9:
        return
    colour = "white" if fill == INK else "black"
    ax.text(left + share / 2, 0, f"{share:.0f}%", ha="center", va="center", fontsize=7.5, color=colour,
            fontweight="bold", bbox=None if fill == INK else {"facecolor": "white", "edgecolor": "none", "pad": 1})


# Crisis response timeline --------------------------------------------------------------------------


@drawing.elsewhere(RC, LATIN_RC)
def crisis_chart(rows: Sequence[Mapping[str, Any]], window_hours: float) -> Chart | None:
    """Hours from each crisis's start to the account's first post, against the 24-hour mark."""
    if not rows:
        return None
    fig = Figure(figsize=(FULL_WIDTH, 0.95 + 0.36 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    for y, row in enumerate(rows):
        _response_bar(ax, y, row.get("hours"), window_hours)
    ax.axvline(24, linestyle="--", color=ACCENT, linewidth=1, label="24-hour mark")
    titles = [wrapped(f"{r['title']} ({r['date']})", 44, lines=2) for r in rows]
    ax.set_yticks(range(len(rows)), [_each_line(isolated, t) for t in titles])
    ax.invert_yaxis()
    ax.set_xlim(0, window_hours * 1.32)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlabel("hours from the event's start to the account's first post about it")
    ax.set_xticks([t for t in (0, 6, 12, 24, 36, 48, 72, 96) if t <= window_hours])
    fig.legend(loc="outside upper right", ncols=3, handlelength=1.6)
    alt = "Crisis response: " + "; ".join(
        f"{r['title']}: " + (f"first post after {r['hours']:.1f} hours" if r.get("hours") is not None
                             else f"no post within {window_hours:g} hours") for r in rows)
    return Chart(image_uri(fig), alt)


def _response_bar(ax: Any, y: int, hours: float | None, window: float) -> None:
    if hours is None:
        ax.plot([window], [y], marker="x", markersize=6, color=ACCENT, linestyle="none")
        ax.text(window * 1.02, y, "no response", va="center", fontsize=6.5, color=ACCENT)
        return
    late = hours > 24
    ax.barh(y, max(min(hours, window), window * 0.006), height=0.55, color="white" if late else INK,
            edgecolor=INK, linewidth=0.5, hatch="////" if late else "")
    ax.text(min(hours, window) + window * 0.015, y, f"{hours:.1f} h", va="center", fontsize=6.5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
