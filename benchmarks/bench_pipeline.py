"""Pipeline benchmark: how close ``formcheck analyze`` runs to the pose model's own speed.

    python benchmarks/bench_pipeline.py [clips...] [--repeats N] [--memory] [--batch] [--json PATH]

Sections (all in one run, on the same clips):

pipeline (always)
    (a)  the bare model loop: decode + ``detect_for_video`` only, one thread
    (b)  ``formcheck analyze`` without output video (per-stage timing on)
    (b0) the same with timing off: what the timing hooks cost
    (c)  ``formcheck analyze --out`` (annotated video, H.264; timing on)
    (cm) the same with the writer of before (OpenCV's mp4v, MPEG-4 Part 2):
         what H.264 costs, measured beside it
    Each run is a fresh process (so peak RSS is the run's own); runs are
    interleaved clip by clip and the variant order rotates every repeat, so a
    burst of load from other work hits all variants alike. Throughput ratios
    are taken between runs of the same clip in the same repeat.
--memory
    Peak RSS of analysing a 1-minute and a 10-minute 640x480 video (a clip's
    frames looped into a file) through decode, analysis, overlay and encode,
    with poses replayed from the clip's landmarks (the model's own memory does
    not depend on the video's length; ``--memory-model`` runs it too, slowly).
--batch
    ``formcheck analyze`` over 4 clips with ``--jobs 1`` and ``--jobs 2``.
--isolated
    Analysis and overlay per frame on their own (one thread, no model running
    beside them): the clip's landmarks replayed through the analyzer, the
    results drawn on its decoded 640x480 frames. Inside the pipeline the same
    work shares the cores with the model's two inference threads and is timed
    longer; this is what it costs.

Per-stage times are per frame, in milliseconds: wall (includes waiting for a
core on a loaded machine) and CPU of the thread doing the work. The table is
printed and everything is written as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CLIPS = [
    REPO / "sample_videos" / name
    for name in ("bridge_side_left_01.mp4", "bridge_partial_02.mp4", "wrong_exercise_bridge_as_knee_to_chest.mp4")
]
VARIANTS = ("a", "b", "b0", "c", "cm")
LABELS = {
    "a": "(a) model loop: decode + detect_for_video",
    "b": "(b) formcheck analyze",
    "b0": "(b0) analyze, timing hooks off",
    "c": "(c) analyze + annotated video",
    "cm": "(cm) the same, OpenCV mp4v writer",
}
STAGES = ("decode", "pose", "analysis", "overlay", "encode")


# -- helpers ------------------------------------------------------------------------
def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def pct(values: list[float], q: float) -> float:
    if not values:
        return math.nan
    s = sorted(values)
    return s[max(1, math.ceil(q / 100 * len(s))) - 1]


def video_kb_per_s(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        seconds = container.duration / av.time_base
    return path.stat().st_size / 1000 / seconds


def exercise_for(clip: Path) -> str:
    truth = clip.with_suffix(".json")
    if truth.is_file():
        try:
            return str(json.loads(truth.read_text())["exercise"])
        except (ValueError, KeyError):
            pass
    return "bridge"


def run_child(args: list[str]) -> dict[str, Any]:
    load = os.getloadavg()[0]
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["load_before"] = load
    out["load_after"] = os.getloadavg()[0]
    return out


# -- children: one measurement each, in a fresh process ------------------------------
def child_model_loop(clip: Path) -> dict[str, Any]:
    """(a): decode and detect_for_video, nothing else, on one thread."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python.core.base_options import BaseOptions
    from mediapipe.tasks.python.vision import pose_landmarker
    from mediapipe.tasks.python.vision.core.vision_task_running_mode import VisionTaskRunningMode

    from formcheck.native import quiet_native_stderr
    from formcheck.pose.model import resolve_model
    from formcheck.sources import VideoFileSource
    from formcheck.timing import StageTimer

    timer = StageTimer(("decode", "pose"))
    t0, c0 = time.perf_counter(), time.process_time()
    options = pose_landmarker.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(resolve_model(None))),
        running_mode=VisionTaskRunningMode.VIDEO,
        num_poses=1,
    )
    with quiet_native_stderr():
        landmarker = pose_landmarker.PoseLandmarker.create_from_options(options)
    source = VideoFileSource(clip)
    frames, last_ts = 0, -1

    def detect(image: Any) -> Any:
        nonlocal last_ts
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        last_ts = max(round(frame.t_ms), last_ts + 1)
        return landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), last_ts)

    with quiet_native_stderr():
        for frame in timer.iterate("decode", source):
            timer.call("pose", detect, frame.image)
            frames += 1
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    landmarker.close()
    source.close()
    return {
        "frames": frames,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": peak_rss_mb(),
        "stages": raw_stages(timer),
    }


