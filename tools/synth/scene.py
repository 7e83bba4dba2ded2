"""Scene assembly: body colours per part, floor/wall/mat geometry, camera placement."""

from __future__ import annotations

import numpy as np

from tools.synth.render import View, box, srgb_to_linear
from tools.synth.rig import Rig
from tools.synth.rotations import EZ, axis_angle, unit
from tools.synth.spec import SKIN_TONES, Body, Clip

MAT_THICKNESS = 0.008


def body_colors(rig: Rig, body: Body, rng: np.random.Generator) -> np.ndarray:
    """(V, 3) linear RGB per vertex: skin, hair, shirt, bottoms, feet."""
    V = rig.rest_vertices
    skin = srgb_to_linear(SKIN_TONES[body.skin])
    col = np.tile(skin, (len(V), 1))
    z = V[:, 2]
    hip_z = rig.head("upperleg01.L")[2]
    knee_z = rig.head("lowerleg01.L")[2]
    ankle_z = rig.head("foot.L")[2]
    waist_z = hip_z + 0.09
    trunk = rig.bone_verts(("spine", "clavicle", "shoulder01", "root", "pelvis", "upperleg", "lowerleg"))
    legs = rig.bone_verts(("root", "pelvis", "upperleg", "lowerleg", "spine05"))
    # shirt: trunk above the waist (+ sleeves)
    shirt = trunk & (z >= waist_z)
    if body.sleeves != "none":
        shoulder = rig.head("upperarm01.L")
        arm = rig.bone_verts(("upperarm", "lowerarm") if body.sleeves == "long" else ("upperarm",))
        reach = 0.14 if body.sleeves == "short" else 0.55
        dist_along = np.linalg.norm(np.c_[np.abs(V[:, 0]) - abs(shoulder[0]), V[:, 2] - shoulder[2]], axis=1)
        shirt |= arm & (dist_along < reach)
    else:
        shirt &= np.abs(V[:, 0]) < rig.head("upperarm01.L")[0] - 0.02
    col[shirt] = srgb_to_linear(body.shirt)
    bottom_z = {"shorts": hip_z - 0.5 * (hip_z - knee_z), "trousers": ankle_z + 0.02, "leggings": ankle_z + 0.06}[
        body.bottoms_style
    ]
    bottoms = (legs | trunk) & (z < waist_z) & (z >= bottom_z)
    bottoms &= ~rig.bone_verts(("upperarm", "lowerarm", "wrist", "finger", "metacarpal"))
    col[bottoms] = srgb_to_linear(body.bottoms)
    feet = rig.bone_verts(("foot", "toe"))
    if body.feet == "socks":
        col[feet | ((z < ankle_z + 0.07) & legs)] = srgb_to_linear(body.feet_color)
    elif body.feet == "shoes":
        col[feet] = srgb_to_linear(body.feet_color)
    # hair: the top and back of the head above the ears
    eye = rig.head("eye.L")
    head = rig.bone_verts(("head",)) & (z > rig.head("neck03")[2])
    hair = head & (
        ((z > eye[2] + 0.035) & (V[:, 1] > eye[1] + 0.03))
        | (z > eye[2] + 0.06)
        | ((V[:, 1] > eye[1] + 0.10) & (z > eye[2] - 0.06))
    )
    col[hair] = srgb_to_linear(body.hair)
    # a little per-vertex variation so surfaces are not flat plastic
    col *= 1.0 + rng.normal(0, 0.01, (len(V), 1))
    return np.clip(col, 0, 1)


