"""The annotated-video sink: complete files or none, failures reported at close, frame times kept."""

from __future__ import annotations

import errno
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck.analysis import Analyzer, FrameResult
from formcheck.errors import OutputError
from formcheck.exercises import get_exercise
from formcheck.landmarks import PoseFrame
from formcheck.render import Overlay
from formcheck.sinks import VideoFileSink, _unreadable
from formcheck.sources import Frame
from formcheck.video_writer import H264Writer

SIZE = (96, 72)


def _frame(i: int, t_ms: float, analyzer: Analyzer | None = None) -> tuple[Frame, FrameResult]:
    image = np.full((SIZE[1], SIZE[0], 3), (i * 9) % 256, np.uint8)
    result = (analyzer or Analyzer(get_exercise("bridge"))).step(PoseFrame.missing(i, t_ms, *SIZE))
    return Frame(index=i, t_ms=t_ms, image=image), result


def _sink(path: Path, source_times: bool = False) -> VideoFileSink:
    return VideoFileSink(path, 30.0, SIZE, Overlay(get_exercise("bridge")), source_times=source_times)


def _pts_ms(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        return [float(f.pts * f.time_base) * 1000.0 for f in container.decode(video=0)]


@pytest.mark.parametrize("source_times", [True, False])
def test_the_video_is_h264_at_the_frames_times_or_the_rate(tmp_path: Path, source_times: bool):
    times = [500.0 + t for t in (0, 20, 40, 100, 160, 200, 233, 300)]  # uneven, not from zero
    sink = _sink(tmp_path / "a.mp4", source_times)
    for i, t in enumerate(times):
        sink.write(*_frame(i, t))
    sink.close()
    assert [p.name for p in tmp_path.iterdir()] == ["a.mp4"]  # the temporary file is gone
    expected = np.array(times) - times[0] if source_times else np.arange(len(times)) * 1000 / 30
    np.testing.assert_allclose(_pts_ms(tmp_path / "a.mp4"), expected, atol=0.02)


def test_a_refused_write_stops_the_video_not_the_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    written = []

    def full_disk(self: H264Writer, image: np.ndarray, t_ms: float | None = None) -> None:
        if len(written) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(t_ms)

    monkeypatch.setattr(H264Writer, "write", full_disk)
    sink = _sink(tmp_path / "a.mp4")
    for i in range(40):
        sink.write(*_frame(i, i * 33.3))  # never raises: the frames are analysed all the same
    with pytest.raises(OutputError) as err:
        sink.close()
    reason = "the video could not be written (No space left on device); is the disk full?"
    assert str(err.value) == f"{tmp_path / 'a.mp4'}: {reason}"
    assert sink.frames_written == 5 and list(tmp_path.iterdir()) == []


def test_other_write_errors_are_reported_as_they_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def broken(self: H264Writer, image: np.ndarray, t_ms: float | None = None) -> None:
        raise ValueError("encoder said no")

    monkeypatch.setattr(H264Writer, "write", broken)
    sink = _sink(tmp_path / "a.mp4")
    sink.write(*_frame(0, 0.0))
    with pytest.raises(OutputError, match=r"a\.mp4: writing failed \(encoder said no\)$"):
        sink.close()
    assert list(tmp_path.iterdir()) == []


def test_a_folder_the_writer_cannot_use_is_one_clear_error(tmp_path: Path):
    with pytest.raises(OutputError, match="cannot open a video writer here"):
        _sink(tmp_path / "missing" / "a.mp4")


def test_read_back_finds_a_cut_file_and_missing_frames(tmp_path: Path):
    sink = _sink(tmp_path / "a.mp4")
    for i in range(30):
        sink.write(*_frame(i, i * 33.3))
    sink.close()
    video = tmp_path / "a.mp4"
    assert _unreadable(video, 30) is None
    assert _unreadable(video, 31) == "it holds 30 of the 31 frames written"
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(video.read_bytes()[:200])  # the index begins the file (faststart): cut inside it
    assert _unreadable(cut, 30) == "the file cannot be read back"
