"""Render, analyse and score a sweep (``python -m tools.synth sweep``).

Each drawn clip is rendered at the webcam size the product sees (640x480, no supersampling),
its frames passed through a camera model (sensor noise, JPEG compression), written to the
sweep's cache folder with its truth, and scored by ``formcheck.regress.evaluate_clip`` -- the
code ``formcheck regress`` runs -- with its landmarks in the user landmark cache. A clip whose
video and truth are already in the folder (same description) is not rendered again.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np

from tools.synth.sweep import SweepClip, seconds

SUPERSAMPLE = 1  # the product sees 640x480; 2x supersampling only smooths edges MediaPipe sees anyway
FIT_MARGIN = 0.04  # every landmark this fraction of the frame inside it
FIT_STEP = 1.08  # back the camera off by this factor until the body fits


# Clip fields added after clips were cached: left out of the hash while unset, so a cached clip
# keeps the description it was rendered under.
_LATER_FIELDS = ("exercise_file", "working_side")


def description_hash(item: SweepClip, supersample: int = SUPERSAMPLE) -> str:
    clip = asdict(item.clip)
    for name in _LATER_FIELDS:
        if clip.get(name) is None:
            clip.pop(name, None)
    text = json.dumps(
        {"clip": clip, "noise": item.noise, "q": item.jpeg_quality, "ss": supersample},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def camera_model(item: SweepClip) -> Callable[[np.ndarray, int], np.ndarray]:
    """Sensor noise (Gaussian, sigma in 8-bit levels) then JPEG compression, per frame, seeded."""
    import cv2

    seed, sigma, quality = item.clip.seed, item.noise, item.jpeg_quality

    def post(frame: np.ndarray, index: int) -> np.ndarray:
        out = frame
        if sigma > 0:
            rng = np.random.default_rng([seed, index])
            out = np.clip(frame.astype(np.float32) + rng.normal(0.0, sigma, frame.shape), 0, 255).astype(np.uint8)
        if quality < 100:
            ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
            if ok:
                out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        return out

    return post


def fit_camera(posed: Any) -> float:
    """Back the camera off until every landmark of every frame is inside the frame (a margin of
    FIT_MARGIN): drawn distances are a minimum, bodies and fields of view vary. Returns the
    distance and leaves ``posed.clip`` with it."""
    from tools.synth import scene

    clip = posed.clip
    pts = posed.ex.framing_points(posed.landmarks, posed.timeline.t)
    for _ in range(25):
        view = scene.place_camera(clip, pts, posed.ex.axes())
        px = view.project(pts)
        mx, my = FIT_MARGIN * clip.width, FIT_MARGIN * clip.height
        inside = (
            (px[..., 0] >= mx)
            & (px[..., 0] <= clip.width - mx)
            & (px[..., 1] >= my)
            & (px[..., 1] <= clip.height - my)
            & (px[..., 2] > 0)
        )
        if inside.all():
            break
        clip = replace(clip, camera=replace(clip.camera, distance=round(clip.camera.distance * FIT_STEP, 3)))
    posed.clip = clip
    return clip.camera.distance


def render_item(
    item: SweepClip, out: Path, log: Callable[[str], None] = print, supersample: int = SUPERSAMPLE
) -> tuple[Path, float]:
    """Render one clip unless its video and truth are in ``out`` already; (truth path, seconds)."""
    truth_path = out / f"{item.clip.name}.json"
    video = out / f"{item.clip.name}.mp4"
    key = description_hash(item, supersample)
    if truth_path.is_file() and video.is_file():
        try:
            if json.loads(truth_path.read_text())["generator"]["sweep"]["description"] == key:
                return truth_path, 0.0
        except (KeyError, ValueError, TypeError):
            pass
    from tools.synth.engine import Posed, render_clip

    t0, cpu0 = time.time(), time.process_time()
    posed = Posed(item.clip)
    drawn = item.clip.camera.distance
    fitted = fit_camera(posed)
    truth = render_clip(
        posed.clip, out, detect=False, log=log, supersample=supersample, post=camera_model(item), posed=posed
    )
    wall, cpu = time.time() - t0, time.process_time() - cpu0
    truth["generator"]["sweep"] = {
        "description": key,
        "features": list(item.features),
        "noise_sigma": item.noise,
        "jpeg_quality": item.jpeg_quality,
        "supersample": supersample,
        "camera_distance_drawn": drawn,
        "camera_distance_fitted": fitted,
        "render_s": round(wall, 1),
        "render_cpu_s": round(cpu, 1),  # this process only (llvmpipe's threads included)
    }
    truth_path.write_text(json.dumps(truth, indent=1) + "\n")
    return truth_path, wall


def run_item(item: SweepClip, out: Path, model: str | None = None, supersample: int = SUPERSAMPLE) -> dict[str, Any]:
    """Render (if needed), extract landmarks (if not cached) and score one clip: a row."""
    from formcheck.regress import evaluate_clip

    row: dict[str, Any] = {"clip": item.clip.name, "exercise": item.clip.exercise, "features": list(item.features)}
    try:
        truth_path, render_s = render_item(item, out, log=lambda s: None, supersample=supersample)
        t0, cpu0 = time.time(), time.process_time()
        result = evaluate_clip(truth_path, model)
        row.update(asdict(result))
        row["clip"] = item.clip.name
        row["false_alarms_per_min"] = (
            round(result.false_alarms_per_min, 3) if math.isfinite(result.false_alarms_per_min) else None
        )
        row["render_s"] = round(render_s, 1)
        row["score_s"] = round(time.time() - t0, 1)
        row["score_cpu_s"] = round(time.process_time() - cpu0, 1)  # landmark extraction when not cached
        row["render_cpu_s"] = json.loads(truth_path.read_text())["generator"]["sweep"].get("render_cpu_s")
        row["duration_s"] = round(seconds(item), 2)
    except Exception as exc:  # a clip that cannot be rendered is reported, not fatal to the sweep
        row["error"] = f"{type(exc).__name__}: {exc}"
    return row


def run(
    items: list[SweepClip],
    out: Path,
    jobs: int = 1,
    model: str | None = None,
    log: Callable[[str], None] = print,
    supersample: int = SUPERSAMPLE,
) -> list[dict]:
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    if jobs <= 1:
        for i, item in enumerate(items, 1):
            rows.append(run_item(item, out, model, supersample))
            log(_progress(i, len(items), rows[-1]))
        return rows
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn")) as pool:
        futures = {pool.submit(run_item, item, out, model, supersample): item.clip.name for item in items}
        for i, fut in enumerate(as_completed(futures), 1):
            rows.append(fut.result())
            log(_progress(i, len(items), rows[-1]))
    order = {item.clip.name: k for k, item in enumerate(items)}
    return sorted(rows, key=lambda r: order[r["clip"]])


def _progress(i: int, n: int, row: dict) -> str:
    if "error" in row:
        return f"[{i}/{n}] {row['clip']}: ERROR {row['error']}"
    return f"[{i}/{n}] {row['clip']}: render {row['render_s']:.0f} s, score {row['score_s']:.0f} s, " + (
        "PASS" if not _count_problems(row) else "; ".join(_count_problems(row))
    )


# ---------------------------------------------------------------------------- scoring tables
def reps_ok(r: dict) -> bool:
    return r["reps"] == r["reps_true"]


def partial_ok(r: dict) -> bool:
    return r["partial"] == r["partial_true"]


def holds_ok(r: dict) -> bool | None:
    """None when the clip has no holds in truth and none were found (nothing to judge)."""
    if not r["holds_true"] and not r["holds"]:
        return None
    return len(r["holds"]) == len(r["holds_true"]) and 0 <= r["hold_max_err_s"] <= 0.5


def _count_problems(r: dict) -> list[str]:
    return [p for p in r.get("problems", []) if "MAE" not in p]


def summarise(rows: list[dict]) -> dict[str, dict[str, Any]]:
    """Per exercise (and "all"): reps exact %, partial exact %, holds within 0.5 s %, false alarms
    per minute of good form, form breaks found / missed, clips that failed to render."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["exercise"], []).append(r)
    groups["all"] = list(rows)
    out = {}
    for ex, rs in groups.items():
        ok = [r for r in rs if "error" not in r]
        holds = [h for h in (holds_ok(r) for r in ok) if h is not None]
        minutes = sum(r["good_form_s"] for r in ok) / 60.0
        alarms = sum(len(r["false_alarms"]) for r in ok)
        pct = lambda xs: round(100.0 * sum(xs) / len(xs), 1) if xs else None  # noqa: E731
        out[ex] = {
            "clips": len(rs),
            "errors": len(rs) - len(ok),
            "reps_exact_pct": pct([reps_ok(r) for r in ok]),
            "partial_exact_pct": pct([partial_ok(r) for r in ok]),
            "holds_within_pct": pct(holds),
            "hold_clips": len(holds),
            "false_alarms": alarms,
            "good_form_min": round(minutes, 2),
            "false_alarms_per_min": round(alarms / minutes, 2) if minutes > 0 else None,
            "breaks": sum(r["form_breaks"] for r in ok),
            "breaks_found": sum(r["breaks_found"] for r in ok),
            "metric_mae_median": _median([r["metric_mae"] for r in ok if r["metric_mae"] >= 0]),
        }
    return out


