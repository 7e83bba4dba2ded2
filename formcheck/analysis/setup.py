"""Can this frame be measured? Person, joints and camera view, with what to change.

A number computed from a hidden joint or the wrong view is worse than no
number, so the analyzer measures only frames that pass, and tells the person
the one thing to change: step in, move back, turn side-on, raise the camera.
"""

from __future__ import annotations

import functools
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from formcheck.exercises.spec import ExerciseSpec, View
from formcheck.landmarks import Landmark, PoseFrame, sided

VISIBILITY_MIN = 0.5  # MediaPipe's own default presence threshold: seen, whatever else
# Below it a joint is still seen when it sits inside the frame where a limb can
# put it (PLAUSIBLE_SEGMENT) and the model's score is above VISIBILITY_FLOOR.
# MediaPipe's visibility is a confidence, not a sight line: on real footage of
# a person lying with the knees pulled in, plainly visible knees and ankles
# scored under 0.5. Joints truly hidden behind the body score lower: on the
# fixtures the far knee behind a child's pose reads 0.14-0.16 (median), while
# the far legs the model can half see read 0.3-0.7.
VISIBILITY_FLOOR = 0.2
# A limb segment (joint to the joint it hangs from) at most this many times the
# shoulder-hip distance in the image. Thigh and shank are ~0.9 of it in adults;
# 1.5 leaves room for the trunk's own foreshortening (lying, seen obliquely). A
# joint the model placed further from its parent is not where a limb can be.
PLAUSIBLE_SEGMENT = 1.5
IN_FRAME_MARGIN = 0.02  # fraction of the frame a landmark may sit outside it
# Shoulder (or hip) width over trunk length in the image, falling with the
# cosine of the turn from square. An idealised adult reads ~0.75 square-on, but
# MediaPipe's shoulder and hip points are joint centres: real people standing a
# little turned read 0.32-0.42, and a real square-on body ~0.55-0.6. Every side
# view of the fixtures reads 0.05-0.22 (p1-p99, camera up to 12 degrees off
# profile). Front-on = above 0.25: a real body within ~60 degrees of square,
# clear of every profile. Side-on = below 0.5 (within ~40 degrees of profile).
# Seen from the feet of a person lying down the trunk is foreshortened and the
# ratio rises well above 1; 0.6 admits the high oblique views the spec allows.
SIDE_VIEW_MAX_RATIO = 0.5
FRONT_VIEW_MIN_RATIO = 0.25
FEET_END_MIN_RATIO = 0.6
# A person spanning less than this fraction of the frame (in x or y) is too
# far away for reliable landmarks. Judged on the largest span of the last
# DISTANCE_MEMORY_S (BodyExtent): a posture (the bottom of a push-up seen
# head-on, a child's pose) shrinks the body's span, the distance did not
# change; someone walking away takes longer than a rep to do so.
MIN_BODY_EXTENT = 0.25
DISTANCE_MEMORY_S = 5.0

VIEW_MESSAGES = {
    View.SIDE: "Turn side-on to the camera",
    View.FRONT: "Face the camera",
    View.FEET_END: "Put the camera at your feet, raised, looking along your body",
}

_BODY_PARTS = {
    "shoulder": "shoulders",
    "hip": "hips",
    "knee": "knees",
    "ankle": "feet",
    "heel": "feet",
    "foot_index": "feet",
    "elbow": "arms",
    "wrist": "hands",
}


@dataclass(frozen=True)
class SetupCheck:
    status: str  # "ok", "no_person", "not_visible", "wrong_view", "too_far"
    message: str | None


OK = SetupCheck("ok", None)


_VIEW_JOINTS = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.LEFT_HIP, Landmark.RIGHT_HIP]


def view_ratio(pose: PoseFrame) -> float:
    """Larger of shoulder and hip width over trunk length, in the image."""
    (lsx, lsy), (rsx, rsy), (lhx, lhy), (rhx, rhy) = pose.image[_VIEW_JOINTS, :2].tolist()
    trunk = math.hypot((lsx + rsx - lhx - rhx) / 2, (lsy + rsy - lhy - rhy) / 2)
    width = max(math.hypot(lsx - rsx, lsy - rsy), math.hypot(lhx - rhx, lhy - rhy))
    if not math.isfinite(trunk + width) or trunk <= 1e-6:
        return math.nan
    return width / trunk


def _view_ok(view: View, ratio: float) -> bool:
    if not math.isfinite(ratio) or view is View.ANY:
        return True
    if view is View.SIDE:
        return ratio <= SIDE_VIEW_MAX_RATIO
    if view is View.FRONT:
        return ratio >= FRONT_VIEW_MIN_RATIO
    return ratio >= FEET_END_MIN_RATIO


