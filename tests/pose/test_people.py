"""Following the patient among several detected people."""

from __future__ import annotations

import numpy as np

from formcheck.landmarks import NUM_LANDMARKS, PoseFrame
from formcheck.pose.people import PersonTracker


def person(cx: float, cy: float, w: float, h: float, t: float = 0.0) -> PoseFrame:
    rng = np.random.default_rng(int(cx * 7 + cy))
    pts = np.column_stack(
        [
            cx + (rng.random(NUM_LANDMARKS) - 0.5) * w,
            cy + (rng.random(NUM_LANDMARKS) - 0.5) * h,
            np.zeros(NUM_LANDMARKS),
        ]
    )
    pts[0, :2] = (cx - w / 2, cy - h / 2)
    pts[1, :2] = (cx + w / 2, cy + h / 2)
    return PoseFrame(0, t * 1000, pts, pts / 100, np.ones(NUM_LANDMARKS), 640, 480)


def test_starts_with_the_largest_most_central_person():
    tr = PersonTracker()
    child = person(100, 100, 60, 120)
    patient = person(330, 250, 250, 300)
    assert tr.choose([child, patient], 0.0) == 1


def test_never_jumps_to_a_bigger_newcomer_while_the_patient_is_in_view():
    tr = PersonTracker()
    assert tr.choose([person(320, 240, 150, 300)], 0.0) == 0
    for k in range(1, 60):
        t = k / 30
        patient = person(320 + k, 240, 150, 300, t)  # drifting slowly
        visitor = person(400, 240, 300, 400, t)  # bigger and closer to the centre
        assert tr.choose([visitor, patient], t) == 1
    assert tr.switches == 0


def test_waits_before_adopting_someone_else_when_the_patient_leaves():
    tr = PersonTracker()
    tr.choose([person(150, 240, 150, 300)], 0.0)
    other = person(500, 240, 150, 300)
    assert tr.choose([other], 0.5) is None  # patient briefly hidden: do not switch
    assert tr.choose([other], 1.9) is None
    assert tr.choose([other], 2.6) == 0  # gone long enough: the one in view is the patient now
    assert tr.switches == 1


def test_nobody_visible():
    tr = PersonTracker()
    empty = PoseFrame.missing(0, 0.0, 640, 480)
    assert tr.choose([empty], 0.0) is None
