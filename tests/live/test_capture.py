"""The latest-frame grabber: newest frame only, real-time pacing of files, clean ends."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import InputError
from formcheck.live import capture
from formcheck.live.capture import LatestFrameGrabber, parse_camera
from formcheck.sources import Frame, VideoFileSource

TINY = np.zeros((4, 4, 3), np.uint8)


def frames(n: int, fps: float) -> list[Frame]:
    return [Frame(index=i, t_ms=i * 1000.0 / fps, image=TINY) for i in range(n)]


def drain(grabber: LatestFrameGrabber, per_frame_s: float = 0.0) -> list[tuple[Frame, float]]:
    got = []
    while (item := grabber.get(timeout=2.0)) is not None:
        got.append((item.frame, item.captured_at))
        if per_frame_s:
            time.sleep(per_frame_s)
    return got


def test_realtime_pacing_follows_the_timestamps() -> None:
    n, fps = 20, 40.0  # 0.475 s of "video"
    t0 = time.monotonic()
    with LatestFrameGrabber(frames(n, fps), realtime=True) as g:
        got = drain(g)
    elapsed = time.monotonic() - t0
    assert 0.45 <= elapsed < 1.5
    indices = [f.index for f, _ in got]
    # A fast consumer misses nothing (one or two frames may go if this shared
    # machine stalls the reader thread for longer than a frame).
    assert indices[0] == 0 and indices[-1] == n - 1
    assert len(indices) >= n - 2 and indices == sorted(indices)
    assert g.counts.taken + g.counts.dropped == n
    start = got[0][1]
    for f, captured_at in got:  # each frame is stamped with when it was due
        assert captured_at - start == pytest.approx(f.t_ms / 1000.0, abs=1e-6)
    assert g.finished


def test_slow_consumer_gets_only_the_newest_frames() -> None:
    n, fps = 40, 100.0  # 0.4 s; the consumer needs 0.07 s a frame
    with LatestFrameGrabber(frames(n, fps), realtime=True) as g:
        got = drain(g, per_frame_s=0.07)
    indices = [f.index for f, _ in got]
    assert 2 <= len(indices) <= 9
    assert indices == sorted(set(indices))  # never an old frame after a newer one
    assert indices[-1] == n - 1  # the end of the file is still delivered
    assert min(np.diff(indices)) >= 3  # frames in between were dropped, not queued
    assert g.counts.taken == len(indices)
    assert g.counts.taken + g.counts.dropped == n


def test_camera_like_source_is_not_paced_but_keeps_only_the_latest() -> None:
    release = threading.Event()

    def burst() -> Iterator[Frame]:
        yield from frames(10, 30.0)
        release.wait(2.0)  # a camera waiting for its next exposure

    g = LatestFrameGrabber(burst(), realtime=False).start()
    time.sleep(0.2)
    item = g.get(timeout=1.0)
    assert item is not None and item.frame.index == 9
    assert g.counts.dropped == 9
    assert g.get(timeout=0.1) is None and not g.finished  # stalled, not ended
    release.set()
    assert g.get(timeout=1.0) is None and g.finished
    g.stop()


def test_lossless_mode_delivers_every_frame_in_order() -> None:
    with LatestFrameGrabber(frames(50, 1000.0), lossless=True) as g:
        got = drain(g, per_frame_s=0.002)
    assert [f.index for f, _ in got] == list(range(50))
    assert g.counts.dropped == 0


def test_source_error_ends_the_stream_with_the_error() -> None:
    def broken() -> Iterator[Frame]:
        yield frames(1, 30.0)[0]
        raise OSError("device unplugged")

    with LatestFrameGrabber(broken()) as g:
        got = drain(g)
    assert len(got) == 1
    assert g.finished
    assert isinstance(g.error, OSError)


def test_stop_interrupts_a_long_wait_for_the_next_frame() -> None:
    slow = [Frame(0, 0.0, TINY), Frame(1, 60_000.0, TINY)]  # the next frame is a minute away
    g = LatestFrameGrabber(slow, realtime=True).start()
    assert g.get(timeout=1.0) is not None
    t0 = time.monotonic()
    assert g.stop(timeout=1.0)
    assert time.monotonic() - t0 < 0.5


def test_video_file_plays_in_real_time_with_its_own_timestamps(make_video: Callable[..., Path]) -> None:
    path = make_video(frames=12, fps=24.0)
    source = VideoFileSource(path)
    t0 = time.monotonic()
    try:
        with LatestFrameGrabber(source, realtime=True) as g:
            got = drain(g)
    finally:
        source.close()
    assert time.monotonic() - t0 >= 11 / 24.0 - 0.02
    indices = [f.index for f, _ in got]
    assert indices[0] == 0 and indices[-1] == 11 and len(indices) >= 10
    # The file's own timestamps, not the time they were read.
    assert [f.t_ms for f, _ in got] == pytest.approx([i * 1000.0 / 24.0 for i in indices], abs=1.0)


def test_camera_argument_is_an_index_or_a_path() -> None:
    assert parse_camera("0") == 0
    assert parse_camera(" 2 ") == 2
    assert parse_camera("clip.mp4") == Path("clip.mp4")


def test_no_camera_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture.sys, "platform", "linux")
    monkeypatch.setattr(capture, "_video_devices", lambda: [])
    with pytest.raises(InputError, match="no camera found"):
        capture.open_camera("0")


def test_missing_camera_index_names_the_ones_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(capture.sys, "platform", "linux")
    monkeypatch.setattr(capture, "_video_devices", lambda: [Path("/dev/video0")])
    with pytest.raises(InputError, match=r"camera 7: no such camera \(found video0\)"):
        capture.check_camera(7)


def test_missing_video_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        capture.open_camera(str(tmp_path / "nope.mp4"))
