"""``formcheck exercises learn``: an exercise file proposed from a demonstration.

A therapist records a few good reps (or one good hold). Every candidate measure
(the joint angles, the limb and trunk segments against vertical, the wrists'
and shoulders' heights and, facing the camera, the signed whole-body measures
side_bend, knee_rotation, trunk_twist and leg_lean) is computed on both sides of
every frame. The one that moves most is the primary metric, unless it is
unreliable: its two sides move opposite ways (the knees of a half kneel: on
another body the knee that moves most may be the other one) or it jitters by
more than a tenth of its range from frame to frame (landmarks that flip). The
proposed file must count its own demonstration (the demonstrated reps with no
partial one, or the hold for most of the time in position); if it does not,
the next measure is tried. Its resting value and the demonstrated reach give
the thresholds, and the file says in its comments how they were set. The
therapist reviews it (``formcheck exercises trace`` shows it on the recording).

Margins, as fractions of the demonstrated range (rest to the median peak):
a rep counts at 70% of it and starts 25% from rest and ends within 12%; a hold
is in position past 70%. 70% is where the built-in exercises put their targets
on the handouts' full range (side bend: 15 of a healthy 20 degrees; bridge: 165
on a 135-180 lift, 2/3), so a patient short of the therapist's range still
counts and a token movement is a partial rep. A signed whole-body measure is
counted to either side from its neutral 0. A movement is one excursion from
rest past half the range; a return to rest shorter than the counter's shortest
phase (0.25 s) does not split it, and one movement held past half its range for
3 s or more is a hold.

Those are starting points for the therapist, stated in the file; how well they
count other people is measured by ``tools/learn_eval.py`` (docs/accuracy.md).

Refused with one line and no file: nobody in the recording, no clear movement,
or several different movements (another measure moving as much, at other times).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.neutral import NeutralCosine
from formcheck.analysis.setup import SIDE_VIEW_MAX_RATIO, view_ratio
from formcheck.counting import RepRule
from formcheck.errors import InputError
from formcheck.exercises.custom_metrics import (
    SIDE_ON_COSINE,
    UNITS_PER_DEGREE,
    AngleMetric,
    HeightMetric,
    JointRef,
    MeasureMetric,
    SegmentMetric,
)
from formcheck.landmarks import PoseFrame
from formcheck.metrics import Body

MIN_DETECTED = 0.5  # of frames with a person: less is "nobody in the recording"
MIN_RANGE_DEG = 15.0  # the largest movement must span this (degrees, or 0.15 body sizes)
TARGET_AT, START_AT, END_AT, HOLD_AT = 0.7, 0.25, 0.12, 0.7
# One movement that stays past half its range this long is a hold (a rep pauses at the top for
# a second or two: the handouts' "hold 1-2 s"; their stretches are held 5-30 s).
HOLD_MIN_S = 3.0
MIN_PHASE_S = RepRule.min_phase_s  # shorter excursions (and returns to rest) are noise
OPPOSITE = 0.5  # the other side moving the opposite way this much of the measured side's change
SELF_CHECKS = 6  # measures tried, largest first, for one that counts its own demonstration
# A hold is found on the demonstration when it lasts this share of the time past half the range:
# the ramps in and out (about a second each) are past half the range but not held.
HOLD_FOUND = 0.6
ONE_SIDE = 0.95  # share of frames the moving side stays below (or above) the other for sides = "min"/"max"
NOISE_K = 3.0  # every margin is at least this many times the measure's frame-to-frame jitter
NOISY = 0.1  # a measure jumping a tenth of its range from frame to frame cannot be thresholded
OTHER_MOVEMENT = 0.6  # another measure moving this much of the primary's range ...
OTHER_OVERLAP = 0.3  # ... active mostly (beyond this share) while the primary rests: several movements


def _j(name: str) -> JointRef:
    return JointRef.parse(name)


def _angle(a: str, b: str, c: str) -> AngleMetric:
    return AngleMetric((_j(a), _j(b), _j(c)), bias=0.0)


def _segment(a: str, b: str) -> SegmentMetric:
    return SegmentMetric((_j(a), _j(b)), "vertical")


# Candidate measures, named as the learnt file names them; every sided one is read on both sides.
Candidate = AngleMetric | SegmentMetric | HeightMetric | MeasureMetric
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
    # Signed whole-body measures, 0 upright / knees up by their definition (formcheck.metrics.Body):
    # the frontal-plane and turning movements no joint angle sees from the front. Only seen
    # facing the camera (a side view has no frontal plane), and read as a size either way
    # (a demonstration to one side teaches the other too).
    "side_bend": (MeasureMetric("side_bend"), "the trunk bent sideways: 0 upright, + to the left"),
    "knee_rotation": (MeasureMetric("knee_rotation"), "bent knees dropped to one side: 0 up, + to the left"),
    "trunk_twist": (MeasureMetric("trunk_twist"), "shoulders turned against the hips: 0 square"),
    "leg_lean": (MeasureMetric("leg_lean"), "the hips shifted sideways over the feet: 0 centred"),
}
SIGNED = frozenset({"side_bend", "knee_rotation", "trunk_twist", "leg_lean"})


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
    # Unreliable as the primary: the other side moved the opposite way by at least OPPOSITE of this
    # side's change (the two knees of a half kneel: "the side that moves most" may be either leg on
    # another body), or the frame-to-frame jitter is over NOISY of the range (landmarks that flip).
    opposed: bool = False
    # "min" / "max": the moving side stayed below / above the other side all along (a kneeling
    # stretch's back thigh, a pulled hip): the smaller / larger of the two then follows the moving
    # leg whichever it is, where "the side that moves most" may settle on the other one first.
    lower_or_higher: str | None = None
    noise: float = 0.0  # frame-to-frame jitter of the measured side (robust sd), in the metric's units

    @property
    def range_deg(self) -> float:
        return abs(self.depth) / self.scale


def _smooth(x: np.ndarray, n: int = 5) -> np.ndarray:
    pad = np.pad(x, n // 2, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(pad, n)
    with np.errstate(all="ignore"):
        return np.nanmedian(windows, axis=1) if np.isfinite(windows).any() else x


# The knees' height read side-on is a turn only where its geometry holds: lying on the back (the
# trunk closer to horizontal than vertical, as the pelvic tilt's guided mode judges lying), both
# knees together
# (the handout's "knees pressed together": a knee's width apart, ~0.2 trunk lengths; one leg
# raised or pulled puts them a thigh apart, 0.75-1.7 on the sweep's side views) and the feet
# planted (the hips-to-ankles distance steady: a pulled or kneeling leg changes it by a third or
# more, 0.3-1.7 on the sweep; a rotation or bridge, 0.02-0.24).
LYING_MAX_DEG = 45.0  # the trunk's median angle from the image horizontal
KNEES_TOGETHER_MAX = 0.5  # trunk lengths between the knees, 90th percentile
FEET_PLANTED_MAX = 0.3  # (p95 - p5) / median of the hips-to-ankles distance


def _turns_about_planted_feet(body: Body) -> bool:
    trunk = np.linalg.norm(body.superior, axis=-1)
    with np.errstate(all="ignore"):
        apart = np.linalg.norm(body.p("left", "knee") - body.p("right", "knee"), axis=-1) / trunk
        reach = np.linalg.norm(body.mid("ankle") - body.mid("hip"), axis=-1) / trunk
        trunk_deg = np.degrees(np.arctan2(np.abs(body.superior[:, 1]), np.abs(body.superior[:, 0])))
    apart, reach, trunk_deg = apart[np.isfinite(apart)], reach[np.isfinite(reach)], trunk_deg[np.isfinite(trunk_deg)]
    if apart.size == 0 or reach.size == 0 or trunk_deg.size == 0 or np.median(trunk_deg) > LYING_MAX_DEG:
        return False
    spread = (np.percentile(reach, 95) - np.percentile(reach, 5)) / np.median(reach)
    return bool(np.percentile(apart, 90) < KNEES_TOGETHER_MAX and spread < FEET_PLANTED_MAX)


def _side_on_cosine(d: MeasureMetric, body: Body, times_s: np.ndarray) -> np.ndarray:
    """A depth measure read side-on as a length against its learnt neutral (the knees' height for
    the knee rotation), turned into degrees the way the analyzer does (``NeutralCosine``), so the
    file learnt from it counts in the units it was learnt in."""
    neutral = NeutralCosine()
    lengths = np.asarray(d.side_on(body, "left"), dtype=float)
    return np.array([neutral.update(float(t), float(v)) for t, v in zip(times_s, lengths, strict=True)])


def _movement(name: str, d: Candidate, body: Body, side_on: bool, times_s: np.ndarray) -> Movement | None:
    cosine = side_on and isinstance(d, MeasureMetric) and d.measure in SIDE_ON_COSINE
    if name in SIGNED and side_on and not (cosine and _turns_about_planted_feet(body)):
        return None
    sides, jitter = {}, {}
    for side in ("left", "right") if not isinstance(d, MeasureMetric) or d.sided else ("left",):
        raw = (
            _side_on_cosine(d, body, times_s)
            if cosine and isinstance(d, MeasureMetric)
            else np.asarray(d(body, side), dtype=float)
        )
        if name in SIGNED:
            raw = np.abs(raw)
        x = _smooth(raw)
        if np.isfinite(x).sum() < max(10, 0.5 * len(x)):
            continue
        sides[side] = x
        steps = np.abs(np.diff(raw))
        steps = steps[np.isfinite(steps)]
        jitter[side] = 1.4826 * float(np.median(steps)) if steps.size else math.nan  # robust sd per frame
    if not sides:
        return None
    spans = {s: float(np.nanpercentile(x, 95) - np.nanpercentile(x, 5)) for s, x in sides.items()}
    side = max(spans, key=lambda s: spans[s])
    x = sides[side]
    opposed, lower_or_higher = False, None
    if len(sides) == 2:
        below = sides[side] < sides["right" if side == "left" else "left"]
        seen = np.isfinite(sides[side]) & np.isfinite(sides["right" if side == "left" else "left"])
        if seen.any():
            share_below = float(below[seen].mean())
            lower_or_higher = "min" if share_below >= ONE_SIDE else "max" if share_below <= 1 - ONE_SIDE else None
        other = sides["right" if side == "left" else "left"]
        n0 = max(5, len(x) // 10)
        change = float(np.nanmedian(x) - np.nanmedian(x[:n0]))
        other_change = float(np.nanmedian(other) - np.nanmedian(other[:n0]))
        opposed = change * other_change < 0 and abs(other_change) >= OPPOSITE * abs(change)
    finite = x[np.isfinite(x)]
    start = float(np.median(finite[: max(5, len(finite) // 10)]))  # the demonstration starts at rest
    lo, hi = float(np.percentile(finite, 5)), float(np.percentile(finite, 95))
    direction = 1 if abs(hi - start) >= abs(start - lo) else -1
    far = hi if direction > 0 else lo
    active = np.abs(_held(x, start) - start) > abs(far - start) / 2
    peaks = [float(np.nanmax(direction * seg)) for seg in _segments(x - start, active)]
    depth = direction * float(np.median(peaks)) if peaks else far - start
    if name in SIGNED and (direction < 0 or abs(start) > START_AT * abs(depth)):
        return None  # not a movement away from the measure's neutral 0 (what a fixed rest of 0 needs)
    scale = UNITS_PER_DEGREE[d.units]
    noisy = not jitter[side] <= NOISY * abs(depth)
    noise = jitter[side] if math.isfinite(jitter[side]) else 0.0
    return Movement(name, side, x, start, direction, depth, scale, active, opposed or noisy, lower_or_higher, noise)


def _held(x: np.ndarray, first: float) -> np.ndarray:
    """Unmeasured frames keep the last measured value (``first`` before any): a joint hidden
    for a moment is not a return to rest."""
    out = np.asarray(x, dtype=float).copy()
    last = first
    for i, v in enumerate(out):
        if np.isfinite(v):
            last = v
        else:
            out[i] = last
    return out


def _segments(x: np.ndarray, active: np.ndarray) -> list[np.ndarray]:
    out, begin = [], None
    for i, a in enumerate([*active.tolist(), False]):
        if a and begin is None:
            begin = i
        elif not a and begin is not None:
            out.append(x[begin:i])
            begin = None
    return out


def _movements(t: np.ndarray, m: Movement) -> list[np.ndarray]:
    """The times of each movement: away from rest by more than START_AT of the range, reaching past half
    of it. A dip that does not come back near rest (a hold adjusted, a pause at the top) is not a new one."""
    away = np.abs(_held(m.values, m.rest) - m.rest) > START_AT * abs(m.depth)
    # A return to rest shorter than the counter's shortest phase is a glitch (a left/right label
    # swap for a few frames), not the end of a movement.
    gap_start = None
    for i, a in enumerate(away.tolist()):
        if not a and gap_start is None:
            gap_start = i
        elif a and gap_start is not None:
            if gap_start > 0 and t[i] - t[gap_start] < MIN_PHASE_S:
                away[gap_start:i] = True
            gap_start = None
    out, begin = [], None
    for i, a in enumerate([*away.tolist(), False]):
        if a and begin is None:
            begin = i
        elif not a and begin is not None:
            if m.active[begin:i].any():
                out.append(t[begin:i])
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
    times_s = np.array([p.t_ms / 1000.0 for p in detected])
    moves = [m for n, (d, _) in CANDIDATES.items() if (m := _movement(n, d, body, side_on, times_s)) is not None]
    if not moves:
        raise InputError(f"{label}no clear movement (no joint could be measured)")
    moves.sort(key=lambda m: -m.range_deg)
    # A measure whose two sides move opposite ways, or that jitters, is only taken when nothing
    # else moves enough.
    clear = [m for m in moves if not m.opposed and m.range_deg >= MIN_RANGE_DEG]
    if clear and clear[0] is not moves[0]:
        moves.remove(clear[0])
        moves.insert(0, clear[0])
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
    segs, durations = _movements_and_durations(t, primary)
    if kind is None:
        kind = "hold" if len(segs) == 1 and durations and max(durations) >= HOLD_MIN_S else "reps"
    # The file must count its own demonstration: each measure in turn (the clear ones first) until
    # one does. A measure that jitters while the demonstrator holds still times a hold short (the
    # hold timer counts still time only); one whose peaks are uneven makes partial reps of good ones.
    order = [primary, *(m for m in moves[1:] if not m.opposed and m.range_deg >= MIN_RANGE_DEG)]
    chosen, note = None, ""
    for m in order[:SELF_CHECKS]:
        segs, durations = _movements_and_durations(t, m)
        if not segs:
            continue
        text = _file_text(name, exercise_id, kind, m, moves, side_on, len(segs), durations)
        if _counts_itself(text, poses, kind, len(segs), durations):
            chosen = (m, segs, durations, text)
            break
    if chosen is None:
        segs, durations = _movements_and_durations(t, primary)
        text = _file_text(name, exercise_id, kind, primary, moves, side_on, len(segs), durations)
        note = "; it does not count its own demonstration exactly: review it with formcheck exercises trace"
        text = text.replace("REVIEW BEFORE USE.", "REVIEW BEFORE USE: it does not count this demonstration exactly.", 1)
        chosen = (primary, segs, durations, text)
    m, segs, durations, text = chosen
    return Learnt(text, f"learnt {kind} on {m.name} ({m.side} side moved most): rest {m.rest:.3g}, "
                        f"demonstrated {m.rest + m.depth:.3g}, {len(segs)} movements{note}")  # fmt: skip


def _movements_and_durations(t: np.ndarray, m: Movement) -> tuple[list[np.ndarray], list[float]]:
    segs = _movements(t, m)
    # Time past half the range in each movement (frames apart: a dip within a hold does not split it).
    dt = np.diff(t, append=t[-1])
    return segs, [float(dt[np.isin(t, seg) & m.active].sum()) for seg in segs]


def _counts_itself(text: str, poses: Sequence[PoseFrame], kind: str, n: int, durations: list[float]) -> bool:
    """Whether the file counts the demonstration as demonstrated: ``n`` reps and no partial one, or
    one hold lasting at least HOLD_FOUND of the time spent past half the range."""
    import tomllib

    from formcheck.analysis import Analyzer
    from formcheck.exercises.custom import parse_exercise

    analyzer = Analyzer(parse_exercise(tomllib.loads(text), "learnt.toml"), "auto")
    for pose in poses:
        analyzer.step(pose)
    s = analyzer.finish()
    if kind == "reps":
        return s.reps == n and s.partial_reps == 0
    return len(s.holds) == 1 and s.holds[0].duration_s >= HOLD_FOUND * max(durations, default=0.0)


def _views_line(name: str, side_on: bool) -> str:
    """The views the learnt measure can be read in: a joint angle, segment or height is measured
    side-on in the image and in 3D from any other view, so a file learnt in one view counts in the
    other too; a signed whole-body measure needs the body's frontal plane in view."""
    if name in SIDE_ON_COSINE and side_on:
        return 'views = ["side"]                 # read side-on from a height against its neutral'
    if name in SIGNED:
        return 'views = ["front"]                # seen facing the camera (or from the feet)'
    first, other = ("side", "front") if side_on else ("front", "side")
    return f'views = ["{first}", "{other}"]        # demonstrated {first}-on; measured in 3D from other views'


