"""Sets from the dose: which set the person is in and how much of it is left.

Pure arithmetic on the prescribed dose and what has been done so far, so the
window, the cues and the summary all say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from formcheck.exercises.spec import ExerciseSpec


@dataclass(frozen=True)
class SetProgress:
    set_no: int  # the set being worked on, 1-based (the last set once all are done)
    sets: int
    done_in_set: int
    per_set: int
    unit: str  # "reps" or "holds"
    sets_done: int

    @property
    def dose_done(self) -> bool:
        return self.sets_done >= self.sets

    @property
    def left_in_set(self) -> int:
        return max(self.per_set - self.done_in_set, 0)


def units_per_set(spec: ExerciseSpec) -> tuple[int, str]:
    """What one set is: reps (both sides' worth when per side) or timed holds."""
    sides = 2 if spec.dose.per_side else 1
    if spec.kind == "reps" or spec.holds_count_as_reps:
        return (spec.dose.reps or 0) * sides, "reps"
    return sides, "holds"


def set_progress(spec: ExerciseSpec, units_done: int) -> SetProgress:
    """``units_done``: complete reps, or holds that reached the dose's time."""
    per_set, unit = units_per_set(spec)
    sets = max(spec.dose.sets, 1)
    if per_set <= 0:
        return SetProgress(1, sets, units_done, 0, unit, 0)
    sets_done = min(units_done // per_set, sets)
    if sets_done >= sets:
        return SetProgress(sets, sets, per_set, per_set, unit, sets_done)
    return SetProgress(sets_done + 1, sets, units_done - sets_done * per_set, per_set, unit, sets_done)
