"""The cluster executor against the process pool: throughput, per-file overhead, per-frame costs.

    python benchmarks/bench_cluster.py [--repeats 2] [--json PATH]

Needs the extra: ``pip install -e ".[dev,cluster]"``. Every variant runs in a
fresh process (``--one VARIANT``), interleaved repeat by repeat, and reports
its wall time split into start-up (a local cluster's scheduler and workers, and
registering the model plugin) and work (first file submitted to last outcome).

throughput
    4 sample clips (640x480, 30 fps) at ``--max-fps 10``: the process pool
    (``run_batch``) with 1 and 2 processes against ``run_on_cluster`` on a local
    cluster of 1 and 2 worker processes.
overhead
    16 tiny clips (5 frames, 160x120): what a file costs beyond its frames,
    pool (2 processes) against cluster (2 workers); and 200 no-op tasks, the
    engine's own cost per task (no model, no video), through both.
costs
    per frame, CPU of the process (all its threads): decoding a 640x480 clip, and
    the pose model on its frames (VIDEO mode, wall too); building a landmarker
    (not the first: that one imports MediaPipe); the clip's bytes per second.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CLIPS = [
    REPO / "sample_videos" / f"{n}.mp4"
    for n in ("bridge_side_left_01", "childs_pose_side_left_01", "bridge_partial_02", "calf_stretch_walk_in_right_01")
]
VARIANTS = ["pool1", "pool2", "cluster1", "cluster2", "tiny_pool2", "tiny_cluster2", "noop_pool2", "noop_cluster2"]


def noop(job: Any, factory: Any = None) -> Any:
    from formcheck.batch import Outcome

    return Outcome(str(job.video), "done")


def tiny_clips(folder: Path, n: int = 16) -> list[Path]:
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import write_video

    return [write_video(folder / f"tiny{i:02d}.mp4", frames=5) for i in range(n)]


def jobs_for(videos: list[Path], max_fps: float | None) -> list[Any]:
    from formcheck.batch import Job

    return [Job(v, "bridge", None, "auto", None, None, None, max_fps) for v in videos]


def run_one(variant: str) -> dict[str, Any]:
    from formcheck.batch import analyze_job, run_batch

    with tempfile.TemporaryDirectory() as tmp:
        if variant.startswith("tiny"):
            jobs = jobs_for(tiny_clips(Path(tmp)), None)
        elif variant.startswith("noop"):
            empty = [Path(tmp) / f"n{i}.mp4" for i in range(200)]
            for path in empty:
                path.touch()
            jobs = jobs_for(empty, None)
        else:
            jobs = jobs_for(CLIPS, 10.0)
        workers = int(variant[-1])
        t0 = time.perf_counter()
        if "pool" in variant:
            work = noop if variant.startswith("noop") else analyze_job
            outcomes, _ = run_batch(jobs, workers, work=work)
            startup = 0.0
        else:
            import dask
            from distributed import Client, LocalCluster

            from formcheck.cluster import run_on_cluster
            from formcheck.cluster.engine import local_scheduler_config

            with dask.config.set(local_scheduler_config(2)):
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")
            client = Client(cluster)
            startup = time.perf_counter() - t0
            t0 = time.perf_counter()
            kw: dict[str, Any] = {"work": noop} if variant.startswith("noop") else {}
            outcomes, _ = run_on_cluster(jobs, cluster.scheduler_address, n_workers=workers, **kw)
            client.close()
            cluster.close()
        wall = time.perf_counter() - t0
    frames = sum(int(o.report.get("frames", 0)) for o in outcomes)
    assert all(o.status == "done" for o in outcomes), [(o.video, o.error) for o in outcomes if o.status != "done"]
    return {"variant": variant, "files": len(jobs), "frames": frames, "startup_s": startup, "work_s": wall}


def costs() -> dict[str, float]:
    import cv2

    from formcheck.native import quiet_native_stderr
    from formcheck.pose.estimator import LoadedPoseModel
    from formcheck.sources import Frame

    clip = CLIPS[0]
    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS)
    images = []
    c0 = time.process_time()  # the whole process: OpenCV and MediaPipe work on threads of their own
    while True:
        ok, image = cap.read()
        if not ok:
            break
        images.append(image)
    decode = (time.process_time() - c0) / len(images)
    cap.release()
    model = LoadedPoseModel()
    with quiet_native_stderr():
        model.estimator().close()  # the first also imports MediaPipe
        c0, w0 = time.process_time(), time.perf_counter()
        est = model.estimator()
    build_cpu, build_wall = time.process_time() - c0, time.perf_counter() - w0
    c0, w0 = time.process_time(), time.perf_counter()
    for i, image in enumerate(images):
        est.estimate(Frame(i, 1000.0 * i / fps, image))
    pose, pose_wall = (time.process_time() - c0) / len(images), (time.perf_counter() - w0) / len(images)
    est.close()
    return {
        "decode_cpu_ms_per_frame": 1e3 * decode,
        "pose_cpu_ms_per_frame": 1e3 * pose,
        "pose_wall_ms_per_frame": 1e3 * pose_wall,
        "landmarker_build_cpu_ms": 1e3 * build_cpu,
        "landmarker_build_wall_ms": 1e3 * build_wall,
        "video_bytes_per_s": clip.stat().st_size / (len(images) / fps),
        "frames": len(images),
        "width": images[0].shape[1],
        "height": images[0].shape[0],
    }


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "bench_cluster.json")
    p.add_argument("--one", choices=[*VARIANTS, "costs"], help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.one:
        print(json.dumps(costs() if args.one == "costs" else run_one(args.one)))
        return 0
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    runs: list[dict[str, Any]] = []
    for r in range(args.repeats):
        order = VARIANTS[r % len(VARIANTS) :] + VARIANTS[: r % len(VARIANTS)]
        for variant in order:
            load = os.getloadavg()[0]
            out = subprocess.run(
                [sys.executable, __file__, "--one", variant], capture_output=True, text=True, check=True, cwd=REPO
            )
            run = json.loads(out.stdout.strip().splitlines()[-1]) | {"load_before": load, "repeat": r}
            runs.append(run)
            print(
                f"{variant:14s} files {run['files']:3d} frames {run['frames']:4d} start-up {run['startup_s']:5.2f} s "
                f"work {run['work_s']:6.2f} s  ({run['files'] / run['work_s']:.2f} files/s, "
                f"{run['frames'] / run['work_s']:.1f} frames/s; load {load:.1f})",
                flush=True,
            )
    cost_runs = [
        json.loads(
            subprocess.run([sys.executable, __file__, "--one", "costs"], capture_output=True, text=True, check=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        for _ in range(args.repeats)
    ]
    for c in cost_runs:
        print("costs:", {k: round(v, 2) for k, v in c.items()})
    result = {
        "machine": {
            "cores": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "started": started,
            "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
        },
        "runs": runs,
        "costs": cost_runs,
    }
    args.json.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
