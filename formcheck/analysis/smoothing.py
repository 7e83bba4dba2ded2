"""Landmark smoothing for a whole pose."""

from __future__ import annotations

import numpy as np

from formcheck.filters import OneEuroFilter
from formcheck.landmarks import PoseFrame

# Image landmarks are filtered in frame heights, so the same settings suit any
# resolution. min_cutoff 1.5 Hz removes the model's frame-to-frame jitter from a
# still pose; beta 0.5 opens the filter up for a limb moving at exercise speed
# (a 40-degree bridge in ~1 s), which keeps the lag to a frame or two there.
IMAGE_MIN_CUTOFF_HZ = 1.5
IMAGE_BETA = 0.5
WORLD_MIN_CUTOFF_HZ = 1.5
WORLD_BETA = 0.5


class PoseSmoother:
    """One-Euro smoothing of image landmarks (in frame heights) and world landmarks."""

    def __init__(self) -> None:
        self._image = OneEuroFilter(min_cutoff_hz=IMAGE_MIN_CUTOFF_HZ, beta=IMAGE_BETA)
        self._world = OneEuroFilter(min_cutoff_hz=WORLD_MIN_CUTOFF_HZ, beta=WORLD_BETA)
        # With the same settings (the default) one filter over both (2, 33, 3)
        # does the same element-wise arithmetic at half the per-frame cost.
        same = (IMAGE_MIN_CUTOFF_HZ, IMAGE_BETA) == (WORLD_MIN_CUTOFF_HZ, WORLD_BETA)
        self._both = OneEuroFilter(min_cutoff_hz=IMAGE_MIN_CUTOFF_HZ, beta=IMAGE_BETA) if same else None

    def reset(self) -> None:
        self._image.reset()
        self._world.reset()
        if self._both is not None:
            self._both.reset()

    def __call__(self, pose: PoseFrame) -> PoseFrame:
        if not pose.detected:
            return pose
        t_s = pose.t_ms / 1000.0
        scale = float(pose.height)
        if self._both is not None:
            both = self._both(np.stack((pose.image / scale, pose.world)), t_s)
            image, world = both[0] * scale, both[1]
        else:
            image, world = self._image(pose.image / scale, t_s) * scale, self._world(pose.world, t_s)
        return PoseFrame(
            index=pose.index,
            t_ms=pose.t_ms,
            image=image,
            world=world,
            visibility=pose.visibility,
            width=pose.width,
            height=pose.height,
        )
