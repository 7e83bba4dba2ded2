"""``formcheck analyze`` over several videos: one process per file, one summary.

The pose model keeps about one core busy per video, so videos are analysed in
parallel worker processes (``--jobs``, default: the cores this process may
use). Each worker runs exactly the single-file analysis, so a video's JSON
report is the same byte for byte as ``formcheck analyze VIDEO --report``
writes. A file that fails is recorded with its reason and the others go on.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from formcheck.errors import FormcheckError, InputError

if TYPE_CHECKING:
    from formcheck.pose.estimator import EstimatorFactory

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv")

# Exit codes of a batch, worst wins: all done; some report incomplete; some failed.
EXIT_OK, EXIT_INCOMPLETE, EXIT_FAILED = 0, 1, 2


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def videos_in(folder: Path) -> list[Path]:
    """The video files directly in ``folder``, by name."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)


def expand_inputs(specs: Sequence[str]) -> tuple[list[Path], bool]:
    """(inputs, is_batch) from the command line's paths.

    A folder holding video files stands for those videos; a folder of images
    only is one image sequence (a single input, as before). Several inputs, or
    a folder of videos, make a batch.
    """
    inputs: list[Path] = []
    batch = len(specs) > 1
    for spec in specs:
        path = Path(spec)
        videos = videos_in(path) if path.is_dir() else []
        if videos:
            inputs.extend(videos)
            batch = True
        else:
            inputs.append(path)
    return inputs, batch


def output_paths(inputs: list[Path], folder: Path | None, suffix: str) -> list[Path | None]:
    """``folder/<stem><suffix>`` per input; two inputs with one name would overwrite each other."""
    if folder is None:
        return [None] * len(inputs)
    seen: dict[str, Path] = {}
    for path in inputs:
        other = seen.setdefault(path.stem, path)
        if other != path:
            raise InputError(f"{other} and {path} would both be written as {folder / (path.stem + suffix)}")
    return [folder / f"{path.stem}{suffix}" for path in inputs]


@dataclass(frozen=True)
class Job:
    """One video's analysis, as plain data a worker process can receive."""

    video: Path
    exercise: str | None  # an id, or None with exercise_file
    exercise_file: str | None
    side: str
    report: Path | None
    out: Path | None
    model: str | None
    max_fps: float | None


@dataclass
class Outcome:
    video: str
    status: str  # "done", "incomplete", "failed", "interrupted"
    error: str = ""
    seconds: float = 0.0  # wall time of this file's analysis
    report: dict[str, Any] = field(default_factory=dict)
    worker: str = ""  # host:pid that analysed it (the results table's ``worker``)

    @property
    def exit_code(self) -> int:
        return {"done": EXIT_OK, "incomplete": EXIT_INCOMPLETE}.get(self.status, EXIT_FAILED)


def resolve_exercise(exercise: str | None, exercise_file: str | None) -> Any:
    """The ExerciseSpec a job names (loaded in the worker: specs need not pickle)."""
    if exercise_file is not None:
        from formcheck.exercises.custom import load_exercise_file

        return load_exercise_file(exercise_file)
    from formcheck.exercises import get_exercise

    return get_exercise(str(exercise))


def analyze_job(job: Job, estimator_factory: EstimatorFactory | None = None) -> Outcome:
    """Analyse one video; never raises, so one bad file cannot stop a batch.

    ``estimator_factory``: where a long-lived worker that loaded the model once
    gets each video's estimator (formcheck.cluster); by default it is loaded here.
    """
    outcome = _analyze(job, time.perf_counter(), estimator_factory)
    outcome.worker = f"{socket.gethostname()}:{os.getpid()}"
    return outcome


