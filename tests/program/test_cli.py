"""``formcheck program show|ics|schema|init``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.program import default_program_path, load_program
from formcheck.program.schema import program_json_schema


def test_show_prints_the_plan(capsys: pytest.CaptureFixture[str]):
    assert main(["program", "show", str(default_program_path())]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Lumbar radiculopathy home program\n")
    assert "9. Glute bridge (bridge)" in out


def test_ics_next_to_the_program_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    program = tmp_path / "plan.toml"
    program.write_text(default_program_path().read_text())
    assert main(["program", "ics", str(program)]) == 0
    assert (tmp_path / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_schema_prints_the_models_schema(capsys: pytest.CaptureFixture[str]):
    assert main(["program", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == program_json_schema()


def test_init_writes_the_bundled_program_starting_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "mine.toml"
    assert main(["program", "init", str(out)]) == 0
    assert load_program(out).program.start == dt.date.today()
    before = out.read_text()
    assert main(["program", "init", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == before