class Mp4vWriter:
    """(cm): the annotated video's writer before H.264 (OpenCV, MPEG-4 Part 2), H264Writer's interface."""

    def __init__(self, path: Path, fps: float, size: tuple[int, int]) -> None:
        import cv2

        self.size = size
        self._writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), float(fps), size)

    def write(self, image: Any, t_ms: float | None = None) -> None:
        import cv2

        if (image.shape[1], image.shape[0]) != self.size:
            image = cv2.resize(image, self.size)
        self._writer.write(image)

    def close(self) -> None:
        self._writer.release()

    def discard(self) -> None:
        self._writer.release()


def child_analyze(
    clip: Path, out_video: Path | None, timed: bool, max_fps: float | None = None, mp4v: bool = False
) -> dict[str, Any]:
    """(b), (b0), (c), (cm): the ``formcheck analyze`` code path (cli.analyze_file).

    Like (a), whose clock starts after ``import mediapipe``, the modules
    analyze_file imports on first use are imported before the clock starts:
    importing MediaPipe alone takes ~1 s, a fixed cost of starting Python that
    would otherwise be charged to (b) and (c) only (6-7% of a 20 s clip).
    """
    import mediapipe  # noqa: F401  (imported before the clock, as in (a))
    import tqdm  # noqa: F401
    from mediapipe.tasks.python.vision import pose_landmarker  # noqa: F401

    import formcheck.analysis
    import formcheck.pipeline
    import formcheck.pose.estimator
    import formcheck.render
    import formcheck.sinks
    from formcheck.cli import analyze_file
    from formcheck.native import quiet_native_stderr
    from formcheck.timing import StageTimer

    if mp4v:
        formcheck.sinks.H264Writer = Mp4vWriter  # type: ignore[assignment,misc]
    timer = StageTimer() if timed else None
    t0, c0 = time.perf_counter(), time.process_time()
    with quiet_native_stderr():
        report = analyze_file(
            clip, exercise_for(clip), "auto", None, out_video, None, progress=False, max_fps=max_fps, timer=timer
        )
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "frames": report["frames"],
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mb": peak_rss_mb(),
        "reps": report["reps"],
        "stages": raw_stages(timer) if timer is not None else {},
    }


def raw_stages(timer: Any) -> dict[str, dict[str, list[float]]]:
    return {
        s: {"wall_ms": [1000 * v for v in timer.wall[s]], "cpu_ms": [1000 * v for v in timer.cpu[s]]}
        for s in timer.wall
        if len(timer.wall[s])
    }


