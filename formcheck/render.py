"""Overlay annotators: drawing only, no measuring.

Each annotator has one job and the same signature, ``annotate(image, result,
live)``, drawing in place on a BGR image from what the analyzer (and, live,
the session) already decided. The annotated video and the live window use the
same ``Overlay``; ``live`` is None for a video file, and carries the session's
extra state (set counter, setup card, pause, FPS) in the live window.

Sizes are designed for a 480-line frame and scale with the frame height, so
the picture looks the same at any resolution and stays legible when the
window is enlarged for a patient standing 2-3 m from the screen.

No text is drawn smaller than ``MIN_TEXT_SIZE``: letters 13 px tall (cap
height with ascenders, 2.7% of the frame height) in a 480-line frame. That is
the height of 10-pt print read at arm's length, and it is where OpenCV's
stroke font still draws every letter with an open counter (below about 11 px
the bold "e", "a" and "s" fill in and a line turns into a smudge). A 640x480
recording is often watched at its own size, so this floor is set for that
frame, and everything larger scales from it.

The key help and the speed readout belong to the window, not to the picture:
``window_strip`` adds them below the picture, so a recording (``--record``)
and an annotated video never carry them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from formcheck.analysis import FrameResult
from formcheck.exercises.spec import ExerciseSpec, leaves
from formcheck.landmarks import SKELETON_EDGES, Landmark, sided

Image = NDArray[np.uint8]
Colour = tuple[int, int, int]

# BGR colours: calm, readable on bright and dark backgrounds alike.
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
MUTED = (200, 200, 200)
BONE = (235, 220, 200)
JOINT = (255, 180, 60)
ACCENT = (235, 200, 120)  # a soft blue: "measuring", neither good nor bad
GOOD = (90, 200, 90)
WARN = (40, 170, 255)
PAUSED = (60, 60, 230)
FONT = cv2.FONT_HERSHEY_DUPLEX

# What the analyzer's phases mean to the person doing the exercise.
PHASE_WORDS = {"rest": "ready", "active": "moving", "top": "at target", "hold": "holding"}

TOP_BAND = 84  # lines at 480: exercise, count, set, phase
FEEDBACK_BAND = 46
HELP_BAND = 26  # the window's strip below the picture
MIN_TEXT_SIZE = 0.8  # 13 px letters at 480 lines (see the module docstring)


@dataclass(frozen=True)
class CueView:
    """A guided exercise's cued hold, as the session decided it (``live.cued``)."""

    phase: Literal["wait", "cue", "hold", "relax"]
    left_s: float  # of the phase (NaN while waiting)
    hold_s: float
    words: str  # the cue, "Relax", or what to change to be in position
    in_position: bool  # seen in the starting position, still, without a fault, now
    done: int  # cued holds done in position
    cued: int  # cued holds run to their end
    card: bool = True  # False: no cue card (a program's rest card is up)


# What a guided exercise's screen says the tool does, in place of a measured angle.
GUIDED_NOTE = "Cued holds: the tilt itself is too small for a webcam to measure"
# An annotated video of such an exercise: its counts rest on that small signal.
ESTIMATE_NOTE = "Estimate: the tilt is within the camera's error"


@dataclass(frozen=True)
class LiveInfo:
    """What the live session adds to a frame's analysis; the renderer only draws it.

    The session decides every word here (which stage, which set, what the
    setup card says); drawing it needs no knowledge of the session's rules.
    """

    stage: Literal["setup", "counting", "paused"] = "counting"
    set_no: int = 1
    sets: int = 0  # 0: no set counter (a dose without sets)
    done_in_set: int = 0
    per_set: int = 0
    unit: str = "reps"  # what ``per_set`` counts: "reps" or "holds"
    dose_done: bool = False
    banner: str | None = None  # a short, transient announcement ("Set 1 done")
    setup_title: str = ""
    setup_lines: tuple[str, ...] = ()  # the instruction, wrapped by the renderer
    setup_message: str | None = None  # the one thing to change, or None when ready
    setup_hint: str | None = None  # e.g. lying-down advice when nobody is found
    safety: str | None = None
    fps: float = math.nan  # NaN: not shown (only with --stats)
    latency_ms: float = math.nan
    muted: bool = False
    help: str = ""  # the key help, for the window's strip below the picture
    dose_line: str | None = None  # under "Set 2 of 3": "6 of 10 reps", "18 of 30 s" (None: "4 reps left")
    cue: CueView | None = None  # a guided exercise (spec.guided): the cued hold instead of a measurement


@dataclass(frozen=True)
class SummaryView:
    """The end-of-session screen: a title, rows of (label, value) and footers."""

    title: str
    rows: Sequence[tuple[str, str]]
    footer: Sequence[str] = field(default_factory=tuple)


