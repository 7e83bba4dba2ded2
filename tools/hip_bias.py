"""Where MediaPipe's hip landmark sits against the true hip joint centre, per sample clip.

    python -m tools.hip_bias [SAMPLES_DIR] [--bins]

For every side-view clip it replays the committed landmark fixture (never the
model) and compares it, frame by frame, with the true joint points' projections
(``<clip>.points.npz`` ``px``) and the per-frame truth of the hip metric
(``<clip>.json``). It prints, per clip:

- the hip landmark's offset from the projected joint centre, in units of the
  projected trunk (shoulder-hip) length: anterior (the way the chest faces) and
  superior (towards the shoulder), and in units of the thigh (hip-knee) length:
  along the thigh and perpendicular to it (median over frames);
- the raw angle bias (MediaPipe 2D angle minus the 3D truth, no correction) and
  how much of it each landmark causes: the angle recomputed on the true
  projections with only the hip (or shoulder, or knee) replaced by MediaPipe's,
  and the projection alone (the 2D angle of the true points);
- with ``--bins``, the same per range of the true hip angle, which shows whether
  the bias is a constant angle or follows the pose;
- the correlation across clips of the anterior offset with what the landmarks
  show of the body, and with the clip's body description (for diagnosis only:
  the analyzer never sees it).

It exists so the accuracy claims in docs/accuracy.md (Landmark bias) can be
re-measured when clips, bodies or the model change.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from formcheck.landmark_cache import cached_track
from formcheck.landmarks import Landmark, other_side, sided
from formcheck.metrics import compute_metrics, primary_metric
from formcheck.regress import truth_files

Array = NDArray[np.float64]
SAMPLES = Path(__file__).resolve().parents[1] / "sample_videos"


def measured_leg(exercise: str, metric: str, side: str) -> str:
    """The leg whose hip is the vertex of ``metric`` (--side names different legs per exercise)."""
    if exercise == "hip_flexor_stretch":  # --side is the straight (affected) leg
        return side if metric.startswith("straight") else other_side(side)
    return other_side(side) if metric.startswith("straight") else side


def matched_landmarks(mp: Array, px: Array, leg: str) -> Array:
    """MediaPipe's points with its left/right labels swapped where its legs are swapped.

    Seen side-on the model often gives the near leg the far side's label; the
    truth's leg is the one whose knee and ankle lie nearer the true ones.
    """
    other = other_side(leg)
    pairs = [(sided(leg, j), sided(other, j)) for j in ("shoulder", "hip", "knee", "ankle", "heel", "foot_index")]
    k, a = sided(leg, "knee"), sided(leg, "ankle")
    ko, ao = sided(other, "knee"), sided(other, "ankle")
    same = np.linalg.norm(mp[:, k, :2] - px[:, k, :2], axis=1) + np.linalg.norm(mp[:, a, :2] - px[:, a, :2], axis=1)
    swap = np.linalg.norm(mp[:, ko, :2] - px[:, k, :2], axis=1) + np.linalg.norm(mp[:, ao, :2] - px[:, a, :2], axis=1)
    flip = swap < same
    out = mp.copy()
    for p, q in pairs:
        out[flip, p], out[flip, q] = mp[flip, q], mp[flip, p]
    return out


@dataclass
class ClipBias:
    clip: str
    metric: str
    body: dict[str, Any]
    truth: Array  # (N,) the metric on the true 3D skeleton
    angle: dict[str, Array]  # "mediapipe", "projection", "hip", "shoulder", "knee": 2D angles
    offset: dict[str, Array]  # hip landmark minus joint: "anterior"/"superior" (trunk), "along"/"across" (thigh)
    landmarks: Array  # (N, 33, 3) MediaPipe's, labels matched to the truth's legs, z = 0
    lateral_z: float


def measure(truth_path: Path) -> ClipBias | None:
    """The hip landmark's offset and the angle bias of one clip; None when it has no hip metric seen side-on."""
    truth = json.loads(truth_path.read_text())
    exercise = truth["exercise"]
    metric = truth.get("primary_metric") or primary_metric(exercise)
    if truth["view"] != "side" or "hip" not in metric:
        return None
    side = truth["side"] or truth["near_side"] or "left"
    leg = measured_leg(exercise, metric, side)
    px = np.load(truth_path.with_name(f"{truth_path.stem}.points.npz"))["px"].astype(np.float64)
    track, _ = cached_track(truth_path.parent / truth["clip"])
    n = min(len(track), len(px))
    true_2d = px[:n].copy()
    true_2d[:, :, 2] = 0.0
    mp = track.image[:n].astype(np.float64)
    mp[:, :, 2] = 0.0
    mp = matched_landmarks(mp, true_2d, leg)
    # the analyzer's side-view convention: the person's left points at the camera when the near side is left
    lateral_z = -1.0 if truth["near_side"] != "right" else 1.0
    lateral = (0.0, 0.0, lateral_z)

    def angle(points: Array) -> Array:
        return compute_metrics(exercise, points, side, lateral=lateral)[metric]

    def only(joint: str) -> Array:
        points = true_2d.copy()
        points[:, sided(leg, joint)] = mp[:, sided(leg, joint)]
        return angle(points)

    angles = {
        "mediapipe": angle(mp),
        "projection": angle(true_2d),
        "hip": only("hip"),
        "shoulder": only("shoulder"),
        "knee": only("knee"),
    }
    hip, shoulder, knee = (true_2d[:, sided(leg, j)] for j in ("hip", "shoulder", "knee"))
    trunk, thigh = shoulder - hip, knee - hip
    trunk_len = np.linalg.norm(trunk, axis=1)
    thigh_len = np.linalg.norm(thigh, axis=1)
    axis = np.array([0.0, 0.0, lateral_z])
    superior = trunk / trunk_len[:, None]
    anterior = np.cross(axis, superior)
    along = thigh / thigh_len[:, None]
    across = np.cross(axis, along)
    off = mp[:, sided(leg, "hip")] - hip
    offsets = {
        "anterior": np.einsum("ij,ij->i", off, anterior) / trunk_len,
        "superior": np.einsum("ij,ij->i", off, superior) / trunk_len,
        "along": np.einsum("ij,ij->i", off, along) / thigh_len,
        "across": np.einsum("ij,ij->i", off, across) / thigh_len,
    }
    metrics = truth["metrics"][metric][:n]
    true_values = np.array([np.nan if v is None else v for v in metrics], dtype=np.float64)
    return ClipBias(truth_path.stem, metric, truth["body"], true_values, angles, offsets, mp, lateral_z)


