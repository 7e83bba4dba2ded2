"""The JSON report: a stable contract other tools parse.

Keys required by the command-line contract are always present; extra keys may
be added, never renamed. Reports are written atomically, and a run that stopped
early says so with ``complete: false`` and ``stopped_reason``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from formcheck import __version__
from formcheck.analysis import AnalysisSummary
from formcheck.analysis.analyzer import SETUP_DEBOUNCE_S
from formcheck.analysis.reach import primary_target
from formcheck.exercises.spec import ExerciseSpec, View
from formcheck.landmarks import other_side
from formcheck.metrics import side_on_caution
from formcheck.textfiles import write_text_atomic

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


def _opt(x: float, nd: int = 2) -> float | None:
    """A measured value, or None when it was never measured (JSON has no NaN)."""
    return round(float(x), nd) if math.isfinite(x) else None


def side_role(spec: ExerciseSpec) -> str:
    """What ``--side`` names for this exercise.

    ``painful``: the side bent away from (side_bend); ``both_directions``: the
    exercise is done to each side in turn, --side is not used; ``bilateral``:
    both sides work together, --side only picks the side measured;
    ``working``: the working/affected leg.
    """
    if spec.direction_rule == "away_from_side":
        return "painful"
    if spec.both_directions:
        return "both_directions"
    return "bilateral" if spec.bilateral else "working"


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
    report: dict[str, Any] = {
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
    report.update(_dose_and_reach(summary, spec))
    report["nothing_counted"] = nothing_counted_reasons(report)
    if spec.guided is not None:
        report["measurement"] = estimate_note(spec)
    return report


def estimate_note(spec: ExerciseSpec) -> dict[str, Any]:
    """An exercise one webcam cannot measure (spec.guided): its counts read a signal within the camera's error."""
    assert spec.guided is not None
    return {
        "reliable": False,
        "counts": "estimates",
        "reason": spec.guided.reason,
        "advice": f"for counts you can trust, use the guided live mode: formcheck live {spec.id} "
        "(cued holds, counted when you are seen in position)",
    }


def _dose_and_reach(summary: AnalysisSummary, spec: ExerciseSpec) -> dict[str, Any]:
    """The dose as numbers, and the facts that explain a count of zero."""
    target = primary_target(spec)
    role = side_role(spec)
    out: dict[str, Any] = {
        "kind": spec.kind,
        "holds_count_as_reps": spec.holds_count_as_reps,
        "dose_target": {
            "sets": spec.dose.sets,
            "reps": spec.dose.reps,
            "hold_s": spec.dose.hold_s,
            "per_side": spec.dose.per_side,
        },
        "side_role": role,
        "caution": side_on_caution(spec.metrics) if View.SIDE in spec.allowed_views else None,
        "reps_by_side": dict(sorted(summary.reps_by_side.items())),
        "partial_reps_by_side": dict(sorted(summary.partial_reps_by_side.items())),
        # Seconds per setup check ("ok" = measured); the rest are why nothing could be.
        "time_by_status_s": {k: _r(v) for k, v in sorted(summary.status_s.items())},
        "target": None
        if target is None
        else {
            "metric": target.metric,
            "op": target.op,
            "value": target.value,
            "relative": target.relative,
            "unit": target.unit,
        },
        # The furthest the primary metric got towards the target (a magnitude for
        # signed metrics, with each side's; from rest for a relative target).
        "best_reached": {
            "value": _opt(summary.best_primary),
            "by_side": {k: _r(v, 2) for k, v in sorted(summary.best_primary_by_side.items())},
        },
        "hold_position": [str(c) for c in spec.hold_position],
    }
    if role == "painful" and summary.side in ("left", "right"):
        out["painful_side"] = summary.side
        out["bend_to"] = other_side(summary.side)
    return out


def _deg(value: float, unit: str, digits: int) -> str:
    return f"{value:.{digits}f}°" if unit == "deg" else f"{value:.{digits}f} {unit}"


def _target_phrase(report: dict[str, Any]) -> str:
    t = report["target"]
    digits = 1 if abs(t["value"]) < 10 else 0
    v = _deg(abs(t["value"]), t["unit"], digits)
    if t["op"] == "abs>":
        return f"of {v} to either side"
    if report.get("kind") == "reps":  # a rep's target is reached on touching it
        return f"of {v} or more" if t["op"] == ">" else f"of {v} or less"
    return f"above {v}" if t["op"] == ">" else f"below {v}"


