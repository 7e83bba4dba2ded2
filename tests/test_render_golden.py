"""Golden images of the overlay: every exercise, the live layers and the summary screen.

Each case draws a hand-written ``FrameResult`` (all numbers here) on a fixed
synthetic 640x480 background, with a real pose of that exercise from
``tests/golden/overlay/poses.npz`` (written by ``tools/overlay_golden_poses.py``),
and compares the picture with ``tests/golden/overlay/<case>.png``.

Tolerance: a pixel differs when one of its channels is off by more than
``PIXEL_TOL`` (antialiasing and rounding differences between OpenCV builds
stay well below it: they soften edges, they do not move them), and a case
fails when more than ``MAX_DIFF_PX`` pixels differ. One letter moved or
changed differs by 60-150 pixels and a moved word by several hundred, so a
layout change fails while edge noise passes. On failure the drawn picture
and a diff mask are written next to the test's tmp path.

Regenerate after an intended change of the overlay, then look at every PNG:

    FORMCHECK_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_render_golden.py
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from formcheck.analysis import FrameResult
from formcheck.exercises import get_exercise
from formcheck.landmarks import NUM_LANDMARKS, PoseFrame
from formcheck.render import CueView, LiveInfo, Overlay, SummaryView, draw_summary, live_strip, window_strip

GOLDEN = Path(__file__).parent / "golden" / "overlay"
UPDATE = os.environ.get("FORMCHECK_UPDATE_GOLDEN") == "1"
H, W = 480, 640
PIXEL_TOL = 60
MAX_DIFF_PX = 40

SAFETY = (
    "Not medical advice. Follow your physical therapist's dose; stop if pain spreads further "
    "down the leg or numbness or weakness gets worse."
)
HELP = "space pause   r reset   n/p exercise (9 of 10)   m mute   f full screen   q quit"


def background() -> np.ndarray:
    """A wall above a floor, with a soft gradient: text must read on light and dark."""
    img = np.empty((H, W, 3), np.uint8)
    y = np.arange(H)[:, None]
    wall = np.clip(225 - y * 0.1, 0, 255)
    floor = np.clip(150 - (y - 300) * 0.2, 0, 255)
    img[:, :, 0] = np.where(y < 300, wall - 10, floor - 40)
    img[:, :, 1] = np.where(y < 300, wall - 5, floor - 10)
    img[:, :, 2] = np.where(y < 300, wall, floor + 20)
    return img


_POSES = np.load(GOLDEN / "poses.npz")


def pose(name: str) -> tuple[PoseFrame, str]:
    image = _POSES[f"{name}.image"].astype(np.float64)
    world = np.zeros((NUM_LANDMARKS, 3))
    vis = _POSES[f"{name}.visibility"].astype(np.float64)
    return PoseFrame(0, 0.0, image, world, vis, W, H), str(_POSES[f"{name}.pose_side"])


def result(name: str, **kw: Any) -> FrameResult:
    p, side = pose(name)
    base: dict[str, Any] = dict(
        index=0, t_ms=0.0, pose=p, status="ok", side=side, metrics={}, primary=math.nan, phase="rest",
        reps=0, partial_reps=0, progress=math.nan, hold_s=0.0, holding=False, hold_paused=False,
        feedback=None, active_faults=(), pose_side=side,
    )  # fmt: skip
    base.update(kw)
    return FrameResult(**base)


def counting(**kw: Any) -> LiveInfo:
    base: dict[str, Any] = dict(help=HELP)
    base.update(kw)
    return LiveInfo(**base)


@dataclass(frozen=True)
class Case:
    exercise: str
    result: FrameResult
    live: LiveInfo | None = None
    side: str | None = None
    strip: bool = field(default=False)  # add the window's key-help strip below

    def draw(self) -> np.ndarray:
        img = Overlay(get_exercise(self.exercise), side=self.side).draw(background(), self.result, self.live)
        return live_strip(img, self.live) if self.strip and self.live is not None else img


CASES: dict[str, Callable[[], Case]] = {
    # Annotated videos (analyze --out): no live layers.
    "bridge_top_video": lambda: Case(
        "bridge",
        result(
            "bridge",
            primary=183.0,
            phase="top",
            progress=1.0,
            reps=2,
            partial_reps=1,
            feedback="Pause for a moment at the top",
        ),
    ),
    "pelvic_tilt_relative_target_video": lambda: Case(
        "pelvic_tilt",
        result("pelvic_tilt", primary=96.3, primary_rest=94.5, phase="hold", holding=True, hold_s=3.2, reps=1),
    ),
    "knee_to_chest_hold_done_video": lambda: Case(
        "knee_to_chest", result("knee_to_chest", primary=52.0, phase="hold", holding=True, hold_s=30.4)
    ),
    "hip_flexor_stretch_waiting_video": lambda: Case(
        "hip_flexor_stretch", result("hip_flexor_stretch", primary=75.0, phase="rest")
    ),
    "hip_flexor_stretch_hold_still_video": lambda: Case(
        "hip_flexor_stretch",
        result("hip_flexor_stretch", primary=73.0, phase="hold", holding=True, hold_s=4.2, hold_stopped=True),
    ),
    "calf_stretch_holding_video": lambda: Case(
        "calf_stretch", result("calf_stretch", primary=14.0, phase="hold", holding=True, hold_s=12.6)
    ),
    "half_kneel_paused_video": lambda: Case(
        "half_kneel_hip_stretch",
        result(
            "half_kneel_hip_stretch",
            primary=188.0,
            primary_rest=172.0,
            phase="hold",
            holding=True,
            hold_s=7.2,
            hold_paused=True,
            feedback="Keep your trunk upright",
            active_faults=("leaning_forward",),
        ),
    ),
    "childs_pose_holding_video": lambda: Case(
        "childs_pose", result("childs_pose", primary=40.0, phase="hold", holding=True, hold_s=21.0)
    ),
    "side_bend_painful_side_video": lambda: Case(
        "side_bend",
        result("side_bend", side="right", primary=24.0, phase="top", progress=1.0, reps=4),
        side="right",
    ),
    "lower_trunk_rotation_video": lambda: Case(
        "lower_trunk_rotation",
        result("lower_trunk_rotation", primary=28.8, phase="active", progress=0.96, reps=3),
    ),
    "nerve_glide_top_video": lambda: Case(
        "nerve_glide", result("nerve_glide_top", primary=168.0, phase="top", progress=1.0, reps=5)
    ),
    # The live window.
    "nerve_glide_setup_card_live": lambda: Case(
        "nerve_glide",
        result("nerve_glide_rest", status="not_visible", primary=math.nan),
        counting(
            stage="setup",
            setup_title="Get ready: Supine sciatic nerve glide",
            setup_lines=(
                get_exercise("nerve_glide").instruction,
                "Camera low (floor or chair height), 2-3 m to your side, whole body in view",
            ),
            setup_message="Move so your whole body is in the picture",
            safety=SAFETY,
            sets=1,
            per_set=20,
        ),
        strip=True,
    ),
    "nerve_glide_ready_card_live": lambda: Case(
        "nerve_glide",
        result("nerve_glide_rest", primary=95.0, progress=0.0),
        counting(stage="setup", setup_title="Get ready: Supine sciatic nerve glide", safety=SAFETY, sets=1, per_set=20),
        strip=True,
    ),
    "nerve_glide_banner_live": lambda: Case(
        "nerve_glide",
        result("nerve_glide_top", primary=168.0, phase="top", progress=1.0, reps=1),
        counting(banner="Ready: go ahead", sets=1, per_set=20, done_in_set=1, fps=24.0, latency_ms=41.0),
        strip=True,
    ),
    # Live, the pelvic tilt is guided (spec.guided): cued holds, no angle (the analysis's numbers
    # are cleared by live.cued.shown_result before drawing, as here).
    "pelvic_tilt_sets_live": lambda: Case(
        "pelvic_tilt",
        result("pelvic_tilt", reps=2),
        counting(
            sets=1,
            per_set=10,
            done_in_set=2,
            muted=True,
            cue=CueView("hold", 3.2, 5.0, "Tighten your stomach and flatten your back", True, 2, 3),
        ),
        strip=True,
    ),
    "pelvic_tilt_cued_out_of_position_live": lambda: Case(
        "pelvic_tilt",
        result("pelvic_tilt", reps=2, feedback="Keep your hips on the floor: flatten your back instead of lifting"),
        counting(
            sets=1,
            per_set=10,
            done_in_set=2,
            cue=CueView(
                "hold", 1.6, 5.0, "Keep your hips on the floor: flatten your back instead of lifting", False, 2, 3
            ),
        ),
    ),
    "pelvic_tilt_relax_not_counted_live": lambda: Case(
        "pelvic_tilt",
        result("pelvic_tilt", reps=2),
        counting(
            sets=1,
            per_set=10,
            done_in_set=2,
            cue=CueView("relax", 4.2, 5.0, "Relax: not counted (Keep still)", True, 2, 3),
        ),
    ),
    "pelvic_tilt_cue_given_live": lambda: Case(
        "pelvic_tilt",
        result("pelvic_tilt", reps=0),
        counting(
            sets=1,
            per_set=10,
            done_in_set=0,
            cue=CueView("cue", 2.1, 5.0, "Tighten your stomach and flatten your back", True, 0, 0),
        ),
    ),
    "bridge_paused_live": lambda: Case(
        "bridge",
        result("bridge", primary=183.0, phase="top", progress=1.0, reps=2),
        counting(stage="paused"),
        strip=True,
    ),
}


def summary_screen() -> np.ndarray:
    rows = [("", "Glute bridge"), ("Reps", "3 complete, 2 partial"), ("Sets", "0 of 3 sets done"),
            ("To work on", "Lift your hips higher (x2); Pause for a moment at the top (x1)"),
            ("", "Session"), ("Time", "19 s")]  # fmt: skip
    img = draw_summary(background(), SummaryView("Session summary", rows, ["report: session.json"]))
    return window_strip(img, "closes in 5 s (any key closes it now)")


def _compare(name: str, drawn: np.ndarray, tmp_path: Path) -> None:
    path = GOLDEN / f"{name}.png"
    if UPDATE or not path.is_file():
        if not UPDATE:
            pytest.fail(f"no golden image {path.name}; run with FORMCHECK_UPDATE_GOLDEN=1 to write it")
        cv2.imwrite(str(path), drawn)
        return
    golden = cv2.imread(str(path))
    assert golden is not None and golden.shape == drawn.shape, f"{name}: size {drawn.shape} != {golden.shape}"
    diff = np.abs(golden.astype(int) - drawn.astype(int)).max(axis=2) > PIXEL_TOL
    if diff.sum() > MAX_DIFF_PX:
        cv2.imwrite(str(tmp_path / f"{name}.drawn.png"), drawn)
        cv2.imwrite(str(tmp_path / f"{name}.diff.png"), diff.astype(np.uint8) * 255)
        pytest.fail(f"{name}: {int(diff.sum())} pixels differ from {path.name} (see {tmp_path})")


@pytest.mark.parametrize("name", sorted(CASES))
def test_overlay_matches_golden(name: str, tmp_path: Path) -> None:
    _compare(name, CASES[name]().draw(), tmp_path)


def test_summary_screen_matches_golden(tmp_path: Path) -> None:
    _compare("summary_screen", summary_screen(), tmp_path)


def test_the_tolerance_catches_a_moved_word(tmp_path: Path) -> None:
    """The comparison itself: a label moved by 4 px fails, the same picture re-encoded passes."""
    from formcheck.render import text

    base = background()
    a, b = base.copy(), base.copy()
    text(a, "at target", (300, 200), 0.9)
    text(b, "at target", (304, 200), 0.9)
    moved = (np.abs(a.astype(int) - b.astype(int)).max(axis=2) > PIXEL_TOL).sum()
    assert moved > MAX_DIFF_PX
    ok, jpeg = cv2.imencode(".jpg", a, [cv2.IMWRITE_JPEG_QUALITY, 95])  # noise of a lossy round trip
    noisy = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
    assert ok and (np.abs(a.astype(int) - noisy.astype(int)).max(axis=2) > PIXEL_TOL).sum() <= MAX_DIFF_PX


def test_text_is_never_smaller_than_the_floor() -> None:
    """At 640x480 no layer draws letters under 13 px (render.MIN_TEXT_SIZE)."""
    from formcheck.render import MIN_TEXT_SIZE, text_size

    img = background()
    assert text_size(img, "Hd", MIN_TEXT_SIZE, bold=False)[1] >= 13
    assert text_size(img, "Hd", 0.3, bold=False) == text_size(img, "Hd", MIN_TEXT_SIZE, bold=False)