def child_long(clip: Path, video: Path, estimator: str, out_video: Path) -> dict[str, Any]:
    """Memory: a long looped video through decode, analysis, overlay and encode."""
    from formcheck.analysis import Analyzer
    from formcheck.exercises import get_exercise
    from formcheck.landmark_cache import cached_track
    from formcheck.landmarks import PoseFrame
    from formcheck.native import quiet_native_stderr
    from formcheck.pipeline import run
    from formcheck.pose.estimator import MediaPipePoseEstimator, PoseEstimator
    from formcheck.render import Overlay
    from formcheck.sinks import VideoFileSink
    from formcheck.sources import Frame, VideoFileSource

    spec = get_exercise(exercise_for(clip))
    source = VideoFileSource(video)
    est: PoseEstimator
    if estimator == "replay":
        track, _ = cached_track(clip)

        class LoopReplay:
            """The clip's landmarks, looped like its frames, at the long video's times."""

            def estimate(self, frame: Frame) -> PoseFrame:
                p = track.pose(frame.index % len(track))
                return PoseFrame(frame.index, frame.t_ms, p.image, p.world, p.visibility, p.width, p.height)

            def close(self) -> None:
                pass

        est = LoopReplay()
    else:
        est = MediaPipePoseEstimator()
    sink = VideoFileSink(out_video, source.info.fps, (source.info.width, source.info.height), Overlay(spec))
    rss: list[tuple[int, float]] = []

    def sample(frame: Frame, _r: object) -> None:
        if frame.index % 600 == 0:
            rss.append((frame.index, round(current_rss_mb(), 1)))

    t0 = time.perf_counter()
    with quiet_native_stderr():
        result = run(source, est, Analyzer(spec, "auto"), [sink], on_result=sample)
    seconds = time.perf_counter() - t0
    est.close()
    source.close()
    s = result.summary
    return {
        "frames": result.frames,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "rss_timeline_mb": rss,
        "reps": s.reps,
        "rep_events": len(s.rep_events),
        "faults": len(s.faults),
    }


def child_isolated(clip: Path) -> dict[str, Any]:
    """Analysis and overlay alone: replayed landmarks, decoded frames, one thread."""
    from formcheck.analysis import Analyzer
    from formcheck.exercises import get_exercise
    from formcheck.landmark_cache import cached_track
    from formcheck.render import Overlay
    from formcheck.sources import VideoFileSource
    from formcheck.timing import StageTimer

    track, _ = cached_track(clip)
    spec = get_exercise(exercise_for(clip))
    analyzer, overlay = Analyzer(spec, "auto"), Overlay(spec)
    timer = StageTimer(("analysis", "overlay"))
    source = VideoFileSource(clip)
    for frame in source:
        if frame.index >= len(track) or frame.image is None:
            break
        result = timer.call("analysis", analyzer.step, track.pose(frame.index))
        timer.call("overlay", lambda image, r=result: overlay.draw(image.copy(), r), frame.image)  # as the video sink
    source.close()
    return {"frames": len(timer.wall["analysis"]), "stages": raw_stages(timer)}


def section_isolated(clips: list[Path], repeats: int) -> dict[str, Any]:
    pooled: dict[str, dict[str, dict[str, list[float]]]] = {}
    loads = []
    for _ in range(repeats):
        for clip in clips:
            res = run_child(["iso", str(clip)])
            loads += [res["load_before"], res["load_after"]]
            for s, d in res["stages"].items():
                p = pooled.setdefault(clip.name, {}).setdefault(s, {"wall_ms": [], "cpu_ms": []})
                p["wall_ms"] += d["wall_ms"]
                p["cpu_ms"] += d["cpu_ms"]
    out: dict[str, Any] = {"per_clip": {}, "loads": loads}
    everything: dict[str, dict[str, list[float]]] = {}
    for name, stages in pooled.items():
        for s, d in stages.items():
            out["per_clip"].setdefault(name, {})[s] = stage_summary(d)
            e = everything.setdefault(s, {"wall_ms": [], "cpu_ms": []})
            e["wall_ms"] += d["wall_ms"]
            e["cpu_ms"] += d["cpu_ms"]
    out["all_clips"] = {s: stage_summary(d) for s, d in everything.items()}
    return out


def stage_summary(d: dict[str, list[float]]) -> dict[str, float]:
    return {
        "frames": len(d["wall_ms"]),
        "wall_median_ms": statistics.median(d["wall_ms"]),
        "wall_p95_ms": pct(d["wall_ms"], 95),
        "cpu_median_ms": statistics.median(d["cpu_ms"]),
        "cpu_p95_ms": pct(d["cpu_ms"], 95),
    }


