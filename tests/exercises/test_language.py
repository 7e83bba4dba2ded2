"""The exercise-file language (issue 13): measures, both-side combinators, condition
groups and ranges, reps gated on condition sets, and their one-line errors."""

from __future__ import annotations

import math
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from standing_body import SHOULDER_HALF, TRUNK_PX, standing_points
from synthetic_body import pose_frame

from formcheck.analysis import Analyzer
from formcheck.errors import ConfigError
from formcheck.exercises.custom import parse_exercise
from formcheck.exercises.export import exercise_to_toml
from formcheck.exercises.spec import Condition, ConditionGroup, ExerciseSpec
from formcheck.metrics import compute_metrics

HEAD = """
[exercise]
id = "t"
name = "T"
view = "front"
kind = "reps"
instruction = "x"
primary = "{primary}"
"""
TAIL = "\n[dose]\nsets = 1\n"


def spec_of(metrics: str, rep: str | None = None, primary: str = "m") -> ExerciseSpec:
    text = HEAD.format(primary=primary) + metrics + ("\n[rep]\ntarget = 170\n" if rep is None else rep) + TAIL
    return parse_exercise(tomllib.loads(text), "f")


def values(spec: ExerciseSpec, pts: np.ndarray) -> dict[str, float]:
    return {k: float(v[0]) for k, v in compute_metrics(spec.metrics, pts[None], "left").items()}


@pytest.mark.parametrize(
    ("metric", "pts", "expected"),
    [
        # feet 40 px beyond hip width each side: ankles 2 * (25 + 40) apart, over the trunk (120)
        ('distance = ["left_ankle", "right_ankle"]', standing_points(feet=40), 130 / TRUNK_PX),
        ('distance = ["left_ankle", "right_ankle"]\nper = "shoulder_width"', standing_points(feet=40), 130 / 80),
        ('distance = ["left_ankle", "right_ankle"]\nper = "none"', standing_points(feet=40), 130.0),
        ('height = ["wrist", "shoulder"]', standing_points(arms=60), 60 / TRUNK_PX),
        ('height = ["wrist", "shoulder"]', standing_points(arms=-140), -140 / TRUNK_PX),
        ('segment = ["hip", "shoulder"]', standing_points(), math.degrees(math.atan2(15, 120))),
        ('segment = ["left_hip", "right_hip"]\nagainst = "horizontal"', standing_points(), 0.0),
        ('segment = ["ankle", "knee"]\nagainst = ["knee", "hip"]', standing_points(), 0.0),
    ],
)
def test_measures(metric: str, pts: np.ndarray, expected: float) -> None:
    spec = spec_of(
        f"[metrics.m]\n{metric}\n", "\n[rep]\ntarget = 1\nstart_delta = 0.2\nend_delta = 0.1\ntop_band = 0.1\n"
    )
    if "segment" in metric:
        spec = spec_of(f"[metrics.m]\n{metric}\n", "\n[rep]\ntarget = 30\n")
    assert values(spec, pts)["m"] == pytest.approx(expected, abs=1e-6)


def test_ratio_and_side_combinators() -> None:
    spec = spec_of(
        '[metrics.m]\nheight = ["wrist", "shoulder"]\nsides = "min"\n'
        '[metrics.hi]\nheight = ["wrist", "shoulder"]\nsides = "max"\n'
        '[metrics.mean]\nheight = ["wrist", "shoulder"]\nsides = "mean"\n'
        '[metrics.feet]\ndistance = ["left_ankle", "right_ankle"]\nper = "none"\n'
        '[metrics.shoulders]\ndistance = ["left_shoulder", "right_shoulder"]\nper = "none"\n'
        '[metrics.stance]\nratio = ["feet", "shoulders"]\n',
        "\n[rep]\ntarget = 0.3\nstart_delta = 0.3\nend_delta = 0.15\ntop_band = 0.1\n",
    )
    pts = standing_points(feet=15, arms=60)
    pts[[sided_wrist("right")], 1] += 120  # the right wrist 1 trunk lower
    v = values(spec, pts)
    assert v["m"] == pytest.approx(-60 / TRUNK_PX) and v["hi"] == pytest.approx(60 / TRUNK_PX)
    assert v["mean"] == pytest.approx(0.0, abs=1e-9)
    assert v["stance"] == pytest.approx(80 / (2 * SHOULDER_HALF))