def _counted_something(report: dict[str, Any]) -> bool:
    if report.get("kind") == "hold" and not report.get("holds_count_as_reps"):
        return bool(report["holds"])
    return int(report["reps"]) > 0


def _movement_reason(report: dict[str, Any]) -> str | None:
    """How far the movement got against the target, or None when that says nothing."""
    t = report.get("target")
    best = report.get("best_reached") or {}
    if t is None or best.get("value") is None:
        return None
    label = t["metric"].replace("_", " ")
    digits = 1 if abs(t["value"]) < 10 else 0
    unit = t["unit"]
    target = _target_phrase(report)
    by_side = best.get("by_side") or {}
    if report.get("side_role") == "painful" and report.get("bend_to"):
        away, painful = report["bend_to"], report["painful_side"]
        reached = by_side.get(away, 0.0)
        if reached <= abs(t["value"]):
            text = (
                f"the best bend to your {away} (away from the painful {painful} side) reached "
                f"{_deg(reached, unit, digits)}, against a target of {_deg(abs(t['value']), unit, digits)}"
            )
            if by_side.get(painful, 0.0) > abs(t["value"]):
                text += f"; bends to the painful side ({painful}) are not counted"
            return text
    elif t["op"] == "abs>":
        if best["value"] <= abs(t["value"]):
            sides = " and ".join(f"{_deg(by_side[s], unit, digits)} to the {s}" for s in sorted(by_side))
            return f"the best movement reached a {label} of {sides}, against a target {target}"
    else:
        rel = " from your resting position" if t["relative"] else ""
        what = f"{label} change" if t["relative"] else label
        value = _deg(best["value"], unit, digits)
        met = best["value"] > t["value"] if t["op"] == ">" else best["value"] < t["value"]
        if report.get("kind") == "reps":
            met = best["value"] >= t["value"] if t["op"] == ">" else best["value"] <= t["value"]
        if not met:
            return f"the best movement reached a {what} of {value}{rel}, against a target {target}"
        if report.get("kind") == "hold":
            hold_s = (report.get("dose_target") or {}).get("hold_s")
            if report["holds"] and hold_s:
                longest = max(h["duration_s"] for h in report["holds"])
                return (
                    f"the {label} reached its target, but no hold lasted the {hold_s:g} s asked "
                    f"(longest {longest:.1f} s)"
                )
            position = report.get("hold_position") or []
            whole = f"the whole position ({', '.join(position)})" if len(position) > 1 else "it"
            return (
                f"the {label} reached its target ({value}{rel}; target {target}), "
                f"but {whole} was not held still, with good form, long enough to time"
            )
        return f"the {label} reached its target ({value}), but no return to the start position followed"
    return None


def nothing_counted_reasons(report: dict[str, Any]) -> list[str]:
    """Why a session counted nothing, most likely first (empty when something was counted).

    The candidates are the setup problems that lasted at least as long as one
    must before it is spoken live (``SETUP_DEBOUNCE_S``), and how far the
    measured movement got; ranked by how much of the session each covers.
    """
    if _counted_something(report):
        return []
    times: dict[str, float] = report.get("time_by_status_s") or {}
    total = sum(times.values())
    hints: dict[str, str] = {}
    for f in report["faults"]:
        hints[f["code"]] = f["message"]  # the last one said
    phrases = {
        "no_person": "no one was in view",
        "not_visible": "the joints the exercise needs were not visible",
        "wrong_view": "the camera view was wrong",
        "too_far": "you were too far from the camera",
    }
    ranked: list[tuple[float, str]] = []
    for status, phrase in phrases.items():
        seconds = times.get(status, 0.0)
        if seconds >= SETUP_DEBOUNCE_S:
            hint = f" ({hints[status]})" if status in hints and status != "no_person" else ""
            ranked.append((seconds, f"{phrase} for {seconds:.1f} of {total:.1f} s{hint}"))
    measured = times.get("ok", 0.0)
    movement = _movement_reason(report) if measured >= SETUP_DEBOUNCE_S else None
    if movement is not None:
        ranked.append((measured, movement))
    if not ranked:
        if total < SETUP_DEBOUNCE_S:
            return [f"the video is too short to count anything ({total:.1f} s)"]
        return ["the movement could not be measured long enough to count"]
    return [text for _, text in sorted(ranked, key=lambda x: -x[0])]


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