# -- sections ------------------------------------------------------------------------
def section_pipeline(clips: list[Path], repeats: int, work: Path) -> dict[str, Any]:
    runs: list[dict[str, Any]] = []
    for r in range(repeats):
        for clip in clips:
            order = VARIANTS[r % len(VARIANTS) :] + VARIANTS[: r % len(VARIANTS)]
            for v in order:
                args = [v, str(clip)]
                if v in ("c", "cm"):
                    args += ["--child-out", str(work / f"{clip.stem}.{v}.mp4")]
                res = run_child(args)
                res.update(variant=v, clip=clip.name, repeat=r, fps=res["frames"] / res["seconds"])
                if v in ("c", "cm"):  # the annotated video's size, kB per second of video
                    res["video_kb_per_s"] = video_kb_per_s(Path(args[-1]))
                runs.append(res)
                print(
                    f"  repeat {r + 1}/{repeats} {clip.name:44s} {v:3s} {res['fps']:6.1f} fps "
                    f"{res['peak_rss_mb']:6.0f} MB  load {res['load_before']:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
    return summarise_pipeline(runs)


def summarise_pipeline(runs: list[dict[str, Any]]) -> dict[str, Any]:
    by_key = {(x["clip"], x["repeat"], x["variant"]): x for x in runs}
    variants: dict[str, Any] = {}
    for v in VARIANTS:
        mine = [x for x in runs if x["variant"] == v]
        if not mine:  # a run saved before the variant existed (--table)
            continue
        fps = [x["fps"] for x in mine]
        ratios = [
            x["fps"] / by_key[(x["clip"], x["repeat"], "a")]["fps"]
            for x in mine
            if (x["clip"], x["repeat"], "a") in by_key
        ]
        variants[v] = {
            "label": LABELS[v],
            "runs": len(mine),
            "fps_median": statistics.median(fps),
            "fps_min": min(fps),
            "fps_max": max(fps),
            "ratio_to_a_median": statistics.median(ratios),
            "ratio_to_a_min": min(ratios),
            "ratio_to_a_max": max(ratios),
            "ratios": [round(q, 3) for q in ratios],
            "peak_rss_mb_max": max(x["peak_rss_mb"] for x in mine),
            # Process CPU (every thread) per frame: what a variant costs, which a loaded
            # machine changes far less than its frames per second.
            "cpu_ms_per_frame_median": statistics.median(1000 * x["cpu_seconds"] / x["frames"] for x in mine),
        }
        sizes = [x["video_kb_per_s"] for x in mine if "video_kb_per_s" in x]
        if sizes:
            variants[v]["video_kb_per_s_median"] = statistics.median(sizes)
    stages: dict[str, Any] = {}
    for v in VARIANTS:
        pooled: dict[str, dict[str, list[float]]] = {}
        for x in runs:
            if x["variant"] != v:
                continue
            for s, d in x.get("stages", {}).items():
                p = pooled.setdefault(s, {"wall_ms": [], "cpu_ms": []})
                p["wall_ms"] += d["wall_ms"]
                p["cpu_ms"] += d["cpu_ms"]
        for s, d in pooled.items():
            stages.setdefault(s, {})[v] = {
                "frames": len(d["wall_ms"]),
                "wall_median_ms": statistics.median(d["wall_ms"]),
                "wall_p95_ms": pct(d["wall_ms"], 95),
                "wall_mean_ms": statistics.mean(d["wall_ms"]),
                "cpu_median_ms": statistics.median(d["cpu_ms"]),
                "cpu_p95_ms": pct(d["cpu_ms"], 95),
            }
    per_clip: dict[str, Any] = {}
    for x in runs:  # the per-frame stages that have a bar, clip by clip (exercises differ)
        for s in ("analysis", "overlay"):
            if s in x.get("stages", {}):
                d = per_clip.setdefault(x["clip"], {}).setdefault(s, {"wall_ms": [], "cpu_ms": []})
                d["wall_ms"] += x["stages"][s]["wall_ms"]
                d["cpu_ms"] += x["stages"][s]["cpu_ms"]
    for stage_lists in per_clip.values():
        for s, d in stage_lists.items():
            stage_lists[s] = {
                "frames": len(d["wall_ms"]),
                "wall_median_ms": statistics.median(d["wall_ms"]),
                "wall_p95_ms": pct(d["wall_ms"], 95),
                "cpu_median_ms": statistics.median(d["cpu_ms"]),
                "cpu_p95_ms": pct(d["cpu_ms"], 95),
            }
    slim = [{k: val for k, val in x.items() if k != "stages"} for x in runs]
    return {"variants": variants, "stages": stages, "per_clip": per_clip, "runs": slim}


def make_long_video(clip: Path, minutes: float, path: Path) -> Path:
    """The clip's frames looped for ``minutes`` (written once, then reused)."""
    import cv2

    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS)
    total = round(minutes * 60 * fps)
    if path.is_file() and cv2.VideoCapture(str(path)).get(cv2.CAP_PROP_FRAME_COUNT) == total:
        return path
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
    n = 0
    while n < total:
        ok, img = cap.read()
        if not ok:
            cap.release()
            cap = cv2.VideoCapture(str(clip))
            continue
        writer.write(img)
        n += 1
    writer.release()
    cap.release()
    return path


