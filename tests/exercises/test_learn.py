"""``formcheck exercises learn``: a file proposed from a demonstration counts other recordings.

Demonstrations and test recordings are hand-built landmark sequences (no model, no
video): the learnt file is loaded and run on a different recording of the same
exercise (other depths, speeds, or the other leg).
"""

from __future__ import annotations

import math
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
import side_figure as fig
from standing_body import standing_points
from synthetic_body import pose_frame
from test_custom import seated_points
from test_examples import FPS, cycles

from formcheck.analysis import Analyzer
from formcheck.cli import main
from formcheck.errors import InputError
from formcheck.exercises import cli as exercises_cli
from formcheck.exercises.custom import parse_exercise
from formcheck.exercises.learn import CANDIDATES, _movement, learn
from formcheck.landmarks import PoseFrame
from formcheck.metrics import Body


def poses(frames: list[np.ndarray | None]) -> list[PoseFrame]:
    return [pose_frame(i, i * 1000.0 / FPS, p) for i, p in enumerate(frames)]


def count(text: str, frames: list[np.ndarray], side: str = "auto") -> tuple[int, int, int]:
    spec = parse_exercise(tomllib.loads(text), "learnt.toml")
    an = Analyzer(spec, side)
    for p in poses(frames):  # type: ignore[arg-type]
        an.step(p)
    s = an.finish()
    return s.reps, s.partial_reps, len(s.holds)


