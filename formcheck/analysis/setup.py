"""Can this frame be measured? Person, joints and camera view, with what to change.

A number computed from a hidden joint or the wrong view is worse than no
number, so the analyzer measures only frames that pass, and tells the person
the one thing to change: step in, move back, turn side-on, raise the camera.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from formcheck.exercises.spec import ExerciseSpec, View
from formcheck.landmarks import Landmark, PoseFrame, sided

VISIBILITY_MIN = 0.5  # MediaPipe's own default presence threshold
IN_FRAME_MARGIN = 0.02  # fraction of the frame a landmark may sit outside it
# Shoulder (or hip) width over trunk length: ~0.75 for an adult seen square-on,
# falling with the cosine of the turn. Side-on = within ~40 degrees of profile
# (ratio below 0.5); front-on = within ~48 degrees of square (above 0.5). Seen
# from the feet of a person lying down the trunk is foreshortened and the ratio
# rises well above 1; 0.6 admits the high oblique views the spec allows.
SIDE_VIEW_MAX_RATIO = 0.5
FRONT_VIEW_MIN_RATIO = 0.5
FEET_END_MIN_RATIO = 0.6
# A person spanning less than this fraction of the frame (in x or y) is too
# far away for reliable landmarks.
MIN_BODY_EXTENT = 0.25

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


def check_setup(pose: PoseFrame, spec: ExerciseSpec, side: str) -> SetupCheck:
    if not pose.detected:
        return SetupCheck("no_person", "No one in view: step into the camera's view")
    w, h = pose.width, pose.height
    idx = _required_index(tuple(spec.required), side)
    x_lo, x_hi = -IN_FRAME_MARGIN * w, (1 + IN_FRAME_MARGIN) * w
    y_lo, y_hi = -IN_FRAME_MARGIN * h, (1 + IN_FRAME_MARGIN) * h
    # Plain floats: a handful of joints per frame. NaN compares False, so an
    # unknown joint is never "inside".
    missing = [
        joint
        for joint, (x, y), vis in zip(
            spec.required, pose.image[idx, :2].tolist(), pose.visibility[idx].tolist(), strict=True
        )
        if not (x_lo <= x <= x_hi and y_lo <= y <= y_hi and vis >= VISIBILITY_MIN)
    ]
    if missing:
        return SetupCheck("not_visible", _missing_message(pose, missing))
    ratio = view_ratio(pose)
    if not _view_ok(spec.view, ratio):
        return SetupCheck("wrong_view", VIEW_MESSAGES[spec.view])
    xy = pose.image[:, :2]
    lo, hi = np.fmin.reduce(xy, axis=0), np.fmax.reduce(xy, axis=0)  # NaN-ignoring min/max
    extent = float(np.fmax.reduce((hi - lo) / (w, h)))
    if math.isfinite(extent) and extent < MIN_BODY_EXTENT:
        return SetupCheck("too_far", "Move closer to the camera")
    return OK
