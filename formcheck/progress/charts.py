"""The report's charts: matplotlib figures rendered to inline SVG.

Why matplotlib + SVG: the report must open offline, with no network and no
script, and print sharply. A JavaScript charting library would have to be
inlined (hundreds of kB) and runs only in a browser; matplotlib draws on the
machine that writes the report, its SVG is vector (sharp on paper at any
size), and text is stored as paths (``svg.fonttype = "path"``) so the page
needs no font. Figures are built with the object API (``Figure``), never
pyplot, so there is no global state and no GUI backend.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from formcheck.progress.data import ExerciseSeries, FaultCount, PainPoint, WeekAdherence

# Typed Any: matplotlib types rc keys as a Literal of every setting.
_STYLE: Any = {
    "svg.fonttype": "path",
    "svg.hashsalt": "formcheck",  # stable ids: the same data gives the same file
    "font.size": 9.0,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
DONE = "#1f77b4"
PRESCRIBED = "#555555"
TARGET = "#d62728"
AFTER = "#ff7f0e"
RANGE = "#9ecae1"
WIDTH_IN = 7.5  # fits an A4 page's text width


def to_svg(fig: Figure) -> str:
    buf = io.StringIO()
    with mpl.rc_context(_STYLE):
        fig.savefig(buf, format="svg", metadata={"Date": None})  # constrained layout already fits the labels
    text = buf.getvalue()
    text = re.sub(r"^<\?xml[^>]*>\s*", "", text)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)
    return text


def _x(t: dt.datetime) -> float:
    """A date as matplotlib's date number (the date locator and formatter read these)."""
    return float(date2num(t))  # type: ignore[no-untyped-call]


def _date_axis(ax: Axes) -> None:
    locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _legend_above(ax: Axes) -> None:
    """Above the plot, right-aligned (the title sits left): a legend inside can hide data points."""
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3, fontsize=7.5, frameon=False, borderaxespad=0.2)


def _figure(height_in: float) -> Figure:
    with mpl.rc_context(_STYLE):
        return Figure(figsize=(WIDTH_IN, height_in), layout="constrained")


def adherence_chart(weeks: Sequence[WeekAdherence]) -> str:
    with mpl.rc_context(_STYLE):
        fig = _figure(4.2)
        ax1, ax2 = fig.subplots(2, 1, sharex=True)
        x = [dt.datetime.combine(w.week_start, dt.time()) for w in weeks]
        width = dt.timedelta(days=5)
        for ax, done, prescribed, what in (
            (ax1, [w.sessions_done for w in weeks], [w.sessions_prescribed for w in weeks], "Sessions"),
            (ax2, [w.sets_done for w in weeks], [w.sets_prescribed for w in weeks], "Sets"),
        ):
            ax.bar(x, done, width=width, align="edge", color=DONE, label=f"{what.lower()} done")
            if any(p is not None for p in prescribed):
                edges = x + [x[-1] + dt.timedelta(days=7)]
                steps = [p or 0 for p in prescribed]
                ax.stairs(steps, edges, color=PRESCRIBED, linewidth=1.5, label="prescribed")
            ax.set_ylabel(f"{what} per week")
            _legend_above(ax)
            ax.set_ylim(bottom=0)
        ax2.set_xlabel("Week starting (Monday)")
        _date_axis(ax2)
        return to_svg(fig)


def series_chart(series: ExerciseSeries, ylabel: str) -> str:
    with mpl.rc_context(_STYLE):
        fig = _figure(2.6)
        ax = fig.subplots()
        t = [_x(p.started_at) for p in series.points]
        med = [p.median for p in series.points]
        low = [p.low for p in series.points]
        high = [p.high for p in series.points]
        # Range bars as one LineCollection and medians as one line: twice as fast to draw as errorbar().
        ax.vlines(t, low, high, color=RANGE, linewidth=1, label="lowest to highest in the session")
        ax.plot(t, med, "o", markersize=3, color=DONE, label="median of the session")
        if series.target is not None:
            ax.axhline(series.target, color=TARGET, linestyle="--", linewidth=1.2, label=f"target {series.target:g}")
        ax.set_ylabel(ylabel)
        ax.set_title(series.exercise_name, loc="left", fontsize=10)
        _legend_above(ax)
        _date_axis(ax)
        return to_svg(fig)


def pain_chart(points: Sequence[PainPoint]) -> str:
    with mpl.rc_context(_STYLE):
        fig = _figure(2.8)
        ax = fig.subplots()
        before = [(p.started_at, p.before) for p in points if p.before is not None]
        after = [(p.started_at, p.after) for p in points if p.after is not None]
        if before:
            ax.plot(*zip(*before, strict=True), "o-", color=DONE, markersize=3, linewidth=1, label="before")
        if after:
            ax.plot(*zip(*after, strict=True), "s-", color=AFTER, markersize=3, linewidth=1, label="after")
        stops = [p for p in points if p.stop_answers]
        for i, p in enumerate(stops):
            ax.axvline(
                _x(p.started_at),
                color=TARGET,
                linewidth=1,
                linestyle=":",
                label="stopped (answers in the table)" if i == 0 else None,
            )
        ax.set_ylim(-0.3, 10.3)
        ax.set_yticks(range(0, 11, 2))
        ax.set_ylabel("Pain (0-10)")
        _legend_above(ax)
        _date_axis(ax)
        return to_svg(fig)


def faults_chart(faults: Sequence[FaultCount]) -> str:
    with mpl.rc_context(_STYLE):
        fig = _figure(0.5 + 0.3 * max(len(faults), 1))
        ax = fig.subplots()
        labels = [f.message if len(f.message) <= 60 else f.message[:57] + "..." for f in faults][::-1]
        ax.barh(labels, [f.count for f in faults][::-1], color=DONE)
        ax.set_xlabel("Times the feedback was given")
        ax.grid(axis="y", visible=False)
        return to_svg(fig)
