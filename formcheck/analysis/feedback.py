"""One feedback line at a time, chosen by priority and held long enough to read."""

from __future__ import annotations

import math

MESSAGE_MIN_S = 1.5  # a line stays at least this long unless something more urgent comes

# Priorities: what to change before anything can be counted beats a form fault,
# which beats a remark about the rep just finished, which beats encouragement.
SETUP, FORM, NOTICE, INFO = 4, 3, 2, 1


class FeedbackSelector:
    def __init__(self, min_s: float = MESSAGE_MIN_S) -> None:
        self.min_s = min_s
        self.reset()

    def reset(self) -> None:
        self.message: str | None = None
        self.priority = 0
        self._since = -math.inf

    def update(self, t_s: float, candidates: list[tuple[int, str]]) -> str | None:
        """``candidates``: (priority, message) currently true; returns the line to show."""
        best = max(candidates, default=None)
        held = self.message is not None and t_s - self._since < self.min_s
        if best is None:
            if not held:
                self.message, self.priority = None, 0
            return self.message
        priority, message = best
        if message == self.message:
            self.priority = priority
        elif not held or priority > self.priority:
            self.message, self.priority, self._since = message, priority, t_s
        return self.message
