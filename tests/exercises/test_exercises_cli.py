"""``formcheck exercises`` list|show|check|schema|trace (issue 13)."""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from synthetic_body import pose_frame
from test_language import JACKS, jack_frames, spec_of

from formcheck.analysis import Analyzer
from formcheck.cli import main
from formcheck.exercises import cli as exercises_cli
from formcheck.exercises import custom
from formcheck.exercises.schema import DESCRIPTIONS, exercise_json_schema
from formcheck.exercises.trace import Trace, plot_trace, thresholds

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "exercises").glob("*.toml"))
BROKEN = 'base = "bridge"\n[rep]\ntarget = "high"\n'


def test_list_and_show_keep_working(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises"]) == 0
    listed = capsys.readouterr().out
    assert main(["exercises", "list"]) == 0
    assert capsys.readouterr().out == listed and "bridge" in listed
    assert main(["exercises", "--show", "bridge"]) == 0
    shown = capsys.readouterr().out
    assert main(["exercises", "show", "bridge"]) == 0
    assert capsys.readouterr().out == shown and shown.startswith("# Glute bridge")


def test_check_says_ok_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises", "check", *map(str, EXAMPLES)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(EXAMPLES) and all(": ok: " in ln for ln in lines)


@pytest.mark.parametrize("command", ["check", "trace"])
def test_a_broken_file_is_one_line_naming_the_key(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BROKEN)
    argv = ["exercises", command, str(bad)] + ([str(tmp_path / "no-such-video.mp4")] if command == "trace" else [])
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err == f'formcheck: error: {bad}: [rep].target: expected a number, got "high"\n'
    assert out == "" and list(tmp_path.iterdir()) == [bad]


def test_schema_is_valid_and_every_example_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exercises", "schema", "--out", str(tmp_path / "s.json")]) == 0
    schema = json.loads((tmp_path / "s.json").read_text())
    assert schema == exercise_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in EXAMPLES:
        jsonschema.validate(tomllib.loads(path.read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"exercise": {"colour": "red"}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"metrics": {"m": {"distance": ["ankle", "knee"], "per": "leg"}}}, schema)


def test_schema_covers_every_key_the_loader_reads() -> None:
    """One definition: the schema is built from the loader's key lists, each described."""
    keys = {*custom.TOP_KEYS, *custom.EXERCISE_KEYS, *custom.METRIC_KEYS, *custom.REP_KEYS, *custom.TIMING_KEYS}
    keys |= {*custom.HOLD_KEYS, *custom.FAULT_KEYS, *custom.CONDITION_KEYS, *custom.GROUP_KEYS, *custom.DOSE_KEYS}
    assert keys <= set(DESCRIPTIONS)
    schema = exercise_json_schema()
    assert set(schema["properties"]["rep"]["properties"]) == set(custom.REP_KEYS)
    assert set(schema["properties"]["exercise"]["properties"]) == set(custom.EXERCISE_KEYS)


def _jacks_run() -> tuple[object, Trace, object]:
    spec = spec_of(JACKS + '[[faults]]\ncode = "wide"\nmessage = "m"\nwhen = ["feet > 3"]\n', "", primary="arms")
    an = Analyzer(spec, "auto")
    trace = Trace()
    for i, p in enumerate(jack_frames([(80, 50), (80, 0)])):
        trace.add(an.step(pose_frame(i, i * 1000 / 30, p)))
    return spec, trace, an.finish()


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_trace_writes_the_plot(suffix: str, tmp_path: Path) -> None:
    spec, trace, summary = _jacks_run()
    assert set(trace.metrics) >= {"arms", "arms.left", "arms.right", "feet"}
    assert len(trace.metrics["arms"]) == len(trace.t_s)
    lines = thresholds(spec)  # type: ignore[arg-type]
    assert (0.3, "rep target 0.3") in lines["arms"]
    assert any(v == 1.4 and "rep needs" in why for v, why in lines["feet"])
    assert any(v == 3 and "fault wide" in why for v, why in lines["feet"])
    out = tmp_path / f"t{suffix}"
    plot_trace(spec, trace, summary, out)  # type: ignore[arg-type]
    head = out.read_bytes()[:64]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in out.read_bytes()[:2000] or b"<?xml" in head
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_trace_command_writes_the_plot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec, trace, summary = _jacks_run()
    file = tmp_path / "jacks.toml"
    from formcheck.exercises.export import exercise_to_toml

    file.write_text(exercise_to_toml(spec))  # type: ignore[arg-type]
    video = tmp_path / "jacks.mp4"
    video.write_bytes(b"")
    monkeypatch.setattr(exercises_cli, "trace_video", lambda *a: (trace, summary))
    assert main(["exercises", "trace", str(file), str(video), "--out", str(tmp_path / "t.svg")]) == 0
    assert "1 reps, 1 partial; trace: " in capsys.readouterr().out
    assert (tmp_path / "t.svg").exists()
    assert main(["exercises", "trace", str(file), str(video), "--out", str(tmp_path / "t.pdf")]) == 2
    assert "the plot is written as .png or .svg" in capsys.readouterr().err
