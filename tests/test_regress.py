"""The regression suite: every sample clip against its truth, one test per clip.

Landmarks are replayed from the fixtures in sample_videos/landmarks/ when they
match the clip and model (else extracted once into the user cache), so this
runs the analyzer, not the model. A clip that stops passing is a regression.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.regress import evaluate_clip, format_table, regress, rows_to_json, truth_files

SAMPLES = Path(__file__).resolve().parents[1] / "sample_videos"
CLIPS = truth_files(SAMPLES) if SAMPLES.is_dir() else []


@pytest.mark.parametrize("truth_path", CLIPS, ids=[p.stem for p in CLIPS])
def test_clip_matches_truth(truth_path: Path):
    row = evaluate_clip(truth_path)
    assert row.passed, f"{row.clip}: " + "; ".join(row.problems)


def test_wrong_exercise_clips_count_nothing():
    wrong = [p for p in CLIPS if json.loads(p.read_text())["performed"] != json.loads(p.read_text())["exercise"]]
    assert wrong, "the sample set must include a clip of the wrong exercise"
    for p in wrong:
        row = evaluate_clip(p)
        assert (row.reps, row.partial, len(row.holds)) == (0, 0, 0), row


def test_regress_table_and_json(tmp_path: Path):
    folder = tmp_path / "clips"
    folder.mkdir()
    src = CLIPS[0]
    truth = json.loads(src.read_text())
    (folder / truth["clip"]).write_bytes((SAMPLES / truth["clip"]).read_bytes())
    (folder / src.name).write_text(src.read_text())
    rows = regress(folder)
    table = format_table(rows)
    assert truth["clip"] in table and table.splitlines()[-1].endswith("failed")
    data = rows_to_json(rows)
    assert data["passed"] + data["failed"] == 1
    assert data["clips"][0]["reps_true"] == truth["reps"]
