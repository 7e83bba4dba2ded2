"""Stand-in batch workers for tests/test_batch.py (importable by spawned processes)."""

from __future__ import annotations

import os

from formcheck.batch import Job, Outcome


def crash_on_crash(job: Job) -> Outcome:
    """Dies like a segfaulting native library on a file named *crash*; else succeeds at once."""
    if "crash" in job.video.name:
        os._exit(3)
    return Outcome(str(job.video), "done", seconds=0.0)


def raise_on_raise(job: Job) -> Outcome:
    if "raise" in job.video.name:
        raise RuntimeError("unexpected")
    return Outcome(str(job.video), "done", seconds=0.0)
