from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.cli import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.write_bytes(b""), p)[1], "empty (0 bytes)"),
        (lambda p: (p.write_text("not a video\n" * 100), p)[1], "not a video"),
    ],
    ids=["missing", "zero-bytes", "not-a-video"],
)
def test_analyze_bad_input_is_one_line_error(tmp_path: Path, capsys, setup, needle):
    video = setup(tmp_path / "input.mp4")
    code, _out, err = _run(capsys, "analyze", str(video), "--exercise", "bridge")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert needle in lines[0]
    assert str(video) in lines[0]
    assert "Traceback" not in err


def test_unknown_exercise_lists_valid_ids(tmp_path: Path, capsys, make_video):
    code, _, err = _run(capsys, "analyze", str(make_video()), "--exercise", "squat")
    assert code == 2
    assert "unknown exercise 'squat'" in err
    assert "bridge" in err


def test_output_path_equal_to_input_is_refused(capsys, make_video):
    video = make_video()
    before = video.read_bytes()
    code, _, err = _run(capsys, "analyze", str(video), "--exercise", "bridge", "--out", str(video))
    assert code == 2
    assert "output path is the input" in err
    assert video.read_bytes() == before


def test_console_script_error_has_no_traceback(tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(tmp_path / "nope.mp4"), "--exercise", "bridge"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "no such file" in proc.stderr


def test_analyze_video_without_person_writes_complete_report(tmp_path: Path, capsys, make_video):
    import json

    report = tmp_path / "out" / "r.json"
    code, _out, _ = _run(
        capsys, "analyze", str(make_video(frames=60)), "--exercise", "bridge", "--report", str(report), "--quiet"
    )
    assert code == 0
    data = json.loads(report.read_text())
    assert data["frames"] == 60
    assert data["pose_detected_ratio"] == 0.0
    assert data["reps"] == 0
    assert data["complete"] is True
    assert any(f["code"] == "no_person" for f in data["faults"])
