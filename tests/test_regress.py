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
from functools import cache
from pathlib import Path

import pytest

from formcheck.regress import (
    HOLD_TOLERANCE_S,
    METRIC_MAE_MAX_DEG,
    ClipResult,
    evaluate_clip,
    format_table,
    regress,
    rows_to_json,
    truth_files,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_videos"
CLIPS = truth_files(SAMPLES) if SAMPLES.is_dir() else []

BODY_HIP = (
    "MediaPipe's hip landmark sits ~0.1 trunk lengths anterior of the joint on this body (~15 deg of hip "
    "angle); the offset is body-dependent (not by weight) and nothing the landmarks show predicts it, so "
    "the single documented constant (5 deg) cannot remove it (docs/accuracy.md)"
)
FEET_END = (
    "from the feet end MediaPipe misplaces and swaps the knees; knee_rotation is not measurable there "
    "(its 2D image landmarks neither: at rest it places the knees below the hips, 48-53 deg MAE)"
)
OBLIQUE = (
    "in the high oblique view MediaPipe's 3D depth is too poor for knee_rotation; "
    "the best 2D image formulation measured 7.8 deg MAE"
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
HEEL_TIMING = (
    "the measured front knee follows the departure ~0.38 s late but the arrival within ~0.07 s: the hold "
    "ends 0.63 s late and starts 0.2 s late; the heel-lift pause is 1.67 s for the truth's 1.8"
)

KNOWN = {
    "counts": {"lower_trunk_rotation_feet_end_01": FEET_END},
    "holds": {
        "pelvic_tilt_side_left_01": TILT_TIMING,
        "hip_flexor_stretch_two_holds_right_01": HIP_FLEXOR_BIAS,
        "calf_stretch_heel_lift_left_02": HEEL_TIMING,
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
