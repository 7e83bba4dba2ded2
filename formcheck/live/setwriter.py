"""Saving finished sets off the frame loop.

A set is committed with ``synchronous = FULL`` (it must survive a power cut),
which waits for the disk: several milliseconds to tens of them on a laptop's
SSD, far more on a busy or spinning disk (benchmarks/bench_save_set.py). The
frame loop only hands the finished set to this writer (a queue put, a few
microseconds) and goes on; one worker thread owns every write to the
database while the session runs, so there is no locking beyond the queue.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from datetime import datetime

from formcheck.analysis.results import FaultEvent
from formcheck.counting import HoldEvent, RepEvent
from formcheck.history.live import save_finished_set
from formcheck.history.store import HistoryError, SessionRecorder


@dataclass(frozen=True)
class FinishedSet:
    exercise_row: int
    set_no: int
    started_at: datetime
    ended_at: datetime
    reps: tuple[RepEvent, ...] = ()
    holds: tuple[HoldEvent, ...] = ()
    faults: tuple[FaultEvent, ...] = ()
    complete: bool = True


@dataclass
class SetWriter:
    """One worker thread that commits finished sets in order; errors are kept, never raised in the loop."""

    recorder: SessionRecorder
    saved: list[FinishedSet] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue: queue.Queue[FinishedSet | None] = queue.Queue()
        self._thread = threading.Thread(target=self._work, name="formcheck-set-writer", daemon=True)
        self._thread.start()

    def put(self, finished: FinishedSet) -> None:
        """Hand a finished set over; returns at once."""
        self._queue.put(finished)

    def close(self, timeout: float = 30.0) -> None:
        """Wait until every set handed over is written (or failed)."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                save_finished_set(
                    self.recorder,
                    item.exercise_row,
                    item.set_no,
                    started_at=item.started_at,
                    ended_at=item.ended_at,
                    reps=item.reps,
                    holds=item.holds,
                    faults=item.faults,
                    complete=item.complete,
                )
                self.saved.append(item)
            except HistoryError as exc:  # SetNotSavedError and friends: one line, the session goes on
                self.errors.append(str(exc))
