"""What the annotated video's encoder settings cost: x264 presets and threads, and mp4v.

    python benchmarks/bench_encode.py [clip] [--frames N] [--repeats N] [--json PATH]

The clip's frames, decoded once and drawn on by the bridge overlay with its
cached landmarks (what ``analyze --out`` writes), are encoded by
``formcheck.video_writer.H264Writer`` with each preset, thread count and crf, and by
OpenCV's mp4v writer (what formcheck wrote before). Per frame: CPU of the
whole process (every encoder thread) and of the calling thread, wall time;
file size per second of video; PSNR of the decoded video against the frames
given (quality, dB). One process, settings interleaved and rotated per repeat;
medians over repeats.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import formcheck.video_writer as vw  # noqa: E402
from formcheck.analysis import Analyzer  # noqa: E402
from formcheck.exercises import get_exercise  # noqa: E402
from formcheck.landmark_cache import cached_track  # noqa: E402
from formcheck.render import Overlay  # noqa: E402

SETTINGS = [  # preset, threads, crf
    ("ultrafast", 1, 23),
    ("ultrafast", 1, 26),
    ("ultrafast", 1, 28),
    ("superfast", 1, 23),
    ("veryfast", 1, 23),
    ("faster", 1, 23),
    ("veryfast", 0, 23),  # threads 0: x264 chooses (1.5 per core, plus lookahead)
    ("mp4v", 1, 0),
]


def annotated_frames(clip: Path, limit: int) -> list[Any]:
    track, _ = cached_track(clip)
    spec = get_exercise("bridge")
    analyzer, overlay = Analyzer(spec, "auto"), Overlay(spec)
    cap = cv2.VideoCapture(str(clip))
    frames = []
    while len(frames) < min(limit, len(track)):
        ok, image = cap.read()
        if not ok:
            break
        frames.append(overlay.draw(image, analyzer.step(track.pose(len(frames)))))
    cap.release()
    return frames


def encode(frames: list[Any], preset: str, threads: int, crf: int, path: Path, fps: float) -> dict[str, float]:
    size = (frames[0].shape[1], frames[0].shape[0])
    w0, p0, t0 = time.perf_counter(), time.process_time(), time.thread_time()
    if preset == "mp4v":
        writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
        for image in frames:
            writer.write(image)
        writer.release()
    else:
        vw.X264_OPTIONS = {**vw.X264_OPTIONS, "preset": preset, "crf": str(crf)}
        vw.ENCODER_THREADS = threads
        h264 = vw.H264Writer(path, fps, size)
        for image in frames:
            h264.write(image)
        h264.close()
    n = len(frames)
    return {
        "process_cpu_ms": 1000 * (time.process_time() - p0) / n,
        "thread_cpu_ms": 1000 * (time.thread_time() - t0) / n,
        "wall_ms": 1000 * (time.perf_counter() - w0) / n,
        "kb_per_s": path.stat().st_size / 1000 / (n / fps),
    }


def psnr(frames: list[Any], path: Path) -> float:
    errors = []
    with av.open(str(path)) as container:
        for image, frame in zip(frames, container.decode(video=0), strict=False):
            got = frame.to_ndarray(format="bgr24")[: image.shape[0], : image.shape[1]]
            errors.append(float(np.mean((got.astype(np.float64) - image) ** 2)))
    mse = statistics.mean(errors)
    return math.inf if mse == 0 else 10 * math.log10(255**2 / mse)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("clip", nargs="?", type=Path, default=REPO / "sample_videos" / "bridge_side_left_01.mp4")
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "bench_encode.json")
    args = p.parse_args()
    frames = annotated_frames(args.clip, args.frames)
    fps = cv2.VideoCapture(str(args.clip)).get(cv2.CAP_PROP_FPS)
    runs: dict[str, list[dict[str, float]]] = {}
    quality: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeats):
            order = SETTINGS[r % len(SETTINGS) :] + SETTINGS[: r % len(SETTINGS)]
            for preset, threads, crf in order:
                name = f"{preset} threads={threads or 'auto'} crf={crf}" if preset != "mp4v" else "mp4v (OpenCV)"
                path = Path(tmp) / f"{preset}_{threads}_{crf}.mp4"
                runs.setdefault(name, []).append(encode(frames, preset, threads, crf, path, fps))
                if r == 0:
                    quality[name] = psnr(frames, path)
    rows = {
        name: {k: statistics.median(x[k] for x in xs) for k in xs[0]} | {"psnr_db": quality[name]}
        for name, xs in runs.items()
    }
    print(f"{len(frames)} annotated {frames[0].shape[1]}x{frames[0].shape[0]} frames of {args.clip.name}, ")
    print(f"medians of {args.repeats} repeats; CPU and wall per frame in ms")
    print(f"{'setting':33s} {'process CPU':>11s} {'thread CPU':>10s} {'wall':>6s} {'kB/s':>6s} {'PSNR dB':>8s}")
    for name, row in rows.items():
        print(
            f"{name:33s} {row['process_cpu_ms']:11.2f} {row['thread_cpu_ms']:10.2f} {row['wall_ms']:6.2f} "
            f"{row['kb_per_s']:6.0f} {row['psnr_db']:8.1f}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"clip": args.clip.name, "frames": len(frames), "repeats": args.repeats, "settings": rows}, indent=1)
        + "\n"
    )
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
