"""The user's landmark cache never answers for another MediaPipe or OpenCV than the installed one."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import cv2
import pytest

from formcheck import landmark_cache
from formcheck.landmark_cache import FIXTURE_DIR, runtime_tag, track_paths
from tests.conftest import write_video


def test_user_cache_is_kept_per_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("FORMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    clip = write_video(tmp_path / "clip.mp4", frames=3)
    model = tmp_path / "model.task"
    model.write_bytes(b"stand-in: only its hash is used here")

    fixture, cached = track_paths(clip, model)
    assert fixture.parent == tmp_path / FIXTURE_DIR  # committed fixtures: clip and model only
    assert cached.parent == tmp_path / "cache" / "landmarks" / runtime_tag()
    assert runtime_tag() == f"mediapipe-{metadata.version('mediapipe')}_opencv-{cv2.__version__}"

    monkeypatch.setattr(landmark_cache.metadata, "version", lambda name: "9.9.9")
    fixture_after, cached_after = track_paths(clip, model)
    assert fixture_after == fixture
    assert cached_after != cached and cached_after.name == cached.name
    assert "mediapipe-9.9.9" in str(cached_after)
