"""Regression harness: analyse every sample clip and compare with its truth file.

Each clip in the folder has ``<name>.json`` truth (see sample_videos/README.md).
The clip's landmarks come from the cache when possible, and the analysis runs
through the same ``pipeline.run`` as ``formcheck analyze``.

Replaying committed landmarks never runs the installed MediaPipe, so a new
mediapipe or OpenCV release could change what users get while this harness
stays green. ``rerun_model=True`` runs the model on every clip instead, scores
the fresh landmarks as usual and measures how far they moved from the committed
ones (:class:`Drift`).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from formcheck.analysis import Analyzer, FrameResult
from formcheck.analysis.analyzer import _SETUP_CODES, FORM_DEBOUNCE_S, SETUP_DEBOUNCE_S
from formcheck.analysis.results import AnalysisSummary, FaultEvent
from formcheck.errors import ConfigError, InputError
from formcheck.exercises import get_exercise
from formcheck.exercises.spec import ExerciseSpec, View
from formcheck.landmark_cache import FIXTURE_DIR, cached_track, extract_track, track_paths
from formcheck.landmarks import NUM_LANDMARKS, Landmark
from formcheck.metrics import neutral_cosine, side_view_bias
from formcheck.pipeline import run
from formcheck.pose.model import resolve_model
from formcheck.pose.track import LandmarkTrack, ReplayEstimator
from formcheck.sources import Frame

HOLD_TOLERANCE_S = 0.5
METRIC_MAE_MAX_DEG = 6.0
# A truth form break is found when its message fires between the break's start and its end plus
# this latency: the fault must persist FORM_DEBOUNCE_S (0.3) before it is spoken, the landmark
# smoothing lags ~0.1 s, a break ramps in over up to 0.4 s before it is fully there, and faults
# judged on a finished rep (partial, wrong side) are spoken when the rep ends, a little after the
# truth's end once the smoothed value is back within the rep's end band. 1 s covers these.
FAULT_LATENCY_S = FORM_DEBOUNCE_S + 0.7
# Setup messages (no person, not visible) need SETUP_DEBOUNCE_S before they are spoken.
SETUP_LATENCY_S = SETUP_DEBOUNCE_S + FAULT_LATENCY_S
SETUP_CODES = _SETUP_CODES
# Truth codes name what the body did; the checker's codes name what it tells the person. A
# truth code not listed is found by the checker code of the same name.
TRUTH_FAULT_CODES: dict[str, tuple[str, ...]] = {
    # the straight leg's knee bends and its thigh lifts together (tools/synth hip_flexor_stretch)
    "affected_knee_bent": ("affected_knee_bent", "affected_leg_lifted"),
    "other_leg_bent": ("other_knee_bent", "other_leg_lifted"),
    # stopped short of the held position: "rock further back", "pull your knee closer"
    "short_of_position": ("hips_high", "pull_closer", "no_lean"),
}

# Drift limits for fresh landmarks against the committed ones, in trunk lengths
# (shoulder midpoint to hip midpoint in the image), so they hold at any clip
# size. Moving one end of a segment of length L by d across it turns the segment
# by atan(d / L); segment lengths as fractions of body height H from Winter,
# "Biomechanics and Motor Control of Human Movement" (4th ed., figure 4.1,
# after Drillis and Contini):
# trunk (shoulder to greater trochanter) 0.818 - 0.530 = 0.288 H, thigh 0.245 H,
# shank 0.246 H, foot 0.152 H. So thigh and shank are ~0.85 trunk lengths and
# the foot, the shortest segment any measure uses (foot_pitch, ankle_angle),
# ~0.53.
DRIFT_MEDIAN_MAX_TRUNK = 0.01
"""Typical landmark shift allowed: atan(0.01 / 0.53) = 1.1 deg on the foot line,
0.7 deg on thigh, shank and trunk; under a fifth of the 6-deg metric bar."""
DRIFT_P95_MAX_TRUNK = 0.03
"""Shift allowed in the worst 5 % of landmarks: atan(0.03 / 0.85) = 2.0 deg on
thigh, shank and trunk, the segments every hip and knee angle is made of."""
DETECTION_FLIP_MAX_S = HOLD_TOLERANCE_S
"""Frames found by one model run and not the other, in seconds of video: even
all in one hold, fewer than this cannot move its timing past HOLD_TOLERANCE_S."""

# Shoulders to feet: the landmarks the measures use (the face, 0-10, feeds none).
BODY_LANDMARKS = slice(int(Landmark.LEFT_SHOULDER), NUM_LANDMARKS)


@dataclass
class Drift:
    """Fresh landmarks against the committed fixture of the same clip and model."""

    frames: int  # frames in which both found a person
    median_px: float  # body-landmark displacement in the image (x, y)
    p95_px: float
    median_trunk: float  # the same, in trunk lengths
    p95_trunk: float
    detection_rate_fixture: float
    detection_flips: int  # frames found by one run and not the other
    changes: list[str]  # scores that differ from the replay of the fixture
    within_limits: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class ClipResult:
    clip: str
    exercise: str
    side: str | None
    reps: int
    reps_true: int
    partial: int
    partial_true: int
    holds: list[float]
    holds_true: list[float]
    hold_max_err_s: float
    metric: str
    metric_mae: float  # after the known landmark bias (MetricSet.side_view_bias)
    metric_mae_raw: float
    detection_rate: float
    passed: bool
    problems: list[str] = field(default_factory=list)
    drift: Drift | None = None  # only when the model was re-run
    # Faults (reported, not part of PASS/FAIL): truth form breaks found, the ones missed
    # ("code@start-end"), messages fired while the truth says good form ("code@t"), and how
    # long the truth says good form (s). See score_faults.
    form_breaks: int = 0
    breaks_found: int = 0
    breaks_missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    good_form_s: float = 0.0

    @property
    def false_alarms_per_min(self) -> float:
        return len(self.false_alarms) / (self.good_form_s / 60.0) if self.good_form_s > 0 else math.nan


@dataclass(frozen=True)
class FaultScore:
    form_breaks: int
    found: int
    missed: list[str]
    false_alarms: list[str]
    good_form_s: float


def _inside(t: float, spans: list[tuple[float, float]]) -> bool:
    return any(lo <= t <= hi for lo, hi in spans)


def _union_length(spans: list[tuple[float, float]], lo: float, hi: float) -> float:
    total, end = 0.0, lo
    for a, b in sorted((max(a, lo), min(b, hi)) for a, b in spans):
        if b > max(a, end):
            total += b - max(a, end)
            end = b
    return total


def score_faults(truth: dict[str, Any], faults: Sequence[FaultEvent], partial_code: str) -> FaultScore:
    """Form breaks found or missed, and false alarms per the time the truth says good form.

    A break (``truth["form_breaks"]``: start, end, code) is found when a message with its code
    (``TRUTH_FAULT_CODES``) fires in [start, end + FAULT_LATENCY_S]. Not false alarms: any
    message inside such a window (the truth says the form is not good there), the partial-rep
    message in a truth partial rep's window, and setup messages while the person is out of view
    (``person_in_frame``). Every other message is a false alarm. Good-form time: the clip less
    the break and out-of-view windows. A clip of the wrong exercise has no form to judge: nothing
    is scored.
    """
    duration = float(truth.get("duration_s") or 0.0)
    if truth.get("performed", truth["exercise"]) != truth["exercise"] or duration <= 0:
        return FaultScore(0, 0, [], [], 0.0)
    breaks = truth.get("form_breaks", [])
    windows = [(float(b["start_s"]), float(b["end_s"]) + FAULT_LATENCY_S) for b in breaks]
    found, missed = 0, []
    for b, (lo, hi) in zip(breaks, windows, strict=True):
        codes = TRUTH_FAULT_CODES.get(b["code"], (b["code"],))
        if any(f.code in codes and lo <= f.t_s <= hi for f in faults):
            found += 1
        else:
            missed.append(f"{b['code']}@{b['start_s']:g}-{b['end_s']:g}")
    partials = [
        (float(e["start_s"]), float(e["end_s"]) + FAULT_LATENCY_S)
        for e in truth.get("rep_events", [])
        if not e["complete"] and not e.get("wrong_side")
    ]
    in_frame = truth.get("person_in_frame") or []
    fps = float(truth.get("fps") or 30.0)
    out_of_view = [(i / fps, i / fps + 1.0 / fps + SETUP_LATENCY_S) for i, ok in enumerate(in_frame) if not ok]
    false_alarms = []
    for f in faults:
        if _inside(f.t_s, windows) or (f.code == partial_code and _inside(f.t_s, partials)):
            continue
        if f.code in SETUP_CODES and _inside(f.t_s, out_of_view):
            continue
        false_alarms.append(f"{f.code}@{f.t_s:.2f}")
    bad = _union_length(windows + out_of_view, 0.0, duration)
    return FaultScore(len(breaks), found, missed, false_alarms, round(duration - bad, 3))


def load_truth(path: Path) -> dict[str, Any]:
    try:
        truth = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: unreadable truth file ({exc})") from None
    if not isinstance(truth, dict) or "exercise" not in truth or "clip" not in truth:
        raise InputError(f"{path}: not a formcheck truth file (needs 'clip' and 'exercise')")
    return truth


def truth_spec(path: Path, truth: dict[str, Any]) -> ExerciseSpec:
    """The exercise a truth file scores: a built-in id, or an exercise file (``exercise_file``,
    a path from the truth file's folder) for clips of exercises defined in files."""
    if truth.get("exercise_file"):
        from formcheck.exercises.custom import load_exercise_file

        return load_exercise_file(path.parent / str(truth["exercise_file"]))
    return get_exercise(truth["exercise"])


def truth_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    files = sorted(p for p in folder.glob("*.json") if p.name != "truth.schema.json")
    truths = [p for p in files if "schema_version" in p.read_text()[:200]]
    if not truths:
        raise InputError(f"{folder}: no clips with truth files (<name>.mp4 + <name>.json)")
    return truths


def evaluate_clip(
    truth_path: Path, model: str | None = None, save_fixture: bool = False, rerun_model: bool = False
) -> ClipResult:
    """Analyse one clip and score it against its truth file: the one function ``formcheck
    regress`` and the synthetic sweep (``python -m tools.synth sweep``) share.

    Landmarks come from the cache; ``rerun_model`` runs the pose model afresh (no
    cache, nothing stored), scores those landmarks and attaches their
    :class:`Drift` from the committed fixture.
    """
    truth = load_truth(truth_path)
    clip = truth_path.parent / truth["clip"]
    spec = truth_spec(truth_path, truth)
    if not rerun_model:
        track, _ = cached_track(clip, model)
        if save_fixture:
            fixture = track_paths(clip, resolve_model(model))[0]
            if not fixture.exists():
                track.save(fixture)
        return score_track(truth, spec, track)
    model_path = resolve_model(model)
    fresh = extract_track(clip, model_path)
    result = score_track(truth, spec, fresh)
    fixture = track_paths(clip, model_path)[0]
    try:
        stored = LandmarkTrack.load(fixture)
    except (OSError, ValueError, KeyError):
        return result  # no committed landmarks for this clip and model: nothing to compare
    result.drift = measure_drift(stored, fresh, score_track(truth, spec, stored), result)
    return result


def score_track(truth: dict[str, Any], spec: ExerciseSpec, track: LandmarkTrack) -> ClipResult:
    """Analyse a clip's landmarks as ``formcheck analyze`` would and compare with the truth."""
    analyzer = Analyzer(spec, truth.get("side") or "auto")
    results: list[FrameResult] = []

    def keep(frame: Frame, result: FrameResult) -> None:
        results.append(result)

    outcome = run(track.frames(), ReplayEstimator(track), analyzer, on_result=keep, read_ahead=0)
    return score_clip(truth, spec, outcome.summary, results)


def score_clip(
    truth: dict[str, Any], spec: ExerciseSpec, summary: AnalysisSummary, results: list[FrameResult]
) -> ClipResult:
    """An analysis (its summary and per-frame results) against the truth: counts, holds, metric, faults."""
    metric = truth.get("primary_metric") or spec.primary
    measured = np.array([r.metrics.get(metric, math.nan) for r in results])
    # Labelled-by-eye footage has no per-frame metric truth: its metric is not scored ("-").
    true_vals = np.array([math.nan if v is None else v for v in truth.get("metrics", {}).get(metric, [])], float)
    if spec.view is View.SIDE and metric in neutral_cosine(spec.metrics):
        true_vals = np.abs(true_vals)  # side-on the turn's direction is depth: measured unsigned
    n = min(len(measured), len(true_vals))
    both = np.isfinite(measured[:n]) & np.isfinite(true_vals[:n])
    # The analyzer's metrics already have the known landmark bias removed
    # (formcheck.metrics.MetricSet.side_view_bias); the raw error adds it back.
    diff = measured[:n][both] - true_vals[:n][both]
    bias = side_view_bias(spec.metrics).get(metric, 0.0) if spec.view is View.SIDE else 0.0
    mae = float(np.mean(np.abs(diff))) if both.any() else math.nan
    mae_raw = float(np.mean(np.abs(diff + bias))) if both.any() else math.nan

    holds = [h.duration_s for h in summary.holds]
    holds_true = [float(h["duration_s"]) for h in truth.get("holds", [])]
    hold_err = (
        max((abs(a - b) for a, b in zip(holds, holds_true, strict=True)), default=0.0)
        if len(holds) == len(holds_true)
        else math.inf
    )
    problems = []
    if summary.reps != truth["reps"]:
        problems.append(f"reps {summary.reps} != {truth['reps']}")
    if summary.partial_reps != truth["partial_reps"]:
        problems.append(f"partial reps {summary.partial_reps} != {truth['partial_reps']}")
    if len(holds) != len(holds_true):
        problems.append(f"holds found {len(holds)} != {len(holds_true)}")
    elif hold_err > HOLD_TOLERANCE_S:
        problems.append(f"hold duration off by {hold_err:.2f} s")
    wrong_exercise = truth.get("performed", truth["exercise"]) != truth["exercise"]
    if not wrong_exercise and true_vals.size and not (mae <= METRIC_MAE_MAX_DEG):
        problems.append(f"{metric} MAE {mae:.1f} deg > {METRIC_MAE_MAX_DEG} (after the {bias:g} deg landmark bias)")
    faults = score_faults(truth, summary.faults, spec.partial_code)
    return ClipResult(
        clip=truth["clip"],
        exercise=spec.id,
        side=truth.get("side"),
        reps=summary.reps,
        reps_true=int(truth["reps"]),
        partial=summary.partial_reps,
        partial_true=int(truth["partial_reps"]),
        holds=[round(h, 2) for h in holds],
        holds_true=holds_true,
        hold_max_err_s=round(hold_err, 3) if math.isfinite(hold_err) else -1.0,
        metric=metric,
        metric_mae=round(mae, 2) if math.isfinite(mae) else -1.0,
        metric_mae_raw=round(mae_raw, 2) if math.isfinite(mae_raw) else -1.0,
        detection_rate=round(summary.detected_frames / max(summary.frames, 1), 4),
        passed=not problems,
        problems=problems,
        form_breaks=faults.form_breaks,
        breaks_found=faults.found,
        breaks_missed=faults.missed,
        false_alarms=faults.false_alarms,
        good_form_s=faults.good_form_s,
    )


def _rounded(x: float, digits: int) -> float:
    """-1 stands for "not measured", as in ClipResult (strict JSON has no NaN)."""
    return round(x, digits) if math.isfinite(x) else -1.0


def _detected(track: LandmarkTrack) -> NDArray[np.bool_]:
    return np.asarray(np.isfinite(track.image[:, BODY_LANDMARKS, :2]).all(axis=(1, 2)))


def measure_drift(stored: LandmarkTrack, fresh: LandmarkTrack, before: ClipResult, after: ClipResult) -> Drift:
    """How far fresh landmarks moved from the stored ones, and which scores changed.

    ``before`` and ``after`` are the clip's scores on the stored and the fresh
    landmarks. Displacements are 2D (x, y pixels): the image landmarks' z is the
    model's relative depth, which no side-view measure uses.
    """
    problems: list[str] = []
    if len(stored) != len(fresh) or (stored.width, stored.height) != (fresh.width, fresh.height):
        problems.append(
            f"the clip decodes differently: {len(fresh)} frames of {fresh.width}x{fresh.height}, "
            f"the fixture has {len(stored)} of {stored.width}x{stored.height}"
        )
        n = min(len(stored), len(fresh))
    else:
        n = len(stored)
    found_s, found_f = _detected(stored)[:n], _detected(fresh)[:n]
    both = found_s & found_f
    flips = int(np.count_nonzero(found_s != found_f))
    a = stored.image[:n][both][:, BODY_LANDMARKS, :2]
    b = fresh.image[:n][both][:, BODY_LANDMARKS, :2]
    shift = np.linalg.norm(b - a, axis=-1).ravel()
    pts = stored.image[:n][both][:, :, :2]
    mid_shoulder = (pts[:, Landmark.LEFT_SHOULDER] + pts[:, Landmark.RIGHT_SHOULDER]) / 2
    mid_hip = (pts[:, Landmark.LEFT_HIP] + pts[:, Landmark.RIGHT_HIP]) / 2
    trunk = float(np.median(np.linalg.norm(mid_shoulder - mid_hip, axis=-1))) if both.any() else math.nan
    med_px = float(np.median(shift)) if shift.size else math.nan
    p95_px = float(np.percentile(shift, 95)) if shift.size else math.nan
    med_t, p95_t = med_px / trunk, p95_px / trunk

    changes = []
    for name, x, y in (
        ("reps", before.reps, after.reps),
        ("partial reps", before.partial, after.partial),
        ("holds", len(before.holds), len(after.holds)),
        ("result", "PASS" if before.passed else "FAIL", "PASS" if after.passed else "FAIL"),
    ):
        if x != y:
            changes.append(f"{name} {x} -> {y}")
    if not both.any():
        problems.append("no frame in which both the fixture and the model found a person")
    else:
        if med_t > DRIFT_MEDIAN_MAX_TRUNK:
            problems.append(f"median shift {med_t:.3f} trunk lengths > {DRIFT_MEDIAN_MAX_TRUNK}")
        if p95_t > DRIFT_P95_MAX_TRUNK:
            problems.append(f"p95 shift {p95_t:.3f} trunk lengths > {DRIFT_P95_MAX_TRUNK}")
    fps = stored.fps if stored.fps > 0 else 30.0
    if flips / fps > DETECTION_FLIP_MAX_S:
        problems.append(f"detection differs in {flips} frames ({flips / fps:.2f} s > {DETECTION_FLIP_MAX_S} s)")
    problems.extend(f"score changed: {c}" for c in changes)
    return Drift(
        frames=int(np.count_nonzero(both)),
        median_px=_rounded(med_px, 3),
        p95_px=_rounded(p95_px, 3),
        median_trunk=_rounded(med_t, 4),
        p95_trunk=_rounded(p95_t, 4),
        detection_rate_fixture=round(float(found_s.mean()) if n else 0.0, 4),
        detection_flips=flips,
        changes=changes,
        within_limits=not problems,
        problems=problems,
    )


def format_table(rows: list[ClipResult]) -> str:
    head = (
        f"{'clip':42s} {'exercise':22s} {'reps':>7s} {'partial':>7s} {'holds':>6s} "
        f"{'hold err':>8s} {'metric MAE (raw)':>23s} {'detect':>6s} {'breaks':>6s} {'FA/min':>6s}  result"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        holds = f"{len(r.holds)}/{len(r.holds_true)}"
        err = f"{r.hold_max_err_s:.2f}s" if r.holds_true else "-"
        mae = f"{r.metric_mae:.1f} ({r.metric_mae_raw:.1f}) {r.metric[:10]}" if r.metric_mae >= 0 else "-"
        verdict = "PASS" if r.passed else "FAIL: " + "; ".join(r.problems)
        breaks = f"{r.breaks_found}/{r.form_breaks}" if r.form_breaks else "-"
        fa = f"{r.false_alarms_per_min:.1f}" if r.good_form_s > 0 else "-"
        lines.append(
            f"{r.clip:42s} {r.exercise:22s} {r.reps:>3d}/{r.reps_true:<3d} {r.partial:>3d}/{r.partial_true:<3d} "
            f"{holds:>6s} {err:>8s} {mae:>23s} {r.detection_rate:>6.2f} {breaks:>6s} {fa:>6s}  {verdict}"
        )
    passed = sum(r.passed for r in rows)
    lines.append(fault_line(rows))
    lines.append(f"{passed} passed, {len(rows) - passed} failed")
    return "\n".join(lines)


def format_drift_table(rows: list[ClipResult]) -> str:
    """Per clip: how far the fresh landmarks are from the committed ones."""
    head = (
        f"{'clip':44s} {'frames':>6s} {'median px':>9s} {'p95 px':>7s} {'median/trunk':>12s} "
        f"{'p95/trunk':>9s} {'det. flips':>10s}  drift"
    )
    lines = [
        f"landmark drift against the committed fixtures (limits: median {DRIFT_MEDIAN_MAX_TRUNK}, "
        f"p95 {DRIFT_P95_MAX_TRUNK} trunk lengths; detection flips {DETECTION_FLIP_MAX_S} s; same scores)",
        head,
        "-" * len(head),
    ]
    for r in rows:
        d = r.drift
        if d is None:
            blank = f"{'-':>6s} {'':>9s} {'':>7s} {'':>12s} {'':>9s} {'':>10s}"
            lines.append(f"{r.clip:44s} {blank}  not compared: no committed landmarks for this clip and model")
            continue
        verdict = "ok" if d.within_limits else "DRIFT: " + "; ".join(d.problems)
        lines.append(
            f"{r.clip:44s} {d.frames:>6d} {d.median_px:>9.2f} {d.p95_px:>7.2f} {d.median_trunk:>12.4f} "
            f"{d.p95_trunk:>9.4f} {d.detection_flips:>10d}  {verdict}"
        )
    compared = [r.drift for r in rows if r.drift is not None]
    beyond = sum(not d.within_limits for d in compared)
    missing = len(rows) - len(compared)
    tail = f"; {missing} without committed landmarks" if missing else ""
    lines.append(f"drift: {beyond} of {len(compared)} compared clips beyond the limits{tail}")
    return "\n".join(lines)


def drift_ok(rows: list[ClipResult]) -> bool:
    """Every clip was compared and stayed within the drift limits with unchanged scores."""
    return all(r.drift is not None and r.drift.within_limits for r in rows)


def fault_line(rows: list[ClipResult]) -> str:
    """The fault columns summed: breaks found, false alarms per minute of good form (all clips)."""
    breaks = sum(r.form_breaks for r in rows)
    found = sum(r.breaks_found for r in rows)
    alarms = sum(len(r.false_alarms) for r in rows)
    minutes = sum(r.good_form_s for r in rows) / 60.0
    rate = f"{alarms / minutes:.2f}" if minutes > 0 else "-"
    return (
        f"form breaks found {found}/{breaks}; {alarms} false alarms in {minutes:.1f} min of good form ({rate}/min); "
        f"breaks: a message within a break (+{FAULT_LATENCY_S:g} s); FA/min: other messages (not part of PASS/FAIL)"
    )


def prune_fixtures(folder: Path, model: str | None = None) -> list[Path]:
    """Remove landmark fixtures that belong to no current clip (re-rendered or deleted)."""
    model_path = resolve_model(model)
    keep = {track_paths(folder / load_truth(p)["clip"], model_path)[0].name for p in truth_files(folder)}
    stale = [p for p in (folder / FIXTURE_DIR).glob("*.npz") if p.name not in keep]
    for p in stale:
        p.unlink()
    return stale


def regress(
    folder: Path,
    model: str | None = None,
    save_fixtures: bool = False,
    rerun_model: bool = False,
    on_clip: Callable[[int, int, ClipResult, float], None] | None = None,
) -> list[ClipResult]:
    """Score every clip in ``folder``; ``on_clip(i, n, result, seconds)`` follows progress."""
    rows = []
    paths = truth_files(folder)
    for i, truth_path in enumerate(paths, 1):
        t0 = time.perf_counter()
        try:
            row = evaluate_clip(truth_path, model, save_fixtures, rerun_model)
        except (ConfigError, InputError) as exc:
            truth = load_truth(truth_path)
            row = ClipResult(
                clip=truth["clip"],
                exercise=truth["exercise"],
                side=truth.get("side"),
                reps=0,
                reps_true=int(truth.get("reps", 0)),
                partial=0,
                partial_true=int(truth.get("partial_reps", 0)),
                holds=[],
                holds_true=[],
                hold_max_err_s=-1.0,
                metric="",
                metric_mae=-1.0,
                metric_mae_raw=-1.0,
                detection_rate=0.0,
                passed=False,
                problems=[str(exc)],
            )
        rows.append(row)
        if on_clip is not None:
            on_clip(i, len(paths), row, time.perf_counter() - t0)
    return rows


def rows_to_json(rows: list[ClipResult], versions: dict[str, str | None] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "clips": [{**asdict(r), "false_alarms_per_min": _finite(r.false_alarms_per_min)} for r in rows],
        "passed": sum(r.passed for r in rows),
        "failed": sum(not r.passed for r in rows),
    }
    if any(r.drift is not None for r in rows) or versions is not None:
        data["drift_beyond_limits"] = sum(r.drift is not None and not r.drift.within_limits for r in rows)
        data["versions"] = versions or {}
    return data


def _finite(x: float) -> float | None:
    return round(x, 3) if math.isfinite(x) else None
