"""Ctrl-C / SIGTERM during analyze: a playable video and an honest, incomplete report."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import pytest

from formcheck.resources import demo_clip_path

CLIP = demo_clip_path()


def _start_analysis(tmp_path: Path) -> tuple[subprocess.Popen[str], Path, Path]:
    """``formcheck analyze`` of the demo clip with a report and a video, once it is writing frames."""
    report, video = tmp_path / "r.json", tmp_path / "a.mp4"
    proc = subprocess.Popen(
        [sys.executable, "-m", "formcheck", "analyze", str(CLIP), "--exercise", "bridge", "--quiet"]
        + ["--report", str(report), "--out", str(video)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    partial = tmp_path / ".a.partial.mp4"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (partial.exists() and partial.stat().st_size > 50_000):
        time.sleep(0.05)  # wait until frames are being analysed and written
    return proc, report, video


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupt_keeps_what_was_analysed(tmp_path: Path, sig: signal.Signals):
    proc, report, video = _start_analysis(tmp_path)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted after" in err and "complete: false" in err and "Traceback" not in err
    data = json.loads(report.read_text())
    assert data["complete"] is False
    assert "interrupted after" in data["stopped_reason"]
    assert 0 < data["frames"] < 630
    cap = cv2.VideoCapture(str(video))
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == data["frames"]  # every analysed frame is in the playable video


@pytest.mark.parametrize("gap_s", [0.01, 0.05, 0.3])
def test_second_ctrl_c_stops_at_once_and_leaves_nothing_half_saved(tmp_path: Path, gap_s: float):
    """A second Ctrl-C while the first is still stopping (or saving) ends the run at once.

    Whenever it lands, the folder holds either the finished report and video of the first
    stop, or nothing at all: never an unfinished hidden video or report.
    """
    proc, report, _video = _start_analysis(tmp_path)
    proc.send_signal(signal.SIGINT)
    time.sleep(gap_s)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    left = sorted(p.name for p in tmp_path.iterdir())
    if "stopped at once (second interrupt)" in err:
        assert proc.returncode == 130
        assert left == []
    else:  # the first stop had finished saving before the second arrived
        assert "interrupted after" in err, err
        assert proc.returncode in (130, -signal.SIGINT)  # -2: it came as Python was exiting
        assert left == ["a.mp4", "r.json"]
        assert json.loads(report.read_text())["complete"] is False