class Annotator(Protocol):
    def annotate(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image: ...


# -- primitives ---------------------------------------------------------------


def _pt(p: NDArray[np.float64]) -> tuple[int, int]:
    return round(float(p[0])), round(float(p[1]))


def _finite(*ps: NDArray[np.float64]) -> bool:
    return all(bool(np.all(np.isfinite(p[:2]))) for p in ps)


def _scale(image: Image) -> float:
    """Sizes are designed for 480 lines and scale with the frame."""
    return max(float(image.shape[0]) / 480.0, 0.5)


def _weight(bold: bool) -> int:
    """OpenCV 5 draws text with a built-in font: thickness 1 is regular, 2+ bold."""
    return 2 if bold else 1


def _spaced(s: str, bold: bool) -> str:
    """The bold built-in font's space is a third of a letter wide ("at target" read "attarget")."""
    return s.replace(" ", "  ") if bold else s


def text_size(image: Image, s: str, size: float, bold: bool = True) -> tuple[int, int]:
    """(width, height) in pixels of ``s`` drawn by :func:`text` at ``size``."""
    k = _scale(image)
    size = max(size, MIN_TEXT_SIZE)
    (w, h), _ = cv2.getTextSize(_spaced(s, bold), FONT, 0.6 * k * size, _weight(bold))
    return int(w), int(h)


_RING = ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1))


def text(
    image: Image,
    s: str,
    org: tuple[int, int],
    size: float,
    color: Colour = WHITE,
    *,
    bold: bool = True,
    outline: bool = False,
) -> None:
    """Text with a dark edge: a full outline over the video, a drop shadow on panels.

    OpenCV 5's thickness picks the font weight, not a stroke width, so an
    outline is the text drawn in black around the glyph, not a thicker copy.
    """
    k = _scale(image)
    size = max(size, MIN_TEXT_SIZE)
    scale, th = 0.6 * k * size, _weight(bold)
    s = _spaced(s, bold)
    x, y = org
    if outline:
        d = max(1, round(1.2 * k * min(size, 1.5)))
        for dx, dy in _RING:
            cv2.putText(image, s, (x + dx * d, y + dy * d), FONT, scale, BLACK, th, cv2.LINE_AA)
    else:
        d = max(1, round(k * min(size, 1.5)))
        cv2.putText(image, s, (x + d, y + d), FONT, scale, BLACK, th, cv2.LINE_AA)
    cv2.putText(image, s, org, FONT, scale, color, th, cv2.LINE_AA)


def shade(image: Image, x0: int, y0: int, x1: int, y1: int, alpha: float = 0.55) -> None:
    """Darken a rectangle in place (a translucent panel behind text)."""
    h, w = image.shape[:2]
    x0, x1 = max(0, x0), min(w, x1)
    y0, y1 = max(0, y0), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    roi = image[y0:y1, x0:x1]
    roi[:] = (roi.astype(np.float32) * (1.0 - alpha)).astype(np.uint8)


def wrap(image: Image, s: str, size: float, max_w: int, bold: bool = True) -> list[str]:
    """Greedy word wrap to ``max_w`` pixels at ``size``."""
    lines: list[str] = []
    line = ""
    for word in s.split():
        trial = f"{line} {word}".strip()
        if line and text_size(image, trial, size, bold)[0] > max_w:
            lines.append(line)
            line = word
        else:
            line = trial
    if line:
        lines.append(line)
    return lines


def fit(image: Image, s: str, size: float, max_w: int, min_size: float = 0.8) -> tuple[list[str], float]:
    """Lines and size for ``s`` in ``max_w``: shrink to ``min_size`` first, then wrap to two lines."""
    k = size
    while k > min_size and text_size(image, s, k)[0] > max_w:
        k -= 0.05
    if text_size(image, s, k)[0] <= max_w:
        return [s], k
    return wrap(image, s, k, max_w)[:2], k


def centered(image: Image, s: str, y: int, size: float, color: Colour = WHITE, cx: int | None = None) -> None:
    w = text_size(image, s, size)[0]
    x = (image.shape[1] if cx is None else 2 * cx) // 2 - w // 2
    text(image, s, (max(2, x), y), size, color)


def degrees_text(
    image: Image, value: float | str, org: tuple[int, int], size: float, color: Colour, *, outline: bool = False
) -> int:
    """``value`` with a degree ring (the built-in font has no degree sign); returns the end x."""
    s = value if isinstance(value, str) else f"{value:.0f}"
    text(image, s, org, size, color, outline=outline)
    k = _scale(image)
    w, h = text_size(image, s, size)
    r = max(2, round(2.6 * k * size))
    th = max(1, round(1.1 * k * size))
    c = (org[0] + w + r + max(1, round(2 * k)), org[1] - h + r)
    cv2.circle(image, c, r, BLACK, th + 2 * max(1, round(k)), cv2.LINE_AA)
    cv2.circle(image, c, r, color, th, cv2.LINE_AA)
    return c[0] + r + 2


def ring(
    image: Image,
    centre: tuple[int, int],
    radius: int,
    fraction: float,
    color: Colour,
    thickness: int,
) -> None:
    """A progress ring filling clockwise from twelve o'clock."""
    cv2.circle(image, centre, radius, (90, 90, 90), thickness, cv2.LINE_AA)
    f = min(max(fraction, 0.0), 1.0) if math.isfinite(fraction) else 0.0
    if f > 0:
        cv2.ellipse(image, centre, (radius, radius), -90, 0, 360 * f, color, thickness, cv2.LINE_AA)