def _missing_message(pose: PoseFrame, missing: list[str]) -> str:
    parts = sorted({_BODY_PARTS.get(j, j) for j in missing})
    what = " and ".join(parts)
    xy = pose.image[:, :2]
    out_low = any(np.nan_to_num(xy[sided(s, j), 1], nan=0.0) > pose.height for j in missing for s in ("left", "right"))
    if out_low:
        return f"Move back or lower the camera: your {what} are out of view"
    return f"Move so your whole body is in view: your {what} cannot be seen"


@functools.lru_cache(maxsize=64)
def _required_index(required: tuple[str, ...], side: str) -> list[int]:
    return [sided(side, joint) for joint in required]


# The joint each joint hangs from, for the segment-length check.
_PARENT = {
    "shoulder": "hip",
    "hip": "shoulder",
    "knee": "hip",
    "ankle": "knee",
    "heel": "ankle",
    "foot_index": "ankle",
    "elbow": "shoulder",
    "wrist": "elbow",
}


def _plausible(pose: PoseFrame, side: str, joint: str) -> bool:
    """Is this joint within a limb's reach of the joint it hangs from?"""
    parent = _PARENT.get(joint)
    if parent is None:
        return False
    (sx, sy), (hx, hy), (jx, jy), (px, py) = pose.image[
        [sided(side, "shoulder"), sided(side, "hip"), sided(side, joint), sided(side, parent)], :2
    ].tolist()
    trunk = math.hypot(sx - hx, sy - hy)
    segment = math.hypot(jx - px, jy - py)
    return trunk > 0 and segment <= PLAUSIBLE_SEGMENT * trunk  # NaN compares False


def _seen(pose: PoseFrame, side: str, joint: str, x: float, y: float, vis: float) -> bool:
    w, h = pose.width, pose.height
    inside = (
        -IN_FRAME_MARGIN * w <= x <= (1 + IN_FRAME_MARGIN) * w
        and -IN_FRAME_MARGIN * h <= y <= (1 + IN_FRAME_MARGIN) * h
    )
    if not inside:  # NaN compares False: an unknown joint is never inside
        return False
    return vis >= VISIBILITY_MIN or (vis >= VISIBILITY_FLOOR and _plausible(pose, side, joint))


def body_extent(pose: PoseFrame) -> float:
    """The body's larger span in the frame, as a fraction of the frame's width or height."""
    xy = pose.image[:, :2]
    lo, hi = np.fmin.reduce(xy, axis=0), np.fmax.reduce(xy, axis=0)  # NaN-ignoring min/max
    return float(np.fmax.reduce((hi - lo) / (pose.width, pose.height)))


class BodyExtent:
    """The largest span of the body over the last ``DISTANCE_MEMORY_S``: its size, not its posture."""

    def __init__(self, memory_s: float = DISTANCE_MEMORY_S) -> None:
        self.memory_s = memory_s
        self.reset()

    def reset(self) -> None:
        self._spans: deque[tuple[float, float]] = deque()  # (t, span), spans decreasing

    def update(self, pose: PoseFrame) -> float:
        t = pose.t_ms / 1000.0
        span = body_extent(pose) if pose.detected else math.nan
        if math.isfinite(span):
            while self._spans and self._spans[-1][1] <= span:
                self._spans.pop()
            self._spans.append((t, span))
        while self._spans and self._spans[0][0] < t - self.memory_s:
            self._spans.popleft()
        return self._spans[0][1] if self._spans else math.nan


def missing_joints(pose: PoseFrame, required: tuple[str, ...], side: str) -> list[str]:
    """The required joints of ``side`` that cannot be seen in this frame."""
    idx = _required_index(required, side)
    # Plain floats: a handful of joints per frame.
    return [
        joint
        for joint, (x, y), vis in zip(
            required, pose.image[idx, :2].tolist(), pose.visibility[idx].tolist(), strict=True
        )
        if not _seen(pose, side, joint, x, y, vis)
    ]


def check_setup(pose: PoseFrame, spec: ExerciseSpec, side: str, extent: float | None = None) -> SetupCheck:
    """``extent``: the body's size in the frame (BodyExtent); None = this frame's own span."""
    if not pose.detected:
        return SetupCheck("no_person", "No one in view: step into the camera's view")
    missing = missing_joints(pose, tuple(spec.required), side)
    if missing:
        return SetupCheck("not_visible", _missing_message(pose, missing))
    ratio = view_ratio(pose)
    if not any(_view_ok(view, ratio) for view in spec.allowed_views):
        return SetupCheck("wrong_view", VIEW_MESSAGES[spec.view])
    if extent is None:
        extent = body_extent(pose)
    if math.isfinite(extent) and extent < MIN_BODY_EXTENT:
        return SetupCheck("too_far", "Move closer to the camera")
    return OK
