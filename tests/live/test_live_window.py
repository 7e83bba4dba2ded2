"""`formcheck live` in a real window on a virtual display (Xvfb), on the sample bridge clip.

The clip is played as a camera, in real time; a screenshot of the screen is
compared loosely with what the overlay must show, and the report must count
the clip's five reps. Needs Xvfb (Debian: xvfb) and, for the screenshot, xwd
(Debian: x11-apps); .ci/run installs both.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

REPO = Path(__file__).resolve().parents[2]
CLIP = REPO / "sample_videos" / "bridge_side_left_01.mp4"
XVFB = shutil.which("Xvfb")
XWD = shutil.which("xwd")

pytestmark = [
    pytest.mark.skipif(not CLIP.is_file(), reason=f"sample clip missing: {CLIP}"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Xvfb is an X11 (Linux) tool"),
    pytest.mark.skipif(XVFB is None, reason="Xvfb not installed (apt-get install xvfb): no virtual display"),
]

Image = NDArray[np.uint8]


def _free_display() -> int:
    for n in range(91, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private virtual screen with a black root window, for as long as the test runs."""
    assert XVFB is not None
    n = _free_display()
    proc = subprocess.Popen(
        [XVFB, f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-br"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{n}")
    deadline = time.monotonic() + 10.0
    while not socket.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.skip(f"Xvfb did not start on :{n}")
        time.sleep(0.05)
    try:
        yield f":{n}"
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


def screenshot(display: str, path: Path) -> Image:
    """The whole screen via xwd, decoded here (ZPixmap, 24 or 32 bits a pixel)."""
    assert XWD is not None
    subprocess.run([XWD, "-root", "-silent", "-display", display, "-out", str(path)], check=True, timeout=10)
    data = path.read_bytes()
    h = struct.unpack(">25I", data[:100])
    header_size, width, height, byte_order, bits, bpl, ncolors = h[0], h[4], h[5], h[7], h[11], h[12], h[19]
    start = header_size + 12 * ncolors
    rows = np.frombuffer(data[start : start + height * bpl], np.uint8).reshape(height, bpl)
    nb = bits // 8
    px = rows[:, : width * nb].reshape(height, width, nb)
    bgr = px[:, :, :3] if byte_order == 0 else px[:, :, nb - 3 :][:, :, ::-1]
    return np.ascontiguousarray(bgr)


def window_region(screen: Image) -> Image | None:
    """The window's picture: the bounding box of what is not the black root window."""
    mask = screen.max(axis=2) > 12
    if mask.sum() < 10_000:
        return None
    ys, xs = np.nonzero(mask)
    return screen[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def clip_frame(index: int) -> Image:
    cap = cv2.VideoCapture(str(CLIP))
    cap.set(cv2.CAP_PROP_POS_FRAMES, index)
    ok, frame = cap.read()
    cap.release()
    assert ok
    return frame


def test_live_window_shows_the_overlay_and_counts_the_reps(xvfb: str, tmp_path: Path) -> None:
    report, record = tmp_path / "report.json", tmp_path / "session.mp4"
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    env["DISPLAY"] = xvfb
    cmd = [sys.executable, "-m", "formcheck", "live", "--exercise", "bridge", "--camera", str(CLIP),
           "--report", str(report), "--record", str(record), "--mute", "--stats", "--summary-seconds", "1"]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    shot: Image | None = None
    try:
        if XWD is not None:
            # Wait for the window, then for the first rep (done ~5 s into the clip).
            appeared = None
            deadline = time.monotonic() + 40.0
            while proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
                if appeared is None:
                    if window_region(screenshot(xvfb, tmp_path / "probe.xwd")) is not None:
                        appeared = time.monotonic()
                elif time.monotonic() - appeared > 6.5:
                    shot = window_region(screenshot(xvfb, tmp_path / "live.xwd"))
                    break
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err

    data = json.loads(report.read_text())
    assert data["reps"] == 5
    assert data["complete"] is True
    assert data["session"]["ended_by"] == "end_of_stream"
    assert data["session"]["latency_ms"]["p50"] is not None
    assert "latency p50" in out
    cap = cv2.VideoCapture(str(record))
    assert abs(int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) - 630) <= 3  # the recording keeps real time
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.release()
    assert size == (640, 480)  # the picture only: the key help is the window's, never the recording's

    if XWD is None:
        pytest.skip("xwd not installed (apt-get install x11-apps): the report was checked, the window was not")
    assert shot is not None, "the live window never appeared on the virtual screen"
    cv2.imwrite(str(tmp_path / "live.png"), shot)
    # The window shows the 640x480 picture with the key-help strip below it (26 lines at 480).
    strip = 26
    h, w = shot.shape[:2]
    assert w >= 600 and abs(w / h - 640 / (480 + strip)) < 0.04, f"window picture is {w}x{h}"
    whole = cv2.resize(shot, (640, 480 + strip), interpolation=cv2.INTER_AREA)
    img, help_band = whole[:480], whole[480 + 3 :]
    ref = clip_frame(200)

    def mean(a: Image) -> float:
        return float(a.mean())

    band, ref_band = img[:80], ref[:80]
    assert mean(band) < 0.8 * mean(ref_band), "no dark HUD band at the top"
    white = (band.min(axis=2) >= 215).sum()
    assert white >= 150, f"too little text in the HUD band ({white} px)"
    b, g, r = (band[:, :160, i].astype(int) for i in range(3))
    green = ((g > 160) & (r < 150) & (b < 150)).sum()
    assert green >= 40, f"no green rep count ({green} px)"
    assert mean(help_band) < 60, "no help strip below the picture"
    assert (help_band.min(axis=2) >= 150).sum() >= 30, "no help text"
    middle = img[90:450].astype(int)
    joints = (
        (middle[:, :, 0] > 220) & (middle[:, :, 1] > 140) & (middle[:, :, 1] < 215) & (middle[:, :, 2] < 110)
    ).sum()
    assert joints >= 30, f"no skeleton joints drawn ({joints} px)"
    floor = np.abs(img[340:420].astype(int) - ref[340:420].astype(int)).mean()  # above the safety note
    assert floor < 30, "the camera picture itself is not shown"
