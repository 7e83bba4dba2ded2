"""The regression suite: every sample clip against its truth.

Landmarks are replayed from sample_videos/landmarks/ when they match the clip
and model (else extracted once into the user cache), so this runs the
analyzer, not the model. Each clip is checked on three bars: counts (reps,
partial reps, holds found), hold durations (within 0.5 s) and the primary
metric's error against the per-frame truth (<= 6 deg after the documented
landmark bias). Known limitations are listed below with their reason and are
strict xfails: when one starts passing, the test says so and the entry goes.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from formcheck import regress as regress_module
from formcheck.cli import main
from formcheck.exercises import get_exercise
from formcheck.landmark_cache import FIXTURE_DIR, track_paths
from formcheck.pose.model import resolve_model
from formcheck.pose.track import LandmarkTrack
from formcheck.regress import (
    DETECTION_FLIP_MAX_S,
    DRIFT_MEDIAN_MAX_TRUNK,
    DRIFT_P95_MAX_TRUNK,
    HOLD_TOLERANCE_S,
    METRIC_MAE_MAX_DEG,
    ClipResult,
    evaluate_clip,
    format_table,
    measure_drift,
    regress,
    rows_to_json,
    score_track,
    truth_files,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_videos"
CLIPS = truth_files(SAMPLES) if SAMPLES.is_dir() else []

BODY_HIP = (
    "MediaPipe's hip landmark sits ~0.1 trunk lengths anterior of the joint on this body (~15 deg of hip "
    "angle); the offset is body-dependent (not by weight) and nothing the landmarks show predicts it, so "
    "the single documented constant (5 deg) cannot remove it (docs/accuracy.md)"
)
# The lower trunk rotation is measured side-on only (formcheck.exercises.lower_trunk_rotation):
# from the feet end MediaPipe misplaces and swaps the knees (48-53 deg MAE on the 2D image
# landmarks), and from the high oblique its 3D depth is too poor (7.8 deg MAE at best).
FEET_END = (
    "filmed from the feet end, which the lower trunk rotation no longer accepts (measured side-on only): "
    "'Turn side-on to the camera' for most of the clip, nothing counted"
)
OBLIQUE = (
    "filmed from a high oblique, which the lower trunk rotation no longer accepts (measured side-on only): "
    "'Turn side-on to the camera', nothing counted"
)
TILT_TIMING = (
    "a pelvic tilt moves the knee landmark 2-3 deg, and MediaPipe drifts ~1 deg at up to 2.2 deg/s while the "
    "true knee is still (hold 2 starts 1.0 s late, the settle rate is 1.2); on this body the measured knee also "
    "follows the release 0.3-0.4 s later than the arrival (holds 1 and 3 end 0.6 s late, start 0.37 late)"
)
HIP_FLEXOR_BIAS = (
    "the pulled hip reads 12-18 deg high on this body (5 deg is corrected): ~8 from the hip landmark, "
    "up to 40 in frames where the knee landmark leaves the pulled knee; it sits at the 70-deg "
    "threshold, so the holds flicker and are timed short"
)

KNOWN = {
    "counts": {
        "lower_trunk_rotation_feet_end_01": FEET_END,
        "lower_trunk_rotation_oblique_partial_02": OBLIQUE,
    },
    "holds": {
        "pelvic_tilt_side_left_01": TILT_TIMING,
        "hip_flexor_stretch_two_holds_right_01": HIP_FLEXOR_BIAS,
    },
    "metric": {
        "hip_flexor_stretch_two_holds_right_01": HIP_FLEXOR_BIAS,
        "knee_to_chest_attempt_right_02": (
            "the hip landmark sits ~0.1 trunk lengths anterior of the joint on this body: the pulled hip reads "
            "~13 deg high near straight, 6.8 deg MAE after the 5-deg correction"
        ),
        "bridge_partial_02": BODY_HIP,
        "pelvic_tilt_hips_lift_right_02": BODY_HIP,
        "lower_trunk_rotation_feet_end_01": FEET_END,
        "lower_trunk_rotation_oblique_partial_02": OBLIQUE,
    },
}


@cache
def result(truth_path: Path) -> ClipResult:
    return evaluate_clip(truth_path)


def params(bar: str) -> list[object]:
    out = []
    for p in CLIPS:
        reason = KNOWN[bar].get(p.stem)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(p, id=p.stem, marks=marks))
    return out


@pytest.mark.parametrize("truth_path", params("counts"))
def test_counts_match_truth(truth_path: Path):
    r = result(truth_path)
    assert (r.reps, r.partial, len(r.holds)) == (r.reps_true, r.partial_true, len(r.holds_true)), r.problems


@pytest.mark.parametrize("truth_path", params("holds"))
def test_hold_durations_within_tolerance(truth_path: Path):
    r = result(truth_path)
    if not r.holds_true:
        pytest.skip("no holds in this clip")
    assert len(r.holds) == len(r.holds_true)
    assert r.hold_max_err_s <= HOLD_TOLERANCE_S, r.problems


@pytest.mark.parametrize("truth_path", params("metric"))
def test_primary_metric_error(truth_path: Path):
    r = result(truth_path)
    truth = json.loads(truth_path.read_text())
    if truth["performed"] != truth["exercise"]:
        pytest.skip("wrong-exercise clip: its metric truth describes another movement")
    assert 0 <= r.metric_mae <= METRIC_MAE_MAX_DEG, r.problems


def test_known_limitations_name_existing_clips():
    stems = {p.stem for p in CLIPS}
    for bar, entries in KNOWN.items():
        assert set(entries) <= stems, f"{bar}: {set(entries) - stems}"


def test_wrong_exercise_clips_count_nothing():
    wrong = [p for p in CLIPS if json.loads(p.read_text())["performed"] != json.loads(p.read_text())["exercise"]]
    assert wrong, "the sample set must include a clip of the wrong exercise"
    for p in wrong:
        r = result(p)
        assert (r.reps, r.partial, len(r.holds)) == (0, 0, 0), r


def test_regress_table_and_json(tmp_path: Path):
    folder = tmp_path / "clips"
    folder.mkdir()
    src = CLIPS[0]
    truth = json.loads(src.read_text())
    (folder / truth["clip"]).write_bytes((SAMPLES / truth["clip"]).read_bytes())
    (folder / src.name).write_text(src.read_text())
    rows = regress(folder)
    table = format_table(rows)
    assert truth["clip"] in table and table.splitlines()[-1].endswith("failed")
    data = rows_to_json(rows)
    assert data["passed"] + data["failed"] == 1
    assert data["clips"][0]["reps_true"] == truth["reps"]


# -- the command: --json only when asked, checked before the run; --rerun-model ----------

SHORT_CLIP = "half_kneel_hip_stretch_left_01"  # the shortest sample clip (12.8 s)


def _one_clip_folder(tmp_path: Path, stem: str = SHORT_CLIP, fixture: bool = True) -> Path:
    """A folder holding one sample clip, its truth and (optionally) its committed landmarks."""
    folder = tmp_path / "clips"
    (folder / FIXTURE_DIR).mkdir(parents=True)
    for suffix in (".mp4", ".json"):
        shutil.copyfile(SAMPLES / f"{stem}{suffix}", folder / f"{stem}{suffix}")
    if fixture:
        stored = track_paths(SAMPLES / f"{stem}.mp4", resolve_model())[0]
        shutil.copyfile(stored, folder / FIXTURE_DIR / stored.name)
    return folder


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_regress_writes_no_json_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    folder = _one_clip_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    code = main(["regress", str(folder)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "1 passed, 0 failed" in out and "written" not in out
    assert _tree(tmp_path) == before  # no regress.json in the current folder, nothing beside the clips

    report = tmp_path / "out" / "r.json"
    assert main(["regress", str(folder), "--json", str(report)]) == 0
    assert json.loads(report.read_text())["passed"] == 1


BAD_JSON_PATHS = {
    "parent-is-a-file": (
        lambda t: ((t / "notes").write_text("x"), t / "notes" / "r.json")[1],
        "is a file, not a folder",
    ),
    "is-a-folder": (lambda t: t, "is a folder"),
    "is-the-truth-file": (lambda t: t / "clips" / f"{SHORT_CLIP}.json", "output path is the input"),
}


@pytest.mark.parametrize("case", list(BAD_JSON_PATHS), ids=list(BAD_JSON_PATHS))
def test_bad_json_path_fails_before_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, case: str):
    folder = _one_clip_folder(tmp_path)
    make, needle = BAD_JSON_PATHS[case]
    path = make(tmp_path)

    def no_run(*args: object, **kw: object) -> None:
        raise AssertionError("a clip was analysed before the --json path was checked")

    monkeypatch.setattr(regress_module, "evaluate_clip", no_run)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code = main(["regress", str(folder), "--json", str(path), "--rerun-model"])
    out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("formcheck: error: ") and needle in lines[0], err
    assert out == ""
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_drift_flags_moved_landmarks_that_change_no_score():
    """A whole-body shift changes no angle and no count, so only the landmark limits can see it."""
    truth_path = SAMPLES / f"{SHORT_CLIP}.json"
    truth = json.loads(truth_path.read_text())
    spec = get_exercise(truth["exercise"])
    stored = LandmarkTrack.load(track_paths(SAMPLES / truth["clip"], resolve_model())[0])
    base = score_track(truth, spec, stored)

    same = measure_drift(stored, stored, base, base)
    assert same.within_limits and same.median_px == 0 and same.detection_flips == 0 and same.changes == []

    xy = stored.image[:, :, :2]
    trunk_px = np.nanmedian(np.linalg.norm(xy[:, [11, 12]].mean(axis=1) - xy[:, [23, 24]].mean(axis=1), axis=-1))
    shifted = replace(stored, image=stored.image + np.array([2.5 * DRIFT_P95_MAX_TRUNK * trunk_px, 0.0, 0.0]))
    moved = measure_drift(stored, shifted, base, score_track(truth, spec, shifted))
    assert moved.changes == []  # the analysis cannot tell...
    assert not moved.within_limits  # ...the drift check can
    assert any("median shift" in p for p in moved.problems) and any("p95 shift" in p for p in moved.problems)

    lost = stored.image.copy()
    lost[: int(stored.fps * 2 * DETECTION_FLIP_MAX_S)] = np.nan  # the model misses the first second
    flipped = replace(stored, image=lost)
    gone = measure_drift(stored, flipped, base, score_track(truth, spec, flipped))
    assert gone.detection_flips == int(stored.fps * 2 * DETECTION_FLIP_MAX_S)
    assert any("detection differs" in p for p in gone.problems)


@pytest.mark.skipif(not (SAMPLES / f"{SHORT_CLIP}.mp4").is_file(), reason="sample clip missing")
def test_rerun_model_reports_drift_against_the_fixture(tmp_path: Path, capfd: pytest.CaptureFixture[str]):
    """Runs the real pose model on one clip; with --quiet nothing may reach stderr, native output included."""
    folder = _one_clip_folder(tmp_path)
    report = tmp_path / "drift.json"
    code = main(["regress", str(folder), "--rerun-model", "--quiet", "--json", str(report)])
    out, err = capfd.readouterr()
    assert err == ""  # file-descriptor level: MediaPipe's start-up, first-inference and close lines too
    assert code == 0, out
    data = json.loads(report.read_text())
    clip = data["clips"][0]
    drift = clip["drift"]
    assert drift is not None and drift["within_limits"] is True, drift
    assert drift["frames"] >= 0.95 * json.loads((folder / f"{SHORT_CLIP}.json").read_text())["frames"]
    assert drift["median_trunk"] <= DRIFT_MEDIAN_MAX_TRUNK and drift["p95_trunk"] <= DRIFT_P95_MAX_TRUNK
    assert drift["changes"] == [] and clip["passed"] is True
    assert data["drift_beyond_limits"] == 0 and data["versions"]["mediapipe"]
    assert "drift: 0 of 1 compared clips beyond the limits" in out


@pytest.mark.skipif(not (SAMPLES / f"{SHORT_CLIP}.mp4").is_file(), reason="sample clip missing")
def test_rerun_model_without_fixture_says_so_and_exits_1(tmp_path: Path, capsys):
    folder = _one_clip_folder(tmp_path, fixture=False)
    code = main(["regress", str(folder), "--rerun-model", "--quiet"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "not compared: no committed landmarks" in out and "1 passed, 0 failed" in out
