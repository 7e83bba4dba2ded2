from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.errors import InputError
from formcheck.sources import ImageFolderSource, VideoFileSource, open_source


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
