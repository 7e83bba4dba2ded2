"""What ``--max-fps`` costs in accuracy: the sample clips analysed at 30, 15, 10 and 5 fps.

    python benchmarks/bench_max_fps.py [clips...] [--fps 30 15 10 5] [--replay-only] [--json PATH]

Each clip with a truth file (``<clip>.json``) is analysed at each rate two ways:

model
    the real pipeline, ``formcheck analyze --max-fps F``: the pose model sees
    only the kept frames, so its tracking between frames is part of the result;
replay
    the clip's landmarks from 30 fps (the landmark cache), thinned to the same
    frames: the analysis alone, without the model's tracking effect.

Compared with the truth: reps, partial reps, holds (count, largest duration
error), the primary metric's mean absolute error over the analysed frames, and
the pass/fail rule of ``formcheck regress``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CLIPS = [
    REPO / "sample_videos" / name
    for name in ("bridge_side_left_01.mp4", "bridge_partial_02.mp4", "wrong_exercise_bridge_as_knee_to_chest.mp4")
]


def evaluate(clip: Path, max_fps: float, mode: str) -> dict[str, Any]:
    from formcheck.analysis import Analyzer, FrameResult
    from formcheck.exercises import get_exercise
    from formcheck.landmark_cache import cached_track
    from formcheck.native import quiet_native_stderr
    from formcheck.pipeline import run
    from formcheck.pose.estimator import MediaPipePoseEstimator, PoseEstimator
    from formcheck.pose.track import ReplayEstimator
    from formcheck.regress import HOLD_TOLERANCE_S, METRIC_MAE_MAX_DEG, load_truth
    from formcheck.sources import Frame, FrameSelector, open_source

    truth = load_truth(clip.with_suffix(".json"))
    spec = get_exercise(truth["exercise"])
    analyzer = Analyzer(spec, truth.get("side") or "auto")
    results: list[FrameResult] = []

    def keep(frame: Frame, r: FrameResult) -> None:
        results.append(r)

    t0 = time.perf_counter()
    estimator: PoseEstimator
    if mode == "model":
        source = open_source(clip, max_fps=max_fps)
        estimator = MediaPipePoseEstimator()
        with quiet_native_stderr():
            outcome = run(source, estimator, analyzer, on_result=keep)
        estimator.close()
        source.close()
    else:
        track, _ = cached_track(clip)
        select = FrameSelector(max_fps)
        frames = [f for f in track.frames() if select(f.t_ms)]
        outcome = run(frames, ReplayEstimator(track), analyzer, on_result=keep, read_ahead=0)
    seconds = time.perf_counter() - t0
    s = outcome.summary

    metric = truth.get("primary_metric") or spec.primary
    true_vals = [math.nan if v is None else float(v) for v in truth["metrics"].get(metric, [])]
    pairs = [(r.metrics.get(metric, math.nan), true_vals[r.index]) for r in results if r.index < len(true_vals)]
    err = np.array([abs(m - t) for m, t in pairs if math.isfinite(m) and math.isfinite(t)])
    mae = float(err.mean()) if err.size else math.nan
    holds = [h.duration_s for h in s.holds]
    holds_true = [float(h["duration_s"]) for h in truth.get("holds", [])]
    hold_err = (
        max((abs(a - b) for a, b in zip(holds, holds_true, strict=True)), default=0.0)
        if len(holds) == len(holds_true)
        else math.inf
    )
    wrong_exercise = truth.get("performed", truth["exercise"]) != truth["exercise"]
    passed = (
        s.reps == truth["reps"]
        and s.partial_reps == truth["partial_reps"]
        and len(holds) == len(holds_true)
        and hold_err <= HOLD_TOLERANCE_S
        and (wrong_exercise or mae <= METRIC_MAE_MAX_DEG)
    )
    return {
        "clip": clip.name,
        "exercise": spec.id,
        "mode": mode,
        "max_fps": max_fps,
        "frames": outcome.frames,
        "seconds": round(seconds, 2),
        "reps": s.reps,
        "reps_true": int(truth["reps"]),
        "partial": s.partial_reps,
        "partial_true": int(truth["partial_reps"]),
        "holds": len(holds),
        "holds_true": len(holds_true),
        "hold_max_err_s": round(hold_err, 3) if math.isfinite(hold_err) else None,
        "metric": metric,
        "metric_mae": round(mae, 2) if math.isfinite(mae) else None,
        "passed": passed,
    }


def format_table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'clip':44s} {'mode':6s} {'fps':>4s} {'frames':>6s} {'reps':>7s} {'partial':>7s} {'holds':>6s} "
        f"{'hold err':>8s} {'MAE deg':>7s}  result"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        err = "-" if r["holds_true"] == 0 and r["holds"] == 0 else f"{r['hold_max_err_s']}"
        mae = "-" if r["metric_mae"] is None else f"{r['metric_mae']:.1f}"
        lines.append(
            f"{r['clip']:44s} {r['mode']:6s} {r['max_fps']:>4g} {r['frames']:>6d} {r['reps']:>3d}/{r['reps_true']:<3d} "
            f"{r['partial']:>3d}/{r['partial_true']:<3d} {r['holds']:>2d}/{r['holds_true']:<3d} {err:>8s} {mae:>7s}  "
            f"{'PASS' if r['passed'] else 'FAIL'}"
        )
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("clips", nargs="*", type=Path, help="clips with truth files (default: the three bridge samples)")
    p.add_argument("--fps", type=float, nargs="+", default=[30.0, 15.0, 10.0, 5.0])
    p.add_argument("--replay-only", action="store_true", help="skip the (slow) runs through the pose model")
    p.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "bench_max_fps.json")
    args = p.parse_args()
    clips = [c.resolve() for c in (args.clips or DEFAULT_CLIPS)]
    rows = []
    for mode in ("replay",) if args.replay_only else ("replay", "model"):
        for clip in clips:
            for fps in args.fps:
                row = evaluate(clip, fps, mode)
                rows.append(row)
                print(f"  {mode:6s} {clip.name} @ {fps:g} fps: {row['reps']} reps, MAE {row['metric_mae']}",
                      file=sys.stderr, flush=True)  # fmt: skip
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"rows": rows}, indent=1) + "\n")
    print(format_table(rows))
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
