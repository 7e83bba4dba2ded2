"""The learnt neutral of a cos(angle) length (analysis.neutral), and the lower trunk
rotation counted side-on through the whole analyzer on hand-built supine bodies."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from synthetic_body import pose_frame

from formcheck.analysis import Analyzer
from formcheck.analysis.neutral import SETTLE_S, NeutralCosine
from formcheck.exercises import get_exercise
from formcheck.landmarks import Landmark, sided
from formcheck.metrics import compute_metrics

FPS = 30.0


def _readings(lengths: list[float], fps: float = FPS) -> list[float]:
    n = NeutralCosine()
    return [n.update(i / fps, v) for i, v in enumerate(lengths)]


@pytest.mark.parametrize("angle", [20.0, 30.0, 45.0, 60.0])
def test_a_turn_reads_its_angle_against_the_neutral_seen_before(angle: float) -> None:
    h0 = 0.6
    lengths = [h0] * 60 + [h0 * math.cos(math.radians(angle))] * 120 + [h0] * 60
    out = _readings(lengths)
    assert out[59] == pytest.approx(0.0, abs=1e-9)
    assert out[150] == pytest.approx(angle, abs=1e-6)
    assert out[-1] == pytest.approx(0.0, abs=1e-9)


def test_the_pose_models_first_frames_do_not_set_the_neutral() -> None:
    """The first frames of a person read a few % high and settle (docs: 2-9 % over 0.3 s)."""
    h0 = 0.55
    lengths = [h0 * (1.0 + 0.08 * max(0.0, 1.0 - i / 9.0)) for i in range(90)]
    out = _readings(lengths)
    assert max(out[int(SETTLE_S * FPS) :]) < 1.0


def test_a_recording_that_starts_turned_reads_about_zero_then_learns_the_neutral() -> None:
    h0 = 0.5
    turned = h0 * math.cos(math.radians(40.0))
    lengths = [turned] * 45 + list(np.linspace(turned, h0, 30)) + [h0] * 45 + [turned] * 60
    out = _readings(lengths)
    assert max(out[:45]) < 1.0  # nothing to count from: its start was never seen
    assert out[-1] == pytest.approx(40.0, abs=0.5)


@pytest.mark.parametrize("length", [math.nan, 0.0, -1.0])
def test_an_unknown_length_reads_unknown_and_teaches_nothing(length: float) -> None:
    n = NeutralCosine()
    assert math.isnan(n.update(0.0, length))
    assert math.isnan(n.neutral)


def test_reset_forgets_the_neutral() -> None:
    n = NeutralCosine()
    for i in range(60):
        n.update(i / FPS, 0.6)
    n.reset()
    assert math.isnan(n.neutral)
    assert n.update(10.0, 0.3) == pytest.approx(0.0)


# -- through the analyzer --------------------------------------------------------------------

TRUNK_PX = 180.0
KNEE_UP_PX = 120.0  # the knees' neutral height above the hip-ankle line


def supine_side(rotation: float, near: str = "right", hips_up: float = 0.0) -> np.ndarray:
    """Image points of a person lying head-left, seen from the side, knees turned by ``rotation``
    degrees about the hip-ankle line (either way: from the side only the size shows); ``hips_up``
    pixels of hips lifted off the floor (a bridge)."""
    pts = np.full((33, 3), np.nan)
    y_floor = 330.0
    c = math.cos(math.radians(rotation))
    place = {
        "shoulder": (330.0 - TRUNK_PX, y_floor),
        "elbow": (250.0, y_floor + 5.0),
        "wrist": (330.0, y_floor + 8.0),
        "hip": (330.0, y_floor - hips_up),
        "knee": (430.0, y_floor - KNEE_UP_PX * c),
        "ankle": (530.0, y_floor),
        "heel": (540.0, y_floor + 10.0),
        "foot_index": (575.0, y_floor + 8.0),
        "ear": (110.0, y_floor - 20.0),
    }
    for side in ("left", "right"):
        off = 1.5 if side == near else -1.5  # the near limb a little lower in the image
        for joint, (x, y) in place.items():
            pts[sided(side, joint)] = (x, y + off, 0.0)
    pts[Landmark.NOSE] = (95.0, y_floor - 35.0, 0.0)
    return pts


def _trace(segments: list[tuple[float, float, float, float]]) -> list[tuple[float, float]]:
    """(peak, up, top, down) rotations with 1.5 s of rest around each: (t, rotation) frames."""
    out: list[tuple[float, float]] = []
    t = 0.0

    def hold(v: float, s: float) -> None:
        nonlocal t
        for _ in range(round(s * FPS)):
            out.append((t, v))
            t += 1.0 / FPS

    def move(a: float, b: float, s: float) -> None:
        nonlocal t
        n = round(s * FPS)
        for k in range(n):
            out.append((t, a + (b - a) * (1 - math.cos(math.pi * k / n)) / 2))
            t += 1.0 / FPS

    hold(0.0, 2.0)
    for peak, up, top, down in segments:
        move(0.0, peak, up)
        hold(peak, top)
        move(peak, 0.0, down)
        hold(0.0, 1.5)
    return out


@pytest.mark.parametrize("near", ["left", "right"])
def test_side_on_reps_partials_and_holds_are_counted_without_a_side(near: str) -> None:
    spec = get_exercise("lower_trunk_rotation")
    an = Analyzer(spec, "auto")
    trace = _trace([(45.0, 1.0, 4.0, 1.0), (24.0, 0.8, 0.5, 0.8), (40.0, 1.0, 3.5, 1.0), (38.0, 1.0, 1.0, 1.0)])
    results = [an.step(pose_frame(i, t * 1000.0, supine_side(rot, near))) for i, (t, rot) in enumerate(trace)]
    s = an.finish()
    assert {r.status for r in results} == {"ok"}
    assert (s.reps, s.partial_reps) == (3, 1)
    assert [e.side for e in s.rep_events] == [None] * 4
    assert s.reps_by_side == {}
    # the partial rep is told to go further; the last rep's 1 s at the side is too short a hold
    assert [f.code for f in s.faults] == ["rotate_further", "hold_short"]
    assert s.faults[1].t_s > trace[-1][0] - 3.0
    peaks = [round(e.peak_value) for e in s.rep_events]
    assert peaks == [45, 24, 40, 38]


@pytest.mark.parametrize("rotation", [0.0, 15.0, 30.0, 45.0, 60.0])
def test_side_on_the_knee_height_falls_as_cos_of_the_rotation(rotation: float) -> None:
    pts = supine_side(rotation)
    out = compute_metrics("lower_trunk_rotation", pts[None], None, lateral=(0.0, 0.0, 1.0), side_on=True)
    expected = KNEE_UP_PX * math.cos(math.radians(rotation)) / TRUNK_PX
    assert out["knee_rotation"][0] == pytest.approx(expected, rel=1e-9)
    # knees apart and a shoulder lifting are depth from the side: not measured
    assert math.isnan(out["thigh_spread"][0]) and math.isnan(out["shoulder_tilt"][0])


def test_an_exercise_file_of_the_knee_rotation_measures_side_on_as_the_built_in() -> None:
    """``formcheck exercises --show lower_trunk_rotation`` prints measures; loaded back, they
    read side-on what the built-in reads (its height, the faults that are depth not measured)."""
    from formcheck.exercises.custom_metrics import BUILTIN_METRIC_DEFS, file_metric_set
    from formcheck.metrics import neutral_cosine, side_on_caution

    from_file = file_metric_set(BUILTIN_METRIC_DEFS["lower_trunk_rotation"], "knee_rotation")
    pts = np.stack([supine_side(r) for r in (0.0, 30.0, 55.0)])
    kw = {"lateral": (0.0, 0.0, 1.0), "side_on": True}
    a = compute_metrics(from_file, pts, None, **kw)
    b = compute_metrics("lower_trunk_rotation", pts, None, **kw)
    for name in b:
        np.testing.assert_array_equal(a[name], b[name])
    assert neutral_cosine(from_file) == neutral_cosine("lower_trunk_rotation") == ("knee_rotation",)
    assert side_on_caution(from_file) == side_on_caution("lower_trunk_rotation") is not None


@pytest.mark.parametrize(("hips_up", "measured"), [(0.0, True), (15.0, True), (45.0, False), (80.0, False)])
def test_side_on_the_knees_height_is_a_rotation_only_with_the_hips_down(hips_up: float, measured: bool) -> None:
    """A bridge lowers the knees' height above the hip-ankle line too: not read as a rotation.
    (HIPS_DOWN_MAX: 0.2 trunk lengths = 36 px here; the rolling pelvis lifts them <= 0.10.)"""
    pts = supine_side(0.0, hips_up=hips_up)
    out = compute_metrics("lower_trunk_rotation", pts[None], None, lateral=(0.0, 0.0, 1.0), side_on=True)
    assert math.isfinite(out["knee_rotation"][0]) is measured
