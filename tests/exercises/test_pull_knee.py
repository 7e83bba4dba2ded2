"""The knee-to-chest holds' "pull your knee closer" against the readings of rendered stops."""

from __future__ import annotations

import pytest

from formcheck.analysis.analyzer import FAULT_MARGIN_DEG
from formcheck.exercises import get_exercise


@pytest.mark.parametrize("exercise", ["knee_to_chest", "hip_flexor_stretch"])
@pytest.mark.parametrize(
    ("pulled", "rest", "fires"),
    [
        (119.0, 178.0, True),  # a stop at 112 read 7 high by the hip landmark (sweep1_knee_to_chest_07)
        (100.0, 178.0, True),
        (157.0, 178.0, False),  # within the 20 + margin of the straight-leg rest
        (135.0, 135.0, False),  # resting hook-lying: that is the rest, not a stop
        (112.0, 135.0, True),  # pulled up from a hook-lying rest and stopped
        (68.0, 178.0, False),  # in position
    ],
)
def test_pull_closer_from_the_persons_rest(exercise: str, pulled: float, rest: float, fires: bool) -> None:
    (rule,) = [r for r in get_exercise(exercise).faults if r.code == "pull_closer"]
    metrics = {"pulled_hip_angle": pulled}
    assert rule.test(metrics, {"pulled_hip_angle": rest}, FAULT_MARGIN_DEG) is fires
    assert rule.still and rule.during == "rest"
