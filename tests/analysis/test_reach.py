"""The facts behind "why nothing was counted": time per setup status and the best value reached."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synthetic_body import bridge_points, lift_for_hip_angle, pose_frame

from formcheck.analysis import Analyzer
from formcheck.analysis.reach import BestReach, PrimaryTarget, StatusClock, primary_target
from formcheck.exercises import get_exercise
from formcheck.metrics import HIP_LANDMARK_BIAS_DEG


@pytest.mark.parametrize(
    ("exercise", "expected"),
    [
        ("bridge", PrimaryTarget("hip_angle", ">", 165.0)),
        ("childs_pose", PrimaryTarget("hip_angle", "<", 65.0)),
        ("pelvic_tilt", PrimaryTarget("knee_angle", ">", 1.2, relative=True)),
        ("side_bend", PrimaryTarget("side_bend", "abs>", 15.0)),
        ("lower_trunk_rotation", PrimaryTarget("knee_rotation", ">", 30.0)),
        ("calf_stretch", PrimaryTarget("body_lean", ">", 10.0)),
    ],
)
def test_primary_target_comes_from_the_rep_rule_or_the_held_position(exercise, expected):
    assert primary_target(get_exercise(exercise)) == expected


@pytest.mark.parametrize(
    ("target", "values", "rest", "best", "by_side"),
    [
        (PrimaryTarget("m", ">", 165.0), [130, 150, math.nan, 140], {}, 150.0, {}),
        (PrimaryTarget("m", "<", 65.0), [98, 80, 120, 85], {}, 80.0, {}),
        # relative: from the person's own rest, not from zero
        (PrimaryTarget("m", ">", 1.2, relative=True), [100.0, 100.5, 100.8], {"m": 100.0}, 0.8, {}),
        (PrimaryTarget("m", "abs>", 20.0), [5, 12, -3, -8, 2], {}, 12.0, {"left": 12.0, "right": 8.0}),
    ],
    ids=["up", "down", "relative", "both-ways"],
)
def test_best_reach_goes_towards_the_target(target, values, rest, best, by_side):
    reach = BestReach(target)
    for v in values:
        reach.update({"m": float(v)}, rest)
    assert reach.best == pytest.approx(best)
    assert reach.best_by_side == pytest.approx(by_side)
    reach.reset()
    assert math.isnan(reach.best) and reach.best_by_side == {}


def test_best_reach_without_a_rest_is_unknown():
    reach = BestReach(PrimaryTarget("m", ">", 1.2, relative=True))
    reach.update({"m": 100.0}, {})
    assert math.isnan(reach.best)


def test_status_clock_reads_frame_timestamps():
    clock = StatusClock()
    # 10 frames ok at 10 fps, then 5 with no one, then a 0.5 s gap into one ok frame
    t = 0.0
    for i in range(15):
        clock.update(t, "ok" if i < 10 else "no_person")
        t += 0.1
    clock.update(t + 0.4, "ok")
    totals = clock.totals()
    assert totals["ok"] == pytest.approx(1.0 + 0.5)  # the last frame stands for the step before it
    assert totals["no_person"] == pytest.approx(0.4 + 0.5)


def test_analyzer_summary_has_time_per_status_and_the_best_hip_angle():
    """Bridge frames at 30 fps: 2 s nobody, 3 s lying, a lift to 150 (short of 165), 1 s nobody."""
    an = Analyzer(get_exercise("bridge"), "auto")
    fps = 30.0
    lying = bridge_points(lift_for_hip_angle(135.0))
    lifted = bridge_points(lift_for_hip_angle(150.0 + HIP_LANDMARK_BIAS_DEG))
    schedule = [None] * 60 + [lying] * 90 + [lifted] * 30 + [lying] * 30 + [None] * 30
    for i, pts in enumerate(schedule):
        an.step(pose_frame(i, i * 1000.0 / fps, None if pts is None else np.array(pts)))
    summary = an.finish()
    assert summary.status_s["no_person"] == pytest.approx(3.0, abs=0.05)
    assert summary.status_s["ok"] == pytest.approx(5.0, abs=0.05)
    assert sum(summary.status_s.values()) == pytest.approx(len(schedule) / fps, abs=1e-6)
    assert summary.best_primary == pytest.approx(150.0, abs=1.5)
    assert summary.reps == 0