def write_json_atomic(data: dict[str, Any], path: str | Path, what: str = "report") -> None:
    """Write to a temporary file beside ``path``, then rename: never a half file."""
    write_text_atomic(json.dumps(data, indent=2) + "\n", path, what)


def _side_label(report: dict[str, Any], side: str | None) -> str:
    return f" ({side})" if side else ""


def _count_lines(report: dict[str, Any]) -> list[str]:
    """Reps and holds against the dose: per side where the dose is per side."""
    dose = report.get("dose_target") or {}
    role = report.get("side_role")
    lines = [f"  dose: {report['dose']}"] if report.get("dose") else []
    counts_reps = report.get("kind", "reps") == "reps" or report.get("holds_count_as_reps")
    of_reps = f" of {dose['reps']}" if dose.get("reps") else ""
    if counts_reps:
        by_side, partial_by_side = report.get("reps_by_side") or {}, report.get("partial_reps_by_side") or {}
        sides: list[str | None] = [None]
        if dose.get("per_side"):
            seen = set(by_side) | set(partial_by_side) | ({report["side"]} if report.get("side") else set())
            sides = ["left", "right"] if role == "both_directions" else sorted(seen) or [None]
        elif role == "working" and report.get("side"):
            sides = [report["side"]]
        if dose.get("per_side") and sides == [None] and dose.get("reps"):
            # Per side, but no side seen (a lower trunk rotation filmed side-on cannot
            # tell which way the knees went): both sides' reps together.
            of_reps = f" of {2 * dose['reps']} (both sides together)"
        for side in sides:
            reps = by_side.get(side, 0) if side and dose.get("per_side") else report["reps"]
            partial = partial_by_side.get(side, 0) if side and dose.get("per_side") else report["partial_reps"]
            lines.append(f"  reps{_side_label(report, side)}: {reps}{of_reps}   partial reps: {partial}")
        wrong = sum(1 for e in report["rep_events"] if "wrong_side" in e.get("faults", ()))
        if wrong:
            lines.append(f"  bends to the painful side (not counted): {wrong}")
    hold_s = dose.get("hold_s")
    of_hold = f" of {hold_s:g}" if hold_s else ""
    for h in report["holds"]:
        lines.append(
            f"  hold{_side_label(report, h.get('side'))}: {h['duration_s']:.1f}{of_hold} s "
            f"({h['start_s']:.1f}-{h['end_s']:.1f} s)"
        )
    if not counts_reps and not report["holds"]:
        side = report.get("side") if role == "working" else None
        lines.append(f"  hold{_side_label(report, side)}: none{of_hold and f' (target {hold_s:g} s)'}")
    return lines


def _lower(sentence: str) -> str:
    return sentence[:1].lower() + sentence[1:]


def format_summary(report: dict[str, Any]) -> str:
    """The short human summary printed when no --report path is given."""
    lines = [
        f"{report['exercise_name']} ({report['exercise']}) - {Path(report['source']).name}",
        f"  {report['frames']} frames, {report['duration_s']:.1f} s, person detected in "
        f"{100 * report['pose_detected_ratio']:.0f}% of frames",
    ]
    if report.get("side_role") == "painful":
        if report.get("painful_side"):
            lines.append(f"  painful side: {report['painful_side']}; bending to the {report['bend_to']}")
        else:
            lines.append("  painful side: not given (--painful-side left|right); bends to either side count")
    guided = report.get("guided")
    measurement = report.get("measurement") or {}
    if guided:
        lines.append(f"  dose: {report['dose']}")
        lines.append(f"  cued holds done in position: {guided['done_in_position']} of {guided['cued']}")
        lines.append(f"  the movement itself is not measured: {_lower(guided['reason'])}")
        lines.append("  a cued hold counts when you were seen in position, keeping still, with no visible fault")
    else:
        lines += _count_lines(report)
        if measurement.get("counts") == "estimates":
            why = _lower(measurement["reason"])
            lines.append(f"  these counts are estimates: the movement is within the camera's error ({why})")
            lines.append(f"  {measurement['advice']}")
        if report.get("caution"):
            lines.append(f"  note: {report['caution']}")
    reasons = report.get("nothing_counted") or []
    if reasons:
        lines.append("  nothing counted, most likely because:" if len(reasons) > 1 else "  nothing counted, because:")
        lines += [f"    - {r}" for r in reasons]
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
