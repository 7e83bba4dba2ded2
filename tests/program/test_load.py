"""Program files: the bundled program, strict validation with key paths, and the JSON Schema."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import jsonschema
import pytest

from formcheck.errors import ConfigError
from formcheck.program import default_program_path, load_program
from formcheck.program.load import parse_program
from formcheck.program.schema import program_json_schema

SCHEMA_FILE = Path(__file__).parents[2] / "formcheck" / "program" / "data" / "program.schema.json"

MINIMAL = """
name = "Test program"
frequency = "3x/week"
start = 2026-12-01
"""


def _write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# Doses the handouts state (seed 000, seed 004) and, where they say "as directed",
# the catalogue's starting point (EXERCISES.md): (sets, reps, hold_s, per_side).
HANDOUT_DOSES = {
    "pelvic_tilt": (1, 10, 5.0, False),  # seed 000: hold 5 s
    "hip_flexor_stretch": (3, None, 30.0, False),
    "calf_stretch": (3, None, 30.0, True),
    "lower_trunk_rotation": (1, 10, 4.0, True),  # seed 000: hold 3-5 s, each side
    "half_kneel_hip_stretch": (3, None, 30.0, True),
    "childs_pose": (3, None, 30.0, False),  # seed 004: 30-60 s, repeat
    "knee_to_chest": (3, None, 30.0, True),  # seed 004: 30 s, 2-3 sets each side
    "side_bend": (3, 10, None, False),  # seed 004: 2-3 sets of 10
    "bridge": (3, 10, None, False),  # seed 004: 3 sets of 10
    "nerve_glide": (1, 20, None, False),  # seed 004: 20 repetitions
}


def test_bundled_program_has_every_handout_exercise_at_the_handout_dose():
    lp = load_program(default_program_path())
    assert [e.spec.id for e in lp.exercises] == list(HANDOUT_DOSES)
    for e in lp.exercises:
        assert (e.sets, e.reps, e.hold_s, e.per_side) == HANDOUT_DOSES[e.spec.id], e.spec.id
        assert e.entry.notes
    assert lp.program.frequency == "daily" and lp.program.sessions_per_week == 7


@pytest.mark.parametrize(
    ("exercise", "side", "side_is", "expected"),
    [
        ("hip_flexor_stretch", "right", "painful", "right"),  # --side names the affected (straight) leg
        ("hip_flexor_stretch", "right", "working", "left"),  # the working (pulled) leg is the other one
        ("side_bend", "left", "painful", "left"),  # --side names the symptomatic side
        ("side_bend", "left", "working", "right"),
        ("nerve_glide", "left", "painful", "left"),  # the affected leg is the one that works
        ("nerve_glide", "left", "working", "left"),
        ("knee_to_chest", "right", "painful", "right"),  # per side: the stated side first
        ("bridge", "left", "painful", "auto"),  # both legs work: no side to pick
    ],
)
def test_stated_side_becomes_the_analysis_side(exercise: str, side: str, side_is: str, expected: str):
    data = tomllib.loads(MINIMAL + f'[[exercises]]\nexercise = "{exercise}"\nside = "{side}"\nside_is = "{side_is}"\n')
    [e] = parse_program(data).exercises
    assert e.analyzer_side() == expected


def test_program_names_an_exercise_file_relative_to_itself(tmp_path: Path):
    (tmp_path / "ex").mkdir()
    _write(tmp_path / "ex", 'base = "bridge"\n[dose]\nsets = 2\nreps = 8\n', "my_bridge.toml")
    path = _write(tmp_path, MINIMAL + '[[exercises]]\nfile = "ex/my_bridge.toml"\nsets = 4\n')
    [e] = load_program(path).exercises
    assert (e.spec.id, e.sets, e.reps) == ("bridge", 4, 8)  # the program's sets, the file's reps


BAD = [
    ('[[exercises]]\nexercise = "brige"\n', r"\[\[exercises\]\]\[0\]\.exercise: unknown exercise \"brige\" "
     r"\(did you mean 'bridge'\?\); valid: bridge, "),
    ('[[exercises]]\nfile = "missing.toml"\n', r"\[\[exercises\]\]\[0\]\.file: no such exercise file \"missing.toml\""),
    ('[[exercises]]\nexercise = "bridge"\n[[exercises]]\nexercise = "bridge"\nsets = -2\n',
     r"\[\[exercises\]\]\[1\]\.sets: must be greater than 0, got -2"),
    ('[[exercises]]\nexercise = "childs_pose"\nhold_s = -30\n',
     r"\[\[exercises\]\]\[0\]\.hold_s: must be greater than 0, got -30"),
    ('[[exercises]]\nexercise = "bridge"\nrest_s = -1\n',
     r"\[\[exercises\]\]\[0\]\.rest_s: must be at least 0, got -1"),
    ('[[exercises]]\nexercise = "bridge"\nrepetitions = 10\n',
     r"\[\[exercises\]\]\[0\]\.repetitions: unknown key; valid keys: exercise, file, side, side_is, sets, reps"),
    ('colour = "red"\n[[exercises]]\nexercise = "bridge"\n', r"colour: unknown key; valid keys: name, patient, "),
    ('[[exercises]]\nexercise = "bridge"\nside = "left"\n', r"\[\[exercises\]\]\[0\]: give `side` .* with `side_is`"),
    ('[[exercises]]\nexercise = "bridge"\nside = "left"\nside_is = "sore"\n',
     r"\[\[exercises\]\]\[0\]\.side_is: expected one of 'working' or 'painful', got \"sore\""),
    ('[[exercises]]\nexercise = "childs_pose"\nreps = 10\n', r"\.reps: childs_pose is a timed hold"),
    ("", r"exercises: missing"),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "message"), BAD)
def test_bad_program_is_one_line_with_the_key_path(tmp_path: Path, extra: str, message: str):
    path = _write(tmp_path, MINIMAL + extra)
    with pytest.raises(ConfigError) as err:
        load_program(path)
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith(f"{path}: ")
    assert re.search(message, text), text


@pytest.mark.parametrize(
    ("top", "message"),
    [
        ('frequency = "often"', 'frequency: expected "daily" or "Nx/week"'),
        ('frequency = "3x/week"\ndays = ["mon", "wed"]', "`days` names 2 days but frequency is '3x/week'"),
        ('frequency = "daily"\nend = 2026-11-01', "`end` (2026-11-01) is before `start` (2026-12-01)"),
    ],
)
def test_bad_schedule(top: str, message: str):
    text = MINIMAL.replace('frequency = "3x/week"', top) + '[[exercises]]\nexercise = "bridge"\n'
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_program(tomllib.loads(text), "p.toml")


def _as_json(data: object) -> object:
    return json.loads(json.dumps(data, default=str))


def test_schema_accepts_the_bundled_program_and_rejects_what_the_loader_rejects():
    schema = program_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = _as_json(tomllib.loads(default_program_path().read_text()))
    jsonschema.validate(data, schema)
    bad = json.loads(json.dumps(data))
    bad["exercises"][0]["sets"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    bad = json.loads(json.dumps(data))
    bad["exercises"][0]["reeps"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_shipped_schema_file_is_the_generated_one():
    """Editors read the file; it must be what the models generate (`formcheck program schema --out`)."""
    assert json.loads(SCHEMA_FILE.read_text()) == program_json_schema()
