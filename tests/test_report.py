"""The JSON report: contract keys, atomic writes, and a golden file."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_body import bridge_points, pose_frame, schedule_trace

from formcheck.analysis import AnalysisSummary, Analyzer, FaultEvent
from formcheck.counting import HoldEvent, RepEvent
from formcheck.errors import OutputError
from formcheck.exercises import get_exercise
from formcheck.metrics import compute_metrics
from formcheck.report import build_report, format_summary, validate_report, write_json_atomic

GOLDEN = Path(__file__).parent / "golden" / "bridge_synthetic_report.json"


def _synthetic_report(complete: bool = True, reason: str = "") -> dict:
    import numpy as np

    lifts = np.linspace(-5, 55, 601)
    table = compute_metrics("bridge", np.stack([bridge_points(x) for x in lifts]), "right")["hip_angle"]
    trace = schedule_trace(
        [("rest", 0, 2.0), ("rep", 180, 1.0), ("rest", 0, 1.0), ("rep", 150, 0.5), ("rest", 0, 1.0)]
        + [("rep", 205, 1.0), ("rest", 0, 1.0), ("rep", 178, 0.0, 0.4), ("rest", 0, 2.0)]
    )
    spec = get_exercise("bridge")
    an = Analyzer(spec, "auto")
    for i, (t, angle) in enumerate(trace):
        an.step(pose_frame(i, t * 1000, bridge_points(float(np.interp(angle, table, lifts)))))
    return build_report(an.finish(), spec, source="synthetic.mp4", fps=30.0, complete=complete, stopped_reason=reason)


def test_report_has_contract_keys_and_types():
    report = _synthetic_report()
    assert validate_report(report) == []
    assert report["reps"] == 3 and report["partial_reps"] == 1
    assert len(report["rep_events"]) == 4
    json.dumps(report)  # serialisable as is


def test_report_matches_golden_file():
    """Any change to the report's content must be deliberate: regenerate with FORMCHECK_UPDATE_GOLDEN=1."""
    report = _synthetic_report()
    report.pop("formcheck_version")
    if os.environ.get("FORMCHECK_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(report, indent=2) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert report == golden


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r.pop("reps"),
        lambda r: r.update(reps="3"),
        lambda r: r.update(complete=1),
        lambda r: r.update(fps=30),
        lambda r: r["rep_events"][0].pop("peak_s"),
        lambda r: r["faults"].append({"t_s": 1.0}),
    ],
    ids=["missing-key", "str-reps", "int-complete", "int-fps", "event-key", "fault-key"],
)
def test_validate_report_catches_contract_breaks(mutate):
    report = _synthetic_report()
    mutate(report)
    assert validate_report(report)


def test_incomplete_report_says_why():
    report = _synthetic_report(complete=False, reason="interrupted after 10 frames")
    assert report["complete"] is False
    assert "INCOMPLETE: interrupted after 10 frames" in format_summary(report)


def test_write_is_atomic_and_errors_are_clear(tmp_path: Path):
    target = tmp_path / "r.json"
    write_json_atomic({"a": 1}, target)
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temp files left
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    if os.access(ro, os.W_OK):  # running as root: permissions are not enforced
        pytest.skip("permissions are not enforced for this user")
    with pytest.raises(OutputError, match="cannot write the report"):
        write_json_atomic({"a": 1}, ro / "r.json")


# -- the terminal summary: against the dose, and why nothing was counted ------------------------------

SUMMARY_GOLDEN = Path(__file__).parent / "golden" / "summaries.txt"


def _rep(side: str | None, complete: bool = True, faults: tuple[str, ...] = ()) -> RepEvent:
    return RepEvent(1.0, 2.0, 3.0, complete, 170.0, 135.0, 1.0, 0.5, 1.5, side=side, faults=faults)


def _summary(exercise: str, side: str | None = None, seconds: float = 20.0, **kw: Any) -> dict:
    """A report from a hand-made summary: the format, not the counting, is under test."""
    status_s = kw.pop("status_s", {"ok": seconds})
    frames = round(sum(status_s.values()) * 30)
    summary = AnalysisSummary(
        exercise=exercise,
        side=side,
        frames=frames,
        detected_frames=frames - round(status_s.get("no_person", 0.0) * 30),
        first_t_ms=0.0,
        last_t_ms=(frames - 1) * 1000 / 30,
        status_s=status_s,
        **kw,
    )
    return build_report(summary, get_exercise(exercise), source=f"{exercise}.mp4", fps=30.0, complete=True)


