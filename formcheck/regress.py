"""Regression harness: analyse every sample clip and compare with its truth file.

Each clip in the folder has ``<name>.json`` truth (see sample_videos/README.md).
The clip's landmarks come from the cache when possible, and the analysis runs
through the same ``pipeline.run`` as ``formcheck analyze``.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.analysis import Analyzer, FrameResult
from formcheck.errors import ConfigError, InputError
from formcheck.exercises import get_exercise
from formcheck.exercises.spec import View
from formcheck.landmark_cache import FIXTURE_DIR, cached_track, track_paths
from formcheck.metrics import SIDE_VIEW_BIAS_DEG
from formcheck.pipeline import run
from formcheck.pose.model import resolve_model
from formcheck.pose.track import ReplayEstimator
from formcheck.sources import Frame

HOLD_TOLERANCE_S = 0.5
METRIC_MAE_MAX_DEG = 6.0


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
    metric_mae: float  # after the known landmark bias (SIDE_VIEW_BIAS_DEG)
    metric_mae_raw: float
    detection_rate: float
    passed: bool
    problems: list[str] = field(default_factory=list)


def load_truth(path: Path) -> dict[str, Any]:
    try:
        truth = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: unreadable truth file ({exc})") from None
    if not isinstance(truth, dict) or "exercise" not in truth or "clip" not in truth:
        raise InputError(f"{path}: not a formcheck truth file (needs 'clip' and 'exercise')")
    return truth


def truth_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    files = sorted(p for p in folder.glob("*.json") if p.name != "truth.schema.json")
    truths = [p for p in files if "schema_version" in p.read_text()[:200]]
    if not truths:
        raise InputError(f"{folder}: no clips with truth files (<name>.mp4 + <name>.json)")
    return truths


def evaluate_clip(truth_path: Path, model: str | None = None, save_fixture: bool = False) -> ClipResult:
    truth = load_truth(truth_path)
    clip = truth_path.parent / truth["clip"]
    spec = get_exercise(truth["exercise"])
    track, _ = cached_track(clip, model)
    if save_fixture:
        fixture = track_paths(clip, resolve_model(model))[0]
        if not fixture.exists():
            track.save(fixture)
    analyzer = Analyzer(spec, truth.get("side") or "auto")
    results: list[FrameResult] = []

    def keep(frame: Frame, result: FrameResult) -> None:
        results.append(result)

    outcome = run(track.frames(), ReplayEstimator(track), analyzer, on_result=keep, read_ahead=0)
    summary = outcome.summary

    metric = truth.get("primary_metric") or spec.primary
    measured = np.array([r.metrics.get(metric, math.nan) for r in results])
    true_vals = np.array([math.nan if v is None else v for v in truth["metrics"].get(metric, [])], float)
    n = min(len(measured), len(true_vals))
    both = np.isfinite(measured[:n]) & np.isfinite(true_vals[:n])
    # The analyzer's metrics already have the known landmark bias removed
    # (formcheck.metrics.SIDE_VIEW_BIAS_DEG); the raw error adds it back.
    diff = measured[:n][both] - true_vals[:n][both]
    bias = SIDE_VIEW_BIAS_DEG.get(metric, 0.0) if spec.view is View.SIDE else 0.0
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
    if not wrong_exercise and not (mae <= METRIC_MAE_MAX_DEG):
        problems.append(f"{metric} MAE {mae:.1f} deg > {METRIC_MAE_MAX_DEG} (after the {bias:g} deg landmark bias)")
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
    )


def format_table(rows: list[ClipResult]) -> str:
    head = (
        f"{'clip':42s} {'exercise':22s} {'reps':>7s} {'partial':>7s} {'holds':>6s} "
        f"{'hold err':>8s} {'metric MAE (raw)':>23s} {'detect':>6s}  result"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        holds = f"{len(r.holds)}/{len(r.holds_true)}"
        err = f"{r.hold_max_err_s:.2f}s" if r.holds_true else "-"
        mae = f"{r.metric_mae:.1f} ({r.metric_mae_raw:.1f}) {r.metric[:10]}" if r.metric_mae >= 0 else "-"
        verdict = "PASS" if r.passed else "FAIL: " + "; ".join(r.problems)
        lines.append(
            f"{r.clip:42s} {r.exercise:22s} {r.reps:>3d}/{r.reps_true:<3d} {r.partial:>3d}/{r.partial_true:<3d} "
            f"{holds:>6s} {err:>8s} {mae:>23s} {r.detection_rate:>6.2f}  {verdict}"
        )
    passed = sum(r.passed for r in rows)
    lines.append(f"{passed} passed, {len(rows) - passed} failed")
    return "\n".join(lines)


def prune_fixtures(folder: Path, model: str | None = None) -> list[Path]:
    """Remove landmark fixtures that belong to no current clip (re-rendered or deleted)."""
    model_path = resolve_model(model)
    keep = {track_paths(folder / load_truth(p)["clip"], model_path)[0].name for p in truth_files(folder)}
    stale = [p for p in (folder / FIXTURE_DIR).glob("*.npz") if p.name not in keep]
    for p in stale:
        p.unlink()
    return stale


def regress(folder: Path, model: str | None = None, save_fixtures: bool = False) -> list[ClipResult]:
    rows = []
    for truth_path in truth_files(folder):
        try:
            rows.append(evaluate_clip(truth_path, model, save_fixtures))
        except (ConfigError, InputError) as exc:
            truth = load_truth(truth_path)
            rows.append(
                ClipResult(
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
            )
    return rows


def rows_to_json(rows: list[ClipResult]) -> dict[str, Any]:
    return {
        "clips": [asdict(r) for r in rows],
        "passed": sum(r.passed for r in rows),
        "failed": sum(not r.passed for r in rows),
    }
