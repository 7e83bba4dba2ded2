"""The real-footage labelling protocol's three steps (real_videos/README.md).

    python -m tools.real_footage trim SRC OUT --start 0 --end 18.8 --crop 0 260 608 760 --width 456
    python -m tools.real_footage sheet CLIP OUT.png --step 0.25 [--start S --end E --cols 10]
    python -m tools.real_footage trace TRUTH.json OUT.png

trim: cut, crop and scale a source video to a small H.264 clip (PyAV's libx264).
sheet (pass 1): a contact sheet of frames every STEP seconds, each stamped with its
time, to read rep and hold boundaries from by eye.
trace (pass 2): the truth's primary metric over time as formcheck measures it (blue),
the raw 2D angle of each side straight from the landmarks, before any gate (grey left,
green right; knee_angle and arm_angle only), and the eye labels as vertical lines, to
check every boundary against the motion.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
from numpy.typing import NDArray

from formcheck.analysis import Analyzer, FrameResult
from formcheck.landmark_cache import cached_track
from formcheck.landmarks import Landmark
from formcheck.pipeline import run
from formcheck.pose.track import LandmarkTrack, ReplayEstimator
from formcheck.regress import truth_spec
from formcheck.sources import Frame

TILE_PX = 240
RED, GREEN, BLUE_LINE, BLACK = (0, 0, 220), (0, 160, 0), (200, 60, 0), (0, 0, 0)


def trim(src: Path, out: Path, start: float, end: float, crop: tuple[int, int, int, int], width: int) -> int:
    """Frames written. ``crop`` is x, y, w, h in source pixels; scaled down to ``width``."""
    cap = cv2.VideoCapture(str(src))
    fps = cap.get(cv2.CAP_PROP_FPS)
    x, y, w, h = crop
    scale = min(1.0, width / w)
    size = (round(w * scale / 2) * 2, round(h * scale / 2) * 2)  # even sizes for yuv420p
    rate = Fraction(round(fps * 1001), 1001) if abs(fps - round(fps)) > 0.01 else Fraction(round(fps))
    container = av.open(str(out), "w")
    stream = container.add_stream("libx264", rate=rate)
    stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
    stream.options = {"crf": "26", "preset": "slow"}
    cap.set(cv2.CAP_PROP_POS_FRAMES, round(start * fps))
    written = 0
    for _ in range(round(start * fps), round(end * fps)):
        ok, frame = cap.read()
        if not ok:
            break
        small = np.asarray(cv2.resize(frame[y : y + h, x : x + w], size, interpolation=cv2.INTER_AREA), np.uint8)
        container.mux(stream.encode(av.VideoFrame.from_ndarray(small, format="bgr24")))
        written += 1
    container.mux(stream.encode(None))
    container.close()
    cap.release()
    return written


def sheet(clip: Path, out: Path, step: float, start: float = 0.0, end: float = math.inf, cols: int = 8) -> int:
    """Tiles written: one frame every ``step`` seconds from ``start`` to ``end``."""
    cap = cv2.VideoCapture(str(clip))
    fps = cap.get(cv2.CAP_PROP_FPS)
    duration = cap.get(cv2.CAP_PROP_FRAME_COUNT) / fps
    tiles: list[NDArray[np.uint8]] = []
    t = start
    while t < min(end, duration):
        cap.set(cv2.CAP_PROP_POS_FRAMES, round(t * fps))
        ok, frame = cap.read()
        if not ok:
            break
        s = TILE_PX / max(frame.shape[:2])
        tile = np.asarray(cv2.resize(frame, (round(frame.shape[1] * s), round(frame.shape[0] * s))), np.uint8)
        cv2.putText(tile, f"{t:.2f}", (4, 18), cv2.FONT_HERSHEY_SIMPLEX, 0.55, RED, 2)
        tiles.append(tile)
        t += step
    cap.release()
    if not tiles:
        raise SystemExit(f"{clip}: no frames between {start} and {end} s")
    h, w = max(x.shape[0] for x in tiles), max(x.shape[1] for x in tiles)
    padded = [cv2.copyMakeBorder(x, 0, h - x.shape[0], 0, w - x.shape[1], cv2.BORDER_CONSTANT) for x in tiles]
    padded += [np.zeros_like(padded[0])] * (-len(padded) % cols)
    rows = [np.hstack(padded[i : i + cols]) for i in range(0, len(padded), cols)]
    cv2.imwrite(str(out), np.vstack(rows))
    return len(tiles)


def _angle_2d(track: LandmarkTrack, a: Landmark, b: Landmark, c: Landmark) -> NDArray[np.float64]:
    """The image angle at ``b``: no smoothing, no gate, no bias correction."""
    p = track.image[:, :, :2].astype(float)
    u, v = p[:, a] - p[:, b], p[:, c] - p[:, b]
    cos = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))), float)


RAW = {
    "knee_angle": ((Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
                   (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE)),
    "arm_angle": ((Landmark.LEFT_HIP, Landmark.LEFT_SHOULDER, Landmark.LEFT_WRIST),
                  (Landmark.RIGHT_HIP, Landmark.RIGHT_SHOULDER, Landmark.RIGHT_WRIST)),
}  # fmt: skip


def trace(truth_path: Path, out: Path, size: tuple[int, int] = (1000, 360)) -> None:
    truth: dict[str, Any] = json.loads(truth_path.read_text())
    spec = truth_spec(truth_path, truth)
    track, _ = cached_track(truth_path.parent / truth["clip"])
    results: list[FrameResult] = []

    def keep(frame: Frame, result: FrameResult) -> None:
        results.append(result)

    analyzer = Analyzer(spec, truth.get("side") or "auto")
    run(track.frames(), ReplayEstimator(track), analyzer, on_result=keep, read_ahead=0)
    metric = truth.get("primary_metric") or spec.primary
    measured = np.array([r.metrics.get(metric, math.nan) for r in results], float)
    raw = [_angle_2d(track, *joints) for joints in RAW.get(metric, ())]
    t = np.arange(len(measured)) / truth["fps"]
    values = np.concatenate([measured, *raw])
    lo, hi = float(np.nanmin(values)) - 5, float(np.nanmax(values)) + 5
    w, h = size
    img = np.full((h, w, 3), 255, np.uint8)

    def px(s: float, v: float) -> tuple[int, int]:
        return int(40 + s / max(t[-1], 1e-9) * (w - 60)), int(h - 30 - (v - lo) / (hi - lo) * (h - 60))

    for s in range(int(t[-1]) + 1):
        x = px(s, lo)[0]
        cv2.line(img, (x, h - 30), (x, 20), (225, 225, 225), 1)
        cv2.putText(img, str(s), (x - 4, h - 12), 0, 0.4, BLACK, 1)
    for v in range(int(lo // 20 * 20) + 20, int(hi) + 1, 20):
        cv2.putText(img, str(v), (2, px(0, v)[1] + 4), 0, 0.4, BLACK, 1)
    for event in truth["rep_events"]:
        for key, colour in (("start_s", GREEN), ("end_s", GREEN), ("peak_s", RED)):
            x = px(event[key], lo)[0]
            cv2.line(img, (x, 20), (x, h - 30), colour, 1)
    for hold in truth["holds"]:
        cv2.rectangle(img, (px(hold["start_s"], lo)[0], 22), (px(hold["end_s"], lo)[0], 30), GREEN, -1)
    styled = [*zip(raw, ((170, 170, 170), (120, 200, 120)), (1, 1), strict=False), (measured, BLUE_LINE, 2)]
    for series, colour, thick in styled:
        points = [px(a, b) for a, b in zip(t, series, strict=False) if np.isfinite(b)]
        for p, q in itertools.pairwise(points):
            cv2.line(img, p, q, colour, thick)
    title = f"{truth['clip']}  {metric}: formcheck (blue), raw 2D left (grey) / right (green); eye: start/end, peak"
    cv2.putText(img, title, (45, 14), 0, 0.45, BLACK, 1)
    cv2.imwrite(str(out), img)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.real_footage", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("trim")
    p.add_argument("src", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--start", type=float, default=0.0)
    p.add_argument("--end", type=float, required=True)
    p.add_argument("--crop", type=int, nargs=4, metavar=("X", "Y", "W", "H"), required=True)
    p.add_argument("--width", type=int, default=640)
    p = sub.add_parser("sheet")
    p.add_argument("clip", type=Path)
    p.add_argument("out", type=Path)
    p.add_argument("--step", type=float, default=0.5)
    p.add_argument("--start", type=float, default=0.0)
    p.add_argument("--end", type=float, default=math.inf)
    p.add_argument("--cols", type=int, default=8)
    p = sub.add_parser("trace")
    p.add_argument("truth", type=Path)
    p.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.cmd == "trim":
        print(f"{args.out}: {trim(args.src, args.out, args.start, args.end, tuple(args.crop), args.width)} frames")
    elif args.cmd == "sheet":
        print(f"{args.out}: {sheet(args.clip, args.out, args.step, args.start, args.end, args.cols)} frames")
    else:
        trace(args.truth, args.out)
        print(args.out)


if __name__ == "__main__":
    main()
