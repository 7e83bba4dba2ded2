"""Stand-in per-file work for the cluster tests (sent to the workers by value, see conftest)."""

from __future__ import annotations

import os

from formcheck.batch import Job, Outcome
from formcheck.pose.estimator import EstimatorFactory


def kill_once(job: Job, factory: EstimatorFactory | None) -> Outcome:
    """Kills its own worker process the first time it sees a file named *kill* (a marker beside it says so)."""
    marker = job.video.with_suffix(".attempted")
    if "kill" in job.video.name and not marker.exists():
        marker.write_text(str(os.getpid()))
        os._exit(3)
    return Outcome(str(job.video), "done", seconds=0.0)


def always_kill(job: Job, factory: EstimatorFactory | None) -> Outcome:
    os._exit(3)


def fine(job: Job, factory: EstimatorFactory | None) -> Outcome:
    return Outcome(str(job.video), "done", seconds=0.0)
