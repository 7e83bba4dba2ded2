"""The real-footage set (real_videos/): licensed recordings labelled by eye, replayed.

Each clip's landmarks are committed in real_videos/landmarks/, so this runs the
analyzer, not the model. The truth has counts, holds and rep timing read from the
frames (two passes, real_videos/README.md) but no per-frame metric, so only the
counts and holds are scored. A clip formcheck gets wrong is a strict xfail with the
measured reason: when it starts passing, the test says so and the entry goes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import pytest

from formcheck.landmark_cache import track_paths
from formcheck.pose.model import resolve_model
from formcheck.regress import format_table, truth_files, truth_spec

sys.path.insert(0, str(Path(__file__).parent))
from clip_files import (
    assert_counts_and_holds_match,
    assert_truth_counts_its_events,
    assert_video_matches_truth,
    load,
    result,
    strict_xfail_params,
)

FOLDER = Path(__file__).resolve().parents[1] / "real_videos"
CLIPS = truth_files(FOLDER) if FOLDER.is_dir() else []
IDS = [p.stem for p in CLIPS]

MAX_CLIP_BYTES = 1_500_000
MAX_SET_BYTES = 15_000_000

# clip stem -> why formcheck's answer differs from the eye.
KNOWN: dict[str, str] = {}


def test_there_are_clips():
    assert CLIPS, f"no truth files in {FOLDER}"


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_truth_follows_schema_and_credits_a_licence(path: Path):
    truth = load(path)
    jsonschema.validate(truth, load(FOLDER / "truth.schema.json"))
    assert (FOLDER / truth["source"]["licence_file"]).is_file()
    assert_truth_counts_its_events(truth)
    for event in truth["rep_events"]:
        assert event["start_s"] < event["peak_s"] < event["end_s"] <= truth["duration_s"]


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_video_matches_truth_and_is_small(path: Path):
    truth = load(path)
    video = FOLDER / truth["clip"]
    assert_video_matches_truth(video, truth)
    assert video.stat().st_size < MAX_CLIP_BYTES


def test_the_set_stays_small():
    total = sum(p.stat().st_size for p in FOLDER.rglob("*") if p.is_file())
    assert total < MAX_SET_BYTES


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_landmarks_are_committed(path: Path):
    """Replaying committed landmarks keeps this suite off the model (and its speed)."""
    clip = FOLDER / load(path)["clip"]
    assert track_paths(clip, resolve_model())[0].is_file()


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_exercise_resolves(path: Path):
    truth = load(path)
    assert truth_spec(path, truth).id == truth["exercise"]


@pytest.mark.parametrize("truth_path", strict_xfail_params(CLIPS, KNOWN))
def test_counts_and_holds_match_the_eye(truth_path: Path):
    assert_counts_and_holds_match(result(truth_path))


@pytest.mark.parametrize("truth_path", CLIPS, ids=IDS)
def test_no_metric_truth_is_not_scored(truth_path: Path):
    """Truth without per-frame metrics: the metric column is "-" and never fails a clip."""
    r = result(truth_path)
    assert r.metric_mae == -1.0
    assert not any("MAE" in p for p in r.problems)
    row = next(line for line in format_table([r]).splitlines() if line.startswith(r.clip))
    assert " - " in row


def test_known_failures_name_existing_clips():
    assert set(KNOWN) <= set(IDS)
