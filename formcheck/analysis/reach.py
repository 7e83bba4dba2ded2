"""How far the movement got, and where the time went: the facts behind "why nothing was counted".

A session that counts nothing has one of a few causes: the camera could not
measure (no one in view, joints hidden, the wrong view, too far away), or it
measured a movement that never reached the target. The analyzer accumulates
both here, so the report can name the cause instead of printing a bare zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, cast

from formcheck.exercises.spec import ExerciseSpec, leaves

# Every built-in metric and every exercise-file measure is an angle
# (formcheck.metrics.Body, formcheck.exercises.custom_metrics.SIDED_MEASURES).
ANGLE_UNIT = "deg"


@dataclass(frozen=True)
class PrimaryTarget:
    """Where the primary metric must go for a rep or a held position.

    ``op``: ``>`` the value must rise above ``value``, ``<`` fall below it,
    ``abs>`` (signed metrics done to both sides) go beyond it either way.
    ``relative``: measured from the person's own resting value.
    """

    metric: str
    op: Literal["<", ">", "abs>"]
    value: float
    relative: bool = False
    unit: str = ANGLE_UNIT

    def met_by(self, best: float) -> bool:
        if not math.isfinite(best):
            return False
        if self.op == "<":
            return best < self.value
        return best > self.value  # ">" and "abs>" (best is then a magnitude)


def primary_target(spec: ExerciseSpec) -> PrimaryTarget | None:
    """The target of the exercise's primary metric (a rep's, or the held position's)."""
    if spec.rep is not None:
        if spec.both_directions:
            return PrimaryTarget(spec.primary, "abs>", abs(spec.rep.target))
        return PrimaryTarget(spec.primary, ">" if spec.rep.direction > 0 else "<", spec.rep.target)
    simple = [c for c in leaves(spec.hold_position) if c.op in ("<", ">", "abs>") and c.each is None]
    conditions = [c for c in simple if c.metric == spec.primary] or simple
    if not conditions:
        return None
    c = conditions[0]
    return PrimaryTarget(c.metric, cast(Literal["<", ">", "abs>"], c.op), c.value, c.relative)


class BestReach:
    """The furthest the primary metric got towards its target in one session."""

    def __init__(self, target: PrimaryTarget | None) -> None:
        self.target = target
        self.reset()

    def reset(self) -> None:
        self.best = math.nan
        self.best_by_side: dict[str, float] = {}  # signed metrics: + = the person's left

    def update(self, metrics: dict[str, float], rest: dict[str, float]) -> None:
        target = self.target
        if target is None:
            return
        v = metrics.get(target.metric, math.nan)
        if target.relative:
            v -= rest.get(target.metric, math.nan)
        if not math.isfinite(v):
            return
        if target.op == "abs>":
            side = "left" if v >= 0 else "right"
            self.best_by_side[side] = max(self.best_by_side.get(side, 0.0), abs(v))
            v = abs(v)
        if not math.isfinite(self.best):
            self.best = v
        elif target.op == "<":
            self.best = min(self.best, v)
        else:
            self.best = max(self.best, v)


class StatusClock:
    """Seconds spent in each setup status ("ok", "no_person", "not_visible", ...).

    A frame stands for the time until the next one, read from the frames'
    timestamps; the last frame for the step before it.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last: tuple[float, str] | None = None
        self._step_s = 0.0

    def update(self, t_s: float, status: str) -> None:
        if self._last is not None:
            t0, previous = self._last
            self._step_s = max(0.0, t_s - t0)
            self.seconds[previous] = self.seconds.get(previous, 0.0) + self._step_s
        self._last = (t_s, status)

    def totals(self) -> dict[str, float]:
        """The seconds so far, the current frame included."""
        out = dict(self.seconds)
        if self._last is not None:
            status = self._last[1]
            out[status] = out.get(status, 0.0) + self._step_s
        return out
