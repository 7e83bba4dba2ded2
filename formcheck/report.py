"""The JSON report: a stable contract other tools parse.

Keys required by the command-line contract are always present; extra keys may
be added, never renamed. Reports are written atomically, and a run that stopped
early says so with ``complete: false`` and ``stopped_reason``.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.analysis import AnalysisSummary
from formcheck.errors import OutputError
from formcheck.exercises.spec import ExerciseSpec

REQUIRED_KEYS: dict[str, type | tuple[type, ...]] = {
    "formcheck_version": str,
    "source": str,
    "exercise": str,
    "side": (str, type(None)),
    "fps": float,
    "frames": int,
    "duration_s": float,
    "pose_detected_ratio": float,
    "reps": int,
    "partial_reps": int,
    "rep_events": list,
    "holds": list,
    "faults": list,
    "complete": bool,
}


def _r(x: float, nd: int = 3) -> float:
    return round(float(x), nd) if math.isfinite(x) else 0.0


def build_report(
    summary: AnalysisSummary,
    spec: ExerciseSpec,
    *,
    source: str,
    fps: float,
    complete: bool,
    stopped_reason: str = "",
    warnings: list[str] | None = None,
    max_fps: float | None = None,
) -> dict[str, Any]:
    """The report of one analysis; ``max_fps``: frames were thinned to that rate (``--max-fps``)."""
    frames = summary.frames
    # The last analysed frame stands for one frame period of video: the video's
    # own, or the thinned rate's when only every n-th frame was analysed.
    period_s = 1.0 / min(fps, max_fps) if max_fps is not None else 1.0 / fps
    if frames and math.isfinite(summary.first_t_ms):
        duration = (summary.last_t_ms - summary.first_t_ms) / 1000.0 + period_s
    else:
        duration = 0.0
    report = {
        "formcheck_version": __version__,
        "source": source,
        "exercise": spec.id,
        "exercise_name": spec.name,
        "side": summary.side,
        "fps": float(fps),
        "frames": int(frames),
        "duration_s": _r(duration),
        "pose_detected_ratio": _r(summary.detected_frames / frames if frames else 0.0, 4),
        "reps": int(summary.reps),
        "partial_reps": int(summary.partial_reps),
        "rep_events": [
            {
                "start_s": _r(e.start_s),
                "peak_s": _r(e.peak_s),
                "end_s": _r(e.end_s),
                "complete": bool(e.complete),
                "peak_value": _r(e.peak_value, 2),
                "rest_value": _r(e.rest_value, 2),
                "tempo": {"up_s": _r(e.up_s), "top_s": _r(e.top_s), "down_s": _r(e.down_s)},
                "side": e.side,
                "faults": list(e.faults),
            }
            for e in summary.rep_events
        ],
        "holds": [
            {"start_s": _r(h.start_s), "end_s": _r(h.end_s), "duration_s": _r(h.duration_s), "side": h.side}
            for h in summary.holds
        ],
        "faults": [{"t_s": _r(f.t_s), "code": f.code, "message": f.message} for f in summary.faults],
        "dose": spec.dose.describe(),
        "complete": bool(complete),
        "stopped_reason": stopped_reason,
        "warnings": list(warnings or []),
    }
    if max_fps is not None:
        report["max_fps"] = float(max_fps)
    return report


def validate_report(report: dict[str, Any]) -> list[str]:
    """Problems with a report against the contract (empty list = valid)."""
    problems = []
    for key, typ in REQUIRED_KEYS.items():
        if key not in report:
            problems.append(f"missing key {key!r}")
        elif not isinstance(report[key], typ) or (typ is int and isinstance(report[key], bool)):
            problems.append(f"{key!r} has type {type(report[key]).__name__}")
    for i, ev in enumerate(report.get("rep_events", [])):
        for key in ("start_s", "peak_s", "end_s", "complete", "peak_value", "faults"):
            if key not in ev:
                problems.append(f"rep_events[{i}] missing {key!r}")
    for i, h in enumerate(report.get("holds", [])):
        for key in ("start_s", "end_s", "duration_s"):
            if key not in h:
                problems.append(f"holds[{i}] missing {key!r}")
    for i, f in enumerate(report.get("faults", [])):
        for key in ("t_s", "code", "message"):
            if key not in f:
                problems.append(f"faults[{i}] missing {key!r}")
    return problems


def write_json_atomic(data: dict[str, Any], path: str | Path) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def format_summary(report: dict[str, Any]) -> str:
    """The short human summary printed when no --report path is given."""
    lines = [
        f"{report['exercise_name']} ({report['exercise']}) - {Path(report['source']).name}",
        f"  {report['frames']} frames, {report['duration_s']:.1f} s, person detected in "
        f"{100 * report['pose_detected_ratio']:.0f}% of frames",
    ]
    if report["rep_events"] or report["reps"] or not report["holds"]:
        lines.append(f"  reps: {report['reps']}   partial reps: {report['partial_reps']}")
    for h in report["holds"]:
        side = f" ({h['side']})" if h.get("side") else ""
        lines.append(f"  hold{side}: {h['duration_s']:.1f} s ({h['start_s']:.1f}-{h['end_s']:.1f} s)")
    codes: dict[str, int] = {}
    messages: dict[str, str] = {}
    for f in report["faults"]:
        codes[f["code"]] = codes.get(f["code"], 0) + 1
        messages[f["code"]] = f["message"]
    for code, n in codes.items():
        lines.append(f"  feedback x{n}: {messages[code]}")
    if not report["complete"]:
        lines.append(f"  INCOMPLETE: {report['stopped_reason'] or 'analysis stopped early'}")
    for w in report.get("warnings", []):
        lines.append(f"  warning: {w}")
    return "\n".join(lines)
