"""Files that ship with formcheck: the demo clip (the model is in pose/model.py)."""

from __future__ import annotations

from pathlib import Path

DEMO_CLIP = "bridge_side_left_01.mp4"


def demo_clip_path() -> Path:
    """The bundled demo clip: the wheel's copy, else the source checkout's sample_videos/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data" / DEMO_CLIP, here.parent / "sample_videos" / DEMO_CLIP):
        if candidate.is_file():
            return candidate
    return here / "data" / DEMO_CLIP