def pause_icon(image: Image, centre: tuple[int, int], size: int, color: Colour) -> None:
    x, y = centre
    bw, bh = max(2, size // 3), size
    for dx in (-size // 2, size // 2 - bw):
        cv2.rectangle(image, (x + dx, y - bh // 2), (x + dx + bw, y + bh // 2), color, -1)


# -- annotators ---------------------------------------------------------------


@dataclass(frozen=True)
class SkeletonAnnotator:
    min_visibility: float = 0.5

    def annotate(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        pose = result.pose
        if not pose.detected or (live is not None and live.stage == "paused"):
            return image
        k = _scale(image)
        # Which points to draw, and where, for all 33 at once: per-point NumPy
        # tests cost more than the drawing (np.rint rounds half to even, as round()).
        xy = pose.image[:, :2]
        finite = np.isfinite(xy[:, 0]) & np.isfinite(xy[:, 1])
        ok = (finite & (pose.visibility >= self.min_visibility)).tolist()
        pts = [(int(x), int(y)) for x, y in np.rint(np.where(finite[:, None], xy, 0.0)).tolist()]
        width, radius = max(2, int(3 * k)), max(3, int(4 * k))
        for a, b in SKELETON_EDGES:
            if ok[a] and ok[b]:
                cv2.line(image, pts[a], pts[b], BONE, width, cv2.LINE_AA)
        for lm in range(Landmark.LEFT_SHOULDER, len(pts)):
            if ok[lm]:
                cv2.circle(image, pts[lm], radius, JOINT, -1, cv2.LINE_AA)
        return image


@dataclass(frozen=True)
class Target:
    """What the primary metric aims for: a value, or a change from the person's rest."""

    value: float
    relative: bool = False


def primary_target(spec: ExerciseSpec) -> Target | None:
    """The value of the primary metric the exercise aims for (rep target or hold threshold)."""
    if spec.rep is not None:
        return Target(spec.rep.target)
    for cond in leaves(spec.hold_position):
        if cond.metric == spec.primary and cond.op in ("<", ">") and cond.each is None:
            return Target(cond.value, cond.relative)
    return None


@dataclass(frozen=True)
class Arc:
    """Where a metric is drawn: an angle at ``vertex`` from ``first`` to ``second``.

    Points are joint names of one leg (``leg``: "same" is the leg measured,
    "other" the opposite one), "mid_<joint>" for the midpoint of both sides, or
    "up" for the vertical through the vertex (a tilt from vertical).
    """

    first: str
    vertex: str
    second: str
    leg: Literal["same", "other"] = "same"


_HIP = Arc("shoulder", "hip", "knee")
ARCS: dict[str, Arc] = {
    "hip_angle": _HIP,
    "knee_angle": Arc("hip", "knee", "ankle"),
    "ankle_angle": Arc("knee", "ankle", "foot_index"),
    "shoulder_angle": Arc("hip", "shoulder", "wrist"),
    "back_hip_angle": _HIP,  # the kneeling leg's hip (half-kneel: --side names it)
    "pulled_hip_angle": _HIP,  # the pulled leg's hip (knee to chest: --side names it)
    "body_lean": Arc("up", "ankle", "mid_shoulder"),  # calf stretch: ankle-to-shoulders line
    "side_bend": Arc("up", "mid_hip", "mid_shoulder"),  # trunk from vertical, front view
}
# Metric sets in which a metric belongs to the leg opposite the one measured.
_OTHER_LEG = {("hip_flexor_stretch", "pulled_hip_angle")}  # measured: the affected, straight leg


def arc_for(spec: ExerciseSpec) -> Arc | None:
    arc = ARCS.get(spec.primary)
    if arc is not None and isinstance(spec.metrics, str) and (spec.metrics, spec.primary) in _OTHER_LEG:
        return Arc(arc.first, arc.vertex, arc.second, "other")
    return arc


def _point(pose_xy: NDArray[np.float64], name: str, leg: str) -> NDArray[np.float64]:
    if name.startswith("mid_"):
        j = name.removeprefix("mid_")
        mid: NDArray[np.float64] = (pose_xy[sided("left", j)] + pose_xy[sided("right", j)]) / 2.0
        return mid
    point: NDArray[np.float64] = pose_xy[sided(leg, name)]
    return point


def banner_bottom(image: Image, live: LiveInfo | None) -> int:
    """The lowest line the live banner covers (0 without one), for layers that must stay clear of it."""
    if live is None or not live.banner or live.stage != "counting":
        return 0
    k = _scale(image)
    lines, size = fit(image, live.banner, 1.3, image.shape[1] - int(60 * k))
    return int((TOP_BAND + 14) * k) + int(34 * k * size / 1.3) * len(lines) + int(16 * k)


def _signed(value: float, decimals: int) -> str:
    return f"{value:+.{decimals}f}"


@dataclass(frozen=True)
class AngleAnnotator:
    """An arc where the primary metric is measured, its value, and a tick at the target.

    A target set relative to the person's rest (pelvic tilt: 1.2 degrees past
    it) is shown as that change, "+1.8 / +1.2 from rest", since the angle
    itself says nothing about how far there is to go. A metric with no joint
    to draw at (trunk rotation seen from the feet) still gets its value,
    beside the hips.
    """

    spec: ExerciseSpec

    def annotate(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        if live is not None and live.stage == "paused":
            return image  # the picture moves on while paused; last frame's joints would not match
        if live is not None and live.cue is not None:
            return image  # cued holds: no angle is claimed
        if not math.isfinite(result.primary) or not result.pose.detected:
            return image
        k = _scale(image)
        xy = result.pose.image[:, :2]
        target = primary_target(self.spec)
        value = result.primary
        rest = result.primary_rest
        relative = target is not None and target.relative
        if relative and not math.isfinite(rest):
            target = None  # the rest is not learnt yet: nothing to measure the change from
        reached = (math.isfinite(result.progress) and result.progress >= 1.0) or result.phase in ("top", "hold")
        colour = GOOD if reached else ACCENT
        th = max(2, int(3 * k))
        arc = arc_for(self.spec)
        # A tilt from vertical is a small angle: a longer arc keeps it visible.
        radius = int((55 if arc is not None and arc.first == "up" else 30) * k)
        leg = result.pose_side or result.side or "left"
        if arc is not None and arc.leg == "other":
            leg = "right" if leg == "left" else "left"
        label_at: tuple[float, float] | None = None
        if arc is not None:
            b = _point(xy, arc.vertex, leg)
            c = _point(xy, arc.second, leg)
            a = b + np.array([0.0, -1.0]) if arc.first == "up" else _point(xy, arc.first, leg)
            if _finite(a, b, c):
                centre = _pt(b)
                ang_a = math.degrees(math.atan2(a[1] - b[1], a[0] - b[0]))
                ang_c = math.degrees(math.atan2(c[1] - b[1], c[0] - b[0]))
                # Sweep the measured value from the first limb towards the second; a
                # signed value past 180 (over-extension) sweeps the other way round,
                # and a signed tilt sweeps its size towards the side it leans.
                turn = 1.0 if (ang_c - ang_a) % 360.0 <= 180.0 else -1.0
                sweep = abs(value) if arc.first == "up" else value
                if sweep > 180.0:
                    turn = -turn
                    sweep = 360.0 - sweep
                arc_th = th
                if arc.first == "up":
                    # The vertical and the measured line (not bones of the skeleton), then a
                    # wide arc between them: a tilt of 10-20 degrees is a thin wedge.
                    tip = (round(b[0]), round(b[1] - radius * 1.5))
                    for p0, p1 in ((centre, tip), (centre, _pt(c))):
                        cv2.line(image, p0, p1, BLACK, th + 2, cv2.LINE_AA)
                        cv2.line(image, p0, p1, WHITE, max(1, th - 1), cv2.LINE_AA)
                    arc_th = 2 * th
                cv2.ellipse(
                    image, centre, (radius, radius), 0, ang_a, ang_a + turn * sweep, colour, arc_th, cv2.LINE_AA
                )
                if target is not None:
                    t_abs = rest + target.value if relative else target.value
                    t_val = abs(t_abs) if arc.first == "up" else t_abs
                    t_val = t_val if t_val <= 180.0 else 360.0 - t_val
                    t_turn = turn if arc.first == "up" or (value > 180.0) == (t_abs > 180.0) else -turn
                    ang_t = math.radians(ang_a + t_turn * t_val)
                    r0, r1 = radius * 0.7, radius * 1.45
                    p0 = (round(centre[0] + r0 * math.cos(ang_t)), round(centre[1] + r0 * math.sin(ang_t)))
                    p1 = (round(centre[0] + r1 * math.cos(ang_t)), round(centre[1] + r1 * math.sin(ang_t)))
                    cv2.line(image, p0, p1, BLACK, th + 2, cv2.LINE_AA)
                    cv2.line(image, p0, p1, WHITE, max(1, th - 1), cv2.LINE_AA)
                # The label sits opposite the two limbs so it never covers them.
                mid = math.radians(ang_a + turn * sweep / 2.0)
                dist = radius * 1.9
                label_at = (centre[0] - dist * math.cos(mid), centre[1] - dist * math.sin(mid))
                away = -math.cos(mid)  # which way from the joint the label goes
        if label_at is None:
            hips = _point(xy, "mid_hip", leg)
            if not _finite(hips):
                return image
            label_at, away = (float(hips[0]), float(hips[1]) - radius * 2.5), 0.0
        self._label(image, result, target, colour, label_at, away, live)
        return image

    def _label(
        self,
        image: Image,
        result: FrameResult,
        target: Target | None,
        colour: Colour,
        at: tuple[float, float],
        away: float,
        live: LiveInfo | None,
    ) -> None:
        """The value (and target) beside ``at``, extending away from the joint (``away``: -1 left .. +1 right)."""
        k = _scale(image)
        if target is not None and target.relative:
            decimals = 1 if abs(target.value) < 10 else 0
            shown: str = _signed(result.primary - result.primary_rest, decimals)
            goal: str | None = _signed(target.value, decimals)
            tail = "from rest"
        else:
            # Done either way (trunk rotation, side bend): the size and the way (+ = left).
            value = abs(result.primary) if self.spec.both_directions else result.primary
            shown = f"{value:.0f}"
            goal = f"{target.value:.0f}" if target is not None else None
            tail = ""
            if self.spec.both_directions and round(value) >= 1:
                tail = "left" if result.primary > 0 else "right"
        sample = f"{shown}   / {goal}  {tail}" if goal is not None else f"{shown} "
        w = (
            text_size(image, sample, 1.2)[0]
            if goal is None
            else (text_size(image, shown + "  ", 1.2)[0] + text_size(image, f"/ {goal}  {tail}", 0.85)[0])
        )
        h = text_size(image, "0", 1.2)[1]
        top = max(int((TOP_BAND + 30) * k), banner_bottom(image, live) + h + int(6 * k))
        # Centred on ``at`` when straight above or below the joint, else growing away from it.
        x = int(min(max(at[0] - w / 2 + away * w / 2, 4), image.shape[1] - w - 4))
        y = int(min(max(at[1] + h / 2, top), image.shape[0] - (FEEDBACK_BAND + 8) * k))
        end = degrees_text(image, shown, (x, y), 1.2, colour, outline=True)
        if goal is not None:
            end = end + int(4 * k)
            text(image, "/", (end, y), 0.85, WHITE, outline=True)
            end = degrees_text(image, goal, (end + text_size(image, "/ ", 0.85)[0], y), 0.85, WHITE, outline=True)
            if tail:
                text(image, tail, (end + int(4 * k), y), 0.85, WHITE, outline=True)


def side_words(spec: ExerciseSpec, side: str | None) -> str | None:
    """What --side means on screen when it is not the leg measured (side bend: the painful side)."""
    if side not in ("left", "right"):
        return None
    if spec.direction_rule == "away_from_side":
        away = "right" if side == "left" else "left"
        return f"Bend to your {away} (painful side: {side})"
    return None


def safety_height(image: Image, live: LiveInfo | None) -> int:
    """Lines at the bottom of the picture the safety note takes (0 when not shown)."""
    if live is None or not live.safety:
        return 0
    k = _scale(image)
    lines = wrap(image, live.safety, MIN_TEXT_SIZE, image.shape[1] - int(24 * k), bold=False)
    return len(lines) * int(20 * k) + int(12 * k)


@dataclass(frozen=True)
class HudAnnotator:
    """The top band (exercise, count, set, phase, hold ring) and the one feedback line."""

    spec: ExerciseSpec
    side: str | None = None  # the user's --side, when it needs saying (side bend)

    def annotate(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        k = _scale(image)
        w = image.shape[1]
        band = int(TOP_BAND * k)
        shade(image, 0, 0, w, band, 0.55)
        text(image, self.spec.name, (int(12 * k), int(22 * k)), 0.8, MUTED)
        words = side_words(self.spec, self.side)
        if words is not None and (live is None or (live.stage != "paused" and banner_bottom(image, live) == 0)):
            text(image, words, (int(12 * k), band + int(24 * k)), 0.9, WHITE, outline=True)
        if live is not None and live.cue is not None:
            self._cued(image, result, live, live.cue, k)
            if live.stage == "counting":
                self._feedback(image, result, live, k)
            return image
        self._count(image, result, live, k)
        self._sets(image, live, k)
        if self.spec.kind == "hold":
            self._hold_ring(image, result, k)
        else:
            self._phase_bar(image, result, k)
        if live is None and self.spec.guided is not None:
            # An annotated video of an exercise too small to measure: say what its counts are.
            text(image, ESTIMATE_NOTE, (int(12 * k), band + int(24 * k)), MIN_TEXT_SIZE, WARN, outline=True)
        if live is None or live.stage == "counting":
            self._feedback(image, result, live, k)
        return image

    def _cued(self, image: Image, result: FrameResult, live: LiveInfo, cue: CueView, k: float) -> None:
        """A guided exercise: holds done in position, the cued countdown, and the cue itself."""
        w = image.shape[1]
        x, y = int(12 * k), int(70 * k)
        big = f"{live.done_in_set}"
        text(image, big, (x, y), 2.6, GOOD, outline=True)
        x += text_size(image, big, 2.6)[0] + int(8 * k)
        unit = f"/ {live.per_set} in position" if live.per_set else "in position"
        text(image, unit, (x, y), 0.9, WHITE)
        self._sets(image, live, k)
        r = int(30 * k)
        centre = (w - int(16 * k) - r, int(TOP_BAND * k) // 2)
        colour: Colour = GOOD if cue.in_position else WARN
        if cue.phase == "hold":
            fraction = 1.0 - max(cue.left_s, 0.0) / cue.hold_s
            label = f"{math.ceil(cue.left_s):.0f}"
        elif cue.phase in ("relax", "cue"):
            fraction, colour, label = 0.0, ACCENT, f"{math.ceil(cue.left_s):.0f}"
        else:
            fraction, label = 0.0, ""
        ring(image, centre, r, fraction, colour, max(3, int(6 * k)))
        if label:
            tw, th = text_size(image, label, 1.1)
            text(image, label, (centre[0] - tw // 2, centre[1] + th // 2), 1.1, WHITE)
        word = {"wait": "waiting", "cue": "get ready", "hold": "hold", "relax": "relax"}[cue.phase]
        x_word = centre[0] - r - int(12 * k)
        tw = text_size(image, word, 0.85)[0]
        text(image, word, (x_word - tw, int(36 * k)), 0.85, GOOD if cue.phase == "hold" and cue.in_position else WHITE)
        tally = f"{cue.done} of {cue.cued} cued" if cue.cued else f"{cue.hold_s:g} s holds"
        tw = text_size(image, tally, 0.85)[0]
        text(image, tally, (x_word - tw, int(66 * k)), 0.85, MUTED)
        if live.stage != "counting" or not cue.card:
            return
        # The cue card below the top band: what to do now, large enough to read lying down.
        if cue.phase == "hold":
            lines = [(f"Hold {math.ceil(cue.left_s):.0f}", 1.6, GOOD if cue.in_position else WARN)]
            if not cue.in_position and cue.words != result.feedback:  # (the feedback line says it already)
                lines.append((cue.words, 0.9, WARN))
        elif cue.phase == "cue":
            lines = [(cue.words, 1.2, WHITE)]
        elif cue.phase == "relax":
            lines = [(cue.words, 1.2, ACCENT)]
        else:
            lines = [(cue.words, 1.0, WARN if not cue.in_position else WHITE)]
        lines.append((GUIDED_NOTE, MIN_TEXT_SIZE, MUTED))
        y0 = max(int((TOP_BAND + 8) * k), banner_bottom(image, live))
        rows: list[tuple[str, float, Colour]] = []
        for words, size, c in lines:
            wrapped, fitted = fit(image, words, size, w - int(60 * k))
            rows += [(line, fitted, c) for line in wrapped]
        heights = [int(34 * k * max(size, 0.8) / 1.2) + int(6 * k) for _, size, _ in rows]
        shade(image, int(0.04 * w), y0, int(0.96 * w), y0 + sum(heights) + int(12 * k), 0.6)
        y = y0 + int(6 * k)
        for (line, size, c), h in zip(rows, heights, strict=True):
            y += h
            centered(image, line, y - int(6 * k), size, c)

    def _count(self, image: Image, result: FrameResult, live: LiveInfo | None, k: float) -> None:
        x, y = int(12 * k), int(70 * k)
        if self.spec.kind == "hold" and not self.spec.holds_count_as_reps:
            big, unit = f"{result.hold_s:.0f}" if result.holding else "0", "s held"
            colour = (PAUSED if result.hold_paused else GOOD) if result.holding else MUTED
        else:
            if live is not None and live.per_set:
                big, unit = f"{live.done_in_set}", f"/ {live.per_set} {live.unit}"
            else:
                big = f"{result.reps}"
                # result.reps is every side's: a per-side dose is both sides' worth (live.sets does the same)
                total = (self.spec.dose.reps or 0) * (2 if self.spec.dose.per_side else 1)
                unit = f"/ {total} reps" if total else "reps"
            colour = GOOD
        text(image, big, (x, y), 2.6, colour, outline=True)
        x += text_size(image, big, 2.6)[0] + int(8 * k)
        text(image, unit, (x, y), 0.9, WHITE)
        if result.partial_reps:
            x += text_size(image, unit, 0.9)[0] + int(10 * k)
            text(image, f"partial {result.partial_reps}", (x, y), 0.85, WARN)

    def _sets(self, image: Image, live: LiveInfo | None, k: float) -> None:
        if live is None or not live.sets:
            return
        cx = int(image.shape[1] * 0.56)
        if live.dose_done:
            centered(image, f"All {live.sets} sets done", int(36 * k), 0.9, GOOD, cx=cx)
            return
        centered(image, f"Set {live.set_no} of {live.sets}", int(36 * k), 0.9, WHITE, cx=cx)
        if live.dose_line is not None:
            centered(image, live.dose_line, int(66 * k), 0.85, WHITE, cx=cx)
            return
        left = max(live.per_set - live.done_in_set, 0)
        unit = live.unit if left != 1 else live.unit.rstrip("s")
        centered(image, f"{left} {unit} left", int(66 * k), 0.85, MUTED, cx=cx)

    def _phase_bar(self, image: Image, result: FrameResult, k: float) -> None:
        w = image.shape[1]
        x0, x1 = w - int(170 * k), w - int(16 * k)
        if result.status != "ok":
            word = "waiting"
        elif result.phase == "rest" and math.isfinite(result.progress) and result.progress >= 0.25:
            word = "moving"  # the counter confirms a rep late; the person is already on the way up
        else:
            word = PHASE_WORDS.get(result.phase, result.phase)
        text(image, word, (x0, int(36 * k)), 0.9, GOOD if result.phase == "top" else WHITE)
        y0, y1 = int(52 * k), int(66 * k)
        cv2.rectangle(image, (x0, y0), (x1, y1), (90, 90, 90), -1)
        if math.isfinite(result.progress) and result.status == "ok":
            fill = x0 + int((x1 - x0) * min(max(result.progress, 0.0), 1.0))
            colour = GOOD if result.progress >= 1.0 else ACCENT
            cv2.rectangle(image, (x0, y0), (fill, y1), colour, -1)
        cv2.line(image, (x1, y0 - int(4 * k)), (x1, y1 + int(4 * k)), WHITE, max(1, int(2 * k)))

    def _hold_ring(self, image: Image, result: FrameResult, k: float) -> None:
        w = image.shape[1]
        target = self.spec.dose.hold_s or 0.0
        r = int(30 * k)
        centre = (w - int(16 * k) - r, int(TOP_BAND * k) // 2)
        done = bool(target) and result.holding and result.hold_s >= target
        still = result.holding and result.hold_stopped and not result.hold_paused and not done
        if result.hold_paused:
            colour: Colour = PAUSED
        elif result.holding and not still:
            colour = GOOD
        else:
            colour = ACCENT
        fraction = result.hold_s / target if target and result.holding else 0.0
        ring(image, centre, r, fraction, colour, max(3, int(6 * k)))
        left = max(target - result.hold_s, 0.0) if result.holding else target
        if result.hold_paused:
            pause_icon(image, centre, int(18 * k), PAUSED)
        elif not done:
            label = f"{math.ceil(left):.0f}" if target else f"{result.hold_s:.0f}"
            tw, th = text_size(image, label, 1.1)
            text(image, label, (centre[0] - tw // 2, centre[1] + th // 2), 1.1, WHITE)
        x_word = centre[0] - r - int(12 * k)
        if done:
            word, wc = "done: relax", GOOD
        elif result.hold_paused:
            word, wc = "paused", PAUSED
        elif still:
            word, wc = "hold still", WHITE  # the clock waits for the person to settle
        elif result.holding:
            word, wc = "holding", GOOD
        else:
            word, wc = ("waiting" if result.status != "ok" else "get into position"), WHITE
        tw = text_size(image, word, 0.85)[0]
        text(image, word, (x_word - tw, int(36 * k)), 0.85, wc)
        if target and not done:
            s = f"{math.ceil(left):.0f} s left" if result.holding else f"{target:g} s hold"
            tw = text_size(image, s, 0.85)[0]
            text(image, s, (x_word - tw, int(66 * k)), 0.85, MUTED)

    @staticmethod
    def _feedback(image: Image, result: FrameResult, live: LiveInfo | None, k: float) -> None:
        if not result.feedback:
            return
        h, w = image.shape[:2]
        bottom = h - safety_height(image, live)
        colour = WARN if result.status == "ok" else PAUSED
        lines, size = fit(image, result.feedback, 1.2, w - int(24 * k))
        line_h = int(30 * k * size / 1.2)
        top = bottom - int(FEEDBACK_BAND * k) - (len(lines) - 1) * line_h
        shade(image, 0, top, w, bottom, 0.55)
        for i, line in enumerate(lines):
            centered(image, line, top + int(32 * k) + i * line_h, size, colour)


@dataclass(frozen=True)
class LiveAnnotator:
    """Live-only layers in the picture: setup card, safety note, pause veil and banner."""

    def annotate(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        if live is None:
            return image
        k = _scale(image)
        if live.stage == "setup":
            self._setup_card(image, result, live, k)
        elif live.stage == "paused":
            self._paused(image, k)
        if live.banner and live.stage == "counting":
            self._banner(image, live.banner, k)
        if live.safety:
            self._safety(image, live.safety, k)
        return image

    @staticmethod
    def _setup_card(image: Image, result: FrameResult, live: LiveInfo, k: float) -> None:
        """A card above or below the person (whichever hides less of them): they must see themselves.

        Once the person is measurable it shrinks to its title and one line:
        the instructions have done their job and counting starts in a second.
        """
        h, w = image.shape[:2]
        pad = int(12 * k)
        x0, x1 = int(0.04 * w), int(0.96 * w)
        inner = x1 - x0 - 2 * pad
        blocks: list[tuple[list[str], float, Colour, bool]] = [([live.setup_title], 1.0, WHITE, True)]
        if live.setup_message:
            for line in live.setup_lines:
                blocks.append((wrap(image, line, MIN_TEXT_SIZE, inner, bold=False), MIN_TEXT_SIZE, MUTED, False))
            blocks.append((wrap(image, live.setup_message, 0.95, inner), 0.95, WARN, True))
        else:
            blocks.append((["Good: hold still, counting starts now"], 0.95, GOOD, True))
        if live.setup_hint:
            blocks.append((wrap(image, live.setup_hint, MIN_TEXT_SIZE, inner, bold=False), MIN_TEXT_SIZE, WHITE, False))

        def step(size: float) -> int:
            return int(24 * k * max(size, 0.8))

        total = sum(len(lines) * step(size) + int(4 * k) for lines, size, _, _ in blocks) + 2 * pad
        top_y = int((TOP_BAND + 8) * k)
        bottom_y = h - safety_height(image, live) - int(8 * k) - total
        y0 = top_y
        xy = result.pose.image[:, :2]
        body = xy[np.isfinite(xy).all(axis=1)]
        if body.size and bottom_y > top_y:
            # Rows of the body each placement would cover; the smaller wins.
            lo, hi = float(body[:, 1].min()), float(body[:, 1].max())

            def covered(y: int) -> float:
                return max(0.0, min(hi, y + total) - max(lo, y))

            y0 = bottom_y if covered(bottom_y) < covered(top_y) else top_y
        shade(image, x0, y0, x1, y0 + total, 0.62)
        y = y0 + pad
        for lines, size, colour, bold in blocks:
            for line in lines:
                y += step(size)
                text(image, line, (x0 + pad, y - int(6 * k)), size, colour, bold=bold)
            y += int(4 * k)

    @staticmethod
    def _safety(image: Image, safety: str, k: float) -> None:
        h, w = image.shape[:2]
        lines = wrap(image, safety, MIN_TEXT_SIZE, w - int(24 * k), bold=False)
        top = h - len(lines) * int(20 * k) - int(12 * k)
        shade(image, 0, top, w, h, 0.7)
        for i, line in enumerate(lines):
            text(image, line, (int(12 * k), top + int(22 * k) + i * int(20 * k)), MIN_TEXT_SIZE, MUTED, bold=False)

    @staticmethod
    def _paused(image: Image, k: float) -> None:
        h, w = image.shape[:2]
        shade(image, 0, int(TOP_BAND * k), w, h, 0.6)
        cy = h // 2
        pause_icon(image, (w // 2, cy - int(46 * k)), int(40 * k), WHITE)
        centered(image, "Paused", cy + int(22 * k), 2.0, WHITE)
        centered(image, "press space to continue", cy + int(58 * k), 0.85, MUTED)

    @staticmethod
    def _banner(image: Image, banner: str, k: float) -> None:
        w = image.shape[1]
        lines, size = fit(image, banner, 1.3, w - int(60 * k))
        line_h = int(34 * k * size / 1.3)
        y0 = int((TOP_BAND + 14) * k)
        bw = max(text_size(image, ln, size)[0] for ln in lines) + int(36 * k)
        shade(image, (w - bw) // 2, y0, (w + bw) // 2, y0 + line_h * len(lines) + int(16 * k), 0.65)
        for i, line in enumerate(lines):
            centered(image, line, y0 + int(8 * k) + (i + 1) * line_h - int(6 * k), size, GOOD)


def strip_height(frame_height: int) -> int:
    """Lines :func:`window_strip` adds below a picture of ``frame_height`` lines."""
    return int(HELP_BAND * max(frame_height / 480.0, 0.5))


def window_strip(image: Image, left: str, right: str = "") -> Image:
    """The picture with a strip below it for the window's own words (key help, speed).

    A new image: the picture itself, which a recording keeps, is left as it is.
    """
    h, w = image.shape[:2]
    k = _scale(image)
    strip_h = strip_height(h)
    out = np.empty((h + strip_h, w, 3), np.uint8)
    out[:h] = image
    out[h:] = (32, 32, 32)
    base = h + strip_h - int(8 * k)
    if left:
        room = w - int(24 * k) - (text_size(out, right, MIN_TEXT_SIZE, False)[0] if right else 0)
        if text_size(out, left, MIN_TEXT_SIZE, False)[0] > room:
            left = " ".join(left.split())  # tighter, not smaller: the size is already the floor
        text(out, left, (int(8 * k), base), MIN_TEXT_SIZE, MUTED, bold=False)
    if right:
        text(out, right, (w - text_size(out, right, 0.8, False)[0] - int(8 * k), base), 0.8, MUTED, bold=False)
    return out


def live_strip(image: Image, live: LiveInfo) -> Image:
    """:func:`window_strip` with the session's key help, mute state and (with --stats) speed."""
    parts = []
    if live.muted:
        parts.append("muted")
    if math.isfinite(live.fps):
        parts.append(f"{live.fps:.0f} fps")
    if math.isfinite(live.latency_ms):
        parts.append(f"{live.latency_ms:.0f} ms")
    return window_strip(image, live.help, "  ".join(parts))


def draw_summary(image: Image, view: SummaryView) -> Image:
    """The end-of-session screen over a darkened last frame."""
    h, w = image.shape[:2]
    k = _scale(image)
    blur = max(3, (w // 30) | 1)  # the session's last picture, out of focus: calm, not distracting
    image[:] = cv2.GaussianBlur(image, (blur, blur), 0)
    shade(image, 0, 0, w, h, 0.75)
    y = int(52 * k)
    centered(image, view.title, y, 1.5, WHITE)
    y += int(20 * k)
    label_w = max((text_size(image, label, 0.8)[0] for label, _ in view.rows), default=0)
    x_label = int(max(24 * k, (w - label_w - 300 * k) / 2))
    x_value = x_label + label_w + int(16 * k)
    for label, value in view.rows:
        y += int(32 * k)
        if not label:  # a section heading
            text(image, value, (x_label, y), 0.95, GOOD)
            continue
        text(image, label, (x_label, y), 0.8, MUTED)
        for i, line in enumerate(wrap(image, value, 0.8, w - x_value - int(16 * k))[:2]):
            if i:
                y += int(26 * k)
            text(image, line, (x_value, y), 0.8, WHITE)
    fy = h - int(16 * k) - int(24 * k) * (len(view.footer) - 1)
    for line in view.footer:
        centered(image, line, fy, MIN_TEXT_SIZE, MUTED)
        fy += int(24 * k)
    return image


class Overlay:
    """The annotators in drawing order; one instance serves video files and the live window."""

    def __init__(self, spec: ExerciseSpec, annotators: list[Annotator] | None = None, side: str | None = None) -> None:
        self.spec = spec
        self.annotators: list[Annotator] = (
            annotators
            if annotators is not None
            else [SkeletonAnnotator(), AngleAnnotator(spec), HudAnnotator(spec, side), LiveAnnotator()]
        )

    def draw(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        for annotator in self.annotators:
            image = annotator.annotate(image, result, live)
        return image
