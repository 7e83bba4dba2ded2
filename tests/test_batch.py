"""formcheck analyze over several videos: one process per file, same reports, failures listed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.batch import Job, expand_inputs, format_batch_table, output_paths, run_batch
from formcheck.cli import main
from formcheck.errors import InputError

sys.path.insert(0, str(Path(__file__).parent))
from batch_workers import crash_on_crash, raise_on_raise
from conftest import SAMPLES


def person_clip(path: Path, frames: int = 24) -> Path:
    """The first frames of a sample clip (a person doing a bridge), as a short video."""
    cap = cv2.VideoCapture(str(SAMPLES / "bridge_side_left_01.mp4"))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), 30.0, (320, 240))
    for _ in range(frames):
        ok, image = cap.read()
        assert ok
        writer.write(cv2.resize(image, (320, 240)))
    writer.release()
    cap.release()
    return path


def test_batch_writes_reports_lists_the_failure_and_exits_non_zero(tmp_path: Path, capsys):
    videos = tmp_path / "videos"
    videos.mkdir()
    one = person_clip(videos / "one.mp4")
    person_clip(videos / "two.mp4", frames=12)
    (videos / "bad.mp4").write_text("not a video\n" * 10)
    (videos / "notes.txt").write_text("ignored")
    reports = tmp_path / "reports"
    code = main(["analyze", str(videos), "--exercise", "bridge", "--report-dir", str(reports), "--jobs", "2"])
    out, err = capsys.readouterr()
    assert code == 2  # a file failed
    assert sorted(p.name for p in reports.glob("*.json")) == ["one.json", "two.json"]
    assert (reports / "results.sqlite").is_file()  # the results table (tests/archive/)
    assert json.loads((reports / "two.json").read_text())["frames"] == 12
    lines = out.splitlines()
    bad = next(line for line in lines if line.startswith("bad.mp4"))
    assert "FAILED" in bad and "not a video" in bad
    assert any(line.startswith("one.mp4") and line.rstrip().endswith("done") for line in lines)
    assert "3 files: 2 done, 1 failed" in out
    assert "[3/3]" in err  # progress, one line per finished file

    # The batch's report for a file is the single-file report, byte for byte.
    single = tmp_path / "single.json"
    assert main(["analyze", str(one), "--exercise", "bridge", "--report", str(single), "--quiet"]) == 0
    assert single.read_text() == (reports / "one.json").read_text()


def test_one_process_batch_and_max_fps(tmp_path: Path, capsys):
    a, b = person_clip(tmp_path / "a.mp4"), person_clip(tmp_path / "b.mp4")
    reports = tmp_path / "r"
    args = ["analyze", str(a), str(b), "--exercise", "bridge", "--report-dir", str(reports)]
    assert main([*args, "--jobs", "1", "--max-fps", "10", "--quiet"]) == 0
    report = json.loads((reports / "a.json").read_text())
    assert report["frames"] == 8 and report["max_fps"] == 10.0
    assert report["duration_s"] == pytest.approx(24 / 30)
    assert "2 files: 2 done" in capsys.readouterr().out


def test_a_worker_that_dies_fails_only_its_own_file(tmp_path: Path):
    jobs = [
        Job(tmp_path / f"{name}.mp4", "bridge", None, "auto", None, None, None, None)
        for name in ("a", "crash", "b", "c", "d")
    ]
    outcomes, interrupted = run_batch(jobs, 2, work=crash_on_crash)
    assert not interrupted
    assert [o.status for o in outcomes] == ["done", "failed", "done", "done", "done"]
    assert "crashed" in outcomes[1].error


def test_a_worker_exception_fails_only_its_own_file(tmp_path: Path):
    jobs = [Job(tmp_path / f"{n}.mp4", "bridge", None, "auto", None, None, None, None) for n in ("a", "raise", "b")]
    outcomes, _ = run_batch(jobs, 2, work=raise_on_raise)
    assert [o.status for o in outcomes] == ["done", "failed", "done"]
    assert "RuntimeError: unexpected" in outcomes[1].error
    table = format_batch_table(outcomes, 1.0, 2)
    assert "raise.mp4" in table and "FAILED: RuntimeError" in table


def test_inputs_a_folder_of_videos_is_a_batch_a_folder_of_images_is_not(tmp_path: Path):
    videos, images = tmp_path / "videos", tmp_path / "images"
    videos.mkdir()
    images.mkdir()
    for name in ("b.mp4", "a.MOV", "c.txt"):
        (videos / name).write_bytes(b"x")
    cv2.imwrite(str(images / "000.png"), np.zeros((4, 4, 3), np.uint8))
    assert expand_inputs([str(videos)]) == ([videos / "a.MOV", videos / "b.mp4"], True)
    assert expand_inputs([str(images)]) == ([images], False)
    assert expand_inputs([str(tmp_path / "x.mp4")]) == ([tmp_path / "x.mp4"], False)
    assert expand_inputs(["x.mp4", "y.mp4"])[1] is True


def test_two_inputs_with_one_name_are_refused(tmp_path: Path):
    with pytest.raises(InputError, match="both be written"):
        output_paths([tmp_path / "a" / "clip.mp4", tmp_path / "b" / "clip.mp4"], tmp_path / "out", ".json")
    assert output_paths([tmp_path / "clip.mp4"], None, ".json") == [None]


def test_single_file_options_are_refused_for_several_videos(tmp_path: Path, capsys, make_video):
    a, b = make_video("a.mp4"), make_video("b.mp4")
    code = main(["analyze", str(a), str(b), "--exercise", "bridge", "--report", str(tmp_path / "r.json")])
    assert code == 2
    assert "--report-dir" in capsys.readouterr().err
    code = main(["analyze", str(a), str(b), "--exercise", "squat"])
    assert code == 2
    assert "unknown exercise" in capsys.readouterr().err


def test_ctrl_c_stops_the_running_files_and_starts_no_other(tmp_path: Path):
    """Ctrl-C reaches the whole process group: the parent stops the batch, each worker once."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "batch_workers.py"), str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal
    )
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("*.started"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["interrupted"] is True
    statuses = sorted(status for status, _ in result["outcomes"])
    assert statuses == ["interrupted"] * 3
    errors = sorted(error for _, error in result["outcomes"])
    assert errors == ["not analysed: the batch was interrupted", "stopped by the parent", "stopped by the parent"]
    assert not (tmp_path / "c.started").exists()