def sided_wrist(side: str) -> int:
    from formcheck.landmarks import sided

    return sided(side, "wrist")


@pytest.mark.parametrize(
    ("cond", "arms", "expected"),
    [
        ({"metric": "arms", "op": ">", "value": 0.2}, (60, 60), True),
        ({"metric": "arms", "op": ">", "value": 0.2}, (60, -60), False),  # both: one arm is down
        ({"metric": "either_arm", "op": ">", "value": 0.2}, (60, -60), True),
        ({"metric": "either_arm", "op": ">", "value": 0.2}, (-60, -60), False),
        ({"metric": "lean", "op": "abs<", "value": 5}, (0, 0), True),
        ({"metric": "lean", "op": "between", "value": [-5, 5]}, (0, 0), True),
        ({"metric": "lean", "op": "between", "value": [3, 5]}, (0, 0), False),
        (
            {"any": [{"metric": "lean", "op": ">", "value": 50}, {"metric": "arms", "op": ">", "value": 0.2}]},
            (60, 60),
            True,
        ),
        (
            {"all": [{"metric": "lean", "op": ">", "value": 50}, {"metric": "arms", "op": ">", "value": 0.2}]},
            (60, 60),
            False,
        ),
    ],
)
def test_conditions(cond: dict[str, object], arms: tuple[float, float], expected: bool) -> None:
    from formcheck.exercises.custom import _Loader

    spec = spec_of(
        '[metrics.arms]\nheight = ["wrist", "shoulder"]\nsides = "both"\n'
        '[metrics.either_arm]\nheight = ["wrist", "shoulder"]\nsides = "either"\n'
        '[metrics.lean]\nsegment = ["mid_hip", "mid_shoulder"]\n',
        "\n[rep]\ntarget = 0.3\nstart_delta = 0.3\nend_delta = 0.15\ntop_band = 0.1\n",
        primary="arms",
    )
    loader = _Loader({}, "f")
    loader.names = ("arms", "either_arm", "lean")
    loader.defs = dict(spec.metrics.compute.defs)  # type: ignore[union-attr]
    test = loader._condition("c", cond)
    pts = standing_points(arms=arms[0])
    pts[sided_wrist("right"), 1] = 110.0 - arms[1]
    assert test.test(values(spec, pts)) is expected


JACKS = """
[metrics.arms]
height = ["wrist", "shoulder"]     # wrists above the shoulders, in trunk lengths
sides = "both"
[metrics.feet]
distance = ["left_ankle", "right_ankle"]
per = "shoulder_width"
[rep]
target = 0.3
start_delta = 0.4
end_delta = 0.2
top_band = 0.1
requires = [{ metric = "feet", op = ">", value = 1.4 }]
requires_code = "feet_together"
requires_message = "Jump your feet apart as your arms go up"
"""


def jack_frames(reps: list[tuple[float, float]], fps: float = 30.0) -> list[np.ndarray]:
    """Each rep: (arms up px, feet apart px), 0.5 s up, 0.3 s top, 0.5 s down, 0.7 s rest."""
    frames = [standing_points(feet=0, arms=-140) for _ in range(int(fps))]
    for arms, feet in reps:
        for n, f in ((15, lambda u: u), (9, lambda u: 1.0), (15, lambda u: 1 - u), (21, lambda u: 0.0)):
            for k in range(n):
                w = f(k / n)
                frames.append(standing_points(feet=feet * w, arms=-140 + (arms + 140) * w))
    return frames


