"""An annotated video plays in a real browser: headless Chromium loads it in a <video> element.

Skipped where no Chromium is installed (Debian: ``apt-get install chromium``). The
mp4v file OpenCV writes is the control: Chromium refuses it, so the page can tell.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.analysis import Analyzer
from formcheck.exercises import get_exercise
from formcheck.landmarks import PoseFrame
from formcheck.render import Overlay
from formcheck.sinks import VideoFileSink
from formcheck.sources import Frame

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium to play the video in")

PAGE = """<!doctype html><html><body><pre id="out">pending</pre><script>
const v = document.createElement("video");
v.muted = true; v.preload = "auto";
let done = false;
const report = (ev) => { if (done) return; done = true;
  document.getElementById("out").textContent = JSON.stringify({event: ev, videoWidth: v.videoWidth,
    videoHeight: v.videoHeight, readyState: v.readyState, duration: v.duration}); };
v.addEventListener("loadeddata", () => report("loadeddata"));
v.addEventListener("error", () => report("error"));
setTimeout(() => report("timeout"), 8000);
v.src = "VIDEO"; document.body.appendChild(v);
</script></body></html>"""


def _play(tmp_path: Path, video: Path) -> dict[str, object]:
    page = tmp_path / "page.html"
    page.write_text(PAGE.replace("VIDEO", video.name))
    assert CHROMIUM is not None
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        + ["--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
        + ["--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = re.search(r'<pre id="out">(.*?)</pre>', proc.stdout)
    assert found is not None, proc.stderr[-2000:]
    result: dict[str, object] = json.loads(found.group(1))
    return result


def test_the_annotated_video_plays_in_chromium(tmp_path: Path):
    spec = get_exercise("bridge")
    size = (321, 241)  # odd: padded by the writer
    sink = VideoFileSink(tmp_path / "a.mp4", 30.0, size, Overlay(spec), source_times=True)
    analyzer = Analyzer(spec)
    for i in range(45):
        t = i * 1000 / 30
        image = np.full((size[1], size[0], 3), (i * 5) % 256, np.uint8)
        sink.write(Frame(i, t, image), analyzer.step(PoseFrame.missing(i, t, *size)))
    sink.close()
    shown = _play(tmp_path, tmp_path / "a.mp4")
    assert shown["event"] == "loadeddata", shown
    assert shown["videoWidth"] == 322 and shown["videoHeight"] == 242
    assert isinstance(shown["readyState"], int) and shown["readyState"] >= 2  # HAVE_CURRENT_DATA: a frame to show
    assert shown["duration"] == pytest.approx(1.5, abs=0.01)


def test_the_mp4v_control_does_not_play(tmp_path: Path):
    path = tmp_path / "old.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (320, 240))
    for i in range(30):
        writer.write(np.full((240, 320, 3), i * 8, np.uint8))
    writer.release()
    shown = _play(tmp_path, path)
    assert shown["event"] == "error" and shown["videoWidth"] == 0
