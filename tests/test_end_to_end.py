"""Through the real pose model: the demo clip, analysed as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.cli import main
from formcheck.landmark_cache import extract_track, track_paths
from formcheck.pose.model import resolve_model
from formcheck.pose.track import LandmarkTrack
from formcheck.report import validate_report
from formcheck.resources import demo_clip_path

DEMO = demo_clip_path()
# The truth lives beside the clip in the source tree (the wheel ships the clip only).
TRUTH = Path(__file__).resolve().parents[1] / "sample_videos" / DEMO.with_suffix(".json").name
pytestmark = pytest.mark.skipif(not DEMO.is_file(), reason=f"demo clip missing: {DEMO}")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("demo")
    code = main(["demo", "--out-dir", str(out), "--quiet"])
    assert code == 0
    return json.loads((out / "report.json").read_text()), out / "annotated.mp4"


def test_demo_counts_the_truth(demo_run):
    report, _ = demo_run
    truth = json.loads(TRUTH.read_text())
    assert validate_report(report) == []
    assert report["reps"] == truth["reps"]
    assert report["partial_reps"] == truth["partial_reps"]
    assert report["complete"] is True
    assert report["pose_detected_ratio"] >= 0.95
    assert report["frames"] == truth["frames"]


def test_annotated_video_is_playable_and_complete(demo_run):
    _, video = demo_run
    cap = cv2.VideoCapture(str(video))
    n = 0
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        n += 1
        last = frame
    cap.release()
    truth = json.loads(TRUTH.read_text())
    assert n == truth["frames"]
    assert last.shape[:2] == (truth["height"], truth["width"])
    assert not list(video.parent.glob(".*partial*")), "temporary video left behind"


def test_committed_landmark_fixture_matches_the_model():
    """The regression suite replays stored landmarks; they must be what the model says now."""
    clip = TRUTH.with_suffix(".mp4")  # the source tree's copy, where the fixtures live
    fixture = track_paths(clip, resolve_model())[0]
    if not fixture.is_file():
        pytest.skip(f"no committed landmark fixture for the demo clip ({fixture.name})")
    stored = LandmarkTrack.load(fixture)
    fresh = extract_track(clip)
    assert len(fresh) == len(stored)
    both = np.isfinite(fresh.image) & np.isfinite(stored.image)
    assert both.mean() > 0.95
    err = np.abs(fresh.image[both] - stored.image[both])
    assert np.median(err) < 1.0  # pixels
