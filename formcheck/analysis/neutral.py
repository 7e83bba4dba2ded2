"""Degrees from a length that falls as cos(angle): a turn seen edge-on from the side.

Seen from the side, bent knees that turn about the hip-to-ankle line stand above
it by their neutral height times cos(rotation) (formcheck.metrics.Body.knee_height).
The neutral height depends on the person (leg lengths, how far the knees are bent)
and on the camera, so it is learnt, as the highest the length has stood over the
last ``memory_s``: the knees at neutral are as high above that line as they get,
and between reps they come back there. The length is first taken as its running
median over ``median_s``, so a misplaced frame or two cannot set the neutral, and
only once the pose has settled (SETTLE_S). A recording that starts with the
knees already turned learns a low neutral at first and corrects it as soon as
they come back up (reading about 0 meanwhile, so nothing is counted from it).

Near neutral the cosine is flat: a 1 % change of the length reads as 8 degrees.
That is why the rep thresholds of a measure like this are set from the length's
measured noise, not from the angle (formcheck.exercises.lower_trunk_rotation).
"""

from __future__ import annotations

import math
import statistics
from collections import deque

# Half a second of frames: longer than a misplaced frame or two, shorter than
# the quickest return to neutral between reps (about a second on the handout).
MEDIAN_S = 0.5
# Longer than the handout's 3-5 s hold at a side and the movements either side
# of it, so the neutral is always one seen between reps; short enough to follow
# a person who shifts on the mat or moves the camera.
MEMORY_S = 15.0
# The pose model's first frames of a person are off and settle over ~10 frames
# (on side-view renders of this exercise the knees' height fell 2-9 % over its
# first 0.3 s, then stayed within ~1 %), and the pose filter carries them a
# little longer (~0.3 s): the neutral is learnt only from a length measured for this
# long without a gap (a gap longer than GAP_S starts the wait again).
SETTLE_S = 0.6
GAP_S = 0.5


class NeutralCosine:
    """The learnt neutral of one length, and the angle each new length reads against it."""

    def __init__(self, median_s: float = MEDIAN_S, memory_s: float = MEMORY_S) -> None:
        self.median_s = median_s
        self.memory_s = memory_s
        self.reset()

    def reset(self) -> None:
        self._since = math.nan  # start of the current run of lengths without a gap
        self._recent: deque[tuple[float, float]] = deque()  # (t, length) over median_s
        self._peaks: deque[tuple[float, float]] = deque()  # (t, median), medians decreasing

    @property
    def neutral(self) -> float:
        return self._peaks[0][1] if self._peaks else math.nan

    def update(self, t_s: float, length: float) -> float:
        """The unsigned angle in degrees (0 = neutral); NaN when ``length`` is unknown."""
        if not (math.isfinite(length) and length > 0):
            return math.nan
        if self._recent and t_s - self._recent[-1][0] > GAP_S:
            self._recent.clear()
        if not self._recent:
            self._since = t_s
        self._recent.append((t_s, length))
        while self._recent[0][0] < t_s - self.median_s:
            self._recent.popleft()
        level = statistics.median(v for _, v in self._recent)
        if t_s - self._since >= SETTLE_S:
            while self._peaks and self._peaks[-1][1] <= level:
                self._peaks.pop()
            self._peaks.append((t_s, level))
        while self._peaks and self._peaks[0][0] < t_s - self.memory_s:
            self._peaks.popleft()
        neutral = self._peaks[0][1] if self._peaks else level
        return math.degrees(math.acos(min(1.0, length / neutral)))
