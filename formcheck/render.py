"""Overlay annotators: drawing only, no measuring.

Each annotator has one job and the same signature, ``annotate(image, result)``,
drawing in place on a BGR image from what the analyzer already decided. The
annotated video and the live window use the same ``Overlay``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from formcheck.analysis import FrameResult
from formcheck.exercises.spec import ExerciseSpec
from formcheck.landmarks import SKELETON_EDGES, Landmark, sided

Image = NDArray[np.uint8]

# BGR colours: calm, readable on bright and dark backgrounds alike.
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
BONE = (235, 220, 200)
JOINT = (255, 180, 60)
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


class Annotator(Protocol):
    def annotate(self, image: Image, result: FrameResult) -> Image: ...


def _pt(p: NDArray[np.float64]) -> tuple[int, int]:
    return round(float(p[0])), round(float(p[1]))


def _finite(*ps: NDArray[np.float64]) -> bool:
    return all(bool(np.all(np.isfinite(p[:2]))) for p in ps)


def _scale(image: Image) -> float:
    """Sizes are designed for 480 lines and scale with the frame."""
    return max(float(image.shape[0]) / 480.0, 0.5)


def text(image: Image, s: str, org: tuple[int, int], size: float, color: tuple[int, int, int] = WHITE) -> None:
    """Text with a dark outline: readable on any background."""
    k = _scale(image)
    th = max(1, round(1.5 * k * size))
    cv2.putText(image, s, org, FONT, 0.6 * k * size, BLACK, th + 3, cv2.LINE_AA)
    cv2.putText(image, s, org, FONT, 0.6 * k * size, color, th, cv2.LINE_AA)


@dataclass(frozen=True)
class SkeletonAnnotator:
    min_visibility: float = 0.5

    def annotate(self, image: Image, result: FrameResult) -> Image:
        pose = result.pose
        if not pose.detected:
            return image
        k = _scale(image)
        pts, vis = pose.image, pose.visibility
        for a, b in SKELETON_EDGES:
            if vis[a] >= self.min_visibility and vis[b] >= self.min_visibility and _finite(pts[a], pts[b]):
                cv2.line(image, _pt(pts[a]), _pt(pts[b]), BONE, max(2, int(3 * k)), cv2.LINE_AA)
        for lm in Landmark:
            if lm >= Landmark.LEFT_SHOULDER and vis[lm] >= self.min_visibility and _finite(pts[lm]):
                cv2.circle(image, _pt(pts[lm]), max(3, int(4 * k)), JOINT, -1, cv2.LINE_AA)
        return image


@dataclass(frozen=True)
class AngleAnnotator:
    """An arc at the joint the primary metric measures, with its value."""

    spec: ExerciseSpec

    def annotate(self, image: Image, result: FrameResult) -> Image:
        joints = _ANGLE_JOINTS.get(self.spec.primary.removesuffix("_angle"))
        if joints is None or result.side is None or not math.isfinite(result.primary):
            return image
        a, b, c = (result.pose.image[sided(result.side, j)] for j in joints)
        if not _finite(a, b, c):
            return image
        k = _scale(image)
        radius = int(28 * k)
        ang_a = math.degrees(math.atan2(a[1] - b[1], a[0] - b[0]))
        ang_c = math.degrees(math.atan2(c[1] - b[1], c[0] - b[0]))
        sweep = (ang_c - ang_a) % 360.0
        if sweep > 180.0:
            ang_a, sweep = ang_c, 360.0 - sweep
        color = GOOD if result.phase in ("top", "hold") else WARN
        cv2.ellipse(image, _pt(b), (radius, radius), 0, ang_a, ang_a + sweep, color, max(2, int(3 * k)), cv2.LINE_AA)
        org = (_pt(b)[0] + radius + 4, _pt(b)[1] - radius)
        text(image, f"{result.primary:.0f} deg", org, 1.0, color)
        return image


@dataclass(frozen=True)
class HudAnnotator:
    """Exercise, count, hold time, phase and the one feedback line."""

    spec: ExerciseSpec

    def annotate(self, image: Image, result: FrameResult) -> Image:
        k = _scale(image)
        h, w = image.shape[:2]
        band = int(78 * k)
        overlay = image.copy()
        cv2.rectangle(overlay, (0, 0), (w, band), BLACK, -1)
        cv2.addWeighted(overlay, 0.45, image, 0.55, 0, dst=image)
        text(image, self.spec.name, (int(10 * k), int(24 * k)), 0.9)
        if self.spec.kind == "reps":
            count = f"Reps {result.reps}"
            if self.spec.dose.reps:
                count += f"/{self.spec.dose.reps}"
            if result.partial_reps:
                count += f"  partial {result.partial_reps}"
            text(image, count, (int(10 * k), int(62 * k)), 1.4, GOOD)
        else:
            colour = PAUSED if result.hold_paused else GOOD
            label = "paused" if result.hold_paused else ("holding" if result.holding else "get into position")
            target = f"/{self.spec.dose.hold_s:g}" if self.spec.dose.hold_s else ""
            text(
                image,
                f"Hold {result.hold_s:4.1f}{target} s  {label}",
                (int(10 * k), int(62 * k)),
                1.2,
                colour,
            )
        if self.spec.rep is not None:
            target = f"target {'>=' if self.spec.rep.direction > 0 else '<='} {self.spec.rep.target:g} deg"
            text(image, target, (w - int(200 * k), int(24 * k)), 0.8)
            self._progress(image, result, k)
        if result.feedback:
            colour = WARN if result.status == "ok" else PAUSED
            (tw, _), _ = cv2.getTextSize(result.feedback, FONT, 0.6 * k * 1.1, max(1, int(1.5 * k * 1.1)))
            x = max(int(10 * k), (w - tw) // 2)
            box = image.copy()
            cv2.rectangle(box, (0, h - int(44 * k)), (w, h), BLACK, -1)
            cv2.addWeighted(box, 0.5, image, 0.5, 0, dst=image)
            text(image, result.feedback, (x, h - int(14 * k)), 1.1, colour)
        return image

    @staticmethod
    def _progress(image: Image, result: FrameResult, k: float) -> None:
        w = image.shape[1]
        x0, x1, y = w - int(200 * k), w - int(16 * k), int(50 * k)
        cv2.rectangle(image, (x0, y), (x1, y + int(12 * k)), WHITE, 1, cv2.LINE_AA)
        if math.isfinite(result.progress):
            fill = x0 + int((x1 - x0) * result.progress)
            colour = GOOD if result.progress >= 1.0 else WARN
            cv2.rectangle(image, (x0, y), (fill, y + int(12 * k)), colour, -1)


class Overlay:
    """The annotators in drawing order; one instance serves video files and the live window."""

    def __init__(self, spec: ExerciseSpec, annotators: list[Annotator] | None = None) -> None:
        self.annotators: list[Annotator] = annotators or [
            SkeletonAnnotator(),
            AngleAnnotator(spec),
            HudAnnotator(spec),
        ]

    def draw(self, image: Image, result: FrameResult) -> Image:
        for annotator in self.annotators:
            image = annotator.annotate(image, result)
        return image