def _n(x: float, scale: float) -> str:
    digits = 0 if scale >= 1 else 2
    return f"{round(x, digits):.{digits}f}"


def _file_text(
    name: str, exercise_id: str, kind: str, m: Movement, moves: list[Movement], side_on: bool, n: int,
    durations: list[float],
) -> str:  # fmt: skip
    d, meaning = CANDIDATES[m.name]
    depth = abs(m.depth)
    floor = NOISE_K * m.noise
    short = min(max((1 - TARGET_AT) * depth, floor), depth / 2)  # the target's margin below the reach
    start, end = max(START_AT * depth, floor), max(END_AT * depth, floor / 2)
    end = min(end, start / 2)
    values = m.values[np.isfinite(m.values)]
    at_rest = np.abs(values[np.abs(values - m.rest) < START_AT * depth])  # the frames learn reads as not moving
    resting = float(np.percentile(at_rest, 95)) if m.name in SIGNED and at_rest.size else 0.0
    if resting + floor > end:
        # Counted from a fixed rest of 0, the readings at rest must themselves be "back at rest":
        # a measure whose neutral reads above 0 (the knees' height against its learnt neutral
        # reads 2-12 degrees on still knees) would otherwise never end a rep. The start keeps its
        # usual distance above the end.
        end = resting + floor
        start = max(start, end + (START_AT - END_AT) * depth)
    target = m.rest + m.direction * (depth - short)
    lines = [
        f"# {name}: learnt from a demonstration by formcheck exercises learn. REVIEW BEFORE USE.",
        f"# Measured: {m.name} ({meaning}), on the {m.side} side, the largest movement that counts this",
        "# demonstration and whose two sides do not move opposite ways. Others that moved: "
        + ", ".join(f"{o.name} {o.range_deg:.0f}" for o in [o for o in moves if o is not m][:4])
        + " (degrees, or hundredths of a body size).",
        f"# Demonstrated: rest {_n(m.rest, m.scale)}, reaching {_n(m.rest + m.depth, m.scale)} "
        f"(median of {n} movement{'s' if n != 1 else ''}); frame-to-frame noise {_n(m.noise, m.scale / 10)} "
        f"(robust sd). Every margin below is at least {NOISE_K:g} times the noise.",
        "",
        "[exercise]",
        f'id = "{exercise_id}"',
        f'name = "{name}"',
        _views_line(m.name, side_on),
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
    elif isinstance(d, MeasureMetric):
        lines.append(f'measure = "{d.measure}"')
    if m.lower_or_higher is not None:
        lines.append(
            f'sides = "{m.lower_or_higher}"                    # the moving side stayed '
            f"{'below' if m.lower_or_higher == 'min' else 'above'} the other: follows it on either leg"
        )
    lines.append("")
    signed = m.name in SIGNED
    direction = "up" if m.direction > 0 else "down"
    if kind == "reps":
        lines += [
            "[rep]",
            f"# Counts {_n(short, m.scale)} short of the demonstrated reach (the larger of {1 - TARGET_AT:.0%} of the "
            f"range and {NOISE_K:g} x noise);",
            f"# a movement that turns earlier is a partial rep. It starts {_n(start, m.scale)} from rest "
            f"({START_AT:.0%} of the range), ends within {_n(end, m.scale)} ({END_AT:.0%}).",
            f"target = {_n(target, m.scale)}",
            f'direction = "{direction}"',
            f"start_delta = {_n(start, m.scale)}",
            f"end_delta = {_n(end, m.scale)}",
        ]
        if signed:
            lines += [
                f"# {m.name} is signed (+ to the left): a rep to either side counts, from 0 (its neutral).",
                "both_directions = true",
                "rest = 0",
            ]
        if m.scale != 1:
            lines.append(f"top_band = {_n(0.05 * depth, m.scale)}")
        lines += ["", "[dose]", "sets = 3", f"reps = {max(n, 5)}"]
    else:
        held = durations[0] if durations else 10.0
        hold_short = min(max((1 - HOLD_AT) * depth, floor), depth / 2)
        hold_s = max(5, int(held // 5) * 5)
        if signed:
            why = f"{m.name} is signed (+ to the left): held to either side, from 0 (its neutral)"
            position = f'{{ metric = "{m.name}", op = "abs>", value = {_n(depth - hold_short, m.scale)} }}'
        else:
            why = f"from the demonstrated rest, {_n(m.rest, m.scale)}"
            op = ">" if m.direction > 0 else "<"
            value = m.rest + m.direction * (depth - hold_short)
            position = f'{{ metric = "{m.name}", op = "{op}", value = {_n(value, m.scale)} }}'
        lines += [
            "[hold]",
            f"# In position {_n(hold_short, m.scale)} short of the demonstrated reach or beyond (the larger of "
            f"{1 - HOLD_AT:.0%} of the range",
            f"# and {NOISE_K:g} x noise; {why}).",
            f"# The demonstration held {held:.0f} s, rounded down to {hold_s} s.",
            f"position = [{position}]",
            f"hold_s = {hold_s}",
            "",
            "[dose]",
            "sets = 3",
        ]
    return "\n".join(lines) + "\n"