SUMMARY_CASES: dict[str, Callable[[], dict]] = {
    "bridge_reps": lambda: _summary(
        "bridge", reps=7, partial_reps=2, rep_events=[_rep(None)] * 7 + [_rep(None, False)] * 2, best_primary=178.0
    ),
    "calf_stretch_hold_left": lambda: _summary(
        "calf_stretch", "left", holds=[HoldEvent(3.0, 9.5, 6.5, "left")], best_primary=14.0
    ),
    "childs_pose_no_hold": lambda: _summary("childs_pose", status_s={"ok": 16.0}, best_primary=98.3),
    "side_bend_painful_left": lambda: _summary(
        "side_bend",
        "left",
        reps=5,
        reps_by_side={"right": 5},
        rep_events=[_rep("right")] * 5 + [_rep("left", False, ("wrong_side",))],
        best_primary=26.0,
        best_primary_by_side={"left": 24.0, "right": 26.0},
    ),
    "side_bend_only_to_the_painful_side": lambda: _summary(
        "side_bend",
        "left",
        rep_events=[_rep("left", False, ("wrong_side",))] * 3,
        best_primary=25.0,
        best_primary_by_side={"left": 25.0, "right": 6.0},
    ),
    # Side-on the way the knees went is not seen: a per-side dose counts both sides together.
    "lower_trunk_rotation_per_side": lambda: _summary(
        "lower_trunk_rotation", reps=5, partial_reps=1, best_primary=40.0
    ),
    "lower_trunk_rotation_short": lambda: _summary("lower_trunk_rotation", best_primary=18.0),
    "side_bend_wrong_view": lambda: _summary(
        "side_bend",
        status_s={"wrong_view": 12.0, "no_person": 3.0, "ok": 0.5, "not_visible": 0.8},
        faults=[FaultEvent(1.0, "wrong_view", "Face the camera"), FaultEvent(13.0, "no_person", "No one in view")],
        best_primary=2.0,
    ),
    "pelvic_tilt_relative": lambda: _summary("pelvic_tilt", best_primary=0.8),
    "pelvic_tilt_short_holds": lambda: _summary(
        "pelvic_tilt",
        partial_reps=2,
        holds=[HoldEvent(2.0, 4.5, 2.5), HoldEvent(8.0, 11.1, 3.1)],
        best_primary=2.4,
    ),
    "knee_to_chest_reached_not_held": lambda: _summary(
        "knee_to_chest", "right", status_s={"ok": 12.0, "not_visible": 4.0}, best_primary=45.0
    ),
    "nerve_glide_left": lambda: _summary("nerve_glide", "left", reps=12, reps_by_side={"left": 12}),
    "too_short": lambda: _summary("bridge", status_s={"ok": 0.4}, best_primary=140.0),
    "pelvic_tilt_cued_holds_live": lambda: _cued_summary(),
}


def _cued_summary() -> dict:
    """A live guided pelvic tilt: three cued holds, two done in position (the hips lifted in one)."""
    from formcheck.live.cued import CuedHold, CuedHoldTimer, cued_report

    spec = get_exercise("pelvic_tilt")
    timer = CuedHoldTimer.for_spec(spec)
    timer.holds = [
        CuedHold(4.0, 9.0, 5.0, True),
        CuedHold(17.0, 22.0, 3.1, False, ("hips_lift",), "Keep your hips on the floor"),
        CuedHold(30.0, 35.0, 4.8, True),
    ]
    report = _summary("pelvic_tilt", seconds=40.0, reps=1, partial_reps=3, best_primary=1.6)
    report.update(cued_report(timer, spec))
    report["nothing_counted"] = []
    return report


