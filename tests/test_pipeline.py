"""pipeline.run: bounded read-ahead, optional stage timing, nothing kept per frame."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis import Analyzer, FrameResult
from formcheck.counting import _MAX_REP_SAMPLES, RepCounter, RepRule
from formcheck.exercises import get_exercise
from formcheck.interrupts import AbortNow
from formcheck.landmarks import PoseFrame
from formcheck.pipeline import prefetch, run
from formcheck.render import Overlay
from formcheck.sinks import VideoFileSink
from formcheck.sources import Frame
from formcheck.timing import StageTimer, percentile

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_body import bridge_points, lift_for_hip_angle, pose_frame


class PulledCounter:
    """A frame source that counts how far the consumer has pulled it."""

    def __init__(self, n: int, image: bool = False) -> None:
        self.n, self.pulled, self.image = n, 0, image

    def __iter__(self) -> Iterator[Frame]:
        for i in range(self.n):
            self.pulled += 1
            img = np.zeros((48, 64, 3), np.uint8) if self.image else None
            yield Frame(index=i, t_ms=i * 1000 / 30, image=img)


class BridgeReps:
    """An estimator answering frames with a person doing bridges, one every 4 s, forever."""

    PERIOD = 120  # frames

    def __init__(self) -> None:
        rest, top = lift_for_hip_angle(135.0), lift_for_hip_angle(180.0)
        lifts = rest + (top - rest) * 0.5 * (1 - np.cos(2 * np.pi * np.arange(self.PERIOD) / self.PERIOD))
        self.points = [bridge_points(float(lift)) for lift in lifts]

    def estimate(self, frame: Frame) -> PoseFrame:
        return pose_frame(frame.index, frame.t_ms, self.points[frame.index % self.PERIOD])

    def close(self) -> None:
        pass


def test_prefetch_reads_ahead_a_bounded_number_of_frames():
    source = PulledCounter(1000)
    ahead = []
    for i, _ in enumerate(prefetch(source, depth=4)):
        if i % 50 == 0:
            ahead.append(source.pulled - (i + 1))
        if i == 300:
            break
    # queue depth + the one item the worker holds + the one being handed over
    assert max(ahead) <= 4 + 2
    assert source.pulled < 320


def test_stage_timer_records_each_stage_per_frame(tmp_path: Path):
    timer = StageTimer()
    spec = get_exercise("bridge")
    sink = VideoFileSink(tmp_path / "out.mp4", 30.0, (64, 48), Overlay(spec), timer=timer)
    result = run(PulledCounter(40, image=True), BridgeReps(), Analyzer(spec), [sink], timer=timer)
    assert result.frames == 40
    summary = timer.summary()
    assert set(summary) == {"decode", "pose", "analysis", "overlay", "encode"}
    for stage, row in summary.items():
        assert row["frames"] == 40, stage
        assert row["cpu_median_ms"] >= 0 and row["wall_median_ms"] <= row["wall_p95_ms"]


def test_no_timer_records_nothing_and_changes_nothing():
    spec = get_exercise("bridge")
    seen: list[tuple[str, float]] = []

    def keep(frame: Frame, r: FrameResult) -> None:
        seen.append((r.phase, r.primary))

    run(PulledCounter(30), BridgeReps(), Analyzer(spec), on_result=keep)
    timed: list[tuple[str, float]] = []
    run(
        PulledCounter(30),
        BridgeReps(),
        Analyzer(spec),
        on_result=lambda f, r: timed.append((r.phase, r.primary)),
        timer=StageTimer(),
    )
    assert seen == timed


def test_percentile_is_nearest_rank():
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert percentile([float(i) for i in range(1, 101)], 95) == 95.0
    assert np.isnan(percentile([], 95))


def deep_size(root: object) -> int:
    """Bytes reachable from ``root`` (containers, instance dicts, array buffers), each object once."""
    seen: set[int] = set()
    stack, total = [root], 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, np.ndarray):
            continue  # getsizeof counts an owned buffer already
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
        if hasattr(obj, "__dict__"):
            stack.append(vars(obj))
    return total


def test_analysis_state_does_not_grow_with_video_length():
    """Memory constant in video length: the analyzer keeps events, nothing per frame.

    3 000 more frames (100 s, 25 reps): the state grows by the events' size only.
    """
    analyzer = Analyzer(get_exercise("bridge"))
    estimator = BridgeReps()
    frames = iter(PulledCounter(3_600))

    def step(n: int) -> tuple[int, int]:
        for frame in (next(frames) for _ in range(n)):
            analyzer.step(estimator.estimate(frame))
        s = analyzer.summary
        return deep_size(analyzer), len(s.rep_events) + len(s.holds) + len(s.faults)

    size_1, events_1 = step(600)
    size_2, events_2 = step(3_000)
    assert analyzer.summary.reps >= 25
    # An event is a small frozen dataclass (~0.4 KB); anything kept per frame,
    # even one float in a list, would add >= 3 000 x 32 bytes = 96 KB on top.
    assert size_2 - size_1 < 1024 * (events_2 - events_1) + 8 * 1024, (size_1, size_2, events_2 - events_1)


def test_a_rep_that_never_ends_keeps_a_bounded_sample_list():
    counter = RepCounter(RepRule(target=170.0))
    for i in range(30):  # rest
        counter.update(i / 30, 130.0)
    for i in range(30, 30 + _MAX_REP_SAMPLES + 5_000):  # up, and never back down
        counter.update(i / 30, 175.0)
    assert counter.phase.value == "top"
    assert len(counter._samples) == _MAX_REP_SAMPLES


def test_model_thread_gives_the_same_results_in_order():
    spec = get_exercise("bridge")
    runs = []
    for read_ahead, pose_ahead in ((0, 0), (8, 0), (8, 2)):
        seen: list[tuple[int, str, float]] = []
        run(
            PulledCounter(300),
            BridgeReps(),
            Analyzer(spec),
            on_result=lambda f, r, seen=seen: seen.append((f.index, r.phase, r.primary)),
            read_ahead=read_ahead,
            pose_ahead=pose_ahead,
        )
        runs.append(seen)
    assert [i for i, _, _ in runs[2]] == list(range(300))
    assert runs[0] == runs[1] == runs[2]


def test_a_model_error_on_its_thread_reaches_the_caller_and_closes_the_sinks(tmp_path: Path):
    class Broken(BridgeReps):
        def estimate(self, frame: Frame) -> PoseFrame:
            if frame.index == 20:
                raise RuntimeError("model failed")
            return super().estimate(frame)

    spec = get_exercise("bridge")
    sink = VideoFileSink(tmp_path / "out.mp4", 30.0, (64, 48), Overlay(spec))
    try:
        run(PulledCounter(100, image=True), Broken(), Analyzer(spec), [sink])
    except RuntimeError as exc:
        assert "model failed" in str(exc)
    else:
        raise AssertionError("the estimator's error was swallowed")
    assert sink.frames_written == 20
    assert (tmp_path / "out.mp4").is_file()


class _SecondInterruptAt:
    """``should_stop`` that raises AbortNow (what GracefulStop does on a second Ctrl-C) at a frame."""

    def __init__(self, frame: int) -> None:
        self.frame, self.calls = frame, 0

    def __call__(self) -> bool:
        self.calls += 1
        if self.calls == self.frame:
            raise AbortNow
        return False


def test_a_second_interrupt_aborts_the_sinks_instead_of_saving(tmp_path: Path):
    spec = get_exercise("bridge")
    sink = VideoFileSink(tmp_path / "out.mp4", 30.0, (64, 48), Overlay(spec))
    analyzer = Analyzer(spec)
    with pytest.raises(AbortNow):
        run(PulledCounter(100, image=True), BridgeReps(), analyzer, [sink], should_stop=_SecondInterruptAt(30))
    assert list(tmp_path.iterdir()) == []  # neither the video nor its unfinished temporary file
    assert analyzer.summary.frames == 29


def test_abort_after_a_normal_close_keeps_the_saved_video(tmp_path: Path):
    """Aborting is safe to repeat: a sink already saved stays saved."""
    spec = get_exercise("bridge")
    sink = VideoFileSink(tmp_path / "out.mp4", 30.0, (64, 48), Overlay(spec))
    run(PulledCounter(10, image=True), BridgeReps(), Analyzer(spec), [sink])
    sink.abort()
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]
