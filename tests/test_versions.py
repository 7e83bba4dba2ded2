"""Dependency bounds and the tested versions stay in step; drift is reported, not hidden."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from formcheck import versions
from formcheck.versions import TESTED_FILE, canonical, differences, drift_note, main

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
PROJECT = tomllib.loads(PYPROJECT.read_text())["project"]
REQUIRED = [Requirement(r) for r in PROJECT["dependencies"]]
RUNTIME = REQUIRED + [Requirement(r) for r in PROJECT["optional-dependencies"]["cluster"]]


@pytest.mark.parametrize("req", RUNTIME, ids=[r.name for r in RUNTIME])
def test_every_runtime_dependency_has_a_tested_upper_bound(req: Requirement):
    assert any(s.operator in ("<", "<=", "~=", "==") for s in req.specifier), f"{req}: no upper bound"
    tested = versions.tested_versions()
    assert canonical(req.name) in tested, f"{req.name} is not in {TESTED_FILE.name}"
    assert req.specifier.contains(tested[canonical(req.name)]), f"tested {tested[canonical(req.name)]} outside {req}"


def test_tested_file_lists_only_runtime_dependencies():
    assert set(versions.tested_versions()) == {canonical(r.name) for r in RUNTIME}
    assert set(versions.tested_versions(optional=False)) == {canonical(r.name) for r in REQUIRED}


def test_differences_name_the_package_and_both_versions():
    tested = {"mediapipe": "1.2.3", "numpy": "2.4.6"}
    assert differences(tested, {"mediapipe": "1.2.3", "numpy": "2.4.6"}) == []
    assert differences(tested, {"mediapipe": "1.2.4", "numpy": None}) == [
        "mediapipe 1.2.4 (tested 1.2.3)",
        "numpy not installed (tested 2.4.6)",
    ]


def test_drift_note_is_one_line_either_way(tmp_path: Path):
    pins = tmp_path / "pins.txt"
    pins.write_text("# comment\nMediaPipe==1.2.3  # the model runtime\nnumpy == 2.4.6\n\n")
    assert versions.tested_versions(pins) == {"mediapipe": "1.2.3", "numpy": "2.4.6"}
    same = drift_note({"mediapipe": "1.2.3", "numpy": "2.4.6"}, pins)
    newer = drift_note({"mediapipe": "1.2.9", "numpy": "2.4.6"}, pins)
    assert "\n" not in same + newer
    assert same.startswith("dependencies: the tested versions")
    assert "NOT the tested versions: mediapipe 1.2.9 (tested 1.2.3)" in newer and "--rerun-model" in newer


def test_module_prints_the_note_and_exits_0(capsys: pytest.CaptureFixture[str]):
    assert main([]) == 0
    assert capsys.readouterr().out.startswith("dependencies: ")


def test_an_optional_extra_not_installed_is_not_drift():
    found: dict[str, str | None] = dict(versions.tested_versions(optional=False))
    found.update({name: None for name in versions.tested_versions() if name not in found})
    assert "NOT the tested versions" not in drift_note(found)
