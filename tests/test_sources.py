from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.errors import InputError
from formcheck.sources import FrameSelector, ImageFolderSource, VideoFileSource, open_source


def test_video_frames_carry_index_and_container_time(make_video):
    src = VideoFileSource(make_video(frames=45, fps=30.0))
    frames = list(src)
    assert [f.index for f in frames] == list(range(45))
    t = np.array([f.t_ms for f in frames])
    assert t[0] == pytest.approx(0.0, abs=1e-6)
    assert np.allclose(np.diff(t), 1000 / 30, atol=1.0)
    assert isinstance(src.info.fps, float)
    assert src.info.frame_count == 45
    assert not src.status.ended_early
    assert frames[0].image is not None and frames[0].image.shape == (120, 160, 3)


def test_fractional_fps_is_kept_as_float(make_video):
    src = VideoFileSource(make_video(frames=10, fps=29.97))
    assert src.info.fps == pytest.approx(29.97, abs=0.01)
    t = [f.t_ms for f in src]
    assert t[-1] == pytest.approx(9 * 1000 / 29.97, abs=1.0)


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.write_bytes(b""), p)[1], "empty"),
        (lambda p: (p.write_text("hello, I am a text file\n" * 50), p)[1], "not a video"),
        (lambda p: (p.mkdir(), p)[1], "folder"),
    ],
    ids=["missing", "zero-bytes", "text", "directory-as-file"],
)
def test_bad_video_inputs_raise_specific_errors(tmp_path: Path, make, needle):
    path = make(tmp_path / "input.mp4")
    with pytest.raises(InputError, match=needle):
        VideoFileSource(path)


def test_truncated_file_is_reported_not_hidden(tmp_path: Path):
    # AVI keeps its header (and frame count) at the front, so cutting the file
    # in half leaves a container that opens and then stops decoding half-way:
    # the shape of a download or copy that was interrupted.
    full = tmp_path / "full.avi"
    writer = cv2.VideoWriter(str(full), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, (320, 240))
    rng = np.random.default_rng(0)
    for _ in range(120):
        writer.write(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8))
    writer.release()
    data = full.read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(data[: len(data) // 2])
    src = VideoFileSource(cut)
    n = sum(1 for _ in src)
    assert 0 < n < 120
    assert src.status.ended_early
    assert "truncated" in src.status.message
    assert f"frame {n} of 120" in src.status.message


def test_image_folder_source(tmp_path: Path):
    for i in range(5):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), np.full((48, 64, 3), i * 40, np.uint8))
    (tmp_path / "notes.txt").write_text("ignored")
    src = open_source(tmp_path)
    assert isinstance(src, ImageFolderSource)
    frames = list(src)
    assert len(frames) == 5
    assert frames[1].t_ms == pytest.approx(1000 / 30)
    assert src.info.width == 64


def test_empty_image_folder(tmp_path: Path):
    with pytest.raises(InputError, match="no images"):
        open_source(tmp_path)


# -- --max-fps: frame selection by timestamp ------------------------------------------


def _kept(times: list[float], max_fps: float) -> list[int]:
    keep = FrameSelector(max_fps)
    return [i for i, t in enumerate(times) if keep(t)]


def test_selector_30_to_10_fps_keeps_every_third_frame():
    times = [i * 1000 / 30 for i in range(90)]
    assert _kept(times, 10) == list(range(0, 90, 3))
    assert _kept(times, 15) == list(range(0, 90, 2))
    assert _kept(times, 30) == list(range(90))
    assert _kept(times, 60) == list(range(90))  # never more frames than there are


def test_selector_tolerates_container_rounding():
    # the same 30 fps timeline stored in whole milliseconds: 0, 33, 67, 100, 133, ...
    times = [float(round(i * 1000 / 30)) for i in range(90)]
    assert _kept(times, 10) == list(range(0, 90, 3))


def test_selector_29_97_fps_keeps_10_per_second_of_video_time():
    period = 1001 / 30  # ms, NTSC 29.97 fps
    times = [i * period for i in range(2997)]  # 100.0 s of video
    kept = _kept(times, 10)
    steps = np.diff(kept)
    # 2.997 frames per slot: every third frame, and the second once every ~333 slots
    assert set(steps.tolist()) == {2, 3}
    assert 1 <= (steps == 2).sum() <= 3
    assert len(kept) == 1000  # exactly 10 per second of video time
    gaps = np.diff([times[i] for i in kept])
    assert gaps.min() > 66 and gaps.max() < 101


def test_selector_starts_from_the_first_timestamp():
    times = [5000 + i * 40.0 for i in range(50)]  # 25 fps, starting at 5 s
    assert _kept(times, 5) == list(range(0, 50, 5))


@pytest.mark.parametrize("bad", [0.0, -5.0, float("nan"), float("inf")])
def test_max_fps_must_be_a_positive_rate(bad, make_video):
    with pytest.raises(InputError, match="max-fps"):
        VideoFileSource(make_video(), max_fps=bad)


def test_video_max_fps_keeps_container_timestamps_and_indices(make_video):
    video = make_video(frames=45, fps=30.0)
    every = list(VideoFileSource(video))
    src = VideoFileSource(video, max_fps=10)
    some = list(src)
    assert [f.index for f in some] == list(range(0, 45, 3))
    for f in some:  # the same frame: its own index, container time and pixels
        assert f.t_ms == every[f.index].t_ms
        assert f.image is not None and np.array_equal(f.image, every[f.index].image)
    assert src.status.frames_read == 45 and not src.status.ended_early


def test_video_max_fps_on_a_29_97_fps_file(make_video):
    video = make_video(frames=60, fps=29.97)
    every = list(VideoFileSource(video))
    some = list(VideoFileSource(video, max_fps=10))
    assert [f.index for f in some] == list(range(0, 60, 3))
    assert [f.t_ms for f in some] == [every[i].t_ms for i in range(0, 60, 3)]
    assert some[-1].t_ms == pytest.approx(57 * 1001 / 30, abs=1.0)


def test_image_folder_max_fps(tmp_path: Path):
    for i in range(9):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), np.full((8, 8, 3), i, np.uint8))
    frames = list(open_source(tmp_path, max_fps=10))  # folders play at 30 fps
    assert [f.index for f in frames] == [0, 3, 6]
    assert [f.image[0, 0, 0] for f in frames if f.image is not None] == [0, 3, 6]