def test_offline_pelvic_tilt_says_its_counts_are_estimates_and_json_says_so_too():
    report = SUMMARY_CASES["pelvic_tilt_short_holds"]()
    assert report["measurement"]["reliable"] is False and report["measurement"]["counts"] == "estimates"
    text = format_summary(report)
    assert "these counts are estimates: the movement is within the camera's error (a pelvic tilt moves" in text
    assert "formcheck live pelvic_tilt" in text
    assert "measurement" not in SUMMARY_CASES["bridge_reps"]()


def test_guided_summary_counts_cued_holds_and_claims_no_angle():
    report = _cued_summary()
    text = format_summary(report)
    assert "cued holds done in position: 2 of 3" in text
    assert "reps:" not in text and "hold:" not in text and "°" not in text
    assert report["reps"] == 2 and report["partial_reps"] == 0 and report["guided"]["measured"] is False
    assert validate_report(report) == []


def test_summaries_match_golden_text():
    """The summary's wording and layout; regenerate with FORMCHECK_UPDATE_GOLDEN=1."""
    text = "".join(f"### {name}\n{format_summary(make())}\n" for name, make in SUMMARY_CASES.items())
    if os.environ.get("FORMCHECK_UPDATE_GOLDEN"):
        SUMMARY_GOLDEN.write_text(text)
    assert text == SUMMARY_GOLDEN.read_text()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("bridge_reps", []),
        ("childs_pose_no_hold", ["the best movement reached a hip angle of 98°, against a target below 65°"]),
        (
            "side_bend_wrong_view",
            [
                "the camera view was wrong for 12.0 of 16.3 s (Face the camera)",
                "no one was in view for 3.0 of 16.3 s",
            ],
        ),
        (
            "pelvic_tilt_relative",
            [
                "the best movement reached a knee angle change of 0.8° from your resting position, "
                "against a target above 1.2°"
            ],
        ),
        (
            "side_bend_only_to_the_painful_side",
            [
                "the best bend to your right (away from the painful left side) reached 6°, against a target "
                "of 15°; bends to the painful side (left) are not counted"
            ],
        ),
        (
            "lower_trunk_rotation_short",
            ["the best movement reached a knee rotation of 18°, against a target of 30° or more"],
        ),
        (
            "pelvic_tilt_short_holds",
            ["the knee angle reached its target, but no hold lasted the 5 s asked (longest 3.1 s)"],
        ),
        ("too_short", ["the video is too short to count anything (0.4 s)"]),
    ],
)
def test_nothing_counted_names_the_likely_reasons(case, expected):
    report = SUMMARY_CASES[case]()
    assert report["nothing_counted"] == expected
    assert validate_report(report) == []
    json.dumps(report, allow_nan=False)  # no NaN reaches the JSON


@pytest.mark.parametrize(
    ("clip", "exercise", "side", "needles"),
    [
        # a bridge analysed as child's pose: measured all along, the hips never folded
        ("bridge_side_left_01", "childs_pose", "auto", ["the best movement reached a hip angle of", "below 65°"]),
        # a side-on clip analysed as a front-view exercise
        ("childs_pose_side_left_01", "side_bend", "left", ["the camera view was wrong for", "(Face the camera)"]),
        # a bridge analysed as a lower trunk rotation: its lifted hips are not a rotation of the knees
        ("bridge_side_left_01", "lower_trunk_rotation", "auto", ["the best movement reached a knee rotation of"]),
    ],
)
def test_a_wrong_exercise_on_a_sample_clip_says_why_nothing_counted(clip, exercise, side, needles):
    from formcheck.landmark_cache import cached_track
    from formcheck.pipeline import run
    from formcheck.pose.track import ReplayEstimator

    video = Path(__file__).resolve().parents[1] / "sample_videos" / f"{clip}.mp4"
    if not video.is_file():
        pytest.skip("sample clip not present")
    track, _ = cached_track(video)
    spec = get_exercise(exercise)
    result = run(track.frames(), ReplayEstimator(track), Analyzer(spec, side), read_ahead=0)
    report = build_report(result.summary, spec, source=str(video), fps=track.fps, complete=True)
    assert report["reps"] == 0 and report["holds"] == []
    (reason, *_) = report["nothing_counted"]
    for needle in needles:
        assert needle in reason
    assert reason in format_summary(report)
