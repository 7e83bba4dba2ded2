from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.exercises.registry import exercise_ids


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("setup", "needle"),
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.write_bytes(b""), p)[1], "empty (0 bytes)"),
        (lambda p: (p.write_text("not a video\n" * 100), p)[1], "not a video"),
    ],
    ids=["missing", "zero-bytes", "not-a-video"],
)
def test_analyze_bad_input_is_one_line_error(tmp_path: Path, capsys, setup, needle):
    video = setup(tmp_path / "input.mp4")
    code, _out, err = _run(capsys, "analyze", str(video), "--exercise", "bridge")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert needle in lines[0]
    assert str(video) in lines[0]
    assert "Traceback" not in err


def test_unknown_exercise_lists_valid_ids(tmp_path: Path, capsys, make_video):
    code, _, err = _run(capsys, "analyze", str(make_video()), "--exercise", "squat")
    assert code == 2
    assert "unknown exercise 'squat'" in err
    assert "bridge" in err


def test_output_path_equal_to_input_is_refused(capsys, make_video):
    video = make_video()
    before = video.read_bytes()
    code, _, err = _run(capsys, "analyze", str(video), "--exercise", "bridge", "--out", str(video))
    assert code == 2
    assert "output path is the input" in err
    assert video.read_bytes() == before


def test_console_script_error_has_no_traceback(tmp_path: Path):
    proc = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(tmp_path / "nope.mp4"), "--exercise", "bridge"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "no such file" in proc.stderr


def test_analyze_video_without_person_writes_complete_report(tmp_path: Path, capsys, make_video):
    import json

    report = tmp_path / "out" / "r.json"
    code, _out, _ = _run(
        capsys, "analyze", str(make_video(frames=60)), "--exercise", "bridge", "--report", str(report), "--quiet"
    )
    assert code == 0
    data = json.loads(report.read_text())
    assert data["frames"] == 60
    assert data["pose_detected_ratio"] == 0.0
    assert data["reps"] == 0
    assert data["complete"] is True
    assert any(f["code"] == "no_person" for f in data["faults"])


# -- output paths blocked by a file: one line, exit 2, for every command and output option ----------

BLOCKED_OUTPUTS = [
    ("demo", ["--out-dir", "{file}"]),
    ("demo", ["--out-dir", "{file}/sub"]),
    ("analyze", ["--report", "{file}/r.json"]),
    ("analyze", ["--out", "{file}/o.mp4"]),
    ("analyze", ["--report-dir", "{file}"]),
    ("analyze", ["--report-dir", "{file}/sub"]),
    ("analyze", ["--out-dir", "{file}"]),
    ("analyze", ["--out-dir", "{file}/sub"]),
    ("live", ["--record", "{file}/x.mp4"]),
    ("live", ["--report", "{file}/x.json"]),
]


@pytest.mark.parametrize(("command", "options"), BLOCKED_OUTPUTS, ids=lambda x: x if isinstance(x, str) else x[0])
def test_an_output_under_a_file_is_a_one_line_error(tmp_path: Path, capsys, make_video, command, options):
    blocker = tmp_path / "afile"
    blocker.write_text("in the way\n")
    video = make_video()
    opts = [o.format(file=blocker) for o in options]
    argv = {
        "demo": ["demo", *opts, "--quiet"],
        "analyze": ["analyze", str(video), "--exercise", "bridge", "--quiet", *opts],
        "live": ["live", "--exercise", "bridge", "--camera", str(video), "--no-window", *opts],
    }[command]
    code, _out, err = _run(capsys, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("formcheck: error: ") and "is a file, not a folder" in lines[0]
    assert blocker.read_text() == "in the way\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "clip.mp4"]  # nothing half-written


# -- usage errors: one line, one prefix, exit 2, a suggestion where one is close ---------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["analyze", "x.mp4", "--excercise", "bridge"], "unknown option --excercise; did you mean --exercise?"),
        (["analyze", "x.mp4", "--exercise", "bridge", "--reprot", "r.json"], "did you mean --report?"),
        (["analyze", "x.mp4", "--exercise=bridge", "--quite"], "unknown option --quite; did you mean --quiet?"),
        (["live", "--exercise", "bridge", "--camra", "0"], "unknown option --camra; did you mean --camera?"),
        (["demo", "--out_dir", "d"], "unknown option --out_dir; did you mean --out-dir?"),
        (["--frobnicate"], "unknown option --frobnicate; see formcheck --help"),
        (["analyse", "x.mp4"], "unknown command 'analyse'; did you mean analyze?"),
        (["dmeo"], "unknown command 'dmeo'; did you mean demo?"),
        (["analyze", "x.mp4", "--exercise", "brige"], "unknown exercise 'brige'; did you mean bridge?"),
        (["live", "--exercise", "child_pose"], "unknown exercise 'child_pose'; did you mean childs_pose?"),
        (["exercises", "--show", "sidebend"], "unknown exercise 'sidebend'; did you mean side_bend?"),
        (["analyze", "x.mp4", "--exercise", "bridge", "--side", "lft"], "unknown side 'lft'; did you mean left?"),
        (["analyze"], "the following arguments are required"),
        (["analyze", "x.mp4"], "one of the arguments --exercise --exercise-file is required"),
        (["demo", "--out-dir"], "expected one argument"),
        (["analyze", "x.mp4", "--exercise", "bridge", "--jobs", "two"], "invalid int value"),
    ],
)
def test_usage_errors_are_one_line_with_a_suggestion(capsys, argv, expected):
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("formcheck: error: ")
    assert expected in lines[0]


