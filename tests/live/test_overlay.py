"""The live layers of the shared overlay: drawn where expected, and only when live."""

from __future__ import annotations

import importlib.util
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis import Analyzer, FrameResult
from formcheck.exercises import get_exercise
from formcheck.render import LiveInfo, Overlay, SummaryView, draw_summary, live_strip


def _load_synthetic_body():  # type: ignore[no-untyped-def]
    """tests/synthetic_body.py (hand-built side-view bodies), from this subfolder."""
    path = Path(__file__).resolve().parents[1] / "synthetic_body.py"
    spec = importlib.util.spec_from_file_location("synthetic_body", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


body = _load_synthetic_body()
H, W = 480, 640
GREY = 170


def bridge_result(hip_angle: float = 150.0) -> FrameResult:
    analyzer = Analyzer(get_exercise("bridge"), "auto")
    pts = body.bridge_points(body.lift_for_hip_angle(hip_angle))
    result = None
    for i in range(10):
        result = analyzer.step(body.pose_frame(i, i * 33.3, pts))
    assert result is not None and result.status == "ok"
    return result


def canvas() -> np.ndarray:
    return np.full((H, W, 3), GREY, np.uint8)


def live(**kw: object) -> LiveInfo:
    base = dict(set_no=2, sets=3, done_in_set=4, per_set=10, fps=29.0, latency_ms=41.0, help="space pause   q quit")
    base.update(kw)
    return LiveInfo(**base)  # type: ignore[arg-type]


def test_video_frames_get_no_live_layers() -> None:
    img = Overlay(get_exercise("bridge")).draw(canvas(), bridge_result())
    assert img[:40].mean() < GREY * 0.7  # the HUD band
    assert np.all(img[H - 10 :] == GREY)  # no help line in an annotated video


def test_key_help_is_a_strip_below_the_picture_never_in_it() -> None:
    result = bridge_result(150.0)
    picture = Overlay(get_exercise("bridge")).draw(canvas(), result, live())
    assert np.all(picture[H - 10 :] == GREY)  # the picture (what --record keeps) has no help line
    shown = live_strip(picture, live())
    assert shown.shape[0] > H and np.array_equal(shown[:H], picture)
    strip = shown[H:]
    assert strip.mean() < 60 and (strip.min(axis=2) > 150).sum() > 50  # dark, with text
    # The speed readout is drawn only when the session passes it (--stats).
    bare = live_strip(picture, live(fps=math.nan, latency_ms=math.nan, help=""))
    assert (bare[H:].min(axis=2) > 150).sum() == 0


def test_live_frame_has_angle_with_target() -> None:
    result = bridge_result(150.0)
    img = Overlay(get_exercise("bridge")).draw(canvas(), result, live())
    # The arc and the target tick around the hip.
    hip = result.pose.image[23 if result.side == "left" else 24, :2]
    x, y = int(hip[0]), int(hip[1])
    around = img[y - 45 : y + 45, x - 45 : x + 45]
    assert (around.max(axis=2) > 230).sum() > 30


def test_pause_veils_the_picture_and_hides_the_stale_skeleton() -> None:
    ov = Overlay(get_exercise("bridge"))
    counting = ov.draw(canvas(), bridge_result(), live())
    paused = ov.draw(canvas(), bridge_result(), live(stage="paused"))
    middle = slice(120, 400)
    assert paused[middle].mean() < counting[middle].mean() * 0.8


def test_setup_card_avoids_the_person() -> None:
    result = bridge_result()
    img = Overlay(get_exercise("bridge")).draw(
        canvas(), result, live(stage="setup", setup_title="Get ready", setup_lines=("Lie on your back",),
                                setup_message="Turn side-on to the camera", safety="Not medical advice.")
    )  # fmt: skip
    ys = result.pose.image[:, 1]
    ys = ys[np.isfinite(ys)]
    body_rows = img[int(ys.min()) : int(ys.max())]
    others = np.concatenate([img[90 : max(90, int(ys.min()) - 5)], img[int(ys.max()) + 5 : H - 25]])
    # The card (dark) lies mostly outside the rows the body occupies.
    assert others.mean() < body_rows.mean()


@pytest.mark.parametrize(("paused", "colour_channel"), [(False, 1), (True, 2)])
def test_hold_ring_turns_red_when_form_breaks(paused: bool, colour_channel: int) -> None:
    spec = get_exercise("knee_to_chest")
    result = replace(bridge_result(), holding=True, hold_s=12.0, hold_paused=paused, phase="hold", feedback=None)
    img = Overlay(spec).draw(canvas(), result, live(unit="holds", per_set=2, done_in_set=1))
    ring = img[5:80, W - 90 : W - 10].reshape(-1, 3).astype(int)
    # Green (holding) or red (paused) pixels dominate the ring area.
    strong = ring[:, colour_channel] - ring.min(axis=1)
    assert (strong > 90).sum() > 60


def test_summary_screen_draws_rows_over_a_dimmed_picture() -> None:
    img = draw_summary(canvas(), SummaryView("Session summary", [("", "Glute bridge"), ("Reps", "5")], ["q"]))
    assert img.mean() < GREY * 0.5
    assert (img.min(axis=2) > 200).sum() > 200  # white text
    assert not math.isnan(float(img.mean()))
