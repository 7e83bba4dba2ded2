"""The calf stretch's heel rule against the readings of a rendered heel lift (no model run)."""

from __future__ import annotations

import pytest

from formcheck.analysis.analyzer import FAULT_MARGIN_DEG
from formcheck.exercises import get_exercise


@pytest.mark.parametrize(
    ("pitch", "held_level", "fires"),
    [
        # a rise onto the ball of the foot (~26 deg true) read 12 above a flat foot that reads 10:
        # under the absolute 20 + margin, found from the person's own level in the stance
        (21.8, 9.8, True),
        (25.0, 9.5, True),
        (11.5, 9.8, False),  # jitter about a flat foot
        (24.0, float("nan"), True),  # no level learnt yet: the absolute bound still applies
        (19.0, float("nan"), False),
    ],
)
def test_heel_lift_from_the_held_level(pitch: float, held_level: float, fires: bool) -> None:
    spec = get_exercise("calf_stretch")
    rules = [r for r in spec.faults if r.code == "heel_lifted"]
    metrics = {"back_foot_pitch": pitch}
    rest = {"back_foot_pitch": held_level}
    assert any(r.test(metrics, rest, FAULT_MARGIN_DEG) for r in rules) is fires
    assert all(r.during == "hold" for r in rules)