def section_memory(clip: Path, work: Path, minutes: list[float], model: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"clip": clip.name, "runs": []}
    for m in minutes:
        print(f"  writing a {m:g}-minute video from {clip.name} ...", file=sys.stderr, flush=True)
        make_long_video(clip, m, work / f"long_{m:g}min.mp4")
    for estimator in ("replay", "model") if model else ("replay",):
        for m in minutes:
            video = work / f"long_{m:g}min.mp4"
            res = run_child(
                [
                    "long",
                    str(clip),
                    "--child-video",
                    str(video),
                    "--child-estimator",
                    estimator,
                    "--child-out",
                    str(work / f"long_{m:g}min.annotated.mp4"),
                ]
            )
            res.update(minutes=m, estimator=estimator, fps=res["frames"] / res["seconds"])
            out["runs"].append(res)
            print(
                f"  {estimator:6s} {m:4g} min: {res['frames']} frames, peak RSS {res['peak_rss_mb']:.0f} MB, "
                f"{res['fps']:.1f} fps, load {res['load_before']:.1f}",
                file=sys.stderr,
                flush=True,
            )
    return out


def section_batch(clips: list[Path], repeats: int, work: Path) -> dict[str, Any]:
    folder = work / "batch"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    inputs = []
    for i in range(4):  # 4 clips; fewer given are reused under other names
        src = clips[i % len(clips)]
        link = folder / f"{i}_{src.name}"
        link.symlink_to(src.resolve())
        inputs.append(link)
    runs = []
    for r in range(repeats):
        for jobs in (1, 2) if r % 2 == 0 else (2, 1):
            reports = work / f"batch_reports_{jobs}"
            shutil.rmtree(reports, ignore_errors=True)
            load = os.getloadavg()[0]
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "formcheck", "analyze", *map(str, inputs), "--exercise", "bridge"]
                + ["--jobs", str(jobs), "--quiet", "--report-dir", str(reports)],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - t0
            if proc.returncode != 0:
                raise RuntimeError(f"batch --jobs {jobs} failed:\n{proc.stdout}\n{proc.stderr}")
            frames = sum(json.loads(p.read_text())["frames"] for p in reports.glob("*.json"))
            runs.append(
                {
                    "jobs": jobs,
                    "repeat": r,
                    "frames": frames,
                    "seconds": seconds,
                    "fps": frames / seconds,
                    "load_before": load,
                    "load_after": os.getloadavg()[0],
                }
            )
            print(
                f"  batch --jobs {jobs}: {frames} frames in {seconds:.1f} s = {frames / seconds:.1f} fps, "
                f"load {load:.1f}",
                file=sys.stderr,
                flush=True,
            )
    speedups = [
        next(x for x in runs if x["repeat"] == r and x["jobs"] == 2)["fps"]
        / next(x for x in runs if x["repeat"] == r and x["jobs"] == 1)["fps"]
        for r in range(repeats)
    ]
    return {
        "clips": [p.name for p in inputs],
        "runs": runs,
        "speedup_2_vs_1_median": statistics.median(speedups),
        "speedups": [round(s, 3) for s in speedups],
    }


