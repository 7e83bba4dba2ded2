"""Landmark smoothing for a whole pose."""

from __future__ import annotations

import numpy as np

from formcheck.filters import OneEuroFilter
from formcheck.landmarks import PoseFrame

# Image landmarks are filtered in frame heights, so the same settings suit any
# resolution. min_cutoff 1.5 Hz removes the model's frame-to-frame jitter from a
# still pose; beta 0.5 opens the filter up for a limb moving at exercise speed
# (a 40-degree bridge in ~1 s), which keeps the lag to a frame or two there.
# World landmarks (metres) get the same settings: a person spans a frame height
# or so and ~1.7 m, the same order of size, so the same speeds mean the same.
MIN_CUTOFF_HZ = 1.5
BETA = 0.5


class PoseSmoother:
    """One-Euro smoothing of image landmarks (in frame heights) and world landmarks.

    One filter runs over both, stacked as (2, 33, 3): the same element-wise
    arithmetic as two filters at half the per-frame cost.
    """

    def __init__(self) -> None:
        self._filter = OneEuroFilter(min_cutoff_hz=MIN_CUTOFF_HZ, beta=BETA)

    def reset(self) -> None:
        self._filter.reset()

    def __call__(self, pose: PoseFrame) -> PoseFrame:
        if not pose.detected:
            return pose
        scale = float(pose.height)
        both = self._filter(np.stack((pose.image / scale, pose.world)), pose.t_ms / 1000.0)
        return PoseFrame(
            index=pose.index,
            t_ms=pose.t_ms,
            image=both[0] * scale,
            world=both[1],
            visibility=pose.visibility,
            width=pose.width,
            height=pose.height,
        )
