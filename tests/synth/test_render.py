"""Quick check of the generator itself: needs the synth extra (anny, torch, moderngl + EGL)."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

for mod in ("torch", "anny", "moderngl"):
    pytest.importorskip(mod, reason=f"{mod} missing: install requirements-synth.txt to test the clip generator")


@pytest.fixture(scope="module")
def gl_ok():
    import moderngl

    try:
        moderngl.create_standalone_context(backend="egl").release()
    except Exception as e:
        pytest.skip(f"no headless EGL context (apt: libegl1 libegl-mesa0 libgl1-mesa-dri): {e}")


@pytest.fixture(scope="module")
def short_clip():
    os.environ.setdefault("ANNY_CACHE_DIR", str(Path.home() / ".cache" / "anny"))
    from tools.synth.clips.bridge import CLIPS
    from tools.synth.spec import rep, rest

    return dataclasses.replace(CLIPS[0], name="test_short", schedule=(rest(0.2), rep(180, up=0.3, top=0.2, down=0.3)))


def test_fk_matches_anny(short_clip):
    import torch

    from tools.synth.engine import Posed
    from tools.synth.rig import anny_model

    posed = Posed(short_clip)
    rig, m = posed.rig, anny_model()
    i = len(posed.A) // 2
    D = np.zeros((1, len(rig.labels), 4, 4))
    D[0, :, :3, :3] = posed.A[i] @ rig.rest_rot
    D[0, :, 3, 3] = 1
    D[0, 0, :3, 3] = posed.roots[i] - [0, 0, rig._dz]
    _, W = m.get_bone_transforms(torch.as_tensor(D, dtype=m.dtype), rig._rest_torch["rest_bone_poses"])
    heads = W[0, :, :3, 3].double().numpy() + [0, 0, rig._dz]
    assert np.allclose(heads, rig.fk(posed.A[i], posed.roots[i]), atol=1e-5)


def test_render_frames(short_clip, gl_ok):
    from tools.synth.engine import Posed, make_renderer

    posed = Posed(short_clip)
    hip = posed.metrics("bridge")["hip_angle"]
    assert abs(hip[0] - 132) < 2 and abs(np.nanmax(hip) - 180) < 1
    renderer, view = make_renderer(posed)
    idx = [0, len(posed.A) // 2, len(posed.A) - 1]
    verts = posed.rig.skin(posed.A[idx], posed.roots[idx])
    for i, v in zip(idx, verts, strict=False):
        img = renderer.render(v)
        assert img.shape == (480, 640, 3) and img.dtype == np.uint8
        assert img.std() > 10, "blank frame"
        px = view.project(posed.landmarks[i])
        assert np.all((px[:, 0] > 0) & (px[:, 0] < 640) & (px[:, 1] > 0) & (px[:, 1] < 480) & (px[:, 2] > 0))
        # the body is drawn where its points project: the hip pixel differs from an empty corner
        x, y = px[23, :2].astype(int)
        assert np.abs(img[y, x].astype(int) - img[5, 5].astype(int)).sum() > 20
        # nothing of the body is below the floor
        assert v[:, 2].min() > -0.04
    renderer.release()


def _check_clip_ids() -> list[str]:
    from tools.synth.check_clips import all_clips

    return [c.name for c in all_clips()]


@pytest.mark.parametrize("name", _check_clip_ids())
def test_check_clip_movements_follow_their_schedule_in_the_files_metric(name):
    """The example files' movement modules hit the commanded value of the schedule's metric (the
    file's primary, or the module's ``SCHEDULE_METRIC``: what the truth's rep events and the
    no-truth band are written in), and stay on or above the floor."""
    os.environ.setdefault("ANNY_CACHE_DIR", str(Path.home() / ".cache" / "anny"))
    from tools.synth.check_clips import all_clips
    from tools.synth.engine import Posed, performed_measures

    clip = next(c for c in all_clips() if c.name == name)
    short = dataclasses.replace(clip, fps=5.0)  # every segment, a few frames each
    posed = Posed(short)
    ms, pm = performed_measures(short)
    value = posed.metrics(ms)[pm]
    commanded = posed.timeline.values
    assert np.nanmax(np.abs(value - commanded)) < 0.5
    assert posed.landmarks[..., 2].min() > -0.01
