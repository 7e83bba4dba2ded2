"""Can this frame be measured? Person, joints and camera view, with what to change.

A number computed from a hidden joint or the wrong view is worse than no
number, so the analyzer measures only frames that pass, and tells the person
the one thing to change: step in, move back, turn side-on, raise the camera.
"""

from __future__ import annotations

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


def view_ratio(pose: PoseFrame) -> float:
    """Larger of shoulder and hip width over trunk length, in the image."""
    img = pose.image[:, :2]
    ls, rs = img[Landmark.LEFT_SHOULDER], img[Landmark.RIGHT_SHOULDER]
    lh, rh = img[Landmark.LEFT_HIP], img[Landmark.RIGHT_HIP]
    trunk = float(np.linalg.norm((ls + rs) / 2 - (lh + rh) / 2))
    width = max(float(np.linalg.norm(ls - rs)), float(np.linalg.norm(lh - rh)))
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


def check_setup(pose: PoseFrame, spec: ExerciseSpec, side: str) -> SetupCheck:
    if not pose.detected:
        return SetupCheck("no_person", "No one in view: step into the camera's view")
    w, h = pose.width, pose.height
    idx = [sided(side, joint) for joint in spec.required]
    x, y = pose.image[idx, 0], pose.image[idx, 1]
    # NaN compares False, so an unknown joint is never "inside".
    inside = (
        (-IN_FRAME_MARGIN * w <= x)
        & (x <= (1 + IN_FRAME_MARGIN) * w)
        & (-IN_FRAME_MARGIN * h <= y)
        & (y <= (1 + IN_FRAME_MARGIN) * h)
    )
    seen = inside & (pose.visibility[idx] >= VISIBILITY_MIN)
    missing = [joint for joint, ok in zip(spec.required, seen.tolist(), strict=True) if not ok]
    if missing:
        return SetupCheck("not_visible", _missing_message(pose, missing))
    ratio = view_ratio(pose)
    if not _view_ok(spec.view, ratio):
        return SetupCheck("wrong_view", VIEW_MESSAGES[spec.view])
    xy = pose.image[:, :2]
    finite = xy[np.isfinite(xy).all(axis=1)]
    if finite.size:
        extent = max(np.ptp(finite[:, 0]) / w, np.ptp(finite[:, 1]) / h)
        if extent < MIN_BODY_EXTENT:
            return SetupCheck("too_far", "Move closer to the camera")
    return OK
