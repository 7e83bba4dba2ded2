"""What a committed clip's truth file promises about its video, checked one way for every set of clips
(sample_videos/, real_videos/, examples/check/)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import pytest

from formcheck.regress import HOLD_TOLERANCE_S, ClipResult, evaluate_clip


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())  # type: ignore[no-any-return]


@cache
def result(truth_path: Path) -> ClipResult:
    """The regress score of one clip, computed once for every test that reads it."""
    return evaluate_clip(truth_path)


def strict_xfail_params(clips: list[Path], known: dict[str, str]) -> list[object]:
    """One param per clip; a clip in ``known`` (stem -> why it is wrong) is a strict xfail, so the
    day it passes the test says so and the entry goes."""
    out = []
    for p in clips:
        marks = [pytest.mark.xfail(strict=True, reason=known[p.stem])] if p.stem in known else []
        out.append(pytest.param(p, id=p.stem, marks=marks))
    return out


def assert_counts_and_holds_match(r: ClipResult) -> None:
    """Reps, partial reps and holds as the truth says, each hold within the regress tolerance."""
    assert (r.reps, r.partial, len(r.holds)) == (r.reps_true, r.partial_true, len(r.holds_true)), r.problems
    if r.holds_true:
        assert r.hold_max_err_s <= HOLD_TOLERANCE_S, r.problems


def assert_truth_counts_its_events(truth: dict[str, Any]) -> None:
    """The counts a truth states are those of its rep events."""
    assert truth["reps"] == sum(e["complete"] for e in truth["rep_events"])
    assert truth["partial_reps"] == sum(not e["complete"] for e in truth["rep_events"])


def assert_video_matches_truth(video: Path, truth: dict[str, Any]) -> None:
    """Frames counted by decoding (a container's frame count can lie), the frame rate, the size and
    the duration the truth states."""
    assert video.is_file(), video
    cap = cv2.VideoCapture(str(video))
    frames = 0
    while cap.grab():
        frames += 1
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.release()
    assert frames == truth["frames"]
    assert abs(fps - truth["fps"]) < 0.01
    assert size == (truth["width"], truth["height"])
    assert abs(truth["duration_s"] - truth["frames"] / truth["fps"]) < 1e-3