def test_reps_gated_on_a_condition_set() -> None:
    spec = spec_of(JACKS, "", primary="arms")
    assert spec.rep_requires and isinstance(spec.rep_requires[0], Condition)
    # Two jacks, then one with the arms up but the feet together.
    frames = jack_frames([(80, 50), (80, 50), (80, 0)])
    an = Analyzer(spec, "auto")
    results = [an.step(pose_frame(i, i * 1000 / 30, p)) for i, p in enumerate(frames)]
    s = an.finish()
    assert all(r.status == "ok" for r in results)
    assert (s.reps, s.partial_reps) == (2, 1)
    assert s.rep_events[2].faults == ("feet_together",)


def test_round_trip_through_export() -> None:
    spec = spec_of(
        JACKS + '[[faults]]\ncode = "lean"\nmessage = "Stand tall"\n'
        'when = [{ any = [{ metric = "tilt", op = "abs>", value = 10 },\n'
        '                 { metric = "feet", op = "between", value = [3, 9] }] }]\n'
        '[metrics.tilt]\nsegment = ["mid_hip", "mid_shoulder"]\nbias = 1.5\n'
        '[metrics.shin]\nsegment = ["ankle", "knee"]\nagainst = ["knee", "hip"]\n'
        '[metrics.r]\nratio = ["feet", "tilt"]\n',
        "",
        primary="arms",
    )
    assert isinstance(spec.faults[0].when[0], ConditionGroup)
    again = parse_exercise(tomllib.loads(exercise_to_toml(spec)), "again")
    assert again == spec