def _analyze(job: Job, t0: float, estimator_factory: EstimatorFactory | None = None) -> Outcome:
    from formcheck.cli import Interrupted, analyze_file

    name = str(job.video)
    try:
        spec = resolve_exercise(job.exercise, job.exercise_file)
        report = analyze_file(
            job.video,
            spec,
            job.side,
            job.report,
            job.out,
            job.model,
            progress=False,
            max_fps=job.max_fps,
            estimator_factory=estimator_factory,
        )
    except Interrupted as stop:
        return Outcome(name, "interrupted", f"interrupted after {stop.frames} frames", time.perf_counter() - t0)
    except KeyboardInterrupt:
        return Outcome(name, "interrupted", "interrupted before analysis began", time.perf_counter() - t0)
    except FormcheckError as exc:
        return Outcome(name, "failed", str(exc), time.perf_counter() - t0)
    except Exception as exc:  # an unexpected fault in one file is still only that file's
        return Outcome(name, "failed", f"{type(exc).__name__}: {exc}", time.perf_counter() - t0)
    status = "done" if report["complete"] else "incomplete"
    error = "" if report["complete"] else str(report.get("stopped_reason", ""))
    return Outcome(name, status, error, time.perf_counter() - t0, report)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


_STOP: Any = None  # in a worker: the batch's stop event (set by the parent on an interrupt)


def _worker_init(stop: Any) -> None:
    # The parent decides when a batch stops: Ctrl-C reaches the whole process
    # group, so workers ignore it; the parent sets ``stop`` (take no new file)
    # and sends each worker one SIGTERM (save what was analysed, then stop).
    global _STOP
    _STOP = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_interrupt)


def _run_job(work: Callable[[Job], Outcome], job: Job) -> Outcome:
    """In a worker: ``work(job)``, unless the batch was stopped before this file began."""
    if _STOP is not None and _STOP.is_set():
        return Outcome(str(job.video), "interrupted", "not analysed: the batch was interrupted")
    return work(job)


def _stop_workers(processes: list[Any]) -> None:
    for proc in processes:
        if proc.is_alive() and proc.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)


def run_batch(
    jobs: list[Job],
    n_jobs: int,
    on_done: Callable[[Outcome, int, int], None] | None = None,
    work: Callable[[Job], Outcome] = analyze_job,
) -> tuple[list[Outcome], bool]:
    """(outcomes in input order, interrupted). ``n_jobs`` 1 runs in this process.

    A worker that dies (a crash in native code on a strange file) breaks the
    whole pool; the files that were unfinished then are run again one at a
    time, each in a fresh process, so only the file that crashes is failed.
    """
    outcomes: dict[int, Outcome] = {}

    def done(i: int, outcome: Outcome) -> None:
        outcomes[i] = outcome
        if on_done is not None:
            on_done(outcome, len(outcomes), len(jobs))

    if max(1, min(n_jobs, len(jobs))) == 1:
        for i, job in enumerate(jobs):
            done(i, work(job))
            if outcomes[i].status == "interrupted":
                return _in_order(jobs, outcomes), True
        return _in_order(jobs, outcomes), False
    interrupted, crashed = _run_pool(jobs, list(range(len(jobs))), n_jobs, done, work)
    for i in crashed:  # one at a time now: a crash here is this file's own
        if interrupted:
            break
        again, still = _run_pool(jobs, [i], 1, done, work)
        interrupted = interrupted or again
        if still:
            done(i, Outcome(str(jobs[i].video), "failed", "the worker process crashed on this file"))
    return _in_order(jobs, outcomes), interrupted


def _in_order(jobs: list[Job], outcomes: dict[int, Outcome]) -> list[Outcome]:
    return [
        outcomes.get(i, Outcome(str(job.video), "interrupted", "not analysed: the batch was interrupted"))
        for i, job in enumerate(jobs)
    ]


