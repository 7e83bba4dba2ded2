"""Killed part-way and run again: every file analysed once, none missing, reports as a single run writes them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from formcheck.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_videos"
# Three different bridge clips (8-21 s); at 5 frames/s each takes a second or two.
CLIPS = ("bridge_side_left_01.mp4", "bridge_partial_02.mp4", "wrong_exercise_bridge_as_knee_to_chest.mp4")


def recorded(db: Path) -> list[tuple[str, str, str, int, str]]:
    if not db.is_file():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT path, status, finished_at, attempts, worker FROM files ORDER BY path").fetchall()
    except sqlite3.OperationalError:  # the table is being created
        return []


@pytest.mark.skipif(not all((SAMPLES / c).is_file() for c in CLIPS), reason="sample clips not present")
def test_a_run_killed_part_way_resumes_without_analysing_anything_twice(tmp_path: Path, capsys):
    folder = tmp_path / "videos"
    folder.mkdir()
    for clip in CLIPS:
        shutil.copy(SAMPLES / clip, folder / clip)
    reports = tmp_path / "reports"
    db = reports / "results.sqlite"
    args = ["analyze", str(folder), "--exercise", "bridge", "--report-dir", str(reports), "--max-fps", "5"]
    args += ["--jobs", "1", "--quiet"]
    child = subprocess.Popen(
        [sys.executable, "-m", "formcheck", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path
    )
    try:
        deadline = time.monotonic() + 120
        while not recorded(db) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)  # no chance to clean up: a power cut, a lost head node
    finally:
        child.wait(timeout=30)
    before = recorded(db)
    assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
    assert 1 <= len(before) < len(CLIPS), "the run was not killed part-way"

    assert main(args) == 0
    out = capsys.readouterr().out
    after = recorded(db)
    # Every file done, once: the rows written before the kill are untouched (same time, same worker process).
    assert [(Path(p).name, s, n) for p, s, _, n, _ in after] == [(c, "done", 1) for c in sorted(CLIPS)]
    assert set(before) <= set(after)
    assert f"{len(CLIPS)} files: {len(CLIPS) - len(before)} done, {len(before)} skipped (done before)" in out
    with sqlite3.connect(db) as c:
        for path, reps, holds, report, count in c.execute(
            "SELECT f.path, f.reps, f.partial_reps, f.report,"
            " (SELECT count(*) FROM reps r WHERE r.file_key = f.key AND r.kind = 'rep') FROM files f"
        ):
            data = json.loads(Path(report).read_text())
            assert (data["reps"], data["partial_reps"], len(data["rep_events"])) == (reps, holds, count), path
    # The rerun's reports are the single-file reports, byte for byte.
    single = tmp_path / "single.json"
    last = Path(after[-1][0])
    assert (
        main(["analyze", str(last), "--exercise", "bridge", "--max-fps", "5", "--report", str(single), "--quiet"]) == 0
    )
    assert single.read_bytes() == (reports / f"{last.stem}.json").read_bytes()
    # And a third run analyses nothing.
    capsys.readouterr()
    assert main(args) == 0
    assert f"{len(CLIPS)} files: {len(CLIPS)} skipped (done before)" in capsys.readouterr().out
    assert recorded(db) == after
