"""``formcheck exercises learn``: an exercise file proposed from a demonstration.

A therapist records a few good reps (or one good hold). Every candidate measure
(the joint angles, the limb and trunk segments against vertical, the wrists'
and shoulders' heights) is computed on both sides of every frame; the one that
moves most is the primary metric, its resting value and the demonstrated reach
give the thresholds, and the file says in its comments how they were set. The
therapist reviews it (``formcheck exercises trace`` shows it on the recording).

Margins, as fractions of the demonstrated range (rest to the median peak):
a rep counts at 80% of it (so a patient a little short of the therapist's
range still counts; less is a partial rep), starts 25% from rest and ends
within 12%; a hold is in position past 70%. Those are starting points for the
therapist, stated in the file, not measured on patients.

Refused with one line and no file: nobody in the recording, no clear movement,
or several different movements (another measure moving as much, at other times).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.setup import SIDE_VIEW_MAX_RATIO, view_ratio
from formcheck.errors import InputError
from formcheck.exercises.custom_metrics import (
    UNITS_PER_DEGREE,
    AngleMetric,
    HeightMetric,
    JointRef,
    SegmentMetric,
)
from formcheck.landmarks import PoseFrame
from formcheck.metrics import Body

MIN_DETECTED = 0.5  # of frames with a person: less is "nobody in the recording"
MIN_RANGE_DEG = 15.0  # the largest movement must span this (degrees, or 0.15 body sizes)
TARGET_AT, START_AT, END_AT, HOLD_AT = 0.8, 0.25, 0.12, 0.7
OTHER_MOVEMENT = 0.6  # another measure moving this much of the primary's range ...
OTHER_OVERLAP = 0.3  # ... active mostly (beyond this share) while the primary rests: several movements


def _j(name: str) -> JointRef:
    return JointRef.parse(name)


def _angle(a: str, b: str, c: str) -> AngleMetric:
    return AngleMetric((_j(a), _j(b), _j(c)), bias=0.0)


def _segment(a: str, b: str) -> SegmentMetric:
    return SegmentMetric((_j(a), _j(b)), "vertical")


# Candidate measures, named as the learnt file names them; every sided one is read on both sides.
Candidate = AngleMetric | SegmentMetric | HeightMetric
CANDIDATES: dict[str, tuple[Candidate, str]] = {
    "knee_angle": (_angle("hip", "knee", "ankle"), "knee bend: 180 straight"),
    "hip_angle": (_angle("shoulder", "hip", "knee"), "trunk to thigh: 180 straight"),
    "elbow_angle": (_angle("shoulder", "elbow", "wrist"), "elbow bend: 180 straight"),
    "shoulder_angle": (_angle("hip", "shoulder", "elbow"), "arm from the trunk: 0 at the side"),
    "ankle_angle": (_angle("knee", "ankle", "foot_index"), "shin to foot"),
    "leg_from_vertical": (_segment("ankle", "hip"), "the leg from vertical: 0 standing"),
    "shin_from_vertical": (_segment("ankle", "knee"), "the shin from vertical"),
    "thigh_from_vertical": (_segment("knee", "hip"), "the thigh from vertical"),
    "trunk_from_vertical": (SegmentMetric((_j("mid_hip"), _j("mid_shoulder"))), "the trunk from vertical"),
    "wrist_height": (HeightMetric((_j("wrist"), _j("shoulder"))), "wrist above the shoulder, trunk lengths"),
    "shoulder_height": (
        HeightMetric((_j("mid_shoulder"), _j("mid_wrist"))),
        "shoulders above the hands, trunk lengths",
    ),
}


@dataclass(frozen=True)
class Movement:
    name: str
    side: str  # the side that moved more
    values: np.ndarray  # per frame, the moving side
    rest: float
    direction: int
    depth: float  # rest to the median peak, in the metric's units
    scale: float  # units per degree
    active: np.ndarray  # frames beyond half the depth from rest

    @property
    def range_deg(self) -> float:
        return abs(self.depth) / self.scale


def _smooth(x: np.ndarray, n: int = 5) -> np.ndarray:
    pad = np.pad(x, n // 2, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(pad, n)
    with np.errstate(all="ignore"):
        return np.nanmedian(windows, axis=1) if np.isfinite(windows).any() else x


def _movement(name: str, d: Candidate, body: Body) -> Movement | None:
    sides = {}
    for side in ("left", "right"):
        x = _smooth(np.asarray(d(body, side), dtype=float))
        if np.isfinite(x).sum() < max(10, 0.5 * len(x)):
            continue
        sides[side] = x
    if not sides:
        return None
    spans = {s: float(np.nanpercentile(x, 95) - np.nanpercentile(x, 5)) for s, x in sides.items()}
    side = max(spans, key=lambda s: spans[s])
    x = sides[side]
    finite = x[np.isfinite(x)]
    start = float(np.median(finite[: max(5, len(finite) // 10)]))  # the demonstration starts at rest
    lo, hi = float(np.percentile(finite, 5)), float(np.percentile(finite, 95))
    direction = 1 if abs(hi - start) >= abs(start - lo) else -1
    far = hi if direction > 0 else lo
    active = np.abs(np.nan_to_num(x, nan=start) - start) > abs(far - start) / 2
    peaks = [float(np.nanmax(direction * seg)) for seg in _segments(x - start, active)]
    depth = direction * float(np.median(peaks)) if peaks else far - start
    scale = UNITS_PER_DEGREE[d.units]
    return Movement(name, side, x, start, direction, depth, scale, active)


def _segments(x: np.ndarray, active: np.ndarray) -> list[np.ndarray]:
    out, begin = [], None
    for i, a in enumerate([*active.tolist(), False]):
        if a and begin is None:
            begin = i
        elif not a and begin is not None:
            out.append(x[begin:i])
            begin = None
    return out


@dataclass(frozen=True)
class Learnt:
    text: str  # the exercise file
    summary: str  # one line for the terminal


def learn(poses: Sequence[PoseFrame], name: str, exercise_id: str, kind: str | None = None, label: str = "") -> Learnt:
    """Propose an exercise file from the demonstration in ``poses``; InputError when it cannot."""
    label = f"{label}: " if label else ""
    detected = [p for p in poses if p.detected]
    if not poses or len(detected) < MIN_DETECTED * len(poses):
        raise InputError(f"{label}nobody in the recording (a person in {len(detected)} of {len(poses)} frames)")
    ratios = [view_ratio(p) for p in detected]
    ratio = float(np.nanmedian(ratios)) if np.isfinite(ratios).any() else math.nan
    side_on = math.isfinite(ratio) and ratio <= SIDE_VIEW_MAX_RATIO
    if side_on:
        pts = np.stack([p.image for p in detected]).copy()
        pts[:, :, 2] = 0.0
        body = Body.from_points(pts, lateral=(0.0, 0.0, 1.0))
    else:
        body = Body.from_points(np.stack([p.world for p in detected]))
    moves = [m for n, (d, _) in CANDIDATES.items() if (m := _movement(n, d, body)) is not None]
    if not moves:
        raise InputError(f"{label}no clear movement (no joint could be measured)")
    moves.sort(key=lambda m: -m.range_deg)
    primary = moves[0]
    if primary.range_deg < MIN_RANGE_DEG:
        raise InputError(
            f"{label}no clear movement (the most, {primary.name}, moved {primary.range_deg:.0f} degrees; "
            f"at least {MIN_RANGE_DEG:.0f} are needed)"
        )
    for other in moves[1:]:
        if other.range_deg < OTHER_MOVEMENT * primary.range_deg or not other.active.any():
            continue
        overlap = float((other.active & primary.active).sum() / other.active.sum())
        if overlap < OTHER_OVERLAP:
            raise InputError(
                f"{label}several different movements ({primary.name} and {other.name} move at different "
                "times); record one exercise at a time"
            )
    t = np.asarray([p.t_ms for p in detected]) / 1000.0
    segs = _segments(t, primary.active)
    durations = [float(s[-1] - s[0]) for s in segs if len(s) > 1]
    if kind is None:
        kind = "hold" if len(segs) == 1 and durations and durations[0] >= 0.4 * (t[-1] - t[0]) else "reps"
    return Learnt(_file_text(name, exercise_id, kind, primary, moves, side_on, len(segs), durations),
                  f"learnt {kind} on {primary.name} ({primary.side} side moved most): rest {primary.rest:.3g}, "
                  f"demonstrated {primary.rest + primary.depth:.3g}, {len(segs)} movements")  # fmt: skip


def _n(x: float, scale: float) -> str:
    digits = 0 if scale >= 1 else 2
    return f"{round(x, digits):.{digits}f}"


def _file_text(
    name: str, exercise_id: str, kind: str, m: Movement, moves: list[Movement], side_on: bool, n: int,
    durations: list[float],
) -> str:  # fmt: skip
    d, meaning = CANDIDATES[m.name]
    target = m.rest + TARGET_AT * m.depth
    lines = [
        f"# {name}: learnt from a demonstration by formcheck exercises learn. REVIEW BEFORE USE.",
        f"# What moved most: {m.name} ({meaning}), on the {m.side} side; next: "
        + ", ".join(f"{o.name} {o.range_deg:.0f}" for o in moves[1:4])
        + " (degrees, or hundredths of a body size).",
        f"# Demonstrated: rest {_n(m.rest, m.scale)}, reaching {_n(m.rest + m.depth, m.scale)} "
        f"(median of {n} movement{'s' if n != 1 else ''}).",
        "",
        "[exercise]",
        f'id = "{exercise_id}"',
        f'name = "{name}"',
        f'view = "{"side" if side_on else "front"}"',
        f'kind = "{kind}"',
        'instruction = "Do the exercise as demonstrated"   # write the patient\'s one-line instruction here',
        'side = "moving"                    # --side auto measures the side that moves',
        f'primary = "{m.name}"',
        "",
        f"[metrics.{m.name}]",
    ]
    if isinstance(d, AngleMetric):
        lines += [f"angle = {[str(j) for j in d.joints]}".replace("'", '"'), "bias = 0"]
    elif isinstance(d, SegmentMetric):
        lines += [f"segment = {[str(j) for j in d.segment]}".replace("'", '"'), 'against = "vertical"']
    elif isinstance(d, HeightMetric):
        lines += [f"height = {[str(j) for j in d.points]}".replace("'", '"'), 'per = "trunk"']
    lines.append("")
    depth = abs(m.depth)
    direction = "up" if m.direction > 0 else "down"
    if kind == "reps":
        lines += [
            "[rep]",
            f"# Counts at {TARGET_AT:.0%} of the demonstrated range from rest (a margin of "
            f"{1 - TARGET_AT:.0%}, {_n((1 - TARGET_AT) * depth, m.scale)}); a movement that turns",
            f"# earlier is a partial rep. It starts {START_AT:.0%} of the range from rest, ends within {END_AT:.0%}.",
            f"target = {_n(target, m.scale)}",
            f'direction = "{direction}"',
            f"start_delta = {_n(START_AT * depth, m.scale)}",
            f"end_delta = {_n(END_AT * depth, m.scale)}",
        ]
        if m.scale != 1:
            lines.append(f"top_band = {_n(0.05 * depth, m.scale)}")
        lines += ["", "[dose]", "sets = 3", f"reps = {max(n, 5)}"]
    else:
        held = durations[0] if durations else 10.0
        hold_s = max(5, int(held // 5) * 5)
        op = ">" if m.direction > 0 else "<"
        lines += [
            "[hold]",
            f"# In position past {HOLD_AT:.0%} of the demonstrated range from rest; the demonstration",
            f"# held {held:.0f} s, rounded down to {hold_s} s.",
            f'position = [{{ metric = "{m.name}", op = "{op}", value = {_n(m.rest + HOLD_AT * m.depth, m.scale)} }}]',
            f"hold_s = {hold_s}",
            "",
            "[dose]",
            "sets = 3",
        ]
    return "\n".join(lines) + "\n"
