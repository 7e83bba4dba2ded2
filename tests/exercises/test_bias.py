"""Side-view bias corrections belong to a measure, not to a metric's name (issue 13)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
from synthetic_body import bridge_points, pose_frame

from formcheck.analysis import Analyzer
from formcheck.errors import ConfigError
from formcheck.exercises.custom import load_exercise_file, parse_exercise
from formcheck.exercises.custom_metrics import BUILTIN_METRIC_DEFS, file_metric_set
from formcheck.exercises.registry import builtin_exercises
from formcheck.metrics import HIP_LANDMARK_BIAS_DEG, METRIC_SETS, compute_metrics, side_view_bias

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exercises"
# What the analyzer subtracted before, by metric name, whatever the metric measured.
FILES_BEFORE = ("bridge_easier", "half_kneel_gentle", "seated_knee_extension")  # written under the old rule
LEGACY_BY_NAME = {"hip_angle": 5.0, "back_hip_angle": 5.0, "pulled_hip_angle": 5.0, "straight_hip_angle": 5.0}


@pytest.mark.parametrize("set_id", sorted(METRIC_SETS))
def test_builtin_sets_declare_what_their_measures_declare(set_id: str) -> None:
    defs = BUILTIN_METRIC_DEFS.get(set_id)
    if defs is None:
        pytest.skip("metrics defined only as code")
    primary = METRIC_SETS[set_id].primary
    assert file_metric_set(defs, primary).side_view_bias == side_view_bias(set_id)


@pytest.mark.parametrize(
    "spec",
    [*builtin_exercises().values(), *(load_exercise_file(EXAMPLES / f"{n}.toml") for n in FILES_BEFORE)],
    ids=lambda s: s.id,
)
def test_existing_exercises_keep_their_corrections(spec) -> None:  # type: ignore[no-untyped-def]
    """The automatic upgrade: every existing exercise is corrected exactly as it was by name."""
    from formcheck.metrics import metric_names

    legacy = {n: LEGACY_BY_NAME[n] for n in metric_names(spec.metrics) if n in LEGACY_BY_NAME}
    assert side_view_bias(spec.metrics) == legacy


def _file(metrics: str) -> str:
    return f"""
[exercise]
id = "t"
name = "T"
view = "side"
kind = "reps"
instruction = "x"
primary = "hip_angle"
{metrics}
[rep]
target = 170
[dose]
sets = 1
"""


def test_a_metric_named_hip_angle_that_measures_a_knee_is_not_corrected() -> None:
    spec = parse_exercise(_load(_file('[metrics.hip_angle]\nangle = ["hip", "knee", "ankle"]\n')))
    assert side_view_bias(spec.metrics) == {}
    # ... and the analyzer reports it as measured.
    pts = bridge_points(20.0)
    raw = compute_metrics(spec.metrics, pts[None], "right")["hip_angle"][0]
    an = Analyzer(spec, "right")
    results = [an.step(pose_frame(i, i * 33.3, pts)) for i in range(5)]
    assert results[-1].metrics["hip_angle"] == pytest.approx(raw, abs=1e-6)


def test_the_hip_angle_measure_is_corrected_whatever_its_name() -> None:
    text = _file(
        '[metrics.hip_angle]\nangle = ["hip", "knee", "ankle"]\n'
        '[metrics.trunk_thigh]\nangle = ["shoulder", "hip", "knee"]\nsigned = true\n'
        '[metrics.other_hip]\nmeasure = "hip_angle"\nside = "other"\n'
        '[metrics.mixed]\nangle = ["shoulder", "hip", "other_knee"]\n'
    )
    spec = parse_exercise(_load(text))
    assert side_view_bias(spec.metrics) == {"trunk_thigh": HIP_LANDMARK_BIAS_DEG, "other_hip": HIP_LANDMARK_BIAS_DEG}


def test_bias_key_overrides_the_measure() -> None:
    text = _file(
        '[metrics.hip_angle]\nangle = ["shoulder", "hip", "knee"]\nbias = 0\n'
        '[metrics.knee]\nangle = ["hip", "knee", "ankle"]\nbias = -2.5\n'
    )
    assert side_view_bias(parse_exercise(_load(text)).metrics) == {"knee": -2.5}


def test_bias_must_be_a_number() -> None:
    text = _file('[metrics.hip_angle]\nangle = ["shoulder", "hip", "knee"]\nbias = "five"\n')
    with pytest.raises(ConfigError, match=r'^f: \[metrics.hip_angle\].bias: expected a number, got "five"$'):
        parse_exercise(_load(text), "f")


def _load(text: str) -> dict[str, object]:
    import tomllib

    return tomllib.loads(text)
