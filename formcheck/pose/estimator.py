"""Pose estimators: MediaPipe's PoseLandmarker, and a replay of cached landmarks.

The model's output is converted here, once, into ``PoseFrame`` arrays; nothing
past this module sees MediaPipe objects.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

from formcheck.errors import ModelError
from formcheck.landmarks import NUM_LANDMARKS, PoseFrame
from formcheck.native import quiet_native_stderr
from formcheck.pose.model import resolve_model
from formcheck.pose.people import PersonTracker
from formcheck.sources import Frame


class PoseEstimator(Protocol):
    def estimate(self, frame: Frame) -> PoseFrame: ...

    def close(self) -> None: ...


def pose_from_landmarks(
    frame_index: int, t_ms: float, width: int, height: int, image_lms: Any, world_lms: Any
) -> PoseFrame:
    """Convert one person's Tasks API landmarks to arrays (pixels; metres)."""
    raw = np.array(
        [(lm.x, lm.y, lm.z, lm.visibility if lm.visibility is not None else np.nan) for lm in image_lms],
        dtype=np.float64,
    )
    world = np.array([(lm.x, lm.y, lm.z) for lm in world_lms], dtype=np.float64)
    if raw.shape != (NUM_LANDMARKS, 4) or world.shape != (NUM_LANDMARKS, 3):
        raise ModelError(f"the pose model returned {len(raw)} landmarks, expected {NUM_LANDMARKS}")
    image = raw[:, :3] * np.array([width, height, width], dtype=np.float64)
    return PoseFrame(
        index=frame_index,
        t_ms=t_ms,
        image=image,
        world=world,
        visibility=np.nan_to_num(raw[:, 3], nan=0.0),
        width=width,
        height=height,
    )


class MediaPipePoseEstimator:
    """BlazePose (full) through the Tasks API in VIDEO mode.

    VIDEO mode tracks the person between frames (faster and steadier than
    detecting every frame) and needs strictly increasing integer millisecond
    timestamps, which we derive from the frame's own timestamp. With one pose
    the model itself follows whoever it found first until it loses them. With
    ``num_poses > 1`` it reports everyone and ``PersonTracker`` keeps to the
    patient; the detector then runs on every frame, about 1.5-2x the cost.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        num_poses: int = 1,
        min_detection_confidence: float = 0.5,
        min_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        model_data: bytes | None = None,
    ) -> None:
        from mediapipe.tasks.python.core.base_options import BaseOptions
        from mediapipe.tasks.python.vision import pose_landmarker
        from mediapipe.tasks.python.vision.core.vision_task_running_mode import VisionTaskRunningMode

        # ``model_data``: the bundle's bytes, already read and checked (LoadedPoseModel).
        self.model_path = resolve_model(model) if model_data is None else Path(model or "")
        base = (
            BaseOptions(model_asset_path=str(self.model_path))
            if model_data is None
            else BaseOptions(model_asset_buffer=model_data)
        )
        options = pose_landmarker.PoseLandmarkerOptions(
            base_options=base,
            running_mode=VisionTaskRunningMode.VIDEO,
            num_poses=num_poses,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        try:
            with quiet_native_stderr():
                self._landmarker = pose_landmarker.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"{self.model_path}: not a usable pose landmarker model ({exc})") from None
        self._last_ts = -1
        self.tracker = PersonTracker() if num_poses > 1 else None

    def estimate(self, frame: Frame) -> PoseFrame:
        import mediapipe as mp

        if frame.image is None:
            raise ValueError("MediaPipePoseEstimator needs decoded images")
        height, width = frame.image.shape[:2]
        rgb = cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB)
        ts = max(round(frame.t_ms), self._last_ts + 1)
        self._last_ts = ts
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        # The first inference prints the rest of the native start-up chatter, and
        # any later one may log a LiteRT warning (unaligned tensor memory, about
        # one run in fifteen); see native.python_stderr_apart for Python's own.
        with quiet_native_stderr():
            result = self._landmarker.detect_for_video(image, ts)
        if not result.pose_landmarks:
            return PoseFrame.missing(frame.index, frame.t_ms, width, height)
        people = [
            pose_from_landmarks(frame.index, frame.t_ms, width, height, image_lms, world_lms)
            for image_lms, world_lms in zip(result.pose_landmarks, result.pose_world_landmarks, strict=True)
        ]
        if self.tracker is None:
            return people[0]
        chosen = self.tracker.choose(people, frame.t_ms / 1000.0)
        if chosen is None:
            return PoseFrame.missing(frame.index, frame.t_ms, width, height)
        return people[chosen]

    def close(self) -> None:
        # MediaPipe 1.2.3 logs two native INFO lines (DestroyAccelerator) as
        # the graph is torn down; they say nothing a user can act on.
        with quiet_native_stderr():
            self._landmarker.close()

    def __enter__(self) -> MediaPipePoseEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


EstimatorFactory = Callable[[], PoseEstimator]
"""Makes the estimator for one video (``analyze_file``'s injection point)."""


class LoadedPoseModel:
    """A pose model found, checked and read once, from which every video gets its own landmarker.

    A long-lived worker (formcheck.cluster) holds one of these instead of
    resolving, hashing and reading the bundle for every file. Each video still
    gets a fresh landmarker graph built from the bytes in memory: MediaPipe's
    VIDEO mode keeps tracking and smoothing state that has no reset, and one
    landmarker reused across videos gives different landmarks (measured: 62 of
    160 frames moved, by up to 4.5 px, see docs/cluster.md), so its reports
    would not be the single-machine ones.
    """

    def __init__(self, model: str | Path | None = None) -> None:
        self.path = resolve_model(model)
        try:
            self.data = self.path.read_bytes()
        except OSError as err:
            raise ModelError(f"cannot read pose model {self.path}: {err.strerror or err}") from None
        self.landmarkers = 0  # built from it so far

    def estimator(self) -> MediaPipePoseEstimator:
        self.landmarkers += 1
        return MediaPipePoseEstimator(self.path, model_data=self.data)
