"""Frame timestamps as OpenCV reports them against the container's own, read with PyAV.

    python benchmarks/bench_timestamps.py [clips...] [--json PATH]

Does reading through PyAV give better times than ``cv2.CAP_PROP_POS_MSEC``
(formcheck.sources)? For every file: the number of frames each decodes, and
per frame the difference between OpenCV's time and the presentation time
stored in the container (PyAV's ``frame.pts * time_base``, counted from the
stream's start), max and median. Besides the sample clips (mp4v, constant
rate), files written here with the project's H.264 writer, whose B-frames
reorder decoding: a constant-rate one, a variable-frame-rate one (60, 20, 30
fps), one that starts 0.5 s into its timeline (a trimmed recording) and an
mp4v file with a variable rate. Also the decoding cost per frame of each
(process CPU, all decoding threads, decode + conversion to BGR).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from formcheck.video_writer import H264Writer  # noqa: E402

VFR_PERIODS_MS = [1000 / 60] * 40 + [1000 / 20] * 40 + [1000 / 30] * 40


def opencv_times(path: Path) -> tuple[list[float], float]:
    """POS_MSEC after each read, as formcheck.sources takes it (before its own corrections)."""
    cap = cv2.VideoCapture(str(path))
    times, cpu = [], 0.0
    while True:
        c0 = time.process_time()
        ok, _ = cap.read()
        cpu += time.process_time() - c0
        if not ok:
            break
        times.append(float(cap.get(cv2.CAP_PROP_POS_MSEC)))
    cap.release()
    return times, 1000 * cpu / max(1, len(times))


def pyav_times(path: Path) -> tuple[list[float], float]:
    """Presentation times from the container, from the stream's start."""
    times, cpu = [], 0.0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        start = stream.start_time or 0
        frames = container.decode(stream)
        while True:
            c0 = time.process_time()
            frame = next(frames, None)
            if frame is None:
                break
            frame.to_ndarray(format="bgr24")
            cpu += time.process_time() - c0
            assert frame.pts is not None and frame.time_base is not None
            times.append(float((frame.pts - start) * frame.time_base) * 1000)
    return times, 1000 * cpu / max(1, len(times))


def _picture(i: int) -> Any:
    img = np.zeros((240, 320, 3), np.uint8)
    img[:, :, 1] = (np.arange(320)[None, :] + 4 * i) % 256
    cv2.putText(img, str(i), (10, 120), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (255, 255, 255), 3)
    return img


def make_files(work: Path) -> dict[str, tuple[Path, list[float]]]:
    """Test files and the times written into them."""
    out: dict[str, tuple[Path, list[float]]] = {}
    cfr = [i * 1000 / 30 for i in range(120)]
    vfr = [float(t) for t in np.cumsum([0.0, *VFR_PERIODS_MS[:-1]])]
    for name, times in (("h264_cfr_bframes", cfr), ("h264_vfr_bframes", vfr)):
        writer = H264Writer(work / f"{name}.mp4", 30.0, (320, 240))
        for i, t in enumerate(times):
            writer.write(_picture(i), t)
        writer.close()
        out[name] = (work / f"{name}.mp4", times)
    # A recording cut from a longer one: its timeline starts at 0.5 s.
    path = work / "h264_starts_at_500ms.mp4"
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 90000)
        for i in range(120):
            frame = av.VideoFrame.from_ndarray(_picture(i), format="bgr24")
            frame.pts, frame.time_base = 45000 + i * 3000, Fraction(1, 90000)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    out["h264_starts_at_500ms"] = (path, [500 + i * 1000 / 30 for i in range(120)])
    # mp4v at a variable rate: written by PyAV's mpeg4 encoder with the times given.
    path = work / "mp4v_vfr.mp4"
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=30)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 600)  # MPEG-4 Part 2 takes at most 16 bits here
        for i, t in enumerate(vfr):
            frame = av.VideoFrame.from_ndarray(_picture(i), format="bgr24")
            frame.pts, frame.time_base = round(t * 0.6), Fraction(1, 600)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    out["mp4v_vfr"] = (path, vfr)
    return out


def compare(path: Path, written: list[float] | None) -> dict[str, Any]:
    cv_t, cv_cpu = opencv_times(path)
    av_t, av_cpu = pyav_times(path)
    n = min(len(cv_t), len(av_t))
    diff = [abs(a - b) for a, b in zip(cv_t[:n], av_t[:n], strict=True)]
    row: dict[str, Any] = {
        "frames_opencv": len(cv_t),
        "frames_pyav": len(av_t),
        "opencv_vs_container_max_ms": max(diff),
        "opencv_vs_container_median_ms": statistics.median(diff),
        "opencv_first_ms": cv_t[0],
        "pyav_first_ms": av_t[0],
        "decode_cpu_ms_opencv": cv_cpu,
        "decode_cpu_ms_pyav": av_cpu,
    }
    if written is not None:  # relative to the first frame, as formcheck uses them
        rel = [t - written[0] for t in written]
        row["opencv_vs_written_max_ms"] = max(abs(a - cv_t[0] - b) for a, b in zip(cv_t, rel, strict=False))
        row["pyav_vs_written_max_ms"] = max(abs(a - av_t[0] - b) for a, b in zip(av_t, rel, strict=False))
    return row


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("clips", nargs="*", type=Path, help="default: every sample clip")
    p.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / "bench_timestamps.json")
    args = p.parse_args()
    clips = args.clips or sorted((REPO / "sample_videos").glob("*.mp4"))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (path, written) in make_files(Path(tmp)).items():
            results[name] = compare(path, written)
        for clip in clips:
            results[clip.name] = compare(clip, None)
    print(
        f"{'file':44s} {'frames cv/av':>12s} {'|cv-container| max/median ms':>29s} "
        f"{'vs written max cv/av':>21s} {'decode CPU cv/av ms':>20s}"
    )
    for name, r in results.items():
        written = (
            f"{r['opencv_vs_written_max_ms']:8.2f} / {r['pyav_vs_written_max_ms']:6.2f}"
            if "opencv_vs_written_max_ms" in r
            else f"{'-':>17s}"
        )
        print(
            f"{name[:44]:44s} {r['frames_opencv']:5d} / {r['frames_pyav']:4d} "
            f"{r['opencv_vs_container_max_ms']:14.2f} / {r['opencv_vs_container_median_ms']:6.2f}      "
            f"{written}    {r['decode_cpu_ms_opencv']:7.2f} / {r['decode_cpu_ms_pyav']:5.2f}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
