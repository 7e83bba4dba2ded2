"""The one pipeline: frames -> pose -> analysis -> sinks, for files and cameras alike.

Decoding runs ahead on a worker thread and encoding behind (in the video sink);
pose estimation and analysis stay on the calling thread, so analyzer state
needs no locks. OpenCV's decode and encode and MediaPipe's inference all release
the GIL, so the three really run at once (benchmarks/README.md has the numbers).
Memory does not grow with the video: at most ``read_ahead`` decoded frames wait
here and a bounded queue in the video sink; results are handed on, never kept.
An interrupt (Ctrl-C, SIGTERM turned into KeyboardInterrupt) stops the loop
cleanly: sinks are closed and the result says it is incomplete.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from formcheck.analysis import AnalysisSummary, Analyzer, FrameResult
from formcheck.interrupts import AbortNow
from formcheck.landmarks import PoseFrame
from formcheck.pose.estimator import PoseEstimator
from formcheck.sinks import Sink
from formcheck.sources import Frame
from formcheck.timing import StageTimer

T = TypeVar("T")

_END = object()


def prefetch(items: Iterable[T], depth: int = 8, name: str = "formcheck-decode") -> Iterator[T]:
    """Iterate ``items`` on a worker thread, ``depth`` items ahead.

    Exceptions in the worker are re-raised in the consumer; stopping early
    (break, interrupt) lets the worker finish its current item and exit.
    """
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(_END)
        except BaseException as exc:  # handed to the consumer
            q.put(exc)

    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join(timeout=2.0)


@dataclass
class RunResult:
    summary: AnalysisSummary
    interrupted: bool = False
    error: str = ""
    frames: int = 0
    warnings: list[str] = field(default_factory=list)


def run(
    frames: Iterable[Frame],
    estimator: PoseEstimator,
    analyzer: Analyzer,
    sinks: list[Sink] | None = None,
    on_result: Callable[[Frame, FrameResult], None] | None = None,
    read_ahead: int = 8,
    timer: StageTimer | None = None,
    should_stop: Callable[[], bool] | None = None,
    pose_ahead: int = 2,
) -> RunResult:
    """Analyse every frame; always closes the sinks and returns what was done.

    ``should_stop`` is polled between frames (see formcheck.interrupts): a
    requested stop ends the run after a whole frame, so every frame counted
    in the summary is also in the sinks.

    ``timer`` (benchmarks) records decode, pose and analysis time per frame;
    a ``VideoFileSink`` given the same timer records overlay and encode.

    With ``read_ahead`` and ``pose_ahead`` > 0 the pose model runs on its own
    thread, up to ``pose_ahead`` frames ahead of the analysis: the model (one
    core) then never waits for analysis and drawing, which run meanwhile on
    this thread, in frame order. The estimator is only ever called from that
    one thread, in order, so its results are the same either way.
    """
    sinks = sinks or []
    result = RunResult(summary=analyzer.summary)
    if timer is not None:
        frames = timer.iterate("decode", frames)
    source = prefetch(frames, read_ahead) if read_ahead > 0 else iter(frames)

    def estimate(frame: Frame) -> tuple[Frame, PoseFrame]:
        if timer is None:
            return frame, estimator.estimate(frame)
        return frame, timer.call("pose", estimator.estimate, frame)

    aborted = False
    posed: Iterator[tuple[Frame, PoseFrame]] = map(estimate, source)
    if read_ahead > 0 and pose_ahead > 0:
        posed = prefetch(posed, pose_ahead, name="formcheck-pose")
    try:
        for frame, pose in posed:
            if should_stop is not None and should_stop():
                result.interrupted = True
                break
            fr = analyzer.step(pose) if timer is None else timer.call("analysis", analyzer.step, pose)
            for sink in sinks:
                sink.write(frame, fr)
            if on_result is not None:
                on_result(frame, fr)
            result.frames += 1
    except AbortNow:
        aborted = True
        raise  # the second interrupt: stop now, finalise nothing
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        try:
            for stage in (posed, source):  # the model's thread first: it reads the source
                close = getattr(stage, "close", None)
                if close is not None:
                    with contextlib.suppress(ValueError):  # a worker that did not stop in time
                        close()
            if aborted:
                raise AbortNow
            _close_sinks(sinks, result)
            result.summary = analyzer.finish()
        except AbortNow:  # now, or a second interrupt while stopping or saving
            for sink in sinks:
                sink.abort()  # leave nothing half-saved
            raise
    return result


def _close_sinks(sinks: list[Sink], result: RunResult) -> None:
    """Close every sink (one failing does not stop the others); failures go in ``result.error``."""
    errors = []
    for sink in sinks:
        try:
            sink.close()
        except Exception as exc:  # keep closing the others; report after
            errors.append(str(exc))
    if errors:
        result.error = "; ".join(errors)