def observables(c: ClipBias) -> dict[str, float]:
    """What the landmarks themselves show of the body, per clip (medians over frames)."""
    lm = c.landmarks
    ls, rs, lh, rh = (
        lm[:, j] for j in (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    )
    trunk = np.linalg.norm((ls + rs - lh - rh) / 2, axis=1)
    thigh = np.linalg.norm(lm[:, Landmark.LEFT_KNEE] - lh, axis=1) + np.linalg.norm(
        lm[:, Landmark.RIGHT_KNEE] - rh, axis=1
    )
    return {
        "hip separation / trunk (image)": float(np.nanmedian(np.linalg.norm(lh - rh, axis=1) / trunk)),
        "shoulder separation / trunk (image)": float(np.nanmedian(np.linalg.norm(ls - rs, axis=1) / trunk)),
        "trunk / thigh (image)": float(np.nanmedian(trunk / (thigh / 2))),
    }


def described(c: ClipBias) -> dict[str, float]:
    """The clip's body description (truth only; never available at run time)."""
    return {
        "weight": float(c.body["weight"]),
        "muscle": float(c.body["muscle"]),
        "male": float(c.body["sex"] == "male"),
        "shorts": float(c.body.get("bottoms_style") == "shorts"),
    }


def _mean(a: Array, ok: NDArray[np.bool_]) -> float:
    return float(np.mean(a[ok])) if ok.any() else float("nan")


def report(clips: list[ClipBias], bins: bool) -> str:
    lines = [
        f"{'clip':40s} {'metric':16s} {'body':18s} | {'bias':>5s} {'MAE':>5s} | {'proj':>5s} {'hip':>5s} "
        f"{'shoul':>5s} {'knee':>5s} | {'ant/T':>6s} {'sup/T':>6s} {'along/L':>7s} {'across/L':>8s}"
    ]
    for c in clips:
        ok = np.isfinite(c.truth) & np.isfinite(c.angle["mediapipe"])
        err = {k: v - c.truth for k, v in c.angle.items()}
        body = f"{c.body['sex'][0]} w{c.body['weight']:.2f} {c.body.get('bottoms_style', '?')}"
        lines.append(
            f"{c.clip:40s} {c.metric:16s} {body:18s} | {_mean(err['mediapipe'], ok):5.1f} "
            f"{_mean(np.abs(err['mediapipe']), ok):5.1f} | {_mean(err['projection'], ok):5.1f} "
            f"{_mean(err['hip'], ok):5.1f} {_mean(err['shoulder'], ok):5.1f} {_mean(err['knee'], ok):5.1f} | "
            + " ".join(
                f"{float(np.nanmedian(c.offset[k][ok])):{w}.3f}"
                for k, w in (("anterior", 6), ("superior", 6), ("along", 7), ("across", 8))
            )
        )
        if bins and ok.any():
            lo, hi = np.nanpercentile(c.truth[ok], [1, 99])
            edges = np.linspace(lo, hi, 5)
            for a, b in itertools.pairwise(edges):
                m = ok & (c.truth >= a) & (c.truth <= b)
                if m.sum() < 5:
                    continue
                lines.append(
                    f"    true {a:5.0f}-{b:5.0f} n={int(m.sum()):4d}  bias {_mean(err['mediapipe'], m):5.1f}  "
                    f"hip only {_mean(err['hip'], m):5.1f}  ant/T {float(np.nanmedian(c.offset['anterior'][m])):6.3f}"
                    f"  sup/T {float(np.nanmedian(c.offset['superior'][m])):6.3f}"
                )
    lines.append("")
    lines.append("bias: MediaPipe 2D angle - 3D truth, no correction; proj/hip/shoul/knee: the bias of the true")
    lines.append("projections alone, and with only that landmark taken from MediaPipe. Offsets: hip landmark -")
    lines.append("projected joint centre, T = trunk (shoulder-hip) length, L = thigh length, medians over frames.")
    ant = np.array([float(np.nanmedian(c.offset["anterior"])) for c in clips])
    if len(clips) > 2:
        lines.append("")
        lines.append("correlation of the anterior offset (ant/T) across clips with:")
        for source in (observables, described):
            features = [source(c) for c in clips]
            for name in features[0]:
                x = np.array([f[name] for f in features])
                r = float(np.corrcoef(x, ant)[0, 1]) if np.std(x) > 0 else float("nan")
                kind = "landmarks" if source is observables else "truth only"
                lines.append(f"  {name:38s} r = {r:+.2f}   ({kind})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.hip_bias", description=__doc__.splitlines()[0])
    parser.add_argument("samples", nargs="?", type=Path, default=SAMPLES)
    parser.add_argument("--bins", action="store_true", help="also show the bias per range of the true hip angle")
    args = parser.parse_args(argv)
    clips = [c for p in truth_files(args.samples) if (c := measure(p)) is not None]
    print(report(clips, args.bins))
    return 0


if __name__ == "__main__":
    sys.exit(main())