def camera_direction(clip: Clip, lateral_left: np.ndarray, anterior: np.ndarray, superior: np.ndarray) -> np.ndarray:
    """Horizontal unit vector from the subject to the camera for the clip's view."""
    flat = lambda v: unit(np.array([v[0], v[1], 0.0]))  # noqa: E731
    if clip.view in ("side", "oblique"):
        d = flat(lateral_left) * (1 if clip.near_side == "left" else -1)
        # lying: towards the head end; standing/kneeling (superior vertical): towards the front
        toward_head = flat(superior) if np.hypot(superior[0], superior[1]) > 1e-6 else flat(anterior)
    elif clip.view == "front":
        d = flat(anterior)
        toward_head = flat(lateral_left)
    else:  # feet_end
        d = -flat(superior)
        toward_head = flat(lateral_left)
    # + yaw turns the camera towards the head end
    sign = 1.0 if np.cross(d, toward_head)[2] > 0 else -1.0
    return axis_angle(EZ, sign * clip.camera.yaw) @ d


def place_camera(clip: Clip, points: np.ndarray, axes: tuple[np.ndarray, np.ndarray, np.ndarray]) -> View:
    """``points``: (N, 33, 3) landmarks over the clip; ``axes``: rest lateral-left, anterior, superior."""
    lo, hi = np.nanmin(points.reshape(-1, 3), 0), np.nanmax(points.reshape(-1, 3), 0)
    center = (lo + hi) / 2
    cam = clip.camera
    d = camera_direction(clip, *axes)
    sup = unit(np.array([axes[2][0], axes[2][1], 0.0])) if np.linalg.norm(axes[2][:2]) > 0.3 else np.zeros(3)
    target = center.copy()
    target -= sup * cam.look_shift
    target[2] = cam.look_at_height if cam.look_at_height is not None else center[2]
    eye = target + d * cam.distance
    eye[2] = cam.height
    return View(eye=eye, target=target, fov=cam.fov, width=clip.width, height=clip.height)


def static_scene(clip: Clip, view: View, points: np.ndarray, mat: bool) -> list:
    L = clip.lighting
    d = unit(np.array([*(view.eye - view.target)[:2], 0.0]))
    side = np.cross(EZ, d)
    c = view.target.copy()
    c[2] = 0
    items = []
    # floor: a big quad (as a thin box)
    items.append(_oriented_box(c - d * 1.5, d, side, (12.0, 12.0, 0.02), -0.01, L.floor))
    # wall behind the subject, facing the camera
    wall_c = c - d * 1.6
    wp, wn, wc = _oriented_box(wall_c, d, side, (0.05, 12.0, 6.0), 3.0, L.wall)
    items.append((wp, wn, wc))
    # skirting board
    items.append(_oriented_box(wall_c + d * 0.03, d, side, (0.02, 12.0, 0.08), 0.04, (235, 235, 230)))
    if mat:
        pts = points.reshape(-1, 3)
        pts = pts[np.isfinite(pts).all(1)]
        lo, hi = pts.min(0), pts.max(0)
        mc = (lo + hi) / 2
        size = np.array([hi[0] - lo[0] + 0.35, hi[1] - lo[1] + 0.45])
        size = np.maximum(size, 0.6)
        P, N, C = box([mc[0], mc[1], MAT_THICKNESS / 2], [size[0], size[1], MAT_THICKNESS], srgb_to_linear(L.mat))
        items.append((P, N, C))
    return items


def _oriented_box(center_xy, d, side, size, zc, color):
    """Box with local axes (d, side, z), sizes along them, centred at (center_xy, zc)."""
    P, N, C = box([0, 0, 0], size, srgb_to_linear(color))
    R = np.stack([d, side, EZ], 1)
    P = P @ R.T + [center_xy[0], center_xy[1], zc]
    N = N @ R.T
    return P, N, C


def light_dirs(clip: Clip, view: View) -> tuple[np.ndarray, np.ndarray]:
    L = clip.lighting
    d = unit(np.array([*(view.eye - view.target)[:2], 0.0]))
    key_h = axis_angle(EZ, L.key_azimuth) @ d
    el = np.radians(L.key_elevation)
    key = unit(key_h * np.cos(el) + EZ * np.sin(el))
    fill_h = axis_angle(EZ, -L.key_azimuth - 40) @ d
    fill = unit(fill_h * 0.8 + EZ * 0.45)
    return key, fill
