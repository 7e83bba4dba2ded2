"""What a committed clip's truth file promises about its video, checked one way for every set of clips
(sample_videos/, real_videos/, examples/check/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2


def assert_video_matches_truth(video: Path, truth: dict[str, Any]) -> None:
    """Frames counted by decoding (a container's frame count can lie), the frame rate, the size and
    the duration the truth states."""
    assert video.is_file(), video
    cap = cv2.VideoCapture(str(video))
    frames = 0
    while cap.grab():
        frames += 1
    fps = cap.get(cv2.CAP_PROP_FPS)
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.release()
    assert frames == truth["frames"]
    assert abs(fps - truth["fps"]) < 0.01
    assert size == (truth["width"], truth["height"])
    assert abs(truth["duration_s"] - truth["frames"] / truth["fps"]) < 1e-3