# -- report --------------------------------------------------------------------------


def _clip_stage_rows(per_clip: Iterable[tuple[str, dict[str, dict[str, float]]]]) -> list[str]:
    """One table row per clip and stage: wall and CPU median / p95, ms."""
    return [
        f"{s:9s} {clip[:34]:34s}  {d['wall_median_ms']:6.2f} / {d['wall_p95_ms']:6.2f}   "
        f"{d['cpu_median_ms']:6.2f} / {d['cpu_p95_ms']:6.2f}"
        for clip, stage_rows in per_clip
        for s, d in stage_rows.items()
    ]


def format_tables(result: dict[str, Any]) -> str:
    lines = []
    meta = result["machine"]
    loads = result.get("load_avg_1min", {})
    lines.append(
        f"machine: {meta['cores']} cores, Python {meta['python']}; load average (1 min) over the runs: "
        f"mean {loads.get('mean', math.nan):.1f}, "
        f"range {loads.get('min', math.nan):.1f}-{loads.get('max', math.nan):.1f}"
    )
    pipe = result.get("pipeline")
    if pipe:
        lines.append("")
        lines.append(
            f"{'variant':42s} {'fps median [min-max]':>22s} {'x (a) median [min-max]':>24s} {'peak RSS':>9s} "
            f"{'CPU/frame':>10s}"
        )
        for v in VARIANTS:
            if v not in pipe["variants"]:
                continue
            d = pipe["variants"][v]
            lines.append(
                f"{d['label']:42s} {d['fps_median']:8.1f} [{d['fps_min']:5.1f}-{d['fps_max']:5.1f}] "
                f"{d['ratio_to_a_median']:10.2f} [{d['ratio_to_a_min']:.2f}-{d['ratio_to_a_max']:.2f}] "
                f"{d['peak_rss_mb_max']:6.0f} MB {d.get('cpu_ms_per_frame_median', math.nan):7.2f} ms"
            )
        sized = [(v, d["video_kb_per_s_median"]) for v, d in pipe["variants"].items() if "video_kb_per_s_median" in d]
        if sized:
            lines.append(
                "annotated video size, kB per second of video (median): "
                + ", ".join(f"({v}) {kb:.0f}" for v, kb in sized)
            )
        lines.append("")
        lines.append("per frame (ms)   wall median / p95    CPU median / p95   (variant; frames pooled over runs)")
        for s in STAGES:
            for v, d in pipe["stages"].get(s, {}).items():
                if v == "b0":
                    continue
                lines.append(
                    f"{s:9s} ({v})  {d['wall_median_ms']:8.2f} / {d['wall_p95_ms']:7.2f}   "
                    f"{d['cpu_median_ms']:8.2f} / {d['cpu_p95_ms']:7.2f}"
                )
        lines.append("")
        lines.append(f"{'per clip (ms), (b) and (c)':45s} wall median / p95    CPU median / p95")
        lines += _clip_stage_rows(pipe.get("per_clip", {}).items())
    if "isolated" in result:
        lines.append("")
        lines.append(f"{'alone, no model beside them (ms)':45s} wall median / p95    CPU median / p95")
        iso = result["isolated"]
        lines += _clip_stage_rows([*iso["per_clip"].items(), ("all clips", iso["all_clips"])])
    if "memory" in result:
        lines.append("")
        for x in result["memory"]["runs"]:
            timeline = [r for _, r in x["rss_timeline_mb"]]
            lines.append(
                f"memory  {x['estimator']:6s} {x['minutes']:4g} min ({x['frames']} frames, {x['fps']:.0f} fps): "
                f"peak RSS {x['peak_rss_mb']:.0f} MB; RSS sampled every 600 frames {min(timeline):.0f}-"
                f"{max(timeline):.0f} MB"
            )
    if "batch" in result:
        b = result["batch"]
        lines.append("")
        for x in b["runs"]:
            lines.append(
                f"batch   --jobs {x['jobs']}: {x['fps']:5.1f} frames/s ({x['frames']} frames in {x['seconds']:.1f} s)"
            )
        lines.append(f"batch   2 processes vs 1: {b['speedup_2_vs_1_median']:.2f}x (per repeat: {b['speedups']})")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("clips", nargs="*", type=Path, help="clips with a person (default: the three bridge samples)")
    p.add_argument("--repeats", type=int, default=3, help="interleaved repeats of every variant (default: 3)")
    p.add_argument("--memory", action="store_true", help="also the 1- vs 10-minute memory test")
    p.add_argument("--memory-minutes", type=float, nargs="+", default=[1.0, 10.0])
    p.add_argument("--memory-model", action="store_true", help="memory test with the real model too (slow)")
    p.add_argument("--batch", action="store_true", help="also batch throughput, 1 vs 2 processes")
    p.add_argument("--batch-repeats", type=int, default=2)
    p.add_argument("--isolated", action="store_true", help="also analysis and overlay alone, without the model")
    p.add_argument("--no-pipeline", action="store_true", help="skip the (a)/(b)/(c) comparison")
    p.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "formcheck-bench")
    p.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "bench_pipeline.json")
    p.add_argument("--table", type=Path, metavar="JSON", help="print the tables of a saved run (summaries recomputed)")
    # internal: one measurement in a fresh process
    p.add_argument("--child", nargs=2, metavar=("VARIANT", "CLIP"), help=argparse.SUPPRESS)
    p.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--child-video", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--child-estimator", default="replay", help=argparse.SUPPRESS)
    args = p.parse_args()

    if args.child:
        variant, clip = args.child[0], Path(args.child[1])
        if variant == "a":
            res = child_model_loop(clip)
        elif variant == "iso":
            res = child_isolated(clip)
        elif variant == "long":
            res = child_long(clip, args.child_video, args.child_estimator, args.child_out)
        else:
            out = args.child_out if variant in ("c", "cm") else None
            res = child_analyze(clip, out, timed=variant != "b0", mp4v=variant == "cm")
        print(json.dumps(res))
        return 0

    if args.table:
        saved = json.loads(args.table.read_text())
        if "pipeline" in saved:  # the per-run rows are kept; the variant summaries follow this script
            saved["pipeline"]["variants"] = summarise_pipeline(saved["pipeline"]["runs"])["variants"]
        print(format_tables(saved))
        return 0

    clips = [c.resolve() for c in (args.clips or DEFAULT_CLIPS)]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        },
        "clips": [c.name for c in clips],
        "repeats": args.repeats,
    }
    loads: list[float] = []
    if not args.no_pipeline:
        print(
            "pipeline: (a) model loop, (b) analyze, (b0) analyze untimed, (c) analyze + video, (cm) the same in mp4v",
            file=sys.stderr,
        )
        result["pipeline"] = section_pipeline(clips, args.repeats, args.work_dir)
        loads += [x[k] for x in result["pipeline"]["runs"] for k in ("load_before", "load_after")]
    if args.isolated:
        print("isolated: analysis and overlay alone", file=sys.stderr)
        result["isolated"] = section_isolated(clips, args.repeats)
        loads += result["isolated"]["loads"]
    if args.memory:
        print("memory: long videos, poses replayed", file=sys.stderr)
        result["memory"] = section_memory(clips[0], args.work_dir, args.memory_minutes, args.memory_model)
        loads += [x[k] for x in result["memory"]["runs"] for k in ("load_before", "load_after")]
    if args.batch:
        print("batch: 4 clips, --jobs 1 vs --jobs 2", file=sys.stderr)
        result["batch"] = section_batch(clips, args.batch_repeats, args.work_dir)
        loads += [x[k] for x in result["batch"]["runs"] for k in ("load_before", "load_after")]
    if loads:
        result["load_avg_1min"] = {"mean": statistics.mean(loads), "min": min(loads), "max": max(loads)}
    result["machine"]["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1) + "\n")
    print(format_tables(result))
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
