"""An exercise as an exercise file: what ``formcheck exercises --show ID`` prints.

The output is a complete, commented TOML file in the format of
``formcheck.exercises.custom``; loading it gives back an equivalent spec (the same
numbers, texts and faults, and metrics that compute the same values), so a
physical therapist can copy a built-in exercise and edit it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import fields
from typing import TYPE_CHECKING

from formcheck.exercises.custom_metrics import (
    AngleMetric,
    BothSides,
    DistanceMetric,
    HeightMetric,
    MeasureMetric,
    MetricDef,
    RatioMetric,
    SegmentMetric,
    metric_defs,
)
from formcheck.exercises.spec import Condition, ConditionGroup, ExerciseSpec

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_HEADER = """\
# {name} ({source}), as an exercise file.
# Copy it, change what you need and run:
#   formcheck analyze VIDEO --exercise-file THIS_FILE.toml
# Angles are in degrees, times in seconds. A file may also start from a built-in
# exercise and change only some numbers: base = "{id}", then e.g. {example}
"""

_METRICS_NOTE = """\
# What is measured in every frame. angle = three joints, the angle at the middle
# one (signed = true: it reads above 180 when the joint opens past straight).
# Joints are on the measured side (--side); prefix other_, left_, right_ or mid_
# for another. measure = one of formcheck's body measures (side = "other" etc.).
"""

_NOTES = {
    "rep": "# A rep: the primary metric moves from the person's rest value towards target\n"
    "# (direction up = rising); it starts start_delta past rest and ends within\n"
    "# end_delta of it. A movement that stops short of target is a partial rep.",
    "timing": "# Timing faults of a finished rep: at least min_top_s at the top, min_down_s on\n"
    "# the way back, min_rep_s for the whole rep (0 turns a check off).",
    "hold": "# The held position: every condition true. The timer pauses while a fault\n"
    "# that applies during the hold is shown.",
    "faults": "# Form faults: all conditions true, during rest / active / top (reps), hold\n# (holds) or any.",
    "dose": "# The default dose: sets of reps (per side when per_side), hold_s seconds each hold.",
    "guided": "# Not measurable from one webcam (the reason is shown to the user): live mode cues\n"
    "# each hold (cue ... hold 5, 4, 3 ... relax) and counts the holds done in the\n"
    "# starting position (position: absolute conditions), still and without a fault;\n"
    "# offline counts are reported as estimates.",
}


def _value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Condition):
        rel = ", relative = true" if v.relative else ""
        value = _value([v.value, v.high]) if v.op == "between" else _value(v.value)
        return f"{{ metric = {_value(v.metric)}, op = {_value(v.op)}, value = {value}{rel} }}"
    if isinstance(v, ConditionGroup):  # an inline table: one line in TOML 1.0
        return f"{{ {v.mode} = [{', '.join(_value(x) for x in v.items)}] }}"
    if isinstance(v, list | tuple):
        items = [_value(x) for x in v]
        if any(isinstance(x, Condition | ConditionGroup) for x in v) and len(items) > 1:
            return "[\n" + "".join(f"    {x},\n" for x in items) + "]"
        return "[" + ", ".join(items) + "]"
    raise TypeError(f"cannot write {v!r} as TOML")


def _lines(pairs: Iterable[tuple[str, object]]) -> list[str]:
    return [f"{k} = {_value(v)}" for k, v in pairs]


def _changed(obj: DataclassInstance, always: Iterable[str] = ()) -> list[tuple[str, object]]:
    """Fields that differ from their dataclass default, plus the ``always`` ones."""
    keep = set(always)
    return [(f.name, getattr(obj, f.name)) for f in fields(obj) if f.name in keep or getattr(obj, f.name) != f.default]


def _metric(d: MetricDef) -> list[tuple[str, object]]:
    bias: list[tuple[str, object]] = [("bias", d.bias)] if d.bias is not None else []
    if isinstance(d, BothSides):
        return [*_metric(d.inner), ("sides", d.combine)]
    if isinstance(d, DistanceMetric | HeightMetric):
        kind = "distance" if isinstance(d, DistanceMetric) else "height"
        return [(kind, [str(j) for j in d.points]), ("per", d.per), *bias]
    if isinstance(d, SegmentMetric):
        against = d.against if isinstance(d.against, str) else [str(j) for j in d.against]
        return [("segment", [str(j) for j in d.segment]), ("against", against), *bias]
    if isinstance(d, RatioMetric):
        return [("ratio", list(d.of)), *bias]
    if isinstance(d, AngleMetric):
        pairs: list[tuple[str, object]] = [("angle", [str(j) for j in d.joints])]
        return [*pairs, ("signed", True), *bias] if d.signed else [*pairs, *bias]
    assert isinstance(d, MeasureMetric)
    pairs = [("measure", d.measure)]
    return (pairs + [("side", d.side)] if d.side != "measured" else pairs) + bias


def exercise_to_toml(spec: ExerciseSpec) -> str:
    """The whole spec as a commented TOML exercise file."""
    defs = metric_defs(spec.metrics)
    if defs is None and not isinstance(spec.metrics, str):
        raise ValueError(f"{spec.id}: its metrics are code, not definitions, and cannot be written to a file")
    example = f"[rep] target = {_value(spec.rep.target)}" if spec.rep else f"[dose] hold_s = {_value(spec.dose.hold_s)}"
    out = [_HEADER.format(name=spec.name, source=spec.source, id=spec.id, example=example)]
    exercise: list[tuple[str, object]] = [
        ("id", spec.id),
        ("name", spec.name),
        ("source", spec.source),
        ("view", spec.view.value),
        ("kind", spec.kind),
        ("instruction", spec.instruction),
        ("bilateral", spec.bilateral),
        ("primary", spec.primary),
        ("required", list(spec.required)),
    ]
    if spec.views:
        exercise.append(("views", [v.value for v in spec.allowed_views]))
    if spec.side_choice != "visible":
        exercise.append(("side", spec.side_choice))
    if spec.side_by is not None:
        exercise += [("side_by", spec.side_by[0]), ("side_by_direction", "up" if spec.side_by[1] == 1 else "down")]
    if defs is None:  # a built-in metric set this module cannot spell out: name it
        exercise.append(("metrics", spec.metrics))
    out += ["[exercise]", *_lines(exercise), ""]
    if defs is not None:
        out.append(_METRICS_NOTE.rstrip("\n"))
        for name, d in defs.items():
            note = []
            if d.bias is None and d.default_bias:
                note = [f"# side views: {d.default_bias:g} subtracted (the hip landmark's bias; bias = 0: none)"]
            out += [f"[metrics.{name}]", *_lines(_metric(d)), *note, ""]

    if spec.rep is not None:
        rep = [
            (k, "up" if v == 1 else "down") if k == "direction" else (k, v)
            for k, v in _changed(spec.rep, always=("target", "direction", "start_delta", "end_delta", "min_phase_s"))
            if not (k == "rest" and v is None)
        ]
        rep += [("partial_code", spec.partial_code), ("partial_message", spec.partial_message)]
        if spec.both_directions:
            rep.append(("both_directions", True))
        if spec.direction_rule != "any":
            rep += [("direction_rule", spec.direction_rule), ("wrong_side_message", spec.wrong_side_message)]
        if spec.rep_requires:
            rep += [
                ("requires", list(spec.rep_requires)),
                ("requires_code", spec.requires_code),
                ("requires_message", spec.requires_message),
            ]
        out += [_NOTES["rep"], "[rep]", *_lines(rep), ""]
        timing = [(k, v) for k, v in _changed(spec.timing) if v is not None]
        if timing:
            out += [_NOTES["timing"], "[timing]", *_lines(timing), ""]
    else:
        hold: list[tuple[str, object]] = [
            ("position", list(spec.hold_position)),
            ("direction", "up" if spec.hold_direction == 1 else "down"),
            *_changed(spec.hold),
        ]
        if spec.holds_count_as_reps:
            hold += [
                ("counts_as_reps", True),
                ("partial_code", spec.partial_code),
                ("partial_message", spec.partial_message),
            ]
        out += [_NOTES["hold"], "[hold]", *_lines(hold), ""]

    if spec.faults:
        out.append(_NOTES["faults"])
    for rule in spec.faults:
        out += [
            "[[faults]]",
            *_lines(
                [("code", rule.code), ("message", rule.message), ("when", list(rule.when)), ("during", rule.during)]
                + ([("still", True)] if rule.still else [])
            ),
            "",
        ]
    dose = [(k, v) for k, v in _changed(spec.dose, always=("sets",)) if v is not None]
    out += [_NOTES["dose"], "[dose]", *_lines(dose)]
    if spec.guided is not None:
        g = spec.guided
        guided: list[tuple[str, object]] = [("reason", g.reason), ("cue", g.cue), ("position", list(g.position))]
        guided += [("position_message", g.position_message), ("relax_s", g.relax_s), ("relax", g.relax)]
        out += ["", _NOTES["guided"], "[guided]", *_lines(guided)]
    return "\n".join(out) + "\n"
