"""``formcheck exercises trace``: each metric over time, with why a rep did or did not count.

One panel per metric of the exercise: its value per frame, the lines its
conditions draw (the rep target, hold positions, faults, a rep's requirements),
the counted reps (green), partial reps (orange) and timed holds (blue) as
shaded spans, and the frames that could not be measured (grey). A therapist
reads off where a rep fell short, or which condition was false.

matplotlib draws it (a dependency already: the progress report uses it), with
the Agg backend, so no display is needed; the suffix picks PNG or SVG.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from formcheck.analysis.results import AnalysisSummary, FrameResult
from formcheck.errors import OutputError
from formcheck.exercises.spec import Condition, ExerciseSpec, leaves

TRACE_SUFFIXES = (".png", ".svg")


@dataclass
class Trace:
    """What a run measured, frame by frame (only what the plot needs)."""

    t_s: list[float] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)

    def add(self, r: FrameResult) -> None:
        n = len(self.t_s)
        self.t_s.append(r.t_ms / 1000.0)
        self.status.append(r.status)
        for name, value in r.metrics.items():
            self.metrics.setdefault(name, [math.nan] * n).append(value)
        for values in self.metrics.values():
            if len(values) == n:  # not measured in this frame
                values.append(math.nan)


def collect(results: Iterable[FrameResult]) -> Trace:
    trace = Trace()
    for r in results:
        trace.add(r)
    return trace


def thresholds(spec: ExerciseSpec) -> dict[str, list[tuple[float, str]]]:
    """Per metric: (value, label) of every line its conditions draw (relative ones have none)."""
    out: dict[str, list[tuple[float, str]]] = {}

    def add(cond: Condition, why: str) -> None:
        if cond.relative:
            return
        lines = out.setdefault(cond.metric, [])
        values = [cond.value, cond.high] if cond.op == "between" and cond.high is not None else [cond.value]
        if cond.op in ("abs>", "abs<"):
            values += [-cond.value]
        for v in values:
            lines.append((v, f"{why}: {cond}"))

    if spec.rep is not None:
        out.setdefault(spec.primary, []).append((spec.rep.target, f"rep target {spec.rep.target:g}"))
        if spec.both_directions:
            out[spec.primary].append((-spec.rep.target, f"rep target {-spec.rep.target:g}"))
    for c in leaves(spec.hold_position):
        add(c, "hold")
    for c in leaves(spec.rep_requires):
        add(c, "rep needs")
    for rule in spec.faults:
        for c in leaves(rule.when):
            add(c, f"fault {rule.code}")
    return out


def plot_trace(spec: ExerciseSpec, trace: Trace, summary: AnalysisSummary, out: Path, title: str = "") -> None:
    """Write the plot to ``out`` (.png or .svg) atomically: a failed write leaves nothing behind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    suffix = out.suffix.lower()
    if suffix not in TRACE_SUFFIXES:
        raise OutputError(f"{out}: the plot is written as .png or .svg, not {out.suffix or 'no suffix'}")
    names = [n for n in trace.metrics if not any(n.endswith(s) for s in (".left", ".right"))]
    names.sort(key=lambda n: n != spec.primary)  # the primary metric first
    t = np.asarray(trace.t_s)
    lines = thresholds(spec)
    fig, axes = plt.subplots(max(len(names), 1), 1, sharex=True, figsize=(11, 1.0 + 2.2 * max(len(names), 1)))
    axes = np.atleast_1d(axes)
    bad = np.asarray([s != "ok" for s in trace.status])
    for ax, name in zip(axes, names, strict=False):
        y = np.asarray(trace.metrics[name], dtype=float)
        ax.plot(t, y, color="black", linewidth=1.2, label=name)
        for side, style in ((".left", ":"), (".right", "--")):
            if name + side in trace.metrics:
                ax.plot(t, trace.metrics[name + side], color="grey", linestyle=style, linewidth=0.9, label=name + side)
        for value, label in lines.get(name, []):
            colour = "tab:red" if label.startswith("fault") else "tab:purple"
            ax.axhline(value, color=colour, linestyle="--", linewidth=0.9, label=label)
        if name == spec.primary:
            for e in summary.rep_events:
                ax.axvspan(e.start_s, e.end_s, color="tab:green" if e.complete else "tab:orange", alpha=0.25)
                mark = "rep" if e.complete else "partial: " + ", ".join(e.faults)
                ax.annotate(mark, (e.peak_s, e.peak_value), fontsize=7, ha="center", va="bottom")
            for h in summary.holds:
                ax.axvspan(h.start_s, h.end_s, color="tab:blue", alpha=0.2)
                ax.annotate(f"hold {h.duration_s:.1f} s", (h.start_s, np.nanmax(y) if np.isfinite(y).any() else 0))
        if bad.any():
            lo, hi = ax.get_ylim()
            ax.fill_between(t, lo, hi, where=bad, color="grey", alpha=0.15, step="mid", linewidth=0)
            ax.set_ylim(lo, hi)
        ax.set_ylabel(name, fontsize=8)
        ax.legend(fontsize=7, loc="upper right")
    axes[-1].set_xlabel("time (s)")
    kind = f"{summary.reps} reps, {summary.partial_reps} partial" if spec.rep else f"{len(summary.holds)} holds"
    fig.suptitle(f"{title or spec.name}: {kind} (green: counted, orange: partial, blue: hold, grey: not measured)",
                 fontsize=9)  # fmt: skip
    fig.tight_layout()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=suffix, dir=out.parent)
    except OSError as exc:
        plt.close(fig)
        raise OutputError(f"{out}: cannot write the plot ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        fig.savefig(tmp, format=suffix[1:], dpi=110)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{out}: cannot write the plot ({exc.strerror or exc})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
        plt.close(fig)
