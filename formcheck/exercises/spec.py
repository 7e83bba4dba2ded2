"""The declarative description of an exercise.

An exercise is data: which metrics it reads, what counts as a rep or a held
position, what the camera must see, which faults to coach and the default dose.
The analyzer interprets it; adding an exercise never touches the pipeline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from formcheck.counting import HoldRule, RepRule
from formcheck.metrics import MetricsRef


class View(StrEnum):
    SIDE = "side"
    FRONT = "front"
    FEET_END = "feet_end"
    ANY = "any"


Op = Literal["<", ">", "abs>", "abs<", "between"]
Each = Literal["both", "either"]
# Each side's value of a metric measured on both sides (custom_metrics.BothSides).
SIDE_SUFFIXES = (".left", ".right")


@dataclass(frozen=True)
class Condition:
    """``metric op value``, e.g. hip_angle > 195; ``abs>``/``abs<`` for signed metrics (either way).

    ``between``: ``value <= metric <= high``.
    """

    metric: str
    op: Op
    value: float
    # Measured from the person's own resting value of the metric (learnt by the
    # analyzer), not from zero: for positions defined by a change from the
    # starting posture, which also cancels a landmark's constant bias.
    relative: bool = False
    high: float | None = None  # the upper end of ``between``
    # A metric measured on both sides: true when true for both sides / either side.
    each: Each | None = None
    # The metric's units per degree of ``margin`` (margins are set in degrees;
    # a distance in body sizes takes custom_metrics.UNITS_PER_DEGREE of them).
    scale: float = 1.0

    def test(self, metrics: dict[str, float], rest: dict[str, float] | None = None, margin: float = 0.0) -> bool | None:
        """True/False, or None when the metric (or its rest, if relative) is not known.

        ``margin``: true only when past the limit by this much (a fault entering;
        see analysis.analyzer.FAULT_MARGIN_DEG).
        """
        if self.each is not None:
            tests = [self._test_value(metrics.get(self.metric + s, math.nan), rest, margin) for s in SIDE_SUFFIXES]
            if self.each == "both":
                return False if False in tests else None if None in tests else True
            return True if True in tests else None if None in tests else False
        return self._test_value(metrics.get(self.metric, math.nan), rest, margin)

    def _test_value(self, v: float, rest: dict[str, float] | None, margin: float) -> bool | None:
        margin *= self.scale
        if self.relative:
            v -= (rest or {}).get(self.metric, math.nan)
        if not math.isfinite(v):
            return None
        if self.op == "<":
            return v < self.value - margin
        if self.op == ">":
            return v > self.value + margin
        if self.op == "abs<":
            return abs(v) < self.value - margin
        if self.op == "between":
            high = self.high if self.high is not None else math.inf
            return self.value + margin <= v <= high - margin
        return abs(v) > self.value + margin

    @property
    def rest_direction(self) -> int:
        """For a relative condition: +1 when the person's rest is the low side of it.

        The displacement it asks about points away from rest: ``> 5`` (hips lift
        5 above rest) and ``< 12`` alike are measured up from a low rest, ``< -12``
        (the hip closes 12 below rest) and ``> -8`` (the ankle closes less than 8
        below its relaxed angle) down from a high one.
        """
        return 1 if self.value >= 0 else -1

    def leaves(self) -> tuple[Condition, ...]:
        return (self,)

    def __str__(self) -> str:
        rel = " (from rest)" if self.relative else ""
        each = f"{self.each} " if self.each else ""
        if self.op == "between":
            return f"{each}{self.metric} between {self.value:g} and {self.high:g}{rel}"
        return f"{each}{self.metric} {self.op} {self.value:g}{rel}"


@dataclass(frozen=True)
class ConditionGroup:
    """``all`` (every one true) or ``any`` (at least one) of conditions or groups.

    Like a condition, None when it cannot be decided: a group that needs an
    unknown metric to decide is unknown.
    """

    mode: Literal["all", "any"]
    items: tuple[Condition | ConditionGroup, ...]

    def test(self, metrics: dict[str, float], rest: dict[str, float] | None = None, margin: float = 0.0) -> bool | None:
        tests = [c.test(metrics, rest, margin) for c in self.items]
        if self.mode == "all":
            return False if False in tests else None if None in tests else True
        return True if True in tests else None if None in tests else False

    def leaves(self) -> tuple[Condition, ...]:
        return tuple(c for item in self.items for c in item.leaves())

    def __str__(self) -> str:
        return f" {'and' if self.mode == 'all' else 'or'} ".join(f"({c})" for c in self.items)


Test = Condition | ConditionGroup


def leaves(tests: tuple[Test, ...]) -> tuple[Condition, ...]:
    """Every single condition in a list of conditions and groups."""
    return tuple(c for t in tests for c in t.leaves())


def all_true(tests: tuple[Test, ...], metrics: dict[str, float], rest: dict[str, float] | None = None) -> bool | None:
    """All of ``tests`` (None when one is unknown and none is false)."""
    return ConditionGroup("all", tests).test(metrics, rest)


During = Literal["any", "rest", "active", "top", "hold"]


@dataclass(frozen=True)
class FaultRule:
    """A form fault: conditions (all must hold), when it matters, what the patient is told."""

    code: str
    message: str
    when: tuple[Test, ...]
    during: During = "active"
    # Only while the person is holding still (e.g. "not far enough" is a place
    # someone stopped at, not one they are passing through on the way in). A still
    # rule judged at rest is judged on the way in only: not once the hold's position
    # has been reached, until the primary measure is back at its rest (analyzer).
    still: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.when, Condition | ConditionGroup):  # allow a single condition
            object.__setattr__(self, "when", (self.when,))
        if not self.when:
            raise ValueError(f"fault {self.code!r} needs at least one condition")

    def test(self, metrics: dict[str, float], rest: dict[str, float] | None = None, margin: float = 0.0) -> bool:
        """True only when every condition is measurable and true (past its limit by ``margin``)."""
        return all(c.test(metrics, rest, margin) is True for c in self.when)


@dataclass(frozen=True)
class RepTiming:
    """Faults judged on a finished rep's timing (a pause at the top, a slow return, a rushed rep)."""

    min_top_s: float | None = None
    no_pause_code: str = "no_pause"
    no_pause_message: str = "Pause for a moment at the top"
    min_down_s: float | None = None
    fast_down_code: str = "too_fast"
    fast_down_message: str = "Slow down on the way back"
    min_rep_s: float | None = None
    fast_rep_code: str = "too_fast"
    fast_rep_message: str = "Move slowly and smoothly"