def test_the_installed_command_reports_a_typo_in_one_line():
    proc = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", "x.mp4", "--excercise", "bridge"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr == "formcheck: error: unknown option --excercise; did you mean --exercise?\n"


@pytest.mark.parametrize("command", ["analyze", "live", "demo"])
def test_subcommand_help_lists_exercises_exit_codes_and_an_example(capsys, command):
    code, out, _ = _run(capsys, command, "--help")
    assert code == 0
    assert "exit codes" in out and "example" in out and f"formcheck {command}" in out
    if command != "demo":
        for exercise in exercise_ids():
            assert exercise in out
        assert "PAINFUL side" in out  # what --side means for side_bend


# -- --side: a warning where it cannot choose a working side; side_bend's painful side ---------------

# From EXERCISES.md: these are done with both sides together, or to both sides in turn.
TWO_SIDED = {"pelvic_tilt", "childs_pose", "bridge", "lower_trunk_rotation"}


@pytest.fixture
def fake_analyze(monkeypatch):
    """analyze_file replaced: records what it was asked, returns a complete empty report."""
    from formcheck import cli

    seen: dict = {}

    def fake(video, exercise, side, *args, **kw):
        seen.update(exercise=exercise, side=side)
        return {"complete": True}

    monkeypatch.setattr(cli, "analyze_file", fake)
    monkeypatch.setattr("formcheck.report.format_summary", lambda report: "summary")
    return seen


@pytest.mark.parametrize("exercise", exercise_ids())
@pytest.mark.parametrize("side", ["left", "auto"])
def test_side_on_a_two_sided_exercise_warns_and_runs_on(capsys, fake_analyze, exercise, side):
    code, out, err = _run(capsys, "analyze", "clip.mp4", "--exercise", exercise, "--side", side)
    assert code == 0 and out.strip() == "summary"
    assert fake_analyze["side"] == side
    if side == "left" and exercise in TWO_SIDED:
        lines = err.splitlines()
        assert len(lines) == 1
        assert lines[0].startswith(f"formcheck: warning: {exercise} ")
        assert "--side left" in lines[0]
    else:
        assert err == ""


def test_painful_side_is_the_side_for_side_bend(capsys, fake_analyze):
    code, _, err = _run(capsys, "analyze", "clip.mp4", "--exercise", "side_bend", "--painful-side", "right")
    assert code == 0 and err == ""
    assert fake_analyze["side"] == "right"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--exercise", "bridge", "--painful-side", "left"], "--painful-side is for exercises done away from"),
        (["--exercise", "side_bend", "--painful-side", "left", "--side", "right"], "disagree"),
    ],
)
def test_painful_side_misuse_is_a_one_line_error(capsys, fake_analyze, argv, needle):
    code, _, err = _run(capsys, "analyze", "clip.mp4", *argv)
    assert code == 2
    (line,) = err.splitlines()
    assert line.startswith("formcheck: error: ") and needle in line


def test_messages_on_stderr_use_one_error_and_one_warning_prefix():
    """Every 'formcheck: ...' message in the package is an error or a warning, spelled one way."""
    import re

    package = Path(__file__).resolve().parents[1] / "formcheck"
    literal = re.compile(r"""(?<!")["']formcheck: [a-z]+:? ?""")  # a string starting so, not a docstring
    found = {(path.name, m.group(0)[1:]) for path in package.rglob("*.py") for m in literal.finditer(path.read_text())}
    assert found, "the pattern finds the prefixes in cli.py"
    assert {prefix for _, prefix in found} <= {"formcheck: error: ", "formcheck: warning: "}, found


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["program", "shw"], "unknown command 'shw'; did you mean show? commands: show, ics, schema, init"),
        (["history", "lst"], "unknown command 'lst'; did you mean list?"),
        (["report", "--bogus"], "unknown option --bogus; see formcheck report --help"),
        (["analyze", "x.mp4", "--excercise", "bridge"], "unknown option --excercise; did you mean --exercise?"),
    ],
)
def test_nested_commands_and_far_off_flags_get_one_honest_line(capsys, argv, expected):
    """A mistyped nested command is named with its closest match; a flag close to none is
    not 'corrected' to an unrelated one (--bogus is not --out)."""
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"formcheck: error: {expected}")


def test_a_reader_that_stops_early_gets_no_traceback():
    """`formcheck exercises schema | head -1`: the pipe closes early; that is no error to report."""
    import subprocess
    import sys

    proc = subprocess.run(
        f"{sys.executable} -m formcheck exercises schema | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
        executable="/bin/bash",
    )
    assert proc.stdout == "{"
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr


@pytest.mark.parametrize("command", [["exercises", "schema"], ["program", "schema"]])
def test_schema_under_a_file_is_one_clear_line(tmp_path, capsys, command):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main([*command, "--out", str(blocker / "schema.json")]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"formcheck: error: {blocker}: is a file, not a folder; cannot write {blocker / 'schema.json'} inside it\n"
    )
