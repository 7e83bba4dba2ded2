"""A program as the plan a patient reads (``formcheck program show``), and its session length."""

from __future__ import annotations

import math

from formcheck.program.load import LoadedProgram, PlannedExercise

# Time per rep for the session-length estimate: a slow rep with a pause is
# 3-4 s (bridge: lift ~1 s, pause, lower ~2 s); setting up and changing
# position between exercises takes about half a minute. Estimates, not measured.
REP_S = 4.0
SETUP_S = 30.0


def exercise_seconds(e: PlannedExercise) -> float:
    sides = 2 if e.per_side else 1
    per_rep = max(REP_S, e.hold_s or 0.0)
    work = e.reps * per_rep if e.reps else e.hold_s or 0.0
    return SETUP_S + e.sets * work * sides + max(e.sets - 1, 0) * e.rest_s


def session_minutes(lp: LoadedProgram) -> int:
    """About how long one session takes, rounded up to 5 minutes (for the calendar)."""
    total = sum(exercise_seconds(e) for e in lp.exercises)
    return max(5, math.ceil(total / 300.0) * 5)


def _side(e: PlannedExercise) -> str:
    if e.entry.side is None:
        return "both sides" if e.per_side else ""
    stated = f"{e.entry.side_is} side: {e.entry.side}"
    return f"each side, {stated}" if e.per_side else stated


def format_program(lp: LoadedProgram) -> str:
    p = lp.program
    when = f"{p.frequency}" + (f" ({', '.join(p.weekdays)})" if p.frequency != "daily" else "")
    span = f"from {p.start.isoformat()}" + (f" to {p.end.isoformat()}" if p.end else "")
    lines = [p.name, "=" * len(p.name)]
    if p.patient:
        lines.append(f"Patient: {p.patient}")
    reminder = f", reminder at {p.time.strftime('%H:%M')}" if p.time else ""
    lines.append(f"When: {when}, {span}{reminder}")
    lines.append(f"About {session_minutes(lp)} minutes a session, {len(lp.exercises)} exercises.")
    lines.append("")
    for i, e in enumerate(lp.exercises, 1):
        side = _side(e)
        lines.append(f"{i}. {e.spec.name} ({e.spec.id})" + (f" - {side}" if side else ""))
        rest = f"; rest {e.rest_s:g} s between sets" if e.sets > 1 else ""
        lines.append(f"   Dose: {e.describe_dose()}{rest}")
        lines.append(f"   Camera: {e.spec.view.value} view. {e.spec.instruction}")
        if e.entry.notes:
            lines.append(f"   Note: {e.entry.notes}")
        if e.entry.file:
            lines.append(f"   Exercise file: {e.entry.file}")
    lines.append("")
    lines.append(
        "This is not medical advice; follow your physical therapist's dose. Stop if pain spreads further "
        "down the leg or numbness or weakness gets worse."
    )
    return "\n".join(lines)
