"""The JSON Schema of a clip's truth file (written to sample_videos/truth.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path

SIDE = {"enum": ["left", "right", None]}
NUM = {"type": "number"}
TIME = {"type": "number", "minimum": 0}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "formcheck/sample_videos/truth.schema.json",
    "title": "formcheck sample clip truth",
    "type": "object",
    "required": [
        "schema_version",
        "clip",
        "exercise",
        "performed",
        "side",
        "near_side",
        "view",
        "camera",
        "body",
        "seed",
        "fps",
        "frames",
        "duration_s",
        "width",
        "height",
        "reps",
        "partial_reps",
        "rep_events",
        "holds",
        "form_breaks",
        "primary_metric",
        "metrics",
        "person_in_frame",
        "detection_rate",
        "generator",
    ],
    "properties": {
        "schema_version": {"const": 1},
        "clip": {"type": "string", "pattern": r"^[a-z0-9_]+\.mp4$"},
        "exercise": {"type": "string"},
        # a clip of an exercise file (examples/check/): the file, a path from the truth file's folder
        "exercise_file": {"type": "string", "pattern": r"\.toml$"},
        "performed": {"type": "string"},
        "side": SIDE,
        "near_side": SIDE,
        "view": {"enum": ["side", "front", "feet_end", "oblique"]},
        "camera": {"type": "object"},
        "body": {"type": "object"},
        "seed": {"type": "integer"},
        "fps": {"type": "number", "exclusiveMinimum": 0},
        "frames": {"type": "integer", "minimum": 1},
        "duration_s": {"type": "number", "exclusiveMinimum": 0},
        "width": {"const": 640},
        "height": {"const": 480},
        "reps": {"type": "integer", "minimum": 0},
        "partial_reps": {"type": "integer", "minimum": 0},
        "rep_events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_s", "peak_s", "end_s", "complete", "peak_value", "side"],
                "additionalProperties": False,
                "properties": {
                    "start_s": TIME,
                    "peak_s": TIME,
                    "end_s": TIME,
                    "complete": {"type": "boolean"},
                    "peak_value": NUM,
                    "side": SIDE,
                    "wrong_side": {"type": "boolean"},
                },  # a rep done to the wrong side: never counted
            },
        },
        "holds": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_s", "end_s", "duration_s", "side"],
                "additionalProperties": False,
                "properties": {"start_s": TIME, "end_s": TIME, "duration_s": TIME, "side": SIDE},
            },
        },
        "form_breaks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["start_s", "end_s", "code"],
                "additionalProperties": False,
                "properties": {"start_s": TIME, "end_s": TIME, "code": {"type": "string"}},
            },
        },
        "primary_metric": {"type": "string"},
        "metrics": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "array", "items": {"type": ["number", "null"]}},
        },
        "person_in_frame": {"type": "array", "items": {"type": "boolean"}},
        "detection_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "generator": {"type": "object", "required": ["tool", "anny"]},
    },
    "additionalProperties": False,
}


def write_schema(folder: Path) -> Path:
    p = folder / "truth.schema.json"
    p.write_text(json.dumps(SCHEMA, indent=2) + "\n")
    return p


if __name__ == "__main__":
    print(write_schema(Path(__file__).resolve().parents[2] / "sample_videos"))
