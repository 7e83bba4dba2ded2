"""Fault injection (issue 7): every bad input a user can give, and what they see.

Each case runs the real command line and checks what reaches the user: the
exit code, one line naming the problem (no traceback), and that nothing is
lost or faked: no report passed off as complete, output files complete or absent.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from formcheck.cli import main
from formcheck.sources import FALLBACK_FPS, VideoFileSource
from tests.conftest import write_video

Setup = Callable[[Path], list[str]]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(["analyze", *argv, "--quiet"])
    out, err = capsys.readouterr()
    return code, out, err


def _good(tmp: Path) -> Path:
    return write_video(tmp / "good.mp4", frames=10)


def _bridge(video: Path, *extra: str) -> list[str]:
    return [str(video), "--exercise", "bridge", *extra]


def _png_as_mp4(tmp: Path) -> list[str]:
    png = tmp / "photo.png"
    cv2.imwrite(str(png), np.zeros((48, 64, 3), np.uint8))
    return _bridge(png.rename(tmp / "photo.mp4"))


def _wrong_model(tmp: Path) -> list[str]:
    with zipfile.ZipFile(tmp / "other.task", "w") as z:
        z.writestr("hand_landmarker.tflite", b"not a pose model")
    return _bridge(_good(tmp), "--model", str(tmp / "other.task"))


def _custom_exercise(tmp: Path) -> list[str]:
    (tmp / "mine.toml").write_text('id = "mine"\nname = "Mine"\n')
    return [str(_good(tmp)), "--exercise-file", str(tmp / "mine.toml")]


def _parent_is_file(flag: str) -> Setup:
    def setup(tmp: Path) -> list[str]:
        (tmp / "notes").write_text("a file, not a folder")
        return _bridge(_good(tmp), flag, str(tmp / "notes" / "out"))

    return setup


# (setup -> argv, words the one-line message must contain)
ERROR_CASES: dict[str, tuple[Setup, list[str]]] = {
    "missing-file": (lambda t: _bridge(t / "nope.mp4"), ["nope.mp4", "no such file"]),
    "zero-bytes": (lambda t: ((t / "e.mp4").write_bytes(b""), _bridge(t / "e.mp4"))[1], ["e.mp4", "empty (0 bytes)"]),
    "text-file": (
        lambda t: ((t / "t.mp4").write_text("hello\n" * 200), _bridge(t / "t.mp4"))[1],
        ["t.mp4", "not a video"],
    ),
    "random-bytes": (
        lambda t: (
            (t / "r.mp4").write_bytes(np.random.default_rng(7).integers(0, 256, 50_000, dtype=np.uint8).tobytes()),
            _bridge(t / "r.mp4"),
        )[1],
        ["r.mp4", "not a video"],
    ),
    "png-renamed-mp4": (_png_as_mp4, ["photo.mp4", "still image, not a video"]),
    "report-parent-is-a-file": (_parent_is_file("--report"), ["notes", "is a file, not a folder"]),
    "video-parent-is-a-file": (_parent_is_file("--out"), ["notes", "is a file, not a folder"]),
    "report-is-the-input": (lambda t: _bridge(_good(t), "--report", str(t / "good.mp4")), ["output path is the input"]),
    "video-is-the-input": (lambda t: _bridge(_good(t), "--out", str(t / "good.mp4")), ["output path is the input"]),
    "model-missing": (lambda t: _bridge(_good(t), "--model", str(t / "none.task")), ["pose model not found"]),
    "model-corrupt": (
        lambda t: ((t / "c.task").write_bytes(b"\x00garbage" * 64), _bridge(_good(t), "--model", str(t / "c.task")))[1],
        ["c.task", "not a MediaPipe .task bundle"],
    ),
    "model-wrong-bundle": (_wrong_model, ["other.task", "not a pose landmarker bundle"]),
    "model-is-a-folder": (lambda t: _bridge(_good(t), "--model", str(t)), ["is not a file"]),
    "unknown-exercise": (
        lambda t: [str(_good(t)), "--exercise", "squat"],
        ["unknown exercise 'squat'", "valid ids:", "bridge", "pelvic_tilt"],
    ),
    "custom-exercise-bad-key": (_custom_exercise, ["mine.toml", "id: unknown key", "valid keys"]),
    "custom-exercise-missing": (
        lambda t: [str(_good(t)), "--exercise-file", str(t / "gone.toml")],
        ["gone.toml", "no such exercise file"],
    ),
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=list(ERROR_CASES))
def test_bad_input_is_one_line_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str):
    setup, needles = ERROR_CASES[case]
    argv = setup(tmp_path)
    before = _snapshot(tmp_path)
    code, out, err = _run(capsys, argv)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("formcheck: error: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in err and out == ""
    # nothing created, nothing touched: inputs byte for byte, no stray temp files
    assert _snapshot(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions; see the parent-is-a-file cases")
@pytest.mark.parametrize("flag", ["--report", "--out"])
def test_read_only_output_folder_fails_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str], flag):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = _run(capsys, _bridge(_good(tmp_path), flag, str(locked / "x")))
    finally:
        locked.chmod(0o700)
    assert code == 2
    assert "output folder is not writable" in err and err.count("\n") == 1
    assert list(locked.iterdir()) == []


# -- files that decode, partly or strangely --------------------------------------------


def _avi(path: Path, frames: int, size: tuple[int, int] = (320, 240), noise: bool = True) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, size)
    rng = np.random.default_rng(0)
    for i in range(frames):
        img = (
            rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
            if noise
            else np.full((size[1], size[0], 3), i, np.uint8)
        )
        writer.write(img)
    writer.release()
    return path


def test_truncated_file_writes_an_incomplete_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    full = _avi(tmp_path / "full.avi", 120)
    cut = tmp_path / "cut.avi"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    report, video = tmp_path / "r.json", tmp_path / "a.mp4"
    code, _out, err = _run(capsys, _bridge(cut, "--report", str(report), "--out", str(video)))
    assert code == 1  # analysed what decodes, but says the run is not complete
    assert "Traceback" not in err
    data = json.loads(report.read_text())
    assert data["complete"] is False
    assert 0 < data["frames"] < 120
    assert f"decoding stopped at frame {data['frames']} of 120" in data["stopped_reason"]
    assert "truncated" in data["stopped_reason"]
    cap = cv2.VideoCapture(str(video))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == data["frames"]  # the video holds exactly what was analysed


def _patched_rate_avi(tmp: Path, name: str, usec_per_frame: int, scale: int, rate: int) -> Path:
    """An AVI whose header (avih microseconds per frame, strh scale/rate) says another frame rate."""
    data = bytearray(_avi(tmp / "src.avi", 20, (64, 48), noise=False).read_bytes())
    avih, strh = data.find(b"avih"), data.find(b"strh")
    assert avih > 0 and strh > 0 and data[strh + 8 : strh + 12] == b"vids"
    struct.pack_into("<I", data, avih + 8, usec_per_frame)
    struct.pack_into("<II", data, strh + 8 + 20, scale, rate)
    out = tmp / name
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize(
    ("usec", "scale", "rate", "container_fps"),
    [(1, 1, 1_000_000, 1e6), (100_000_000, 100, 1, 0.01)],
    ids=["1e6-fps", "0.01-fps"],
)
def test_absurd_container_fps_falls_back_with_a_warning(tmp_path: Path, capsys, usec, scale, rate, container_fps):
    path = _patched_rate_avi(tmp_path, "odd.avi", usec, scale, rate)
    assert cv2.VideoCapture(str(path)).get(cv2.CAP_PROP_FPS) == pytest.approx(container_fps)
    src = VideoFileSource(path)
    t = [f.t_ms for f in src]
    assert src.info.fps == FALLBACK_FPS
    # the container's timestamps share its broken time base: nominal ones replace them
    assert np.allclose(np.diff(t), 1000 / FALLBACK_FPS) and t[0] == 0.0
    report = tmp_path / "r.json"
    code, _, _ = _run(capsys, _bridge(path, "--report", str(report)))
    data = json.loads(report.read_text())
    assert code == 0 and data["fps"] == FALLBACK_FPS
    assert data["duration_s"] == pytest.approx(20 / FALLBACK_FPS, abs=1e-3)
    assert any("not plausible" in w and repr(container_fps) in w for w in data["warnings"])


def test_zero_rate_in_the_container_header(tmp_path: Path):
    # FFmpeg itself substitutes 25 fps for a zero rate before formcheck sees it;
    # timing is then at 25 fps, monotonic and plausible (documented limitation).
    src = VideoFileSource(_patched_rate_avi(tmp_path, "zero.avi", 0, 0, 0))
    t = [f.t_ms for f in src]
    assert src.info.fps == 25.0 and len(t) == 20
    assert np.all(np.diff(t) > 0)


@pytest.mark.parametrize("reported", [0.0, float("nan"), float("inf"), -30.0])
def test_unusable_fps_property_falls_back(make_video, monkeypatch: pytest.MonkeyPatch, reported: float):
    # 0 / NaN cannot be written into a real container here; the capture is made
    # to report them, the way some backends do for broken streams.
    real = cv2.VideoCapture

    class Capture:  # a proxy: subclassing the native class crashes OpenCV
        def __init__(self, *args: object) -> None:
            self._cap = real(*args)

        def get(self, prop: int) -> float:
            return reported if prop == cv2.CAP_PROP_FPS else float(self._cap.get(prop))

        def __getattr__(self, name: str) -> object:
            return getattr(self._cap, name)

    monkeypatch.setattr(cv2, "VideoCapture", Capture)
    src = VideoFileSource(make_video(frames=12, fps=30.0))
    t = [f.t_ms for f in src]
    assert src.info.fps == FALLBACK_FPS
    assert "not plausible" in src.status.warnings[0]
    assert np.allclose(np.diff(t), 1000 / FALLBACK_FPS)


# -- variable frame rate: an MP4 whose sample durations vary (patched 'stts') ----------


def _boxes(data: bytes | bytearray, start: int, end: int) -> dict[bytes, tuple[int, int]]:
    found, i = {}, start
    while i + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, i)
        found[kind] = (i, size)
        i += size
    return found


def _vfr_mp4(tmp: Path, factors: list[float]) -> Path:
    """An mp4v MP4 rewritten so frame i lasts factors[i] nominal periods (a phone's VFR timeline).

    The factors must add up to the frame count, so the track's total duration
    (mdhd, edit list) stays right and no frame is cut off.
    """
    assert sum(factors) == len(factors)
    path = write_video(tmp / "cfr.mp4", frames=len(factors), fps=30.0)
    data = bytearray(path.read_bytes())
    chain = [b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stts"]
    starts, lo, hi = [], 0, len(data)
    for kind in chain:
        pos, size = _boxes(data, lo, hi)[kind]
        starts.append(pos)
        lo, hi = pos + 8, pos + size
    assert data.find(b"mdat") < starts[0], "moov must follow mdat (chunk offsets stay valid)"
    stts = starts[-1]
    old_size, _, _, n_entries, _, base = struct.unpack_from(">I4sIIII", data, stts)
    assert n_entries == 1  # written at a constant rate: one (count, delta) entry
    deltas = [round(f * base) for f in factors]
    assert sum(deltas) == base * len(factors)
    body = struct.pack(">II", 0, len(deltas)) + b"".join(struct.pack(">II", 1, d) for d in deltas)
    new_box = struct.pack(">I4s", 8 + len(body), b"stts") + body
    grow = len(new_box) - old_size
    for pos in starts[:-1]:  # every enclosing box grows by the same amount
        struct.pack_into(">I", data, pos, struct.unpack_from(">I", data, pos)[0] + grow)
    data[stts : stts + old_size] = new_box
    out = tmp / "vfr.mp4"
    out.write_bytes(bytes(data))
    return out


def test_variable_frame_rate_keeps_container_timestamps(tmp_path: Path):
    factors = [0.5] * 10 + [1.5] * 10 + [1.0] * 10  # 60, then 20, then 30 fps
    src = VideoFileSource(_vfr_mp4(tmp_path, factors))
    t = np.array([f.t_ms for f in src])
    assert len(t) == 30 and np.all(np.diff(t) > 0)
    gaps = np.diff(t)
    # the frame spacing follows the container, not a nominal rate
    assert np.allclose(gaps[:9], 1000 / 60, atol=1.0) and np.allclose(gaps[11:19], 1000 / 20, atol=1.0)
    assert t[-1] == pytest.approx(sum(factors[:-1]) * 1000 / 30, abs=2.0)


def test_variable_frame_rate_video_is_annotated_at_its_own_times(tmp_path: Path, capsys):
    """The annotated video plays in the time it was filmed, not at a nominal rate."""
    factors = [0.5] * 10 + [1.5] * 10 + [1.0] * 10
    video, out = _vfr_mp4(tmp_path, factors), tmp_path / "a.mp4"
    code, _, _ = _run(capsys, _bridge(video, "--out", str(out)))
    source = np.array([f.t_ms for f in VideoFileSource(video)])
    with av.open(str(out)) as container:
        shown = [float(f.pts * f.time_base) * 1000 for f in container.decode(video=0)]
    assert code == 0
    np.testing.assert_allclose(shown, source - source[0], atol=0.02)


# -- phone video: portrait stored as landscape plus a rotation matrix --------------------


def _rotated_mp4(tmp: Path) -> Path:
    w, h = 160, 90
    path = tmp / "landscape.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (w, h))
    for _ in range(8):
        img = np.zeros((h, w, 3), np.uint8)
        img[:12, :, 2] = 255  # a red band along the stored top edge
        writer.write(img)
    writer.release()
    data = bytearray(path.read_bytes())
    tkhd = data.find(b"tkhd")
    assert data[tkhd + 4] == 0  # version 0: the matrix starts 40 bytes into the box body
    struct.pack_into(">9i", data, tkhd + 4 + 40, 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000)  # 90 deg
    out = tmp / "portrait.mp4"
    out.write_bytes(bytes(data))
    return out


def test_rotation_metadata_gives_upright_frames(tmp_path: Path, capsys):
    path = _rotated_mp4(tmp_path)
    assert cv2.VideoCapture(str(path)).get(cv2.CAP_PROP_ORIENTATION_META) == 90
    src = VideoFileSource(path)
    assert (src.info.width, src.info.height) == (90, 160)  # portrait, as the phone showed it
    for f in src:
        assert f.image is not None and f.image.shape == (160, 90, 3)
        red = f.image[:, :, 2] > 128
        assert red[:, -12:].all() and not red[:, :60].any()  # stored top -> right edge after 90 deg clockwise
    out = tmp_path / "a.mp4"
    code, _, _ = _run(capsys, _bridge(path, "--out", str(out)))
    cap = cv2.VideoCapture(str(out))
    assert code == 0 and (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (90, 160)


# -- extreme resolutions -------------------------------------------------------------


def test_tiny_video_says_it_is_too_small(tmp_path: Path, capsys):
    video = write_video(tmp_path / "tiny.mp4", frames=10, size=(32, 24))
    report = tmp_path / "r.json"
    code, _, err = _run(capsys, _bridge(video, "--report", str(report)))
    data = json.loads(report.read_text())
    assert code == 0 and "Traceback" not in err
    assert data["complete"] is True and data["reps"] == 0 and data["pose_detected_ratio"] == 0.0
    assert any("32x24" in w and "too small" in w for w in data["warnings"])


def test_4k_video_is_analysed(tmp_path: Path, capsys):
    video = write_video(tmp_path / "uhd.mp4", frames=3, size=(3840, 2160))
    report, out = tmp_path / "r.json", tmp_path / "a.mp4"
    code, _, err = _run(capsys, _bridge(video, "--report", str(report), "--out", str(out)))
    data = json.loads(report.read_text())
    assert code == 0 and "Traceback" not in err
    assert data["frames"] == 3 and data["complete"] is True and data["warnings"] == []
    cap = cv2.VideoCapture(str(out))
    assert (cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_COUNT)) == (3840, 3)


def _run_with_file_size_limit(limit_bytes: int, argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The command line in a child whose writes fail past ``limit_bytes`` (EFBIG):
    what a full disk does to a write, without filling one."""
    resource = pytest.importorskip("resource")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run(
        [sys.executable, "-m", "formcheck.cli", "analyze", *argv, "--quiet"],
        cwd=cwd,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_disk_full_while_writing_the_video_keeps_the_report(tmp_path: Path):
    """A write the disk refuses stops the video, not the analysis: the report is written,
    says the run did not complete and why, and no partial video is left."""
    clip = _avi(tmp_path / "noise.avi", 60)  # noise: a video far larger than the limit
    report, video = tmp_path / "r.json", tmp_path / "a.mp4"
    proc = _run_with_file_size_limit(64_000, _bridge(clip, "--report", str(report), "--out", str(video)), tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    reason = f"{video}: the video could not be written (File too large); is the disk full?"
    assert lines == [f"formcheck: warning: incomplete: {reason}"]
    data = json.loads(report.read_text())
    assert data["complete"] is False and "could not be written" in data["stopped_reason"]
    assert data["frames"] == 60  # the analysis itself is all there
    assert not video.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["noise.avi", "r.json"]  # no broken or partial files


def test_disk_full_while_writing_the_report(tmp_path: Path):
    clip = _avi(tmp_path / "small.avi", 10, (64, 48), noise=False)
    report = tmp_path / "r.json"
    proc = _run_with_file_size_limit(300, _bridge(clip, "--report", str(report)), tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"formcheck: error: {report}: cannot write the report (File too large)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.avi"]  # no half-written report
