"""Run the pose model over a clip once and keep its landmarks on disk.

The cache lives in ``$FORMCHECK_CACHE_DIR`` (default ``~/.cache/formcheck``),
keyed by the clip's and the model's sha256, so any change to either misses.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

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


def cached_track(video: str | Path, model: str | Path | None = None) -> tuple[LandmarkTrack, bool]:
    """(track, was_cached): load from the cache, or extract and store."""
    model_path = resolve_model(model)
    path = cache_dir() / "landmarks" / f"{cache_key(video, model_path)}.npz"
    if path.is_file():
        try:
            return LandmarkTrack.load(path), True
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)  # corrupt or old format: rebuild
    track = extract_track(video, model_path)
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        track.save(path)
    return track, False
