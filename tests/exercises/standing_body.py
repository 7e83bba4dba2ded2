"""A person standing square to the camera, drawn by hand (no model, no video).

Image coordinates (x right, y down), 640 x 480; the person's right is on the
image's left. ``feet`` is how far each ankle is from the body's midline beyond
hip width, ``arms`` the wrists' height above the shoulders in pixels (negative:
below), ``heels`` how far the heels are off the floor.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.landmarks import NUM_LANDMARKS, Landmark

MID_X = 320.0
SHOULDER_Y, HIP_Y, KNEE_Y, ANKLE_Y = 110.0, 230.0, 330.0, 430.0
TRUNK_PX = HIP_Y - SHOULDER_Y  # the trunk: shoulder midpoint to hip midpoint
SHOULDER_HALF, HIP_HALF = 40.0, 25.0


def standing_points(
    feet: float = 0.0, arms: float = -140.0, heels: float = 0.0, lean: float = 0.0, right_leg_out: float = 0.0
) -> np.ndarray:
    """``right_leg_out``: the right leg raised sideways by this many degrees (hip abduction)."""
    pts = np.full((NUM_LANDMARKS, 3), np.nan)
    for side, sign in (("RIGHT", -1.0), ("LEFT", 1.0)):
        shoulder = (MID_X + sign * SHOULDER_HALF + lean, SHOULDER_Y)
        hip = (MID_X + sign * HIP_HALF, HIP_Y)
        ankle_x = MID_X + sign * (HIP_HALF + feet)
        knee = ((hip[0] + ankle_x) / 2, KNEE_Y - heels)
        ankle = (ankle_x, ANKLE_Y - heels)
        wrist = (shoulder[0] + sign * 15.0, SHOULDER_Y - arms)
        elbow = ((shoulder[0] + wrist[0]) / 2 + sign * 10.0, (shoulder[1] + wrist[1]) / 2)
        if side == "RIGHT" and right_leg_out:
            th = math.radians(right_leg_out)
            length = ANKLE_Y - HIP_Y
            ankle = (hip[0] - length * math.sin(th), hip[1] + length * math.cos(th))
            knee = ((hip[0] + ankle[0]) / 2, (hip[1] + ankle[1]) / 2)
        for name, (x, y) in (
            ("SHOULDER", shoulder),
            ("ELBOW", elbow),
            ("WRIST", wrist),
            ("HIP", hip),
            ("KNEE", knee),
            ("ANKLE", ankle),
            ("HEEL", (ankle[0], ankle[1] + 10.0)),
            ("FOOT_INDEX", (ankle[0] + sign * 5.0, ANKLE_Y + 20.0)),
            ("EAR", (MID_X + sign * 15.0, 60.0)),
            ("EYE", (MID_X + sign * 10.0, 50.0)),
        ):
            pts[Landmark[f"{side}_{name}"]] = (x, y, 0.0)
    pts[Landmark.NOSE] = (MID_X + lean, 55.0, 0.0)
    return pts
