"""``formcheck live --exercise-file``: a custom exercise coached live (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from formcheck.cli import main
from formcheck.live import capture
from formcheck.sources import Frame, StreamStatus, VideoInfo

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exercises"


class DyingCamera:
    """A camera that delivers ``n`` blank frames, then stops."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.status = StreamStatus()
        self.info = VideoInfo(source="camera:0", width=160, height=120, fps=30.0, frame_count=None)

    def __iter__(self) -> Iterator[Frame]:
        for i in range(self.n):
            yield Frame(i, i * 1000.0 / 30.0, np.zeros((120, 160, 3), np.uint8))
        self.status.ended_early = True
        self.status.message = f"the camera stopped delivering images after {self.n} frames"

    def close(self) -> None:
        pass


def test_live_coaches_an_exercise_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capture, "open_camera", lambda spec: (DyingCamera(5), False))
    report = tmp_path / "r.json"
    file = EXAMPLES / "seated_knee_extension.toml"
    code = main(
        ["live", "--exercise-file", str(file), "--side", "right", "--no-window", "--mute", "--report", str(report)]
    )
    capsys.readouterr()
    assert code == 2  # the camera died; what was done is saved
    saved = json.loads(report.read_text())
    assert [e["exercise"] for e in saved["session"]["exercises"]] == ["seated_knee_extension"]


def test_live_broken_exercise_file_is_one_line_before_the_camera(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_camera(spec: str) -> object:
        raise AssertionError("the camera must not open for a broken file")

    monkeypatch.setattr(capture, "open_camera", no_camera)
    bad = tmp_path / "bad.toml"
    bad.write_text('base = "bridge"\n[rep]\ntarget = "high"\n')
    code = main(["live", "--exercise-file", str(bad), "--no-window"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == f'formcheck: error: {bad}: [rep].target: expected a number, got "high"'


def test_live_needs_exactly_one_exercise(capsys: pytest.CaptureFixture[str]) -> None:
    file = str(EXAMPLES / "bridge_easier.toml")
    assert main(["live", "--exercise", "bridge", "--exercise-file", file, "--no-window"]) == 2
    assert "not allowed with" in capsys.readouterr().err
