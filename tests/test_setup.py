"""The setup gates (person, joints, view, distance) on hand-built frames (issue 12, classes 3-4).

Each gate was calibrated on an idealised body; these frames are what real
footage shows: knees in plain view scored below 0.5 visibility, a person
standing a little turned, the bottom of a push-up seen head-on.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_body import bridge_points, pose_frame

from formcheck.analysis.setup import BodyExtent, check_setup
from formcheck.exercises import get_exercise
from formcheck.landmarks import Landmark, PoseFrame, sided


def _with_visibility(pose: PoseFrame, joints: dict[int, float]) -> PoseFrame:
    vis = pose.visibility.copy()
    for j, v in joints.items():
        vis[j] = v
    return replace(pose, visibility=vis)


LEG = [sided(s, j) for s in ("left", "right") for j in ("knee", "ankle", "heel", "foot_index")]


@pytest.mark.parametrize("vis", [0.2, 0.35, 0.45])
def test_joints_in_plain_view_with_low_visibility_scores_are_seen(vis):
    """Lying down with the knees pulled in, MediaPipe scored clearly visible knees and
    ankles below 0.5: they sit inside the frame where a leg can be, so they are seen."""
    pose = _with_visibility(pose_frame(0, 0.0, bridge_points(30.0)), dict.fromkeys(LEG, vis))
    assert check_setup(pose, get_exercise("knee_to_chest"), "right").status == "ok"


def test_a_joint_the_model_placed_off_the_body_is_not_seen():
    """Low visibility and an implausible place (a shank twice the trunk's length): not seen."""
    pts = bridge_points(30.0)
    pts[Landmark.RIGHT_ANKLE, :2] = (20.0, 20.0)  # ~430 px from the knee; the trunk is 210
    pose = _with_visibility(pose_frame(0, 0.0, pts), {Landmark.RIGHT_ANKLE: 0.3})
    check = check_setup(pose, get_exercise("knee_to_chest"), "right")
    assert check.status == "not_visible"
    assert "feet" in (check.message or "")


def test_a_hidden_joint_is_still_not_seen():
    """Visibility near zero (the model's own 'occluded'): not seen, wherever it sits."""
    pose = _with_visibility(pose_frame(0, 0.0, bridge_points(30.0)), dict.fromkeys(LEG, 0.05))
    assert check_setup(pose, get_exercise("knee_to_chest"), "right").status == "not_visible"


def _standing(turn_ratio: float, scale: float = 1.0) -> PoseFrame:
    """Facing the camera; shoulder and hip width are ``turn_ratio`` x trunk length."""
    pts = np.full((33, 3), np.nan)
    trunk = 140.0 * scale
    cx = 320.0
    for side, sign in (("LEFT", 1.0), ("RIGHT", -1.0)):
        half = sign * turn_ratio * trunk / 2
        for name, y in (
            ("SHOULDER", 120.0),
            ("HIP", 120.0 + trunk),
            ("KNEE", 120.0 + 1.6 * trunk),
            ("ANKLE", 120.0 + 2.2 * trunk),
        ):
            pts[Landmark[f"{side}_{name}"]] = (cx + half, y, 0.0)
        pts[Landmark[f"{side}_FOOT_INDEX"]] = (cx + half, 120.0 + 2.3 * trunk, -10.0)
        pts[Landmark[f"{side}_HEEL"]] = (cx + half, 120.0 + 2.25 * trunk, 10.0)
        pts[Landmark[f"{side}_WRIST"]] = (cx + 1.3 * half, 120.0 + 1.1 * trunk, 0.0)
        pts[Landmark[f"{side}_ELBOW"]] = (cx + 1.3 * half, 120.0 + 0.6 * trunk, 0.0)
    pts[Landmark.NOSE] = (cx, 120.0 - 0.4 * trunk, -20.0)
    return pose_frame(0, 0.0, pts)


@pytest.mark.parametrize("ratio", [0.32, 0.38, 0.42, 0.7])
def test_a_person_standing_slightly_turned_is_a_front_view(ratio):
    """Real people standing slightly turned read 0.32-0.42 (0.75 is an idealised adult
    square-on): every frame was "wrong view"."""
    assert check_setup(_standing(ratio), get_exercise("side_bend"), "left").status == "ok"


@pytest.mark.parametrize("ratio", [0.08, 0.15, 0.2])
def test_a_profile_is_not_a_front_view(ratio):
    """Side views on the fixtures read 0.05-0.22 (p1-p99, camera yaw up to 12 degrees)."""
    assert check_setup(_standing(ratio), get_exercise("side_bend"), "left").status == "wrong_view"


def test_the_bottom_of_a_rep_is_not_too_far():
    """The body's extent in the frame dips at the bottom of a push-up seen head-on; the
    person did not move away. Distance is judged on the body's size over the last seconds."""
    extent = BodyExtent()
    statuses = []
    for i in range(300):
        t = i / 30.0
        small = 4.0 <= t < 5.5  # the bottom of the rep: the body spans a fifth of the frame
        pose = replace(_standing(0.6, scale=0.25 if small else 1.0), index=i, t_ms=t * 1000.0)
        statuses.append(check_setup(pose, get_exercise("side_bend"), "left", extent=extent.update(pose)).status)
    assert set(statuses) == {"ok"}


def test_a_person_who_stays_far_away_is_too_far():
    extent = BodyExtent()
    statuses = []
    for i in range(300):
        pose = replace(_standing(0.6, scale=0.25), index=i, t_ms=i * 1000.0 / 30)
        statuses.append(check_setup(pose, get_exercise("side_bend"), "left", extent=extent.update(pose)).status)
    assert statuses[-1] == "too_far"
    assert statuses.count("too_far") > 250  # known from the first frame on
