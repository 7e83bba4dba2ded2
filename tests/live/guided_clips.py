"""A clip of two sample clips back to back (bridge, then hip flexor stretch) with their committed landmarks.

The guided-session tests play a two-exercise program through one camera; this
joins two sample clips into one video and one landmark track, so the tests
replay the committed landmarks (no model run) frame for frame.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from formcheck.landmark_cache import cached_track
from formcheck.pose.track import LandmarkTrack, ReplayEstimator

REPO = Path(__file__).resolve().parents[2]
CLIPS = (
    REPO / "sample_videos" / "bridge_side_left_01.mp4",
    REPO / "sample_videos" / "hip_flexor_stretch_two_holds_right_01.mp4",
)
PROGRAM = Path(__file__).resolve().parent / "data" / "guided_short.toml"
SCALE = 2  # the joined clip is written at half size: decoding and drawing cost a quarter


def join_clips(out: Path) -> LandmarkTrack:
    """Write the joined video to ``out`` and return its landmark track (timestamps continued)."""
    tracks = [cached_track(c)[0] for c in CLIPS]
    fps = tracks[0].fps
    w, h = tracks[0].width // SCALE, tracks[0].height // SCALE
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    n = 0
    for clip in CLIPS:
        cap = cv2.VideoCapture(str(clip))
        while True:
            ok, image = cap.read()
            if not ok:
                break
            writer.write(cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA))
            n += 1
        cap.release()
    writer.release()
    t = np.arange(n) * 1000.0 / fps  # one clock across the joined clips
    image = np.concatenate([tr.image for tr in tracks])[:n].copy()
    image[:, :, :2] /= SCALE
    return LandmarkTrack(
        t_ms=t,
        image=image,
        world=np.concatenate([tr.world for tr in tracks])[:n],
        visibility=np.concatenate([tr.visibility for tr in tracks])[:n],
        width=w,
        height=h,
        fps=fps,
    )


def replay_factory(track: LandmarkTrack):  # type: ignore[no-untyped-def]
    """Stands in for MediaPipePoseEstimator(model): answers from the joined track."""

    def make(model: object = None) -> ReplayEstimator:
        return ReplayEstimator(track)

    return make
