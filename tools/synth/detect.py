"""MediaPipe PoseLandmarker over a rendered clip: detection rate and landmarks."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "pose_landmarker_full.task"


def run_mediapipe(video: Path, model: Path = DEFAULT_MODEL) -> dict[str, np.ndarray]:
    """Per frame: ``found`` (N,) bool, ``image`` (N,33,3) pixel x, y and z (x-scaled),
    ``world`` (N,33,3) metric world landmarks, ``visibility`` (N,33). NaN when not found."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    opts = PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)), running_mode=RunningMode.VIDEO, num_poses=1
    )
    cap = cv2.VideoCapture(str(video))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    found, img_pts, world, vis = [], [], [], []
    with PoseLandmarker.create_from_options(opts) as det:
        i = 0
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            h, w = frame.shape[:2]
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            res = det.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb), round(i * 1000 / fps))
            if res.pose_landmarks:
                lm = res.pose_landmarks[0]
                img_pts.append([[p.x * w, p.y * h, p.z * w] for p in lm])
                vis.append([p.visibility or 0.0 for p in lm])
                world.append([[p.x, p.y, p.z] for p in res.pose_world_landmarks[0]])
                found.append(True)
            else:
                img_pts.append(np.full((33, 3), np.nan))
                world.append(np.full((33, 3), np.nan))
                vis.append(np.zeros(33))
                found.append(False)
            i += 1
    cap.release()
    return {
        "found": np.array(found),
        "image": np.array(img_pts, float),
        "world": np.array(world, float),
        "visibility": np.array(vis, float),
    }


def compare(truth: np.ndarray, measured: np.ndarray) -> dict[str, float]:
    ok = np.isfinite(truth) & np.isfinite(measured)
    if ok.sum() < 3:
        return {"n": int(ok.sum()), "mae": float("nan"), "bias": float("nan"), "corr": float("nan")}
    d = measured[ok] - truth[ok]
    corr = float(np.corrcoef(truth[ok], measured[ok])[0, 1]) if np.std(truth[ok]) > 1e-6 else float("nan")
    return {"n": int(ok.sum()), "mae": float(np.mean(np.abs(d))), "bias": float(np.mean(d)), "corr": corr}
