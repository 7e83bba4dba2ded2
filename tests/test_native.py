"""Native libraries stay silent: a good run with --quiet prints nothing on stderr.

MediaPipe's C++ runtime and FFmpeg write straight to file descriptor 2, below
Python, at model start-up, on the first inference, while decoding and encoding,
and when the model closes; ``capsys`` cannot see that, so these run the command
line in a child process, whose stderr is the real descriptor, as a user's is.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from formcheck.native import quiet_native_stderr

SAMPLES = Path(__file__).resolve().parents[1] / "sample_videos"
CLIPS = [SAMPLES / "knee_to_chest_side_left_01.mp4", SAMPLES / "half_kneel_hip_stretch_left_01.mp4"]


@pytest.mark.parametrize("python_stderr", ["pytest-capture-file", "stringio"])
def test_descriptor_2_is_silenced_whatever_sys_stderr_is(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, python_stderr: str
):
    """Native code writes to descriptor 2 even when sys.stderr is an object without one (a notebook, pytest)."""
    if python_stderr == "stringio":  # else pytest's own file, another descriptor than 2
        monkeypatch.setattr(sys, "stderr", io.StringIO())
    with quiet_native_stderr():
        os.write(2, b"INFO: native chatter\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def test_an_error_inside_still_reaches_stderr_after_the_block(capfd: pytest.CaptureFixture[str]):
    with pytest.raises(RuntimeError), quiet_native_stderr():
        raise RuntimeError("boom")
    print("formcheck: error: boom", file=sys.stderr)
    assert capfd.readouterr().err == "formcheck: error: boom\n"


def _formcheck(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "formcheck", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.skipif(not all(c.is_file() for c in CLIPS), reason="sample clips missing")
@pytest.mark.parametrize("batch", [False, True], ids=["one-video", "batch-workers"])
def test_a_good_quiet_analysis_prints_nothing_on_stderr(tmp_path: Path, batch: bool):
    """The real model, from a fresh process; --max-fps keeps it short, as start-up and close are what talk."""
    common = ["--exercise", "knee_to_chest", "--max-fps", "5", "--quiet"]
    if batch:  # two videos: each in its own spawned worker process
        argv = [*map(str, CLIPS), *common, "--jobs", "2", "--report-dir", str(tmp_path / "reports")]
    else:
        argv = [str(CLIPS[0]), *common, "--report", str(tmp_path / "r.json"), "--out", str(tmp_path / "a.mp4")]
    proc = _formcheck("analyze", *argv, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


_APART_SCRIPT = """
import os, sys
from formcheck.native import python_stderr_apart, quiet_native_stderr
with python_stderr_apart():
    with quiet_native_stderr():
        os.write(2, b"W0000 native warning\\n")
        print("python line written while descriptor 2 is silenced", file=sys.stderr)
print("after", file=sys.stderr)
"""


def test_python_stderr_survives_a_native_silence_on_another_thread():
    """Inference silences descriptor 2 on the model's thread; what Python prints meanwhile
    (a progress bar, a warning on another thread) must still reach the user."""
    proc = subprocess.run([sys.executable, "-c", _APART_SCRIPT], capture_output=True, text=True, check=True)
    assert proc.stderr.splitlines() == ["python line written while descriptor 2 is silenced", "after"]


class _ChattyLandmarker:
    """Stands in for MediaPipe: logs to descriptor 2 on a later frame, as LiteRT's
    'Input tensor memory is not aligned' warning does in about one run in fifteen."""

    def __init__(self) -> None:
        self.calls = 0

    def detect_for_video(self, image: object, ts: int) -> object:
        self.calls += 1
        if self.calls == 3:
            os.write(2, b"W0000 inference_runner_litert.cc:1433] Input tensor memory is not aligned\n")
        return SimpleNamespace(pose_landmarks=[])

    def close(self) -> None:
        pass


def test_every_inference_is_silenced_not_only_the_first(capfd: pytest.CaptureFixture[str]):
    import numpy as np

    from formcheck.pose.estimator import MediaPipePoseEstimator
    from formcheck.sources import Frame

    estimator = MediaPipePoseEstimator.__new__(MediaPipePoseEstimator)
    estimator._landmarker = _ChattyLandmarker()
    estimator._last_ts = -1
    estimator.tracker = None
    image = np.zeros((48, 64, 3), np.uint8)
    for i in range(5):
        estimator.estimate(Frame(index=i, t_ms=i * 33.3, image=image))
    assert capfd.readouterr().err == ""
