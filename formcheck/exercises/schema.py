"""The exercise file's JSON Schema, built from the loader's own definitions.

The loader (``formcheck.exercises.custom``) is the one definition of the format:
its key lists, choices and joint names. This module turns those same constants
into a JSON Schema, so an editor (Taplo / Even Better TOML, with
``#:schema ./exercise.schema.json`` at the top of a file) can complete and check
a file. A test checks that every key the loader reads has a description here and
that every example file validates; the loader still has the last word (ranges,
metric names, cross-references), with its one-line key-path errors.
"""

from __future__ import annotations

from typing import Any

from formcheck.exercises import custom as c
from formcheck.exercises.custom_metrics import (
    CENTRAL_JOINTS,
    COMBINES,
    JOINT_PREFIXES,
    MEASURE_SIDES,
    MEASURES,
    SIDED_JOINTS,
    SIZES,
)
from formcheck.exercises.spec import View

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Every key of every table, described once (a test fails when the loader gains a key without one).
DESCRIPTIONS: dict[str, str] = {
    "base": "start from a built-in exercise id, or another exercise file (a path from this file's folder)",
    "exercise": "what the exercise is",
    "metrics": "what is measured in every frame, by name",
    "rep": "kind = reps: when a movement counts",
    "timing": "reps: timing faults of a finished rep",
    "hold": "kind = hold: the held position and its timer",
    "faults": "form faults: conditions, when they apply, what the patient is told",
    "dose": "the default dose",
    "id": "letters, digits, _ and -: the name used in reports",
    "name": "display name",
    "source": "where the exercise comes from",
    "view": "camera view (the first of views)",
    "views": "every camera view the exercise may be done in",
    "kind": "reps (counted) or hold (timed)",
    "instruction": "one line telling the patient what to do",
    "bilateral": "false: one side works and --side names it",
    "primary": "the metric reps or holds are judged on",
    "required": "joints of the measured side that must be visible",
    "side_by": "one-sided: the metric that says which side works",
    "side_by_direction": "up or down: the working side's side_by is further this way",
    "side": "--side auto measures the visible side, or the moving one",
    "angle": "three joints: the angle at the middle one, degrees",
    "signed": "angle: 0-360 about the body's left-right axis (past straight reads above 180)",
    "measure": "one of formcheck's body measures",
    "distance": "two joints: the distance between them, in body sizes (per)",
    "height": "two joints: how far the first is above the second, in body sizes (per)",
    "segment": "two joints: the segment's angle against vertical, horizontal or another segment",
    "against": '"vertical", "horizontal", or another segment [joint, joint]',
    "per": "the body size a distance or height is divided by",
    "ratio": "two metric names: the first divided by the second",
    "sides": "measure on both sides and combine: min, max, mean; both/either for conditions",
    "bias": "degrees subtracted in side views (default: the measure's own known bias)",
    "target": "the primary metric's value that completes a rep",
    "direction": "up (the metric rises into the movement) or down",
    "start_delta": "a movement starts this far past rest",
    "end_delta": "and ends back within this of rest",
    "min_phase_s": "shorter excursions are noise",
    "min_reach_s": "the target must be held this long to count as reached",
    "max_gap_s": "a rep with a longer measurement gap is discarded",
    "baseline_tau_s": "how slowly the rest value may drift upwards",
    "baseline_down_tau_s": "how fast it follows a lower rest",
    "top_band": "at the top = within this of the rep's peak",
    "rest": "a fixed rest value instead of a learnt one",
    "partial_code": "code of a rep that stops short",
    "partial_message": "what the patient is told then",
    "both_directions": "a signed metric done to both sides",
    "direction_rule": "away_from_side: only bends away from --side count",
    "wrong_side_message": "what the patient is told for the wrong way",
    "requires": "conditions that must all be true at some moment of a rep, or it is partial",
    "requires_code": "code of a rep whose requirements were not met",
    "requires_message": "what the patient is told then",
    "position": "the held position: all conditions true",
    "hold_s": "seconds each hold lasts",
    "counts_as_reps": "each completed hold is a rep",
    "code": "a short code for the report",
    "message": "the sentence the patient is shown",
    "when": "conditions: all true = the fault",
    "during": "when the fault applies",
    "still": "only while the person holds still",
    "enabled": "false removes the base exercise's fault with this code",
    "metric": "a metric of this exercise",
    "op": "<, >, abs> and abs< (either way), between (value = [low, high])",
    "value": "a number (between: [low, high])",
    "relative": "value is a change from the person's own rest",
    "all": "every condition true",
    "any": "at least one condition true",
    "sets": "sets",
    "reps": "reps per set (per side when per_side)",
    "per_side": "the dose is for each side",
    "guided": "not measurable from one webcam: live mode cues holds and counts what it can see",
    "reason": "why one webcam cannot measure the movement (shown to the user)",
    "cue": "what to do at each cued hold",
    "position_message": "what to do when out of the starting position",
    "relax_s": "seconds of relaxation between two cued holds",
    "relax": "what is said at the end of each cued hold",
}
for _f in c.TIMING_KEYS:
    DESCRIPTIONS.setdefault(_f, "timing fault of a finished rep: " + _f.replace("_", " "))
for _f in c.HOLD_NUMBERS:
    DESCRIPTIONS.setdefault(_f, "hold timer: " + _f.replace("_", " "))