CASES = {
    # demonstration, another recording, (reps, partial reps, holds) expected on it
    "squat": (cycles(fig.squat, 178, [95, 95, 95]), cycles(fig.squat, 176, [100, 88, 150, 92]), (3, 1, 0)),
    "hip_abduction": (
        cycles(lambda d: standing_points(right_leg_out=d), 0, [30, 30, 30]),
        cycles(lambda d: standing_points(right_leg_out=d), 0, [28, 35, 12]),
        (2, 1, 0),
    ),
    "heel_raise": (cycles(fig.heel_raise, 0, [32, 32, 32]), cycles(fig.heel_raise, 0, [30, 36, 10, 34]), (3, 1, 0)),
    "push_up": (cycles(fig.push_up, 120, [35, 35, 35]), cycles(fig.push_up, 118, [40, 30, 95]), (2, 1, 0)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_learnt_file_counts_another_recording(name: str) -> None:
    demo, other, expected = CASES[name]
    learnt = learn(poses(demo), name.replace("_", " ").title(), name)
    assert "REVIEW BEFORE USE" in learnt.text and "30%" in learnt.text and "x noise" in learnt.text  # margins stated
    assert count(learnt.text, other) == expected


def test_a_demonstrated_hold_is_learnt_as_a_hold() -> None:
    up = [seated_points(90 + 80 * k / 20) for k in range(20)]
    down = [seated_points(170 - 80 * k / 20) for k in range(20)]
    demo = [seated_points(90)] * 30 + up + [seated_points(170)] * 360 + down + [seated_points(90)] * 30
    learnt = learn(poses(demo), "Knee hold", "knee_hold")
    assert 'kind = "hold"' in learnt.text and "hold_s = 10" in learnt.text
    other = [seated_points(90)] * 30 + up + [seated_points(165)] * 400 + down + [seated_points(90)] * 30
    assert count(learnt.text, other) == (0, 0, 1)


def _knee_hold(rest: float, held: float, hold_frames: int, before: int = 30, after: int = 30) -> list[np.ndarray]:
    up = [seated_points(rest + (held - rest) * k / 20) for k in range(20)]
    down = [seated_points(held - (held - rest) * k / 20) for k in range(20)]
    return (
        [seated_points(rest)] * before + up + [seated_points(held)] * hold_frames + down + [seated_points(rest)] * after
    )


def test_a_short_hold_in_a_long_recording_is_a_hold() -> None:
    # 4 s held in 17 s: the therapist took a while to start and to stop the recording.
    learnt = learn(poses(_knee_hold(90, 170, 120, before=150, after=180)), "Knee hold", "knee_hold")
    assert 'kind = "hold"' in learnt.text


def test_a_label_swap_for_a_few_frames_does_not_split_a_hold() -> None:
    # Four frames read at rest in the middle of the hold (the model swapped left and right).
    demo = _knee_hold(90, 170, 300)
    demo[200:204] = [seated_points(90)] * 4
    learnt = learn(poses(demo), "Knee hold", "knee_hold")
    assert 'kind = "hold"' in learnt.text and "1 movement" in learnt.summary


def _seated_hold(
    knee: Callable[[float, int], float], other_knee: float, lean: float, hold_frames: int = 300
) -> list[np.ndarray]:
    """Seated side-on: rest 30 frames, a 20-frame ramp (both knees and the trunk together), the hold
    (``knee(1.0, i)`` on its i-th frame), a ramp back and rest. The ramps scale every change by k."""

    def at(k: float, i: int = 0) -> np.ndarray:
        return seated_points(knee(k, i), 90 + k * (other_knee - 90), lean_back=k * lean)

    ramp = [k / 20 for k in range(20)]
    return (
        [at(0.0)] * 30
        + [at(k) for k in ramp]
        + [at(1.0, i) for i in range(hold_frames)]
        + [at(1 - k) for k in ramp]
        + [at(0.0)] * 30
    )


def test_a_measure_moving_opposite_ways_on_the_two_sides_is_not_chosen() -> None:
    # The knee angles move opposite ways (a half kneel's front and back knee): on another body "the
    # knee that moves most" may be the other one, bending where this one straightened. The shins
    # both turn away from vertical, whichever leg is measured.
    demo = _seated_hold(lambda k, i: 90 + 80 * k, other_knee=40, lean=0)
    pts = np.stack([p.image for p in poses(demo)])
    pts[:, :, 2] = 0.0
    body = Body.from_points(pts, lateral=(0.0, 0.0, 1.0))
    opposed = {
        n: m.opposed
        for n, (d, _) in CANDIDATES.items()
        if (m := _movement(n, d, body, True, np.arange(len(body.xyz)) / 30.0)) is not None
    }
    assert opposed["knee_angle"] and not opposed["shin_from_vertical"]
    learnt = learn(poses(demo), "Hold", "hold")
    assert learnt.summary.startswith("learnt hold on shin_from_vertical"), learnt.summary


def test_a_leg_that_stays_above_the_other_is_followed_on_either_side() -> None:
    # The working knee straightens from 90 to 170 while the other stays bent at 80: the larger of
    # the two knee angles is the working one, whichever leg works.
    demo = _seated_hold(lambda k, i: 90 + 80 * k, other_knee=80, lean=0)
    learnt = learn(poses(demo), "Hold", "hold")
    assert 'sides = "max"' in learnt.text, learnt.text
    mirrored = [
        seated_points(80, other_knee_deg=float(angle)) for angle in [90.0] * 30 + [90 + 4 * k for k in range(20)]
    ]
    mirrored += [seated_points(80, other_knee_deg=170)] * 300 + [seated_points(80, other_knee_deg=90)] * 30
    assert count(learnt.text, mirrored) == (0, 0, 1)


def test_the_file_counts_its_own_demonstration() -> None:
    # The knee moves most but sways 6 degrees each second while held, so it never reads still and
    # a hold on it is timed short; the trunk, held still 30 degrees back, times the hold.
    demo = _seated_hold(lambda k, i: 90 + 80 * k + 6 * math.sin(2 * math.pi * i / FPS), other_knee=90, lean=30)
    learnt = learn(poses(demo), "Hold", "hold")
    assert 'kind = "hold"' in learnt.text and "knee" not in learnt.summary.split(" (")[0], learnt.summary
    assert count(learnt.text, demo) == (0, 0, 1)


def test_a_file_learnt_side_on_also_counts_in_other_views() -> None:
    learnt = learn(poses(CASES["squat"][0]), "Squat", "squat")
    spec = parse_exercise(tomllib.loads(learnt.text), "learnt.toml")
    assert [v.value for v in spec.allowed_views] == ["side", "front"]


@pytest.mark.parametrize(
    ("frames", "message"),
    [
        ([None] * 60, "nobody in the recording (a person in 0 of 60 frames)"),
        ([fig.squat(178)] * 90, "no clear movement (the most, "),
        (cycles(fig.squat, 178, [95, 95]) + cycles(fig.heel_raise, 0, [32, 32]), "several different movements ("),
    ],
)
def test_bad_demonstrations_are_one_line(frames: list[np.ndarray | None], message: str) -> None:
    with pytest.raises(InputError) as info:
        learn(poses(frames), "X", "x", label="demo.mp4")
    assert str(info.value).startswith("demo.mp4: " + message), str(info.value)
    assert "\n" not in str(info.value)


def test_learn_command_writes_a_file_that_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    video = tmp_path / "demo.mp4"
    video.write_bytes(b"")
    monkeypatch.setattr(exercises_cli, "read_poses", lambda v, m: poses(CASES["squat"][0]))
    out = tmp_path / "squat.toml"
    assert main(["exercises", "learn", str(video), "--name", "My squat", "--out", str(out)]) == 0
    assert "learnt reps on knee_angle" in capsys.readouterr().out
    assert main(["exercises", "check", str(out)]) == 0
    capsys.readouterr()
    # Never overwritten, and a refused demonstration writes nothing.
    assert main(["exercises", "learn", str(video), "--name", "My squat", "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr(exercises_cli, "read_poses", lambda v, m: poses([None] * 30))
    other = tmp_path / "nobody.toml"
    assert main(["exercises", "learn", str(video), "--name", "X", "--out", str(other)]) == 2
    err = capsys.readouterr().err
    assert err == f"formcheck: error: {video}: nobody in the recording (a person in 0 of 30 frames)\n"
    assert not other.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["demo.mp4", "squat.toml"]


# -- on the sample clips' committed landmarks (MediaPipe's output on rendered people) --------

SAMPLES = Path(__file__).resolve().parents[2] / "sample_videos"
PAIRS = [
    # learnt from the first clip, counted on the second (another body, camera and side)
    ("bridge_side_left_01", "bridge_partial_02"),
    ("nerve_glide_near_left_01", "nerve_glide_far_right_02"),
    ("knee_to_chest_side_left_01", "knee_to_chest_attempt_right_02"),
]


def _track_poses(stem: str) -> tuple[dict[str, object], list[PoseFrame]]:
    import json

    from formcheck.landmark_cache import track_paths
    from formcheck.pose.model import resolve_model
    from formcheck.pose.track import LandmarkTrack

    truth = json.loads((SAMPLES / f"{stem}.json").read_text())
    paths = [p for p in track_paths(SAMPLES / str(truth["clip"]), resolve_model()) if p.exists()]
    if not paths:
        pytest.skip(f"no committed landmarks for {stem}")
    return truth, list(LandmarkTrack.load(paths[0]).poses())


@pytest.mark.parametrize(("demo", "other"), PAIRS)
def test_learnt_from_one_clip_counts_another(demo: str, other: str) -> None:
    _, demo_poses = _track_poses(demo)
    truth, poses_ = _track_poses(other)
    learnt = learn(demo_poses, demo, "learnt")
    spec = parse_exercise(tomllib.loads(learnt.text), "learnt.toml")
    an = Analyzer(spec, "auto")
    for p in poses_:
        an.step(p)
    s = an.finish()
    assert (s.reps, s.partial_reps) == (truth["reps"], truth["partial_reps"])
    holds = [h["duration_s"] for h in truth.get("holds", [])]  # type: ignore[attr-defined]
    assert len(s.holds) == len(holds)
    for got, want in zip(s.holds, holds, strict=True):
        assert abs(got.duration_s - want) <= 0.5  # the regression bar for hold durations


def _supine_side_on(knees_apart: float, ankle_travel: float, n: int = 60) -> Body:
    """A side view of a person lying on the back (image plane x along the body, y up), knees
    bent: ``knees_apart`` trunk lengths between the two knee points, one ankle sliding
    ``ankle_travel`` trunk lengths towards the hips and back over the recording."""
    from formcheck.landmarks import Landmark

    xyz = np.zeros((n, 33, 3))
    phase = np.sin(np.linspace(0.0, np.pi, n))
    for side, dz in (("LEFT", 0.0), ("RIGHT", 0.0)):
        xyz[:, getattr(Landmark, f"{side}_SHOULDER")] = (-1.0, 0.0, dz)
        xyz[:, getattr(Landmark, f"{side}_HIP")] = (0.0, 0.0, dz)
        xyz[:, getattr(Landmark, f"{side}_ANKLE")] = (1.2, 0.0, dz)
    xyz[:, Landmark.LEFT_KNEE] = (0.6, 0.5, 0.0)
    xyz[:, Landmark.RIGHT_KNEE] = (0.6, 0.5 - knees_apart, 0.0)
    xyz[:, Landmark.RIGHT_ANKLE, 0] = 1.2 - ankle_travel * phase
    return Body.from_points(xyz, lateral=(0.0, 0.0, 1.0))


@pytest.mark.parametrize(
    ("knees_apart", "ankle_travel", "turns"),
    [
        (0.05, 0.0, True),  # a lower trunk rotation: knees pressed together, feet planted
        (0.9, 0.0, False),  # one leg raised or straight: the knees a thigh apart
        (0.05, 1.0, False),  # an ankle drawn in (a knee pulled to the chest): the feet are not planted
    ],
)
def test_the_side_on_knee_height_is_a_candidate_only_with_knees_together_and_feet_planted(
    knees_apart: float, ankle_travel: float, turns: bool
) -> None:
    """Side-on, the knees' height above the hips-to-ankles line falls as cos(turn) only when
    both knees turn together about planted feet; elsewhere (a knee to chest, a nerve glide) the
    same height changes for other reasons and must not be learnt as a rotation."""
    from formcheck.exercises.learn import _turns_about_planted_feet

    assert _turns_about_planted_feet(_supine_side_on(knees_apart, ankle_travel)) is turns


@pytest.mark.parametrize("neutral_reads", [0.0, 6.0, 11.0])
def test_a_rep_counted_from_zero_ends_where_the_demonstration_rested(neutral_reads: float) -> None:
    """A signed measure is counted from a fixed rest of 0, but the knees' height read side-on
    against its learnt neutral reads 2-12 degrees on still knees: an end threshold under that
    (12% of a 45-degree turn is 5.4) never saw a rep end, so the file could not count the very
    demonstration it was learnt from."""
    from formcheck.exercises.learn import Movement, _file_text

    t = np.arange(0.0, 20.0, 1.0 / 30.0)
    turn = 45.0 * np.clip(np.sin(2 * np.pi * t / 10.0) * 3.0, 0.0, 1.0)  # two held turns
    values = neutral_reads + turn * (1.0 - neutral_reads / 60.0)
    m = Movement("knee_rotation", "left", values, neutral_reads, 1, float(values.max() - neutral_reads), 1.0,
                 np.abs(values - neutral_reads) > 20.0, noise=0.2)  # fmt: skip
    rule = tomllib.loads(_file_text("x", "x", "reps", m, [m], True, 2, [4.0, 4.0]))["rep"]
    assert rule["end_delta"] > neutral_reads
    assert rule["end_delta"] < rule["start_delta"] < rule["target"]
