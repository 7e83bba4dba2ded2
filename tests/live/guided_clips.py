"""A clip of two sample clips back to back (bridge, then hip flexor stretch) with their committed landmarks.

The guided-session tests play a two-exercise program through one camera; this
joins two sample clips into one video and one landmark track, so the tests
replay the committed landmarks (no model run) frame for frame. Run as a
script it is the child process of the ``kill -9`` test:
``python guided_clips.py JOINED.mp4 live --program ...``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cv2
import numpy as np

from formcheck.landmark_cache import cached_track
from formcheck.pose.track import LandmarkTrack, ReplayEstimator

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_videos"
CLIPS = (SAMPLES / "bridge_side_left_01.mp4", SAMPLES / "hip_flexor_stretch_two_holds_right_01.mp4")
PROGRAM = Path(__file__).resolve().parent / "data" / "guided_short.toml"
# The joined clip is written at half size (decoding and drawing cost a quarter); full size
# (GUIDED_CLIPS_SCALE=1) for screenshots.
SCALE = int(os.environ.get("GUIDED_CLIPS_SCALE", "2"))


def joined_track() -> LandmarkTrack:
    """The clips' landmark tracks end to end, on one clock, in the half-size clip's pixels."""
    tracks = [cached_track(c)[0] for c in CLIPS]
    fps = tracks[0].fps
    n = sum(len(tr) for tr in tracks)
    image = np.concatenate([tr.image for tr in tracks]).copy()
    image[:, :, :2] /= SCALE
    return LandmarkTrack(
        t_ms=(np.arange(n) * 1000.0 / fps).astype(np.float64),
        image=image,
        world=np.concatenate([tr.world for tr in tracks]),
        visibility=np.concatenate([tr.visibility for tr in tracks]),
        width=tracks[0].width // SCALE,
        height=tracks[0].height // SCALE,
        fps=fps,
    )


def write_joined_clip(out: Path) -> None:
    track = joined_track()
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter.fourcc(*"mp4v"), track.fps, (track.width, track.height))
    for clip in CLIPS:
        cap = cv2.VideoCapture(str(clip))
        while True:
            ok, image = cap.read()
            if not ok:
                break
            writer.write(cv2.resize(image, (track.width, track.height), interpolation=cv2.INTER_AREA))
        cap.release()
    writer.release()


def replay_factory(track: LandmarkTrack):  # type: ignore[no-untyped-def]
    """Stands in for MediaPipePoseEstimator(model): answers from the joined track."""

    def make(model: object = None) -> ReplayEstimator:
        return ReplayEstimator(track)

    return make


if __name__ == "__main__":
    from formcheck.cli import main
    from formcheck.live import guided

    setattr(guided, "MediaPipePoseEstimator", replay_factory(joined_track()))  # noqa: B010 (a test stand-in)
    sys.exit(main(sys.argv[1:]))
