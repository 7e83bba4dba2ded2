"""A batch with a results table: skip what is done, record each file as it finishes.

The executor only runs jobs and calls ``on_done`` with each Outcome as it
arrives (``formcheck.batch.run_batch``, the local process pool, or a cluster's);
what to run and what to record is decided here, so every executor resumes the
same way.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from formcheck.archive.store import MAX_ATTEMPTS, Plan, ResultsError, ResultsStore
from formcheck.batch import Job, Outcome, run_batch

OnDone = Callable[[Outcome, int, int], None]
# (jobs, n_jobs, on_done) -> (outcomes, interrupted): run_batch's shape.
Execute = Callable[[list[Job], int, OnDone | None], tuple[list[Outcome], bool]]


@dataclass(frozen=True)
class ArchivedRun:
    outcomes: list[Outcome]  # in input order: the files run now, and those failed for good
    interrupted: bool
    skipped: int  # done in an earlier run (same key, outputs in place): not analysed again
    not_recorded: int  # finished but could not be written to the table (they run again next time)


def _warn(message: str) -> None:
    print(f"formcheck: warning: {message}", file=sys.stderr)


def run_archived(
    jobs: Sequence[Job],
    n_jobs: int,
    store: ResultsStore,
    *,
    execute: Execute = run_batch,
    on_done: OnDone | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    on_plan: Callable[[Plan, Path], None] | None = None,
) -> ArchivedRun:
    plan = store.plan(jobs, max_attempts=max_attempts)
    if on_plan is not None:
        on_plan(plan, store.path)
    missed = 0

    def record(outcome: Outcome, n: int, total: int) -> None:
        nonlocal missed
        entry = plan.entries.get(outcome.video)
        if entry is not None:
            try:
                store.record(entry, outcome)
            except ResultsError as exc:
                missed += 1
                _warn(f"{exc}; it will be analysed again next time")
        if on_done is not None:
            on_done(outcome, n, total)

    ran, interrupted = execute(plan.run, n_jobs, record) if plan.run else ([], False)
    by_video = {o.video: o for o in [*ran, *plan.given_up]}
    outcomes = [by_video[str(job.video)] for job in jobs if str(job.video) in by_video]
    return ArchivedRun(outcomes, interrupted, len(plan.skipped), missed)


def plan_line(plan: Plan, table: Path) -> None:
    """Before a resumed batch starts: what the table lets it leave out (stderr, like the progress lines)."""
    if plan.skipped or plan.given_up:
        parts = [f"{len(plan.skipped)} done before"] if plan.skipped else []
        if plan.given_up:
            parts.append(f"{len(plan.given_up)} failed {MAX_ATTEMPTS} times")
        print(f"{table}: {', '.join(parts)}: not analysed again; {len(plan.run)} to analyse", file=sys.stderr)