@dataclass(frozen=True)
class Dose:
    sets: int
    reps: int | None = None  # per set (per side when per_side)
    hold_s: float | None = None
    per_side: bool = False

    def describe(self) -> str:
        amount = f"{self.reps} reps" if self.reps else ""
        if self.hold_s:
            amount = f"{amount} x {self.hold_s:g} s hold" if amount else f"{self.hold_s:g} s hold"
        side = " each side" if self.per_side else ""
        return f"{self.sets} x {amount}{side}"


@dataclass(frozen=True)
class Guidance:
    """An exercise whose movement one webcam cannot measure: coached as cued holds instead.

    Declared where the movement is the size of the pose model's own error (a
    pelvic tilt moves the knee and hip landmarks 2-3 degrees, docs/accuracy.md),
    so counting it would be guessing. Live, the tool then cues each hold
    ("``cue``... hold 5, 4, 3 ... relax") and times it from the frames, and
    counts only what it can see: the person in ``position`` (absolute
    conditions, e.g. lying with the knees bent), visible, keeping still and free
    of the spec's faults (which must be movements large enough to see). Offline
    analysis still reads the small signal, but says its counts are estimates.
    """

    reason: str  # why the movement cannot be measured, in the user's words
    cue: str  # what to do at each cue ("Tighten your stomach and flatten your back")
    position: tuple[Test, ...]  # the starting position, as it can be seen (all true)
    position_message: str  # what to do when out of it
    relax_s: float  # the relaxation between two cued holds
    relax: str = "Relax"


@dataclass(frozen=True)
class ExerciseSpec:
    id: str
    name: str
    source: str
    view: View
    instruction: str  # one line: what to do
    metrics: MetricsRef  # a key of formcheck.metrics.METRIC_SETS, or a MetricSet (exercise files)
    primary: str  # the metric reps/holds are judged on
    dose: Dose
    required: tuple[str, ...] = ("shoulder", "hip", "knee", "ankle")  # joints on the measured side
    bilateral: bool = True  # False: --side names a working/affected leg
    rep: RepRule | None = None
    partial_code: str = "partial"
    partial_message: str = "Go all the way to the target position"
    timing: RepTiming = field(default_factory=RepTiming)
    hold_position: tuple[Test, ...] = ()  # all true = in the held position
    # Reps: all of these true at some moment of a rep, or it is only a partial
    # rep (code/message below): "arms up AND feet apart" on top of the primary metric.
    rep_requires: tuple[Test, ...] = ()
    requires_code: str = "incomplete"
    requires_message: str = "Do the whole movement"
    hold: HoldRule = field(default_factory=HoldRule)
    hold_direction: int = 1  # +1: the primary metric rises into the held position, -1: falls
    faults: tuple[FaultRule, ...] = ()
    # Signed metrics (trunk rotation, side bend) are done to both sides of a
    # neutral 0: reps are counted each way, the rep's side is the sign
    # (+ = the person's left). ``away_from_side``: only bends away from the
    # user's --side count; the other way is the fault ``wrong_side``.
    both_directions: bool = False
    direction_rule: Literal["any", "away_from_side"] = "any"
    wrong_side_message: str = "Bend away from your painful side"
    holds_count_as_reps: bool = False  # each completed hold of dose.hold_s is a rep
    # Which leg is working, for one-sided exercises: the one whose metric is
    # further in this direction (default: the primary metric, towards its target).
    side_by: tuple[str, int] | None = None
    # Other camera views the exercise may be done in (``view`` is the first).
    views: tuple[View, ...] = ()
    # With --side auto: "visible" measures the side facing the camera (or, for a
    # one-sided exercise seen side-on, the leg doing it); "moving" the side
    # whose primary metric moves most, in any view.
    side_choice: Literal["visible", "moving"] = "visible"
    # Not measurable from one webcam: live mode coaches cued holds (Guidance);
    # offline counts are reported as estimates. None: measured as usual.
    guided: Guidance | None = None

    def __post_init__(self) -> None:
        if (self.rep is None) == (not self.hold_position):
            raise ValueError(f"{self.id}: an exercise is either counted in reps or held, not both/neither")
        if self.hold_direction not in (1, -1):
            raise ValueError(f"{self.id}: hold_direction must be +1 or -1")

    @property
    def measurable(self) -> bool:
        """Can one webcam measure the movement itself (False: see ``guided``)?"""
        return self.guided is None

    @property
    def direction(self) -> int:
        """Which way the primary metric moves when the exercise is done."""
        return self.rep.direction if self.rep is not None else self.hold_direction

    @property
    def allowed_views(self) -> tuple[View, ...]:
        return (self.view, *(v for v in self.views if v is not self.view))

    @property
    def kind(self) -> Literal["reps", "hold"]:
        return "reps" if self.rep is not None else "hold"