@pytest.mark.parametrize(
    ("metrics", "rep", "message"),
    [
        ('[metrics.m]\ndistance = ["ankle"]\n', None, "[metrics.m].distance: expected 2 joints, got 1"),
        ('[metrics.m]\ndistance = ["ankle", "knee"]\nper = "leg"\n', None, '[metrics.m].per: expected one of "trunk"'),
        (
            '[metrics.m]\nsegment = ["ankle", "knee"]\nagainst = "up"\n',
            "",
            '[metrics.m].against: expected one of "vertical"',
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\nper = "trunk"\n',
            "",
            "[metrics.m].per: only for distance or height, not angle",
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\nsides = "all"\n',
            "",
            '[metrics.m].sides: expected one of "min"',
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\nheight = ["hip", "knee"]\n',
            "",
            "[metrics.m]: give either angle or height",
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\n[metrics.r]\nratio = ["m", "x"]\n',
            "",
            '[metrics.r].ratio[1]: expected another metric of this file that is not a ratio, got "x"',
        ),
        (
            '[metrics.m]\nheight = ["wrist", "shoulder"]\n',
            "\n[rep]\ntarget = 0.3\n",
            "[rep].start_delta: missing; expected a number in m's units (body sizes, not degrees)",
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\n',
            '\n[rep]\ntarget = 170\nrequires = [{ metric = "m", op = "between", value = [9, 3] }]\n',
            "[rep].requires[0].value: the low end must be below the high end, got [9, 3]",
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\n',
            "\n[rep]\ntarget = 170\nrequires = [{ some = [] }]\n",
            "[rep].requires[0].some: unknown key; valid keys: metric, op, value, relative, all, any",
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\n',
            "\n[rep]\ntarget = 170\nrequires = [{ any = [] }]\n",
            "[rep].requires[0].any: expected a non-empty list of conditions",
        ),
        (
            '[metrics.m]\nangle = ["hip", "knee", "ankle"]\n',
            '\n[rep]\ntarget = 170\nrequires = ["m between 3 9"]\n',
            "[rep].requires[0]: ",
        ),
    ],
)
def test_one_line_errors_name_the_key(metrics: str, rep: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        spec_of(metrics, rep)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith("f: " + message), text


ABDUCTION = """
[exercise]
id = "abd"
name = "Standing hip abduction"
views = ["front", "side"]
side = "moving"
kind = "reps"
instruction = "x"
bilateral = false
primary = "leg_out"
[metrics.leg_out]
segment = ["ankle", "hip"]        # the leg from upright: 0 standing
against = "vertical"
[rep]
target = 20
[dose]
sets = 1
"""


def test_moving_side_is_measured_in_a_front_view() -> None:
    """side = "moving" measures the right leg that moves, though the default visible side is the left."""
    spec = parse_exercise(tomllib.loads(ABDUCTION), "f")
    assert spec.allowed_views[0].value == "front" and spec.side_choice == "moving"
    frames = [standing_points() for _ in range(30)]
    for _ in range(3):
        for n, f in ((20, lambda u: u), (10, lambda u: 1.0), (20, lambda u: 1 - u), (20, lambda u: 0.0)):
            frames += [standing_points(right_leg_out=30 * f(k / n)) for k in range(n)]
    an = Analyzer(spec, "auto")
    results = [an.step(pose_frame(i, i * 1000 / 30, p)) for i, p in enumerate(frames)]
    s = an.finish()
    assert all(r.status == "ok" for r in results)
    assert s.reps == 3
    assert {r.side for r in results[60:]} == {"right"}


def test_a_view_list_admits_each_view() -> None:
    front_only = parse_exercise(tomllib.loads(ABDUCTION.replace('views = ["front", "side"]', 'view = "side"')), "f")
    both = parse_exercise(tomllib.loads(ABDUCTION), "f")
    frame = pose_frame(0, 0.0, standing_points())
    assert Analyzer(front_only).step(frame).status != "ok"  # a side-only exercise seen from the front
    assert Analyzer(both).step(frame).status == "ok"


def test_views_errors() -> None:
    with pytest.raises(
        ConfigError,
        match=r'^f: \[exercise\].views\[1\]: expected one of "side", "front", "feet_end", "any", got "top"$',
    ):
        parse_exercise(tomllib.loads(ABDUCTION.replace('"side"]', '"top"]')), "f")
    with pytest.raises(ConfigError, match=r'^f: \[exercise\].side: expected one of "visible", "moving", got "left"'):
        parse_exercise(tomllib.loads(ABDUCTION.replace('side = "moving"', 'side = "left"')), "f")


def test_base_can_be_another_exercise_file(tmp_path: Path) -> None:
    from formcheck.exercises.custom import load_exercise_file

    examples = Path(__file__).resolve().parents[2] / "examples" / "exercises"
    (tmp_path / "squat.toml").write_text((examples / "squat.toml").read_text())
    variant = tmp_path / "box_squat.toml"
    variant.write_text('base = "squat.toml"\n[exercise]\nid = "box_squat"\nname = "Box squat"\n[rep]\ntarget = 125\n')
    spec = load_exercise_file(variant)
    base = load_exercise_file(tmp_path / "squat.toml")
    assert spec.rep is not None and spec.rep.target == 125 and spec.id == "box_squat"
    assert spec.metrics == base.metrics and spec.faults == base.faults and spec.allowed_views == base.allowed_views


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"a.toml": 'base = "b.toml"\n', "b.toml": 'base = "a.toml"\n'},
            '{b}: base: "a.toml" starts from this file again',
        ),
        ({"a.toml": 'base = "missing.toml"\n'}, '{a}: base: no such exercise file "missing.toml"'),
        (
            {"a.toml": 'base = "b.toml"\n', "b.toml": 'base = "bridge"\n[rep]\ntarget = "x"\n'},
            "{b}: [rep].target: expected a number",
        ),
    ],
)
def test_base_file_errors_name_the_file_and_key(tmp_path: Path, files: dict[str, str], message: str) -> None:
    from formcheck.exercises.custom import load_exercise_file

    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError) as info:
        load_exercise_file(tmp_path / "a.toml")
    assert str(info.value).startswith(message.format(a=tmp_path / "a.toml", b=tmp_path / "b.toml")), str(info.value)