def _run_pool(
    jobs: list[Job],
    which: list[int],
    n_jobs: int,
    done: Callable[[int, Outcome], None],
    work: Callable[[Job], Outcome],
) -> tuple[bool, list[int]]:
    """Run ``jobs[which]`` in a process pool: (interrupted, indices lost to a broken pool)."""
    # spawn, not fork: a forked copy of a process with threads (and, in tests,
    # a loaded model) can deadlock; a fresh interpreter cannot.
    ctx = multiprocessing.get_context("spawn")
    workers = max(1, min(n_jobs, len(which)))
    stop = ctx.Event()
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(stop,))
    futures = {pool.submit(_run_job, work, jobs[i]): i for i in which}
    crashed: list[int] = []
    collected: set[int] = set()

    def collect(fut: cf.Future[Outcome]) -> None:
        i = futures[fut]
        if i in collected:
            return
        collected.add(i)
        try:
            done(i, fut.result())
        except BrokenProcessPool:
            crashed.append(i)
        except BaseException as exc:  # work() raised after all: still only this file's failure
            done(i, Outcome(str(jobs[i].video), "failed", f"{type(exc).__name__}: {exc}"))

    try:
        for fut in cf.as_completed(futures):
            collect(fut)
    except KeyboardInterrupt:
        stop.set()  # no worker starts another file
        processes = list((getattr(pool, "_processes", None) or {}).values())  # before shutdown clears it
        pool.shutdown(wait=False, cancel_futures=True)
        _stop_workers(processes)  # each saves what it analysed (complete: false) and returns
        try:
            cf.wait(futures, timeout=120)
        except KeyboardInterrupt:  # a second interrupt: the workers stop at once, unsaved
            _stop_workers(processes)
        for fut in futures:
            if fut.done() and not fut.cancelled():
                collect(fut)
        return True, []
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return False, sorted(crashed)


def batch_exit_code(outcomes: list[Outcome]) -> int:
    return max((o.exit_code for o in outcomes), default=EXIT_OK)


def format_batch_table(outcomes: list[Outcome], wall_s: float, workers: int, skipped: int = 0) -> str:
    """One row per video and a totals line: what was found, and which files failed and why.

    ``skipped``: files a results table says were done before (not analysed, not listed).
    """
    name_w = max([len(Path(o.video).name) for o in outcomes] + [4])
    head = (
        f"{'file':{name_w}s} {'exercise':16s} {'frames':>6s} {'video s':>7s} {'reps':>4s} {'part':>4s} "
        f"{'holds':>5s} {'faults':>6s} {'detect':>6s} {'time s':>6s}  status"
    )
    lines = [head, "-" * len(head)] if outcomes else []  # nothing analysed: no empty table
    frames_total = 0
    for o in outcomes:
        name = Path(o.video).name
        r = o.report
        if r:
            frames_total += int(r["frames"])
            holds = r["holds"]
            status = o.status if o.status == "done" else f"{o.status.upper()}: {o.error}"
            lines.append(
                f"{name:{name_w}s} {r['exercise'][:16]:16s} {r['frames']:>6d} {r['duration_s']:>7.1f} "
                f"{r['reps']:>4d} {r['partial_reps']:>4d} {len(holds):>5d} {len(r['faults']):>6d} "
                f"{r['pose_detected_ratio']:>6.2f} {o.seconds:>6.1f}  {status}"
            )
        else:
            lines.append(
                f"{name:{name_w}s} {'-':16s} {'':>6s} {'':>7s} {'':>4s} {'':>4s} {'':>5s} {'':>6s} "
                f"{'':>6s} {o.seconds:>6.1f}  {o.status.upper()}: {o.error}"
            )
    counts = {s: sum(o.status == s for o in outcomes) for s in ("done", "incomplete", "failed", "interrupted")}
    parts = [f"{n} {s}" for s, n in counts.items() if n]
    if skipped:
        parts.append(f"{skipped} skipped (done before)")
    rate = frames_total / wall_s if wall_s > 0 else 0.0
    processes = f"{workers} process{'es' if workers > 1 else ''}"
    speed = f"; {frames_total} frames in {wall_s:.1f} s ({rate:.1f} frames/s, {processes})" if outcomes else ""
    lines.append(f"{len(outcomes) + skipped} files: {', '.join(parts)}{speed}")
    return "\n".join(lines)


def progress_line(outcome: Outcome, n: int, total: int) -> None:
    r = outcome.report
    what = f"{r['reps']} reps, {len(r['holds'])} holds" if r else outcome.error
    print(
        f"[{n}/{total}] {Path(outcome.video).name}: {outcome.status} ({what}; {outcome.seconds:.1f} s)", file=sys.stderr
    )
