"""Every example exercise file loads, passes ``formcheck exercises check`` and counts a
synthetic recording of its movement (hand-built landmarks: no model, no video).

Rendered clips with known truth for these exercises do not exist yet; these
sequences check what each file counts, and that a short movement is a partial rep.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
import side_figure as fig
from standing_body import standing_points
from synthetic_body import pose_frame
from test_language import jack_frames

from formcheck.analysis import Analyzer
from formcheck.analysis.results import AnalysisSummary
from formcheck.cli import main
from formcheck.exercises.custom import load_exercise_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exercises"
FPS = 30.0
LIBRARY = (
    "squat",
    "push_up",
    "reverse_lunge",
    "jumping_jacks",
    "forearm_plank",
    "heel_raise",
    "standing_hip_abduction",
    "seated_knee_extension",
)


def cycles(
    pose: Callable[[float], np.ndarray], rest: float, peaks: list[float], down_s: float = 0.8
) -> list[np.ndarray]:
    """1 s at rest, then per peak: 0.8 s there (half-cosine), 0.5 s at the peak, ``down_s`` back, 1 s rest."""
    frames = [pose(rest) for _ in range(int(FPS))]
    for peak in peaks:
        for secs, f in ((0.8, lambda u: (1 - math.cos(math.pi * u)) / 2), (0.5, lambda u: 1.0),
                        (down_s, lambda u: (1 + math.cos(math.pi * u)) / 2), (1.0, lambda u: 0.0)):  # fmt: skip
            n = round(secs * FPS)
            frames += [pose(rest + (peak - rest) * f(k / n)) for k in range(n)]
    return frames


def analyse(name: str, frames: list[np.ndarray], side: str = "auto") -> tuple[AnalysisSummary, list[str]]:
    spec = load_exercise_file(EXAMPLES / f"{name}.toml")
    an = Analyzer(spec, side)
    statuses = [an.step(pose_frame(i, i * 1000.0 / FPS, p)).status for i, p in enumerate(frames)]
    return an.finish(), statuses


@pytest.mark.parametrize("name", LIBRARY)
def test_every_example_passes_check(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises", "check", str(EXAMPLES / f"{name}.toml")]) == 0
    assert ": ok: " in capsys.readouterr().out


REPS = {
    # name: (frames of two full reps and one short one, expected partial codes)
    "squat": (lambda: cycles(fig.squat, 178, [95, 95, 130]), "not_deep"),
    "push_up": (lambda: cycles(fig.push_up, 120, [35, 35, 90]), "not_low"),
    "reverse_lunge": (lambda: cycles(lambda k: fig.lunge(k, k - 3), 178, [95, 95, 135]), "not_deep"),
    "heel_raise": (lambda: cycles(fig.heel_raise, 0, [32, 32, 12], down_s=1.6), "not_high"),
    "standing_hip_abduction": (lambda: cycles(lambda d: standing_points(right_leg_out=d), 0, [30, 30, 12]), "not_high"),
    "jumping_jacks": (lambda: jack_frames([(80, 50), (80, 50), (80, 0)]), "feet_together"),
}


@pytest.mark.parametrize("name", sorted(REPS))
def test_examples_count_reps_and_partials(name: str) -> None:
    frames, partial_code = REPS[name]
    s, statuses = analyse(name, frames())
    assert statuses.count("ok") == len(statuses), {st: statuses.count(st) for st in set(statuses)}
    assert (s.reps, s.partial_reps) == (2, 1)
    assert [e.complete for e in s.rep_events] == [True, True, False]
    assert partial_code in s.rep_events[2].faults
    assert not any(f for e in s.rep_events[:2] for f in e.faults), [e.faults for e in s.rep_events]


def test_hip_abduction_follows_the_moving_leg() -> None:
    s, _ = analyse("standing_hip_abduction", REPS["standing_hip_abduction"][0]())
    assert {e.side for e in s.rep_events} == {"right"}


def test_squat_leaning_forward_is_a_fault() -> None:
    s, _ = analyse("squat", cycles(lambda k: fig.squat(k, lean_deg=0.9 * (178 - k)), 178, [95]))
    assert "leaning_forward" in s.rep_events[0].faults


def test_forearm_plank_times_the_hold_and_warns_of_sagging() -> None:
    held = [fig.plank() for _ in range(int(33 * FPS))]
    s, statuses = analyse("forearm_plank", [fig.plank() for _ in range(int(FPS))] + held)
    assert statuses.count("ok") == len(statuses)
    (hold,) = s.holds
    assert hold.duration_s >= 30.0
    sag = [fig.plank(40.0) for _ in range(int(3 * FPS))]
    s, _ = analyse("forearm_plank", [fig.plank() for _ in range(int(5 * FPS))] + sag)
    assert "hips_sagging" in [f.code for f in s.faults]


def test_forearm_plank_is_not_counted_standing() -> None:
    s, _ = analyse("forearm_plank", [fig.squat(178) for _ in range(int(5 * FPS))])
    assert s.holds == []


def test_regress_scores_a_clip_of_an_exercise_file(tmp_path: Path) -> None:
    """A truth file may name an exercise file (``exercise_file``): clips of file-defined
    exercises join ``formcheck regress``. Here a bridge clip scored by bridge_easier: its
    true peaks (180) all pass 155, so the truth re-judged for the file is 5 reps."""
    import json
    import shutil

    from formcheck.landmark_cache import FIXTURE_DIR, track_paths
    from formcheck.pose.model import resolve_model
    from formcheck.regress import evaluate_clip

    samples = Path(__file__).resolve().parents[2] / "sample_videos"
    stem = "bridge_side_left_01"
    stored = track_paths(samples / f"{stem}.mp4", resolve_model())[0]
    if not stored.exists():
        pytest.skip("no committed landmarks for the clip")
    (tmp_path / FIXTURE_DIR).mkdir()
    shutil.copyfile(samples / f"{stem}.mp4", tmp_path / f"{stem}.mp4")
    shutil.copyfile(stored, tmp_path / FIXTURE_DIR / stored.name)
    shutil.copyfile(EXAMPLES / "bridge_easier.toml", tmp_path / "bridge_easier.toml")
    truth = json.loads((samples / f"{stem}.json").read_text())
    assert all(e["peak_value"] >= 155 for e in truth["rep_events"])
    truth.update(exercise="bridge_easier", exercise_file="bridge_easier.toml", reps=5, partial_reps=0)
    (tmp_path / f"{stem}.json").write_text(json.dumps(truth))
    row = evaluate_clip(tmp_path / f"{stem}.json")
    assert (row.reps, row.partial) == (5, 0)
    assert row.exercise == "bridge_easier"
