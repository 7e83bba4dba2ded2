"""The one call a live session makes when a set ends.

It turns the counters' own events into history records and commits the set.
The live session keeps the events of the current set (reps, holds and feedback
since the set began) and calls this once per finished set, so a crash, a
Ctrl-C or a full disk later on cannot take an earlier set with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from formcheck.analysis.results import FaultEvent
from formcheck.counting import HoldEvent, RepEvent
from formcheck.history.records import FaultRecord, HoldRecord, RepRecord, SetRecord
from formcheck.history.store import SessionRecorder, now


def save_finished_set(
    recorder: SessionRecorder,
    exercise_row: int,
    set_no: int,
    *,
    started_at: datetime,
    reps: Iterable[RepEvent] = (),
    holds: Iterable[HoldEvent] = (),
    faults: Iterable[FaultEvent] = (),
    complete: bool = True,
    ended_at: datetime | None = None,
) -> int:
    """Commit one set; raises ``SetNotSavedError`` (one line, naming the set) when it cannot be written.

    ``exercise_row`` is what ``recorder.add_exercise`` returned when the exercise
    began; ``complete`` says whether the set's dose was reached (False when the
    patient moved on early).
    """
    record = SetRecord(
        set_no=set_no,
        started_at=started_at,
        ended_at=ended_at or now(),
        reps=tuple(RepRecord.from_event(e) for e in reps),
        holds=tuple(HoldRecord.from_event(h) for h in holds),
        faults=tuple(FaultRecord.from_event(f) for f in faults),
        complete=complete,
    )
    return recorder.save_set(exercise_row, record)
