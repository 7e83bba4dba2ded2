"""A made-up history: N days of a program done with improving range and falling pain.

For the report's tests and the history benchmark (a year of daily sessions).
Values are drawn around each exercise's target so the charts have something
clinically shaped to show; nothing here is a measurement.
"""

from __future__ import annotations

import datetime as dt
import random

from formcheck.history.records import (
    ExerciseRecord,
    FaultRecord,
    HoldRecord,
    RepRecord,
    SessionEnd,
    SessionInfo,
    SetRecord,
    StopAnswer,
)
from formcheck.history.store import HistoryStore
from formcheck.program.load import LoadedProgram


def fill(store: HistoryStore, program: LoadedProgram, days: int, *, seed: int = 7, skip: float = 0.12) -> list[int]:
    """Record ``days`` days of sessions ending yesterday; about ``skip`` of the days are missed."""
    rng = random.Random(seed)
    tz = dt.timezone(dt.timedelta(hours=1))
    first = dt.date.today() - dt.timedelta(days=days)
    ids = []
    for d in range(days):
        if rng.random() < skip:
            continue
        progress = d / max(days - 1, 1)
        start = dt.datetime.combine(first + dt.timedelta(days=d), dt.time(9, rng.randrange(60)), tz)
        pain = max(0, min(10, round(6 - 4 * progress + rng.gauss(0, 0.8))))
        info = SessionInfo("live", start, program.program.name, str(program.path), pain_before=pain)
        t = start
        with store.begin_session(info) as rec:
            for e in program.exercises:
                spec = e.spec
                row = rec.add_exercise(
                    ExerciseRecord.from_spec(
                        spec, e.entry.side, e.entry.side_is, sets=e.sets, reps=e.reps, hold_s=e.hold_s
                    )
                )
                target = ExerciseRecord.from_spec(spec, None).target
                faults = [f for f in spec.faults][:3]
                for set_no in range(1, e.sets + 1):
                    set_start = t
                    reps: list[RepRecord] = []
                    holds: list[HoldRecord] = []
                    fault_events: list[FaultRecord] = []
                    clock = 0.0
                    if spec.kind == "reps":
                        for _ in range((e.reps or 10) * (2 if e.per_side else 1)):
                            base = (target or 90.0) - 15 + 20 * progress
                            peak = base + rng.gauss(0, 4)
                            fault = () if rng.random() > 0.15 or not faults else (rng.choice(faults).code,)
                            reps.append(RepRecord(clock, clock + 1.2, clock + 3.5, True, peak, peak - 40, 1.2, 0.5, 1.8,
                                                  None, fault))  # fmt: skip
                            for code in fault:
                                msg = next(f.message for f in faults if f.code == code)
                                fault_events.append(FaultRecord(clock + 1.0, code, msg))
                            clock += 4.0
                    else:
                        for _ in range(2 if e.per_side else 1):
                            want = e.hold_s or 30.0
                            held = min(want, want * (0.6 + 0.4 * progress) + rng.gauss(0, 2))
                            paused = abs(rng.gauss(0, 1.5))
                            holds.append(HoldRecord(clock, clock + held + paused, max(held, 0.0)))
                            clock += held + paused + 5
                    t = set_start + dt.timedelta(seconds=clock + e.rest_s)
                    rec.save_set(row, SetRecord(set_no, set_start, set_start + dt.timedelta(seconds=clock),
                                                tuple(reps), tuple(holds), tuple(fault_events)))  # fmt: skip
            stopped = rng.random() < 0.03
            answers = (StopAnswer("Does the pain spread further down the leg?", "yes"),) if stopped else ()
            after = max(0, min(10, pain - 1 + rng.choice((0, 0, 1)) + (3 if stopped else 0)))
            rec.finish(SessionEnd("stop_answer" if stopped else "completed", after, answers, t))
        ids.append(rec.session_id)
    return ids
