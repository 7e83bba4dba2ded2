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


def slow_until_stopped(job: Job) -> Outcome:
    """Works until interrupted (marking that it started, beside the 'video'); then says so."""
    import time

    job.video.with_suffix(".started").write_text("")
    try:
        for _ in range(600):
            time.sleep(0.05)
    except KeyboardInterrupt:
        return Outcome(str(job.video), "interrupted", "stopped by the parent")
    return Outcome(str(job.video), "done")


if __name__ == "__main__":  # a batch of three slow files, statuses as JSON: for the interrupt test
    import json
    import sys
    from pathlib import Path

    from formcheck.batch import run_batch

    folder = Path(sys.argv[1])
    jobs = [Job(folder / f"{n}.mp4", "bridge", None, "auto", None, None, None, None) for n in ("a", "b", "c")]
    outcomes, interrupted = run_batch(jobs, 2, work=slow_until_stopped)
    print(json.dumps({"interrupted": interrupted, "outcomes": [[o.status, o.error] for o in outcomes]}))
