"""Run the pose model over a clip once and keep its landmarks on disk.

Tracks are keyed by the clip's and the model's sha256, so any change to either
misses. They are looked up first in a ``landmarks/`` folder beside the clip
(committed fixtures for the sample clips, so CI replays them without the model)
and then in the user cache, ``$FORMCHECK_CACHE_DIR`` (default
``~/.cache/formcheck``), where new extractions are stored. The user cache is
also kept per MediaPipe and OpenCV version (:func:`runtime_tag`): after an
upgrade it misses instead of replaying the old runtime's landmarks. The
committed fixtures are not; ``formcheck regress --rerun-model`` checks them
against the installed runtime.
"""

from __future__ import annotations

import contextlib
import os
from importlib import metadata
from pathlib import Path

import cv2

from formcheck.landmarks import PoseFrame
from formcheck.pose.estimator import MediaPipePoseEstimator
from formcheck.pose.model import resolve_model
from formcheck.pose.track import LandmarkTrack, cache_key
from formcheck.sources import VideoFileSource


def cache_dir() -> Path:
    env = os.environ.get("FORMCHECK_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "formcheck"


def extract_track(video: str | Path, model: str | Path | None = None) -> LandmarkTrack:
    """Every frame's raw (unsmoothed) landmarks; smoothing belongs to the analyzer."""
    source = VideoFileSource(video)
    poses: list[PoseFrame] = []
    try:
        with MediaPipePoseEstimator(model) as estimator:
            for frame in source:
                poses.append(estimator.estimate(frame))
    finally:
        source.close()
    return LandmarkTrack.from_poses(poses, source.info.fps)


FIXTURE_DIR = "landmarks"


def runtime_tag() -> str:
    """The libraries that turn a clip into landmarks besides the model file:
    MediaPipe runs the inference and OpenCV (its FFmpeg) decodes the frames."""
    try:
        mediapipe = metadata.version("mediapipe")
    except metadata.PackageNotFoundError:
        mediapipe = "none"
    return f"mediapipe-{mediapipe}_opencv-{cv2.__version__}"


def track_paths(video: str | Path, model: str | Path) -> list[Path]:
    """Where a clip's track may be stored, in lookup order: committed fixture, user cache."""
    name = f"{cache_key(video, model)}.npz"
    return [Path(video).parent / FIXTURE_DIR / name, cache_dir() / "landmarks" / runtime_tag() / name]


def cached_track(
    video: str | Path, model: str | Path | None = None, save_to: Path | None = None
) -> tuple[LandmarkTrack, bool]:
    """(track, was_cached): load a stored track, or extract and store it.

    ``save_to`` stores a fresh extraction in that folder instead of the user
    cache (used to write the sample clips' committed fixtures).
    """
    model_path = resolve_model(model)
    paths = track_paths(video, model_path)
    for path in paths:
        if path.is_file():
            try:
                return LandmarkTrack.load(path), True
            except (OSError, ValueError, KeyError):
                pass  # corrupt or an old format: extract again
    track = extract_track(video, model_path)
    target = save_to / paths[0].name if save_to is not None else paths[1]
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        track.save(target)
    return track, False
