"""Write ``tests/golden/overlay/poses.npz``: one real pose per exercise for the overlay goldens.

The golden images are drawn from hand-written ``FrameResult``s (every number
in ``tests/test_render_golden.py``) over a synthetic background; only the
skeletons come from here, so each exercise is drawn on a body in its own
position. Each pose is the analyzer's (smoothed, left/right-corrected) pose
at one frame of a sample clip, replayed from the clip's committed landmark
fixture, with the landmark side it measured. Run it only when a case is
added; the stored file is what the test reads.

    .venv/bin/python tools/overlay_golden_poses.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from formcheck.analysis import Analyzer
from formcheck.exercises import get_exercise
from formcheck.landmark_cache import track_paths
from formcheck.pose.model import resolve_model
from formcheck.pose.track import LandmarkTrack

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "golden" / "overlay" / "poses.npz"

# case name: (clip, exercise, --side, frame index)
POSES = {
    "bridge": ("bridge_partial_02", "bridge", "auto", 90),
    "pelvic_tilt": ("pelvic_tilt_side_left_01", "pelvic_tilt", "auto", 120),
    "knee_to_chest": ("knee_to_chest_side_left_01", "knee_to_chest", "left", 180),
    "hip_flexor_stretch": ("hip_flexor_stretch_two_holds_right_01", "hip_flexor_stretch", "right", 165),
    "calf_stretch": ("calf_stretch_heel_lift_left_02", "calf_stretch", "left", 150),
    "half_kneel_hip_stretch": ("half_kneel_hip_stretch_left_01", "half_kneel_hip_stretch", "left", 180),
    "nerve_glide_rest": ("nerve_glide_near_left_01", "nerve_glide", "left", 30),
    "nerve_glide_top": ("nerve_glide_near_left_01", "nerve_glide", "left", 84),
    "side_bend": ("side_bend_right_symptoms_01", "side_bend", "right", 75),
    "lower_trunk_rotation": ("lower_trunk_rotation_feet_end_01", "lower_trunk_rotation", "auto", 300),
    "childs_pose": ("childs_pose_side_left_01", "childs_pose", "auto", 330),
}


def main() -> None:
    model = resolve_model()
    arrays: dict[str, np.ndarray] = {}
    for name, (clip, exercise, side, index) in POSES.items():
        track = LandmarkTrack.load(track_paths(REPO / "sample_videos" / f"{clip}.mp4", model)[0])
        analyzer = Analyzer(get_exercise(exercise), side)
        result = None
        for i in range(index + 1):
            result = analyzer.step(track.pose(i))
        assert result is not None
        arrays[f"{name}.image"] = result.pose.image.astype(np.float32)
        arrays[f"{name}.visibility"] = result.pose.visibility.astype(np.float32)
        arrays[f"{name}.pose_side"] = np.array(result.pose_side or "left")
        print(f"{name}: {clip} frame {index}, pose side {result.pose_side}, primary {result.primary:.1f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
