"""Cued holds: live coaching of an exercise one webcam cannot measure (``spec.guided``).

A pelvic tilt moves the landmarks by about the pose model's own error, so
counting tilts from them is guessing. Instead the tool leads each hold, as a
physical therapist would: it cues the movement ("Tighten your stomach and
flatten your back"), counts the hold down ("Hold, 4, 3, 2, 1") and says
"Relax", timing everything from the frames' timestamps. What it counts is
only what it can see: a cued hold is *done in position* when the person was
seen in the starting position (``Guidance.position``: lying, knees bent),
keeping still and without one of the exercise's faults (movements of 5-15
degrees, such as the hips lifting into a bridge) for the whole hold, up to
``HOLD_TOLERANCE_S``. It never reads or claims a tilt angle.

Two explicit-state objects, both driven by frame times only:
``Lookout`` turns each analysed frame into an ``Observation`` (can the
starting position be seen, still, without a fault? if not, why?), and
``CuedHoldTimer`` runs the cue cycle on those observations
(wait -> cue -> hold -> relax -> cue ...) and keeps the tally.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from formcheck.analysis import FrameResult
from formcheck.analysis.analyzer import HOLD_TOLERANCE_S, SETTLE_DEG_S
from formcheck.counting import STILL_RATE_CAP, HoldRule, StillnessGate
from formcheck.exercises.spec import ExerciseSpec, Guidance, all_true, leaves

# In position and still this long before the first hold is cued: the live
# session's own "ready" time (session.READY_S), so the person has arrived.
READY_S = 1.0
# From the spoken cue to the start of the hold: time to hear the cue and act on
# it. A seven-word cue ("Tighten your stomach and flatten your back") takes
# 2.8 s at the speech engine's 150 words a minute (sound.EspeakBackend).
LEAD_S = 3.0
# A hold is done in position when it was seen so for all of it but this: the
# hold timer's own accuracy (analysis.analyzer.HOLD_TOLERANCE_S), which also
# covers a dropped frame or two and the debounce of a fault.
UNSEEN_TOLERANCE_S = HOLD_TOLERANCE_S
# A frame stands for at most this much time (counting.HoldRule.max_step_s):
# a longer gap between frames was not seen.
MAX_STEP_S = HoldRule().max_step_s
MOVING_MESSAGE = "Keep still"


class CuePhase(StrEnum):
    WAIT = "wait"  # for the person to be in the starting position
    CUE = "cue"  # the cue has been given; the hold starts in a moment
    HOLD = "hold"  # counting the hold down
    RELAX = "relax"  # between holds


@dataclass(frozen=True)
class Observation:
    """One frame, as far as cued holds are concerned."""

    ok: bool  # visible, in the starting position, still, no fault
    why: str | None = None  # what is wrong when not ok (shown and, at a hold's end, said)
    faults: tuple[str, ...] = ()  # the exercise's faults active in this frame


@dataclass(frozen=True)
class CuedHold:
    """A cued hold that ran its whole time."""

    start_s: float
    end_s: float
    seen_s: float  # of it, seen in position, still and without a fault
    done: bool  # done in position (seen all but UNSEEN_TOLERANCE_S of it, no fault)
    faults: tuple[str, ...] = ()
    why: str | None = None  # when not done: the main reason


@dataclass(frozen=True)
class Said:
    """Something the timer says at a frame: shown, and spoken by the session."""

    kind: Literal["cue", "count", "relax"]
    text: str


@dataclass(frozen=True)
class CueStep:
    phase: CuePhase
    left_s: float  # of the current phase (NaN while waiting)
    said: tuple[Said, ...] = ()
    finished: CuedHold | None = None


class Lookout:
    """What can be seen of the starting position, frame by frame (holds the stillness gates)."""

    def __init__(self, spec: ExerciseSpec) -> None:
        if spec.guided is None:
            raise ValueError(f"{spec.id} is measured, not guided")
        self.spec = spec
        self.guidance: Guidance = spec.guided
        self._fault_messages = {r.code: r.message for r in spec.faults}
        # Still: the position's metrics changing slower than a held position drifts
        # (analysis.analyzer.SETTLE_DEG_S; moving into or out of a position runs at
        # 15-50 deg/s), raised to the measured jitter as for any hold. A tilt moves
        # the knee 2-3 degrees over a second or so: still, by this measure.
        # The metrics watched: the position's and the faults' (hips, knees, trunk).
        watched = leaves(self.guidance.position) + leaves(tuple(t for r in spec.faults for t in r.when))
        self._gates = {c.metric: StillnessGate(SETTLE_DEG_S * c.scale, cap=STILL_RATE_CAP * c.scale) for c in watched}

    def reset(self) -> None:
        for gate in self._gates.values():
            gate.reset()

    def observe(self, result: FrameResult, holding: bool = False) -> Observation:
        """``holding``: a hold is being counted (the gates learn their noise floor then)."""
        t = result.t_ms / 1000.0
        for m, gate in self._gates.items():
            gate.update(t, result.metrics.get(m, math.nan), learn=holding)
        # Moving only when seen moving: too few recent frames to tell (a slow machine
        # dropping frames, the first frames) is not evidence against the person.
        moving = any(math.isfinite(g.slope) and abs(g.slope) > g.threshold for g in self._gates.values())
        faults = tuple(code for code in result.active_faults if code in self._fault_messages)
        if result.status != "ok":
            why = result.setup_message or self.guidance.position_message
            return Observation(False, why, faults)
        if all_true(self.guidance.position, result.metrics) is not True:
            return Observation(False, self.guidance.position_message, faults)
        if faults:
            return Observation(False, self._fault_messages[faults[0]], faults)
        if moving:
            return Observation(False, MOVING_MESSAGE, faults)
        return Observation(True)


@dataclass
class CueState:
    phase: CuePhase = CuePhase.WAIT
    since: float = math.nan  # when the phase began (frame time)
    ok_since: float = math.nan  # WAIT/CUE: start of the current stretch in position
    bad_s: float = 0.0  # CUE: time not in position since the cue
    last_t: float = math.nan
    seen_s: float = 0.0  # HOLD: time seen in position so far
    misses: dict[str, float] = field(default_factory=dict)  # HOLD: seconds per reason not in position
    faults: set[str] = field(default_factory=set)  # HOLD: faults seen
    spoken: set[int] = field(default_factory=set)  # HOLD: seconds already counted down
    why: str | None = None  # the latest reason the position is not seen


class CuedHoldTimer:
    """Cues holds of ``hold_s`` with ``relax_s`` between them and keeps the tally.

    ``done``: holds done in position; ``cued``: holds cued and run to their end
    (a hold interrupted by a pause, a switch of exercise or a program's rest is
    neither). Times are frame times in seconds.
    """

    def __init__(self, guidance: Guidance, hold_s: float) -> None:
        if not hold_s > 0:
            raise ValueError("a cued hold needs a positive hold time")
        self.guidance = guidance
        self.hold_s = hold_s
        self.reset()

    @classmethod
    def for_spec(cls, spec: ExerciseSpec) -> CuedHoldTimer:
        if spec.guided is None or spec.dose.hold_s is None:
            raise ValueError(f"{spec.id}: cued holds need spec.guided and a dose with hold_s")
        return cls(spec.guided, spec.dose.hold_s)

    def reset(self) -> None:
        self.state = CueState()
        self.holds: list[CuedHold] = []

    @property
    def done(self) -> int:
        return sum(h.done for h in self.holds)

    @property
    def cued(self) -> int:
        return len(self.holds)

    @property
    def holding(self) -> bool:
        """Between the cue and the end of the hold: a set is not closed in the middle of it."""
        return self.state.phase in (CuePhase.CUE, CuePhase.HOLD)

    def interrupt(self) -> None:
        """A pause, another exercise or a rest: a running hold is dropped, not judged."""
        self.state = CueState(why=self.state.why)

    def update(self, t: float, seen: Observation, allowed: bool = True) -> CueStep:
        """One frame at time ``t``; ``allowed`` False (a program's rest) holds the cycle in WAIT."""
        s = self.state
        if not allowed:
            if s.phase is not CuePhase.WAIT:
                self.interrupt()
            self.state.last_t = t
            return CueStep(CuePhase.WAIT, math.nan)
        dt = min(max(t - s.last_t, 0.0), MAX_STEP_S) if math.isfinite(s.last_t) else 0.0
        s.last_t = t
        s.why = seen.why
        if seen.ok:
            if not math.isfinite(s.ok_since):
                s.ok_since = t
        else:
            s.ok_since = math.nan

        if s.phase is CuePhase.WAIT:
            if math.isfinite(s.ok_since) and t - s.ok_since >= READY_S:
                return self._cue(t)
            return CueStep(CuePhase.WAIT, math.nan)
        if s.phase is CuePhase.CUE:
            s.bad_s = 0.0 if seen.ok else s.bad_s + dt
            if s.bad_s > UNSEEN_TOLERANCE_S:  # left the position before the hold began: wait again
                self.state = CueState(last_t=t, why=seen.why)
                return CueStep(CuePhase.WAIT, math.nan)
            if t - s.since >= LEAD_S:
                s.phase, s.since = CuePhase.HOLD, t
                s.seen_s, s.misses, s.faults, s.spoken = 0.0, {}, set(), set()
                return CueStep(CuePhase.HOLD, self.hold_s, (Said("count", f"Hold, {math.ceil(self.hold_s)}"),))
            return CueStep(CuePhase.CUE, LEAD_S - (t - s.since))
        if s.phase is CuePhase.HOLD:
            if seen.ok:
                s.seen_s += dt
            elif seen.why is not None:
                s.misses[seen.why] = s.misses.get(seen.why, 0.0) + dt
            s.faults.update(seen.faults)
            left = self.hold_s - (t - s.since)
            if left <= 0:
                return self._end_hold(t)
            n = math.ceil(left)
            if n < math.ceil(self.hold_s) and n not in s.spoken:
                s.spoken.add(n)
                return CueStep(CuePhase.HOLD, left, (Said("count", str(n)),))
            return CueStep(CuePhase.HOLD, left)
        # RELAX
        left = self.guidance.relax_s - (t - s.since)
        if left > 0:
            return CueStep(CuePhase.RELAX, left)
        if seen.ok:  # still in position: straight on to the next cue
            return self._cue(t)
        self.state = CueState(last_t=t, why=seen.why)
        return CueStep(CuePhase.WAIT, math.nan)

    def _cue(self, t: float) -> CueStep:
        s = self.state
        s.phase, s.since, s.bad_s = CuePhase.CUE, t, 0.0
        return CueStep(CuePhase.CUE, LEAD_S, (Said("cue", self.guidance.cue),))

    def _end_hold(self, t: float) -> CueStep:
        s = self.state
        start = s.since
        end = start + self.hold_s
        # Time within the hold not seen at all (dropped frames) counts against it too.
        done = s.seen_s >= self.hold_s - UNSEEN_TOLERANCE_S and not s.faults
        why = None if done else (max(s.misses, key=lambda k: s.misses[k]) if s.misses else MOVING_MESSAGE)
        hold = CuedHold(start, end, round(s.seen_s, 3), done, tuple(sorted(s.faults)), why)
        self.holds.append(hold)
        s.phase, s.since = CuePhase.RELAX, t
        words = self.guidance.relax if done else f"{self.guidance.relax}. That one did not count: {why}"
        return CueStep(CuePhase.RELAX, self.guidance.relax_s, (Said("relax", words),), hold)


def shown_result(result: FrameResult, spec: ExerciseSpec, done: int) -> FrameResult:
    """The frame as the guided screen shows it: nothing the small signal claims.

    No tilt angle, no tilt-timed hold or rep, no "hold the tilt longer" notice:
    only setup problems and the exercise's visible faults reach the feedback line.
    """
    notice = result.feedback == spec.partial_message
    return replace(
        result,
        primary=math.nan,
        phase="rest",
        reps=done,
        partial_reps=0,
        progress=math.nan,
        hold_s=0.0,
        holding=False,
        hold_paused=False,
        hold_stopped=False,
        rep_event=None,
        hold_event=None,
        new_faults=tuple(f for f in result.new_faults if f.code != spec.partial_code),
        primary_rest=math.nan,
        feedback=None if notice else result.feedback,
    )


def cued_report(timer: CuedHoldTimer, spec: ExerciseSpec) -> dict[str, Any]:
    """The report's counts for a guided exercise: cued holds, never a measured tilt."""
    guidance = timer.guidance
    return {
        "reps": timer.done,
        "partial_reps": 0,
        "rep_events": [],
        "holds": [
            {
                "start_s": round(h.start_s, 3),
                "end_s": round(h.end_s, 3),
                "duration_s": round(h.end_s - h.start_s, 3),
                "side": None,
                "seen_in_position_s": h.seen_s,
                "done_in_position": h.done,
                "faults": list(h.faults),
                "why_not": h.why,
            }
            for h in timer.holds
        ],
        "measurement": {"reliable": False, "counts": "cued_holds", "reason": guidance.reason},
        "guided": {
            "mode": "cued_holds",
            "measured": False,
            "reason": guidance.reason,
            "cue": guidance.cue,
            "hold_s": timer.hold_s,
            "relax_s": guidance.relax_s,
            "cued": timer.cued,
            "done_in_position": timer.done,
        },
    }


__all__ = [
    "CuePhase",
    "CueStep",
    "CuedHold",
    "CuedHoldTimer",
    "Lookout",
    "Observation",
    "Said",
    "cued_report",
    "shown_result",
]
