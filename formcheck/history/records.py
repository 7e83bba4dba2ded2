"""What one session, exercise, set, rep and hold look like in the history.

The live session and ``analyze --log`` both hand the store these records, so
the database never sees the counters' own classes and the two paths cannot
drift apart. Converters from the counters' events and from the per-video JSON
report (``formcheck.report.build_report``) live here too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from formcheck.analysis.results import FaultEvent
from formcheck.counting import HoldEvent, RepEvent
from formcheck.exercises.spec import ExerciseSpec, leaves

EndReason = Literal["in_progress", "completed", "stopped", "interrupted", "stop_answer", "recording"]
END_REASONS: tuple[EndReason, ...] = ("in_progress", "completed", "stopped", "interrupted", "stop_answer", "recording")
SideIs = Literal["working", "painful"]


def _num(x: float | None) -> float | None:
    """NaN and infinities are unknown: stored as NULL, never as 0."""
    return float(x) if x is not None and math.isfinite(x) else None


@dataclass(frozen=True)
class RepRecord:
    start_s: float
    peak_s: float
    end_s: float
    complete: bool
    peak_value: float | None  # the primary metric at the rep's peak: its range of motion
    rest_value: float | None
    up_s: float | None
    top_s: float | None
    down_s: float | None
    side: str | None = None
    faults: tuple[str, ...] = ()

    @classmethod
    def from_event(cls, e: RepEvent) -> RepRecord:
        return cls(
            e.start_s, e.peak_s, e.end_s, e.complete, _num(e.peak_value), _num(e.rest_value),
            _num(e.up_s), _num(e.top_s), _num(e.down_s), e.side, tuple(e.faults),
        )  # fmt: skip

    @classmethod
    def from_report(cls, d: Mapping[str, Any]) -> RepRecord:
        tempo = d.get("tempo") or {}
        return cls(
            float(d["start_s"]), float(d["peak_s"]), float(d["end_s"]), bool(d["complete"]),
            _num(d.get("peak_value")), _num(d.get("rest_value")),
            _num(tempo.get("up_s")), _num(tempo.get("top_s")), _num(tempo.get("down_s")),
            d.get("side"), tuple(d.get("faults", ())),
        )  # fmt: skip


@dataclass(frozen=True)
class HoldRecord:
    start_s: float
    end_s: float
    duration_s: float  # time held with acceptable form
    side: str | None = None
    faults: tuple[str, ...] = ()  # what paused the timer

    @property
    def paused_s(self) -> float:
        """The hold timer pauses (never resets) while form breaks: elapsed minus held."""
        return max(self.end_s - self.start_s - self.duration_s, 0.0)

    @classmethod
    def from_event(cls, h: HoldEvent) -> HoldRecord:
        return cls(h.start_s, h.end_s, h.duration_s, h.side, tuple(h.faults))

    @classmethod
    def from_report(cls, d: Mapping[str, Any]) -> HoldRecord:
        return cls(float(d["start_s"]), float(d["end_s"]), float(d["duration_s"]), d.get("side"),
                   tuple(d.get("faults", ())))  # fmt: skip


@dataclass(frozen=True)
class FaultRecord:
    t_s: float
    code: str
    message: str

    @classmethod
    def from_event(cls, f: FaultEvent) -> FaultRecord:
        return cls(f.t_s, f.code, f.message)


@dataclass(frozen=True)
class ExerciseRecord:
    """One exercise of a session as prescribed (the dose is what the program asked for)."""

    exercise_id: str
    exercise_name: str
    kind: Literal["reps", "hold"]
    primary_metric: str
    unit: str
    target: float | None  # the primary metric's target (reps) or held position, None when relative
    side: str | None = None
    side_is: SideIs | None = None
    sets: int | None = None
    reps: int | None = None
    hold_s: float | None = None
    per_side: bool = False

    @classmethod
    def from_spec(
        cls,
        spec: ExerciseSpec,
        side: str | None,
        side_is: SideIs | None = None,
        *,
        sets: int | None = None,
        reps: int | None = None,
        hold_s: float | None = None,
    ) -> ExerciseRecord:
        """The spec's own dose unless the program prescribed another."""
        return cls(
            exercise_id=spec.id,
            exercise_name=spec.name,
            kind=spec.kind,
            primary_metric=spec.primary,
            unit="deg",  # every built-in and file metric is an angle (formcheck.metrics, custom_metrics)
            target=primary_target(spec),
            side=side,
            side_is=side_is,
            sets=sets if sets is not None else spec.dose.sets,
            reps=reps if reps is not None else spec.dose.reps,
            hold_s=hold_s if hold_s is not None else spec.dose.hold_s,
            per_side=spec.dose.per_side,
        )


def primary_target(spec: ExerciseSpec) -> float | None:
    """The primary metric's value a rep must reach, or the held position's threshold on it."""
    if spec.rep is not None:
        return float(spec.rep.target)
    for c in leaves(spec.hold_position):
        if c.metric == spec.primary and not c.relative and c.op in ("<", ">"):
            return float(c.value)
    return None


@dataclass(frozen=True)
class SetRecord:
    set_no: int  # 1-based within its exercise
    started_at: datetime
    ended_at: datetime
    reps: tuple[RepRecord, ...] = ()
    holds: tuple[HoldRecord, ...] = ()
    faults: tuple[FaultRecord, ...] = ()
    complete: bool = True  # the set's dose was reached

    @property
    def rep_count(self) -> int:
        return sum(1 for r in self.reps if r.complete)

    @property
    def partial_reps(self) -> int:
        return sum(1 for r in self.reps if not r.complete)


@dataclass(frozen=True)
class StopAnswer:
    """A safety question asked when the session stopped, and the patient's answer."""

    question: str
    answer: str


@dataclass(frozen=True)
class SessionEnd:
    reason: EndReason
    pain_after: int | None = None
    stop_answers: tuple[StopAnswer, ...] = ()
    ended_at: datetime | None = None  # None: now


@dataclass(frozen=True)
class SessionInfo:
    kind: Literal["live", "video"]
    started_at: datetime
    program_name: str | None = None
    program_path: str | None = None
    patient: str | None = None
    source: str | None = None  # the video file, for recordings
    pain_before: int | None = None
    exercises: Sequence[ExerciseRecord] = field(default_factory=tuple)
