"""The working-side chooser: which leg does a one-sided exercise, from what each leg does."""

import numpy as np
import pytest

from formcheck.analysis.sides import WorkingSideChooser, facing_camera_labels
from formcheck.landmarks import Landmark, PoseFrame

FPS = 30.0


def feed(chooser: WorkingSideChooser, frames: list[tuple[float, float]], t0: float = 0.0) -> list[str | None]:
    return [chooser.update(t0 + i / FPS, left, right) for i, (left, right) in enumerate(frames)]


@pytest.mark.parametrize("swapped_frames", [1, 5, 20])
def test_a_brief_label_swap_at_the_start_does_not_choose_the_resting_leg(swapped_frames: int) -> None:
    """Nerve glide (hip angle falls, direction -1): the left thigh is up (100 deg), the right
    leg rests on the floor (180). The first frames carry the labels swapped, as the pose model
    does side-on; a one-frame first choice kept the resting leg for the whole session."""
    c = WorkingSideChooser(direction=-1)
    swapped = feed(c, [(180.0, 100.0)] * swapped_frames)
    assert set(swapped) == {None}  # under hold_s (1 s = 30 frames): nothing chosen yet
    after = feed(c, [(100.0, 180.0)] * 40, t0=swapped_frames / FPS)
    assert after[-1] == "left"
    assert c.side == "left"


def test_a_steady_lead_chooses_after_hold_s() -> None:
    c = WorkingSideChooser(direction=-1, hold_s=1.0)
    sides = feed(c, [(100.0, 180.0)] * 40)
    first = sides.index("left")
    assert first / FPS == pytest.approx(1.0, abs=1.5 / FPS)


def test_no_lead_beyond_the_margin_chooses_nothing() -> None:
    c = WorkingSideChooser(direction=-1, margin=10.0)
    assert set(feed(c, [(175.0, 180.0), (180.0, 172.0)] * 40)) == {None}


# -- a front view: the person faces the camera ------------------------------------------


def _front_pose(left_x: float, right_x: float) -> PoseFrame:
    pts = np.zeros((33, 3))
    for lm in Landmark:
        pts[lm] = (
            left_x if lm.name.startswith("LEFT") else right_x if lm.name.startswith("RIGHT") else 320.0,
            200.0,
            0.0,
        )
    pts[Landmark.LEFT_SHOULDER, 1] = pts[Landmark.RIGHT_SHOULDER, 1] = 100.0
    return PoseFrame(0, 0.0, pts, pts / 400.0, np.full(33, 0.9), 640, 480)


@pytest.mark.parametrize(("left_x", "right_x", "swapped"), [(360.0, 280.0, False), (280.0, 360.0, True)])
def test_a_front_view_has_the_persons_left_on_the_images_right(left_x: float, right_x: float, swapped: bool) -> None:
    """The model's back-view reading of a person facing the camera puts their left on the
    image's left; relabelled, the left shoulder is the one on the image's right."""
    pose = _front_pose(left_x, right_x)
    fixed = facing_camera_labels(pose)
    assert (fixed is not pose) is swapped
    assert fixed.image[Landmark.LEFT_SHOULDER, 0] == 360.0
    assert fixed.image[Landmark.RIGHT_HIP, 0] == 280.0


def test_unknown_trunk_lines_leave_the_labels_alone() -> None:
    pose = _front_pose(280.0, 360.0)
    pose.image[Landmark.LEFT_HIP, 0] = np.nan
    assert facing_camera_labels(pose) is pose


def test_the_leader_is_known_before_the_choice_and_only_beyond_the_margin() -> None:
    """The analyzer measures the current leader of a side_by exercise until a side is chosen."""
    c = WorkingSideChooser(direction=-1, margin=10.0)
    feed(c, [(100.0, 180.0)] * 3)
    assert (c.side, c.leader) == (None, "left")
    feed(c, [(176.0, 180.0)])
    assert c.leader is None
    feed(c, [(180.0, 95.0)], t0=1.0)
    assert c.leader == "right"
