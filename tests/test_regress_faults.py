"""Fault scoring of the regression harness: truth form breaks found or missed, false alarms.

Synthetic fault events against synthetic truth spans: no clip, no model.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from formcheck.analysis.results import FaultEvent
from formcheck.regress import FAULT_LATENCY_S, SETUP_LATENCY_S, ClipResult, score_faults


def truth(
    breaks: tuple[tuple[float, float, str], ...] = (),
    partials: tuple[tuple[float, float], ...] = (),
    duration: float = 20.0,
    out_of_view: tuple[int, int] | None = None,
    performed: str = "calf_stretch",
) -> dict[str, Any]:
    fps = 10.0
    frames = round(duration * fps)
    in_frame = [True] * frames
    if out_of_view:
        for i in range(*out_of_view):
            in_frame[i] = False
    return {
        "exercise": "calf_stretch",
        "performed": performed,
        "duration_s": duration,
        "fps": fps,
        "form_breaks": [{"start_s": a, "end_s": b, "code": c} for a, b, c in breaks],
        "rep_events": [{"start_s": a, "end_s": b, "complete": False} for a, b in partials],
        "person_in_frame": in_frame,
    }


def ev(t: float, code: str) -> FaultEvent:
    return FaultEvent(t_s=t, code=code, message=code)


@pytest.mark.parametrize(
    ("t", "found"),
    [
        (5.0, True),  # at the start
        (7.9, True),  # inside
        (8.0 + FAULT_LATENCY_S - 0.01, True),  # within the latency after the end
        (8.0 + FAULT_LATENCY_S + 0.05, False),  # too late
        (4.9, False),  # before the break: a guess, not a detection
    ],
)
def test_break_found_within_its_span_plus_latency(t: float, found: bool):
    s = score_faults(truth(breaks=((5.0, 8.0, "heel_lifted"),)), [ev(t, "heel_lifted")], "partial")
    assert (s.form_breaks, s.found) == (1, int(found))
    assert s.missed == ([] if found else ["heel_lifted@5-8"])
    # a message outside every window is a false alarm as well as a miss
    assert len(s.false_alarms) == (0 if found else 1)


def test_other_codes_do_not_find_a_break_but_are_not_false_alarms_inside_it():
    s = score_faults(truth(breaks=((5.0, 8.0, "heel_lifted"),)), [ev(6.0, "back_knee_bent")], "partial")
    assert s.found == 0 and s.false_alarms == []


@pytest.mark.parametrize(
    ("truth_code", "fired", "found"),
    [
        ("other_leg_bent", "other_knee_bent", True),
        ("other_leg_bent", "other_leg_lifted", True),
        ("affected_knee_bent", "affected_leg_lifted", True),
        ("short_of_position", "pull_closer", True),
        ("short_of_position", "hips_high", True),
        ("knees_apart", "knees_apart", True),
        ("knees_apart", "shoulders_lift", False),
    ],
)
def test_truth_codes_map_to_checker_codes(truth_code: str, fired: str, found: bool):
    s = score_faults(truth(breaks=((2.0, 4.0, truth_code),)), [ev(3.0, fired)], "partial")
    assert s.found == int(found)


def test_false_alarms_per_minute_of_good_form():
    t = truth(breaks=((10.0, 13.0, "heel_lifted"),), duration=30.0)
    s = score_faults(t, [ev(2.0, "no_lean"), ev(20.0, "heel_lifted"), ev(11.0, "heel_lifted")], "partial")
    assert s.found == 1
    assert s.false_alarms == ["no_lean@2.00", "heel_lifted@20.00"]
    good = 30.0 - (3.0 + FAULT_LATENCY_S)
    assert s.good_form_s == pytest.approx(good)
    row = ClipResult(
        "c.mp4", "calf_stretch", "left", 0, 0, 0, 0, [], [], 0.0, "m", 0.0, 0.0, 1.0, True,
        false_alarms=s.false_alarms, good_form_s=s.good_form_s,
    )  # fmt: skip
    assert row.false_alarms_per_min == pytest.approx(2 / (good / 60.0))


def test_overlapping_windows_are_counted_once():
    t = truth(breaks=((5.0, 8.0, "heel_lifted"), (6.0, 9.0, "back_knee_bent")), duration=20.0)
    s = score_faults(t, [], "partial")
    assert s.good_form_s == pytest.approx(20.0 - (9.0 + FAULT_LATENCY_S - 5.0))
    assert len(s.missed) == 2


def test_partial_rep_message_is_expected_in_a_truth_partial_rep_only():
    t = truth(partials=((4.0, 6.0),))
    s = score_faults(t, [ev(6.3, "hips_low"), ev(12.0, "hips_low"), ev(5.0, "no_pause")], "hips_low")
    assert s.false_alarms == ["hips_low@12.00", "no_pause@5.00"]
    assert s.good_form_s == pytest.approx(20.0)  # a partial rep is good form with less range


def test_setup_messages_while_out_of_view_are_not_false_alarms():
    t = truth(out_of_view=(0, 20))  # the first 2 s (10 fps)
    s = score_faults(t, [ev(1.5, "no_person"), ev(2.0 + SETUP_LATENCY_S + 0.5, "not_visible")], "partial")
    assert s.false_alarms == [f"not_visible@{2.0 + SETUP_LATENCY_S + 0.5:.2f}"]
    assert s.good_form_s == pytest.approx(20.0 - (2.0 + SETUP_LATENCY_S))


def test_wrong_exercise_clip_scores_nothing():
    s = score_faults(truth(performed="bridge"), [ev(1.0, "no_lean")], "partial")
    assert (s.form_breaks, s.false_alarms, s.good_form_s) == (0, [], 0.0)
    row = ClipResult("c.mp4", "calf_stretch", None, 0, 0, 0, 0, [], [], 0.0, "m", 0.0, 0.0, 1.0, True)
    assert math.isnan(row.false_alarms_per_min)
