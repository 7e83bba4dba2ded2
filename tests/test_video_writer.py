"""The H.264 writer: what browsers and phones need from the file, read back with PyAV."""

from __future__ import annotations

import struct
from pathlib import Path

import av
import numpy as np
import pytest

from formcheck import video_writer
from formcheck.video_writer import H264Writer, even_size


def _picture(i: int, size: tuple[int, int]) -> np.ndarray:
    """A frame with edges worth keeping: a bright last column and row, a moving bar."""
    w, h = size
    img = np.full((h, w, 3), 60, np.uint8)
    img[:, -1] = (0, 0, 255)  # red right edge (BGR)
    img[-1, :] = (255, 0, 0)  # blue bottom edge
    img[:, (3 * i) % w] = 200
    return img


def _write(path: Path, size: tuple[int, int], fps: float, times: list[float] | None, frames: int = 12) -> Path:
    writer = H264Writer(path, fps, size)
    for i in range(frames if times is None else len(times)):
        writer.write(_picture(i, size), None if times is None else times[i])
    writer.close()
    return path


def _top_level_boxes(data: bytes) -> list[bytes]:
    kinds, i = [], 0
    while i + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, i)
        kinds.append(kind)
        if size == 1:  # 64-bit size follows
            size = struct.unpack_from(">Q", data, i + 8)[0]
        if size < 8:
            break
        i += size
    return kinds


def _read(path: Path) -> tuple[av.video.stream.VideoStream, list[float], list[np.ndarray], float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        decoded = list(container.decode(stream))
        times = [float(f.pts * f.time_base) * 1000.0 for f in decoded]
        images = [f.to_ndarray(format="bgr24") for f in decoded]
        duration = float(stream.duration * stream.time_base) * 1000.0
        return stream, times, images, duration


@pytest.mark.parametrize("fps", [30.0, 30000 / 1001, 25.0, 12.5])
def test_h264_yuv420p_with_the_index_first_and_frames_at_the_rate(tmp_path: Path, fps: float):
    path = _write(tmp_path / "v.mp4", (160, 120), fps, None, frames=12)
    stream, times, _, duration = _read(path)
    ctx = stream.codec_context
    assert ctx.name == "h264" and ctx.pix_fmt == "yuv420p"
    assert ctx.profile in ("High", "Main", "Baseline", "Constrained Baseline")  # what browsers decode
    assert (stream.width, stream.height) == (160, 120) and stream.frames == 12
    assert float(stream.average_rate) == pytest.approx(fps, rel=1e-3)
    np.testing.assert_allclose(times, np.arange(12) * 1000.0 / fps, atol=0.05)
    assert duration == pytest.approx(12 * 1000.0 / fps, abs=0.05)  # the last frame is not cut short
    boxes = _top_level_boxes(path.read_bytes())
    assert boxes.index(b"moov") < boxes.index(b"mdat")  # faststart: playable while downloading


def test_the_stream_says_which_colour_conversion_made_it(tmp_path: Path):
    """BT.601 at limited range is what OpenCV's conversion produces, and the stream is tagged
    so: untagged, browsers assume BT.709 for HD sizes and shift the colours. Decoded with
    BT.601, the colours come back."""
    size = (1280, 720)
    writer = H264Writer(tmp_path / "c.mp4", 30.0, size)
    colours = [(0, 0, 255), (0, 255, 0), (255, 0, 0), (40, 160, 220)]
    for bgr in colours:
        writer.write(np.full((size[1], size[0], 3), bgr, np.uint8))
    writer.close()
    stream, _, images, _ = _read(tmp_path / "c.mp4")
    assert stream.codec_context.colorspace == 6 and stream.codec_context.color_range == 1  # smpte170m, tv
    for bgr, img in zip(colours, images, strict=True):
        assert np.abs(img[300:400, 600:700].astype(int) - bgr).max() <= 6


@pytest.mark.parametrize(("size", "padded"), [((161, 121), (162, 122)), ((160, 121), (160, 122)), ((65, 64), (66, 64))])
def test_odd_sizes_gain_one_row_or_column_copied_from_the_edge(tmp_path: Path, size, padded):
    assert even_size(size) == padded
    path = _write(tmp_path / "odd.mp4", size, 30.0, None, frames=5)
    stream, times, images, _ = _read(path)
    assert (stream.width, stream.height) == padded and len(times) == 5
    w, h = size
    for i, img in enumerate(images):
        src = _picture(i, size)
        core = np.abs(img[:h, :w].astype(int) - src).mean()
        assert core < 4  # every source pixel is there, in place
        if padded[0] > w:  # the extra column repeats the red edge
            assert np.abs(img[: h - 1, w].astype(int) - (0, 0, 255)).mean() < 20
        if padded[1] > h:  # the extra row repeats the blue edge
            assert np.abs(img[h, : w - 1].astype(int) - (255, 0, 0)).mean() < 20


@pytest.mark.parametrize("preset", ["ultrafast", "veryfast"])  # without and with B-frames (frames reordered)
def test_frames_keep_their_own_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, preset: str):
    """A variable-frame-rate source (60, then 20, then 30 fps) plays back in the time it was filmed."""
    monkeypatch.setattr(video_writer, "X264_OPTIONS", {**video_writer.X264_OPTIONS, "preset": preset})
    times = [1000.0 + t for t in np.cumsum([0] + [1000 / 60] * 9 + [1000 / 20] * 10 + [1000 / 30] * 10)]
    path = _write(tmp_path / "vfr.mp4", (160, 120), 30.0, times)
    stream, decoded, _, duration = _read(path)
    assert stream.frames == len(times)
    np.testing.assert_allclose(decoded, np.array(times) - times[0], atol=0.02)  # from the first frame
    assert duration == pytest.approx(times[-1] - times[0] + 1000 / 30, abs=0.05)  # the last frame lasts a period


def test_repeated_or_backward_times_still_make_a_playable_file(tmp_path: Path):
    path = _write(tmp_path / "v.mp4", (64, 48), 30.0, [0.0, 33.3, 33.3, 20.0, 100.0])
    _, decoded, _, _ = _read(path)
    assert len(decoded) == 5 and np.all(np.diff(decoded) > 0)


def test_frames_of_another_size_are_scaled_to_the_video(tmp_path: Path):
    writer = H264Writer(tmp_path / "v.mp4", 30.0, (160, 120))
    writer.write(np.zeros((240, 320, 3), np.uint8))
    writer.close()
    stream, times, _, _ = _read(tmp_path / "v.mp4")
    assert (stream.width, stream.height) == (160, 120) and len(times) == 1
