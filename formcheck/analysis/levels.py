"""A metric's own level in a held position: what a hold fault measured "from rest" compares with.

A fault judged only in the held position (the calf stretch's heel lifting) asks whether a
measure has left where it sat in that position. The level before the hold says nothing
about that (walking in, stepping back), and a low-side follower such as
``counting.RestLevel`` sinks to the lowest of a noisy reading's dips, so that the measure's
own jitter reads as a rise. The median of the readings taken in the position while the form
was good does neither: half the readings lie on each side of it, and a fault's own frames
(a lifted heel) are left out.
"""

from __future__ import annotations

import bisect
import math


class HeldLevel:
    """Median of one metric's readings since the current hold began (good form only)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._sorted: list[float] = []

    @property
    def value(self) -> float:
        n = len(self._sorted)
        if n == 0:
            return math.nan
        mid = n // 2
        return self._sorted[mid] if n % 2 else 0.5 * (self._sorted[mid - 1] + self._sorted[mid])

    def update(self, value: float, learn: bool) -> float:
        """``learn`` False: the form is off (or no hold runs); the level stays where it was."""
        if learn and math.isfinite(value):
            bisect.insort(self._sorted, value)
        return self.value
