"""The JSON report: contract keys, atomic writes, and a golden file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_body import bridge_points, pose_frame, schedule_trace

from formcheck.analysis import Analyzer
from formcheck.errors import OutputError
from formcheck.exercises import get_exercise
from formcheck.metrics import compute_metrics
from formcheck.report import build_report, format_summary, validate_report, write_json_atomic

GOLDEN = Path(__file__).parent / "golden" / "bridge_synthetic_report.json"


def _synthetic_report(complete: bool = True, reason: str = "") -> dict:
    import numpy as np

    lifts = np.linspace(-5, 55, 601)
    table = compute_metrics("bridge", np.stack([bridge_points(x) for x in lifts]), "right")["hip_angle"]
    trace = schedule_trace(
        [("rest", 0, 2.0), ("rep", 180, 1.0), ("rest", 0, 1.0), ("rep", 150, 0.5), ("rest", 0, 1.0)]
        + [("rep", 205, 1.0), ("rest", 0, 1.0), ("rep", 178, 0.0, 0.4), ("rest", 0, 2.0)]
    )
    spec = get_exercise("bridge")
    an = Analyzer(spec, "auto")
    for i, (t, angle) in enumerate(trace):
        an.step(pose_frame(i, t * 1000, bridge_points(float(np.interp(angle, table, lifts)))))
    return build_report(an.finish(), spec, source="synthetic.mp4", fps=30.0, complete=complete, stopped_reason=reason)


def test_report_has_contract_keys_and_types():
    report = _synthetic_report()
    assert validate_report(report) == []
    assert report["reps"] == 3 and report["partial_reps"] == 1
    assert len(report["rep_events"]) == 4
    json.dumps(report)  # serialisable as is


def test_report_matches_golden_file():
    """Any change to the report's content must be deliberate: regenerate with FORMCHECK_UPDATE_GOLDEN=1."""
    report = _synthetic_report()
    report.pop("formcheck_version")
    if os.environ.get("FORMCHECK_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(report, indent=2) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert report == golden


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r.pop("reps"),
        lambda r: r.update(reps="3"),
        lambda r: r.update(complete=1),
        lambda r: r.update(fps=30),
        lambda r: r["rep_events"][0].pop("peak_s"),
        lambda r: r["faults"].append({"t_s": 1.0}),
    ],
    ids=["missing-key", "str-reps", "int-complete", "int-fps", "event-key", "fault-key"],
)
def test_validate_report_catches_contract_breaks(mutate):
    report = _synthetic_report()
    mutate(report)
    assert validate_report(report)


def test_incomplete_report_says_why():
    report = _synthetic_report(complete=False, reason="interrupted after 10 frames")
    assert report["complete"] is False
    assert "INCOMPLETE: interrupted after 10 frames" in format_summary(report)


def test_write_is_atomic_and_errors_are_clear(tmp_path: Path):
    target = tmp_path / "r.json"
    write_json_atomic({"a": 1}, target)
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temp files left
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    if os.access(ro, os.W_OK):  # running as root: permissions are not enforced
        pytest.skip("permissions are not enforced for this user")
    with pytest.raises(OutputError, match="cannot write the report"):
        write_json_atomic({"a": 1}, ro / "r.json")
