"""Landmark names and the pose type every stage after the model speaks.

MediaPipe hands back 33 mutable objects per frame with optional fields; we turn
them into one ``PoseFrame`` of NumPy arrays at the model boundary so the rest of
the code is vectorised and never sees ``None`` (missing is NaN).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

NUM_LANDMARKS = 33


class Landmark(IntEnum):
    """BlazePose's 33 landmark indices, as the Tasks API numbers them."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


@functools.cache  # called for every joint of every frame; the answers never change
def sided(side: str, joint: str) -> Landmark:
    """``sided("left", "knee") -> Landmark.LEFT_KNEE``; exercises name joints by role and side."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    return Landmark[f"{side.upper()}_{joint.upper()}"]


def other_side(side: str) -> str:
    """The opposite body side."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    return "right" if side == "left" else "left"


def _swap_table() -> tuple[int, ...]:
    table = list(range(NUM_LANDMARKS))
    for lm in Landmark:
        if lm.name.startswith("LEFT_"):
            mate = Landmark["RIGHT_" + lm.name[5:]]
        elif lm.name.startswith("RIGHT_"):
            mate = Landmark["LEFT_" + lm.name[6:]]
        else:
            mate = lm
        table[lm] = int(mate)
    return tuple(table)


# Index permutation that exchanges every left landmark with its right mate:
# ``points[..., LEFT_RIGHT_SWAP, :]`` undoes a model's left/right confusion.
LEFT_RIGHT_SWAP: tuple[int, ...] = _swap_table()

# Skeleton edges drawn by the overlay (face omitted: it clutters a floor view).
SKELETON_EDGES: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX),
)


def _empty(shape: tuple[int, ...]) -> FloatArray:
    return np.full(shape, np.nan, dtype=np.float64)


@dataclass(frozen=True, eq=False)
class PoseFrame:
    """One frame's pose, converted once from the model's output.

    ``image`` is (33, 3): x and y in pixels of the analysed frame, z the model's
    relative depth scaled like x (larger = farther from the camera), which makes
    (x, y, z) a right-handed frame with y pointing down. ``world`` is (33, 3) in
    metres about the hip centre, same axes. ``visibility`` is (33,) in [0, 1].
    Every array is NaN when no person was found, so geometry propagates "unknown"
    instead of inventing a zero angle.
    """

    index: int
    t_ms: float
    image: FloatArray
    world: FloatArray
    visibility: FloatArray
    width: int
    height: int

    @property
    def detected(self) -> bool:
        # Asked by several stages of every frame: worked out once per pose. Not
        # functools.cached_property, whose per-access lock (Python 3.11) costs
        # more than the test itself.
        found = self.__dict__.get("_detected")
        if found is None:
            found = bool(np.isfinite(self.image[:, 0]).any())
            self.__dict__["_detected"] = found  # a cache, not state: the arrays decide it
        return found

    @classmethod
    def missing(cls, index: int, t_ms: float, width: int, height: int) -> PoseFrame:
        """A frame in which the model found nobody."""
        return cls(
            index=index,
            t_ms=t_ms,
            image=_empty((NUM_LANDMARKS, 3)),
            world=_empty((NUM_LANDMARKS, 3)),
            visibility=np.zeros(NUM_LANDMARKS, dtype=np.float64),
            width=width,
            height=height,
        )
