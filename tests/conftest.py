"""Shared fixtures: small generated videos (no person) for I/O tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_videos"


def write_video(path: Path, frames: int = 30, fps: float = 30.0, size: tuple[int, int] = (160, 120)) -> Path:
    """A moving gradient: decodable, deterministic, nobody in it."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), fps, size)
    assert writer.isOpened()
    w, h = size
    for i in range(frames):
        img = np.zeros((h, w, 3), np.uint8)
        img[:, :, 1] = (np.arange(w)[None, :] + 4 * i) % 256
        cv2.putText(img, str(i), (5, h // 2), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (255, 255, 255), 2)
        writer.write(img)
    writer.release()
    return path


@pytest.fixture
def make_video(tmp_path: Path) -> Callable[..., Path]:
    def make(name: str = "clip.mp4", **kw: object) -> Path:
        return write_video(tmp_path / name, **kw)  # type: ignore[arg-type]

    return make


def pytest_report_header(config: pytest.Config) -> str:
    """Which dependency versions this session runs on, against the tested ones.

    CI installs the newest versions pyproject's bounds allow; a difference is a
    note here, not a failure (formcheck/tested_versions.txt).
    """
    from formcheck.versions import drift_note

    return drift_note()