_NUMBER: dict[str, Any] = {"type": "number"}
_STRING: dict[str, Any] = {"type": "string", "minLength": 1}
_BOOL: dict[str, Any] = {"type": "boolean"}
_DIRECTION: dict[str, Any] = {"oneOf": [{"enum": list(c.DIRECTIONS)}, {"enum": [1, -1]}]}


def _joints() -> list[str]:
    prefixed = [p + j for p in JOINT_PREFIXES for j in SIDED_JOINTS]
    return [*SIDED_JOINTS, *prefixed, *CENTRAL_JOINTS]


def _table(keys: tuple[str, ...], types: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    props = {k: {**types.get(k, {}), "description": DESCRIPTIONS[k]} for k in keys}
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def exercise_json_schema() -> dict[str, Any]:
    joint = {"enum": _joints()}
    pair = {"type": "array", "items": joint, "minItems": 2, "maxItems": 2}
    condition = {
        "oneOf": [
            {"type": "string", "description": 'e.g. "knee_angle > 160"'},
            _table(
                c.CONDITION_KEYS,
                {
                    "metric": _STRING,
                    "op": {"enum": list(c.OPS)},
                    "value": {"oneOf": [_NUMBER, {"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2}]},
                    "relative": _BOOL,
                },
                ("metric", "op", "value"),
            ),
            *(
                {
                    "type": "object",
                    "properties": {g: {"type": "array", "items": {"$ref": "#/$defs/condition"}, "minItems": 1}},
                    "required": [g],
                    "additionalProperties": False,
                    "description": DESCRIPTIONS[g],
                }
                for g in c.GROUP_KEYS
            ),
        ]
    }
    conditions = {"oneOf": [{"$ref": "#/$defs/condition"}, {"type": "array", "items": {"$ref": "#/$defs/condition"}}]}
    numbers = {k: _NUMBER for k in (*c.REP_NUMBERS, *c.HOLD_NUMBERS, "hold_s")}
    metric = _table(
        c.METRIC_KEYS,
        {
            "angle": {"type": "array", "items": joint, "minItems": 3, "maxItems": 3},
            "signed": _BOOL,
            "measure": {"enum": list(MEASURES)},
            "side": {"enum": list(MEASURE_SIDES)},
            "distance": pair,
            "height": pair,
            "segment": pair,
            "against": {"oneOf": [{"enum": list(c.AGAINST)}, pair]},
            "per": {"enum": list(SIZES)},
            "ratio": {"type": "array", "items": _STRING, "minItems": 2, "maxItems": 2},
            "sides": {"enum": list(COMBINES)},
            "bias": _NUMBER,
        },
    )
    metric["oneOf"] = [{"required": [k]} for k in c.METRIC_KINDS]
    texts = {k: _STRING for k in ("partial_code", "partial_message", "wrong_side_message", "requires_code")}
    texts["requires_message"] = _STRING
    rep = _table(
        c.REP_KEYS,
        {
            **numbers,
            **texts,
            "direction": _DIRECTION,
            "both_directions": _BOOL,
            "direction_rule": {"enum": list(c.DIRECTION_RULES)},
            "requires": conditions,
        },
    )
    timing = _table(c.TIMING_KEYS, {k: (_NUMBER if k.startswith("min_") else _STRING) for k in c.TIMING_KEYS})
    hold = _table(
        c.HOLD_KEYS,
        {**numbers, **texts, "position": conditions, "direction": _DIRECTION, "counts_as_reps": _BOOL},
    )
    fault = _table(
        c.FAULT_KEYS,
        {
            "code": _STRING,
            "message": _STRING,
            "when": conditions,
            "during": {"enum": sorted({d for ds in c.DURING.values() for d in ds})},
            "still": _BOOL,
            "enabled": _BOOL,
        },
        ("code",),
    )
    views = [v.value for v in View]
    exercise = _table(
        c.EXERCISE_KEYS,
        {
            "id": {"type": "string", "pattern": c._ID.pattern.removesuffix("\\Z") + "$"},
            "name": _STRING,
            "source": _STRING,
            "view": {"enum": views},
            "views": {"type": "array", "items": {"enum": views}, "minItems": 1},
            "kind": {"enum": list(c.KINDS)},
            "instruction": _STRING,
            "bilateral": _BOOL,
            "primary": _STRING,
            "required": {"type": "array", "items": {"enum": list(SIDED_JOINTS)}},
            "metrics": _STRING,
            "side_by": _STRING,
            "side_by_direction": _DIRECTION,
            "side": {"enum": list(c.SIDE_CHOICES)},
        },
    )
    dose = _table(
        c.DOSE_KEYS, {"sets": {"type": "integer", "minimum": 1}, "reps": {"type": "integer", "minimum": 1},
                      "hold_s": _NUMBER, "per_side": _BOOL},
    )  # fmt: skip
    guided = _table(
        c.GUIDED_KEYS,
        {"reason": _STRING, "cue": _STRING, "position": conditions, "position_message": _STRING,
         "relax_s": _NUMBER, "relax": _STRING},
    )  # fmt: skip
    top = _table(
        c.TOP_KEYS,
        {
            "base": _STRING,
            "exercise": exercise,
            "metrics": {"type": "object", "additionalProperties": metric},
            "rep": rep,
            "timing": timing,
            "hold": hold,
            "faults": {"type": "array", "items": fault},
            "dose": dose,
            "guided": guided,
        },
    )
    return {
        "$schema": SCHEMA_DRAFT,
        "title": "formcheck exercise file",
        **top,
        "$defs": {"condition": condition},
    }
