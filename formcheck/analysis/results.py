"""What the analyzer hands to the overlay, the sinks and the report."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from formcheck.counting import HoldEvent, RepEvent
from formcheck.landmarks import PoseFrame


@dataclass(frozen=True)
class FaultEvent:
    t_s: float
    code: str
    message: str


@dataclass(frozen=True, eq=False)
class FrameResult:
    """Everything the overlay and the sinks need to know about one frame."""

    index: int
    t_ms: float
    pose: PoseFrame  # smoothed, left/right labels corrected
    status: str  # "ok", "no_person", "not_visible", "wrong_view"
    side: str | None  # the side measured in this frame
    metrics: dict[str, float]
    primary: float
    phase: str  # "rest", "active", "top", "hold"
    reps: int
    partial_reps: int
    progress: float  # 0 at rest .. 1 at the target (NaN when unknown)
    hold_s: float
    holding: bool
    hold_paused: bool
    feedback: str | None
    active_faults: tuple[str, ...]
    rep_event: RepEvent | None = None
    hold_event: HoldEvent | None = None
    new_faults: tuple[FaultEvent, ...] = ()
    setup_message: str | None = None  # what to change before counting can start
    # The landmark set measured, where the overlay draws. The analyzer sets
    # ``side`` to the same leg (events carry the user's name for it, from --side);
    # a renderer given another ``side`` still draws on the leg measured.
    pose_side: str | None = None
    # The person's learnt resting value of the primary metric, when a target is
    # set relative to it (NaN otherwise, or until learnt).
    primary_rest: float = math.nan
    # Holding, but the clock is not running: moving in position, leaving it, or a
    # fault (``hold_paused`` is that last case only).
    hold_stopped: bool = False


@dataclass
class AnalysisSummary:
    exercise: str
    side: str | None
    frames: int = 0
    detected_frames: int = 0
    first_t_ms: float = math.nan
    last_t_ms: float = math.nan
    reps: int = 0
    partial_reps: int = 0
    rep_events: list[RepEvent] = field(default_factory=list)
    holds: list[HoldEvent] = field(default_factory=list)
    faults: list[FaultEvent] = field(default_factory=list)
    # Why nothing was counted, if nothing was (see formcheck.analysis.reach):
    # seconds per setup status, and the furthest the primary metric got towards
    # its target (relative targets: from rest; signed metrics: a magnitude, and
    # per side, + = the person's left).
    status_s: dict[str, float] = field(default_factory=dict)
    best_primary: float = math.nan
    best_primary_by_side: dict[str, float] = field(default_factory=dict)
    # Counted and partial reps by the side they were done on (one-sided exercises).
    reps_by_side: dict[str, int] = field(default_factory=dict)
    partial_reps_by_side: dict[str, int] = field(default_factory=dict)
