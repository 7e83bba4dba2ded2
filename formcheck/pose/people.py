"""Following one person when the model sees several.

The session belongs to the patient: the person it started with. Each frame we
keep the candidate that best continues the tracked person's box; a new person
is adopted only after the patient has been gone for a while, and then the
largest, most central one (the likely patient stepping back in, not a child
crossing the background). The analyzer never sees the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from formcheck.landmarks import PoseFrame

FloatArray = NDArray[np.float64]

# How long the tracked person may be missing before anyone else may take over.
REACQUIRE_AFTER_S = 2.0
# Minimum box overlap (IoU) to call a candidate the same person as last seen.
SAME_PERSON_IOU = 0.3


def box(pose: PoseFrame, min_visibility: float = 0.3) -> FloatArray | None:
    """(x0, y0, x1, y1) of the visible landmarks, or None."""
    pts = pose.image[:, :2]
    ok = np.isfinite(pts).all(axis=1) & (pose.visibility >= min_visibility)
    if ok.sum() < 4:
        return None
    p = pts[ok]
    return np.array([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()])


def iou(a: FloatArray, b: FloatArray) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0


def prominence(pose: PoseFrame, b: FloatArray) -> float:
    """Area, discounted by distance from the frame centre: the likely patient scores highest."""
    area = (b[2] - b[0]) * (b[3] - b[1]) / float(pose.width * pose.height)
    cx, cy = (b[0] + b[2]) / 2 / pose.width - 0.5, (b[1] + b[3]) / 2 / pose.height - 0.5
    return float(area * (1.0 - min(math.hypot(cx, cy), 0.7)))


@dataclass
class PersonTracker:
    """Chooses which of several detected poses is the patient, frame by frame."""

    reacquire_after_s: float = REACQUIRE_AFTER_S
    same_person_iou: float = SAME_PERSON_IOU

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._box: FloatArray | None = None
        self._last_seen_s = -math.inf
        self.switches = 0

    def choose(self, candidates: list[PoseFrame], t_s: float) -> int | None:
        """Index of the patient among ``candidates``, or None (patient not in view)."""
        boxes = {i: b for i, c in enumerate(candidates) if (b := box(c)) is not None}
        if not boxes:
            return None
        if self._box is not None:
            tracked = self._box
            best = max(boxes, key=lambda i: iou(tracked, boxes[i]))
            if iou(tracked, boxes[best]) >= self.same_person_iou:
                return self._keep(best, boxes[best], t_s)
            if t_s - self._last_seen_s < self.reacquire_after_s:
                return None  # someone else is in view; the patient is briefly hidden
            self.switches += 1
        best = max(boxes, key=lambda i: prominence(candidates[i], boxes[i]))
        return self._keep(best, boxes[best], t_s)

    def _keep(self, i: int, b: FloatArray, t_s: float) -> int:
        self._box = b
        self._last_seen_s = t_s
        return i
