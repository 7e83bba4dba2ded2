"""Overlay annotators: drawing only, no measuring.

Each annotator has one job and the same signature, ``annotate(image, result,
live)``, drawing in place on a BGR image from what the analyzer (and, live,
the session) already decided. The annotated video and the live window use the
same ``Overlay``; ``live`` is None for a video file, and carries the session's
extra state (set counter, setup card, pause, FPS) in the live window.

Sizes are designed for a 480-line frame and scale with the frame height, so
the picture looks the same at any resolution and stays legible when the
window is enlarged for a patient standing 2-3 m from the screen.
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

_ANGLE_JOINTS = {
    "hip": ("shoulder", "hip", "knee"),
    "knee": ("hip", "knee", "ankle"),
    "ankle": ("knee", "ankle", "foot_index"),
    "shoulder": ("hip", "shoulder", "wrist"),
}

# What the analyzer's phases mean to the person doing the exercise.
PHASE_WORDS = {"rest": "ready", "active": "moving", "top": "at target", "hold": "holding"}

TOP_BAND = 84  # lines at 480: exercise, count, set, phase
FEEDBACK_BAND = 46
HELP_BAND = 22


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
    fps: float = math.nan
    latency_ms: float = math.nan
    muted: bool = False
    help: str = ""
    exercise_pos: str = ""  # "8/9": where n/p are in the exercise list


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


def text_size(image: Image, s: str, size: float, bold: bool = True) -> tuple[int, int]:
    """(width, height) in pixels of ``s`` drawn by :func:`text` at ``size``."""
    k = _scale(image)
    (w, h), _ = cv2.getTextSize(s, FONT, 0.6 * k * size, _weight(bold))
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
    scale, th = 0.6 * k * size, _weight(bold)
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
    image: Image, value: float, org: tuple[int, int], size: float, color: Colour, *, outline: bool = False
) -> int:
    """``value`` with a degree ring (the built-in font has no degree sign); returns the end x."""
    s = f"{value:.0f}"
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


def primary_target(spec: ExerciseSpec) -> float | None:
    """The value of the primary metric the exercise aims for (rep target or hold threshold)."""
    if spec.rep is not None:
        return spec.rep.target
    for cond in leaves(spec.hold_position):
        if cond.metric == spec.primary and cond.op in ("<", ">") and cond.each is None:
            return cond.value
    return None


@dataclass(frozen=True)
class AngleAnnotator:
    """An arc at the joint the primary metric measures: its value, and a tick at the target."""

    spec: ExerciseSpec

    def annotate(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        joints = _ANGLE_JOINTS.get(self.spec.primary.removesuffix("_angle"))
        if live is not None and live.stage == "paused":
            return image  # the picture moves on while paused; last frame's joints would not match
        if joints is None or result.side is None or not math.isfinite(result.primary):
            return image
        a, b, c = (result.pose.image[sided(result.side, j)] for j in joints)
        if not _finite(a, b, c):
            return image
        k = _scale(image)
        radius = int(30 * k)
        ang_a = math.degrees(math.atan2(a[1] - b[1], a[0] - b[0]))
        ang_c = math.degrees(math.atan2(c[1] - b[1], c[0] - b[0]))
        # Sweep the measured value from the first limb towards the second; a
        # signed value past 180 (over-extension) sweeps the other way round.
        turn = 1.0 if (ang_c - ang_a) % 360.0 <= 180.0 else -1.0
        value = result.primary
        if value > 180.0:
            turn = -turn
            value = 360.0 - value
        reached = (math.isfinite(result.progress) and result.progress >= 1.0) or result.phase in ("top", "hold")
        colour = GOOD if reached else ACCENT
        centre = _pt(b)
        th = max(2, int(3 * k))
        cv2.ellipse(image, centre, (radius, radius), 0, ang_a, ang_a + turn * value, colour, th, cv2.LINE_AA)
        target = primary_target(self.spec)
        if target is not None:
            t_val = target if target <= 180.0 else 360.0 - target
            t_turn = turn if (result.primary > 180.0) == (target > 180.0) else -turn
            ang_t = math.radians(ang_a + t_turn * t_val)
            r0, r1 = radius * 0.7, radius * 1.45
            p0 = (round(centre[0] + r0 * math.cos(ang_t)), round(centre[1] + r0 * math.sin(ang_t)))
            p1 = (round(centre[0] + r1 * math.cos(ang_t)), round(centre[1] + r1 * math.sin(ang_t)))
            cv2.line(image, p0, p1, BLACK, th + 2, cv2.LINE_AA)
            cv2.line(image, p0, p1, WHITE, max(1, th - 1), cv2.LINE_AA)
        # The label sits opposite the two limbs so it never covers them.
        mid = math.radians(ang_a + turn * value / 2.0)
        dist = radius * 1.9
        lx = centre[0] - dist * math.cos(mid)
        ly = centre[1] - dist * math.sin(mid)
        w, h = text_size(image, "000  / 000", 1.2)
        x = int(min(max(lx - w / 2, 4), image.shape[1] - w - 4))
        y = int(min(max(ly + h / 2, (TOP_BAND + 30) * k), image.shape[0] - (FEEDBACK_BAND + HELP_BAND + 8) * k))
        end = degrees_text(image, result.primary, (x, y), 1.2, colour, outline=True)
        if target is not None:
            end = end + int(4 * k)
            text(image, "/", (end, y), 0.8, WHITE, outline=True)
            degrees_text(image, target, (end + text_size(image, "/ ", 0.8)[0], y), 0.8, WHITE, outline=True)
        return image


@dataclass(frozen=True)
class HudAnnotator:
    """The top band (exercise, count, set, phase, hold ring) and the one feedback line."""

    spec: ExerciseSpec

    def annotate(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        k = _scale(image)
        w = image.shape[1]
        band = int(TOP_BAND * k)
        shade(image, 0, 0, w, band, 0.55)
        name = self.spec.name
        if live is not None and live.exercise_pos:
            name = f"{name}  ({live.exercise_pos})"
        text(image, name, (int(12 * k), int(22 * k)), 0.75, MUTED)
        self._count(image, result, live, k)
        self._sets(image, live, k)
        if self.spec.kind == "hold":
            self._hold_ring(image, result, k)
        else:
            self._phase_bar(image, result, k)
        if live is None or live.stage == "counting":
            self._feedback(image, result, live, k)
        return image

    def _count(self, image: Image, result: FrameResult, live: LiveInfo | None, k: float) -> None:
        x, y = int(12 * k), int(70 * k)
        if self.spec.kind == "hold" and not self.spec.holds_count_as_reps:
            held = f"{result.hold_s:.0f}" if result.holding else "-"
            unit = "s held"
            big, colour = held, (PAUSED if result.hold_paused else GOOD)
        else:
            if live is not None and live.per_set:
                big, unit = f"{live.done_in_set}", f"/ {live.per_set} {live.unit}"
            else:
                big = f"{result.reps}"
                unit = f"/ {self.spec.dose.reps} reps" if self.spec.dose.reps else "reps"
            colour = GOOD
        text(image, big, (x, y), 2.6, colour, outline=True)
        x += text_size(image, big, 2.6)[0] + int(8 * k)
        text(image, unit, (x, y), 0.9, WHITE)
        if result.partial_reps:
            x += text_size(image, unit, 0.9)[0] + int(10 * k)
            text(image, f"partial {result.partial_reps}", (x, y), 0.7, WARN)

    def _sets(self, image: Image, live: LiveInfo | None, k: float) -> None:
        if live is None or not live.sets:
            return
        cx = int(image.shape[1] * 0.56)
        if live.dose_done:
            centered(image, f"All {live.sets} sets done", int(36 * k), 0.9, GOOD, cx=cx)
            return
        centered(image, f"Set {live.set_no} of {live.sets}", int(36 * k), 0.9, WHITE, cx=cx)
        left = max(live.per_set - live.done_in_set, 0)
        unit = live.unit if left != 1 else live.unit.rstrip("s")
        centered(image, f"{left} {unit} left", int(66 * k), 0.8, MUTED, cx=cx)

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
        if result.hold_paused:
            colour: Colour = PAUSED
        elif result.holding:
            colour = GOOD
        else:
            colour = ACCENT
        fraction = result.hold_s / target if target and result.holding else 0.0
        ring(image, centre, r, fraction, colour, max(3, int(6 * k)))
        if result.hold_paused:
            pause_icon(image, centre, int(18 * k), PAUSED)
        else:
            left = max(target - result.hold_s, 0.0) if result.holding else target
            label = f"{math.ceil(left):.0f}" if target else f"{result.hold_s:.0f}"
            tw, th = text_size(image, label, 1.1)
            text(image, label, (centre[0] - tw // 2, centre[1] + th // 2), 1.1, WHITE)
        x_word = centre[0] - r - int(12 * k)
        if result.hold_paused:
            word, wc = "paused", PAUSED
        elif result.holding:
            word, wc = "holding", GOOD
        else:
            word, wc = ("waiting" if result.status != "ok" else "get into position"), WHITE
        tw = text_size(image, word, 0.8)[0]
        text(image, word, (x_word - tw, int(36 * k)), 0.8, wc)
        if target:
            if result.hold_paused:
                s = f"{math.ceil(max(target - result.hold_s, 0.0)):.0f} s left"
            else:
                s = "s left" if result.holding else f"{target:g} s hold"
            tw = text_size(image, s, 0.7)[0]
            text(image, s, (x_word - tw, int(64 * k)), 0.7, MUTED)

    @staticmethod
    def _feedback(image: Image, result: FrameResult, live: LiveInfo | None, k: float) -> None:
        if not result.feedback:
            return
        h, w = image.shape[:2]
        bottom = h - (int(HELP_BAND * k) if live is not None else 0)
        colour = WARN if result.status == "ok" else PAUSED
        lines, size = fit(image, result.feedback, 1.2, w - int(24 * k))
        line_h = int(30 * k * size / 1.2)
        top = bottom - int(FEEDBACK_BAND * k) - (len(lines) - 1) * line_h
        shade(image, 0, top, w, bottom, 0.55)
        for i, line in enumerate(lines):
            centered(image, line, top + int(32 * k) + i * line_h, size, colour)


@dataclass(frozen=True)
class LiveAnnotator:
    """Live-only layers: setup card, pause veil, banner, help line and FPS readout."""

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
        self._help(image, live, k)
        return image

    @staticmethod
    def _setup_card(image: Image, result: FrameResult, live: LiveInfo, k: float) -> None:
        """A card above or below the person (whichever hides less of them): they must see themselves."""
        h, w = image.shape[:2]
        pad = int(14 * k)
        x0, x1 = int(0.05 * w), int(0.95 * w)
        inner = x1 - x0 - 2 * pad
        blocks: list[tuple[list[str], float, Colour, bool]] = [([live.setup_title], 1.05, WHITE, True)]
        for line in live.setup_lines:
            blocks.append((wrap(image, line, 0.72, inner, bold=False), 0.72, MUTED, False))
        if live.setup_message:
            blocks.append((wrap(image, live.setup_message, 0.95, inner), 0.95, WARN, True))
        else:
            blocks.append((["Good: hold still, counting starts now"], 0.95, GOOD, True))
        if live.setup_hint:
            blocks.append((wrap(image, live.setup_hint, 0.72, inner, bold=False), 0.72, WHITE, False))
        if live.safety:
            blocks.append((wrap(image, live.safety, 0.58, inner, bold=False), 0.58, MUTED, False))

        def step(size: float) -> int:
            return int(24 * k * max(size, 0.7))

        total = sum(len(lines) * step(size) + int(6 * k) for lines, size, _, _ in blocks) + 2 * pad
        top_y = int((TOP_BAND + 8) * k)
        bottom_y = h - int((HELP_BAND + 8) * k) - total
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
            y += int(6 * k)

    @staticmethod
    def _paused(image: Image, k: float) -> None:
        h, w = image.shape[:2]
        shade(image, 0, int(TOP_BAND * k), w, h - int(HELP_BAND * k), 0.6)
        cy = h // 2
        pause_icon(image, (w // 2, cy - int(46 * k)), int(40 * k), WHITE)
        centered(image, "Paused", cy + int(22 * k), 2.0, WHITE)
        centered(image, "press space to continue", cy + int(58 * k), 0.8, MUTED)

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

    @staticmethod
    def _help(image: Image, live: LiveInfo, k: float) -> None:
        h, w = image.shape[:2]
        y0 = h - int(HELP_BAND * k)
        shade(image, 0, y0, w, h, 0.7)
        base = h - int(7 * k)
        if live.help:
            text(image, live.help, (int(8 * k), base), 0.55, MUTED, bold=False)
        parts = []
        if live.muted:
            parts.append("muted")
        if math.isfinite(live.fps):
            parts.append(f"{live.fps:.0f} fps")
        if math.isfinite(live.latency_ms):
            parts.append(f"{live.latency_ms:.0f} ms")
        if parts:
            s = "  ".join(parts)
            text(image, s, (w - text_size(image, s, 0.55, False)[0] - int(8 * k), base), 0.55, MUTED, bold=False)


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
        centered(image, line, fy, 0.6, MUTED)
        fy += int(24 * k)
    return image


class Overlay:
    """The annotators in drawing order; one instance serves video files and the live window."""

    def __init__(self, spec: ExerciseSpec, annotators: list[Annotator] | None = None) -> None:
        self.spec = spec
        self.annotators: list[Annotator] = (
            annotators
            if annotators is not None
            else [SkeletonAnnotator(), AngleAnnotator(spec), HudAnnotator(spec), LiveAnnotator()]
        )

    def draw(self, image: Image, result: FrameResult, live: LiveInfo | None = None) -> Image:
        for annotator in self.annotators:
            image = annotator.annotate(image, result, live)
        return image