def _median(xs: list[float]) -> float | None:
    return round(float(np.median(xs)), 2) if xs else None


def format_clips(rows: list[dict]) -> str:
    head = (
        f"{'clip':38s} {'reps':>7s} {'partial':>7s} {'holds':>5s} {'h.err':>6s} {'MAE':>5s} "
        f"{'det':>4s} {'brk':>4s} {'FA':>3s}  problems / false alarms / features"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['clip']:38s} ERROR {r['error']}")
            continue
        err = f"{r['hold_max_err_s']:.2f}" if r["holds_true"] or r["holds"] else "-"
        brk = f"{r['breaks_found']}/{r['form_breaks']}" if r["form_breaks"] else "-"
        notes = "; ".join(_count_problems(r))
        if r["breaks_missed"]:
            notes += ("; " if notes else "") + "missed " + ",".join(r["breaks_missed"])
        if r["false_alarms"]:
            notes += ("; " if notes else "") + "FA " + ",".join(r["false_alarms"])
        notes += f"  [{','.join(r['features'])}]"
        lines.append(
            f"{r['clip']:38s} {r['reps']:>3d}/{r['reps_true']:<3d} {r['partial']:>3d}/{r['partial_true']:<3d} "
            f"{len(r['holds'])}/{len(r['holds_true']):<3d} {err:>6s} {r['metric_mae']:>5.1f} "
            f"{r['detection_rate']:>4.2f} {brk:>4s} {len(r['false_alarms']):>3d}  {notes.strip()}"
        )
    return "\n".join(lines)


def format_summary(summary: dict[str, dict[str, Any]]) -> str:
    head = (
        f"{'exercise':24s} {'clips':>5s} {'reps ok':>8s} {'partial ok':>10s} {'holds<=0.5s':>11s} "
        f"{'FA/min good':>11s} {'breaks found':>12s} {'MAE med':>7s}"
    )
    lines = [head, "-" * len(head)]
    f = lambda x, unit="%": "-" if x is None else f"{x:g}{unit}"  # noqa: E731
    for ex, s in summary.items():
        if ex == "all":
            lines.append("-" * len(head))
        holds = f(s["holds_within_pct"]) + (f" ({s['hold_clips']})" if s["hold_clips"] else "")
        fa = "-" if s["false_alarms_per_min"] is None else f"{s['false_alarms_per_min']:.2f}"
        err = f" ({s['errors']} err)" if s["errors"] else ""
        lines.append(
            f"{ex:24s} {s['clips']:>5d} {f(s['reps_exact_pct']):>8s} {f(s['partial_exact_pct']):>10s} "
            f"{holds:>11s} {fa:>11s} {s['breaks_found']:>5d}/{s['breaks']:<6d} {f(s['metric_mae_median'], ''):>7s}{err}"
        )
    return "\n".join(lines)
