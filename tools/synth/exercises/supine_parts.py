"""Shared pieces of the supine exercise modules (pelvic tilt, knee to chest, hip flexor
stretch, nerve glide): lying flat on the mat, arms resting beside the body, a leg lying
straight on the mat, hands holding behind a raised thigh.

All positions are world coordinates (metres, +z up); ``layout`` is the supine layout
(``posing.supine``): the person's left is ``layout[:, 0]``, the head end ``layout[:, 2]``.
"""

from __future__ import annotations

import numpy as np

from tools.synth.posing import FOREARM, UPPER_ARM, PoseBuilder, flat_hand, hand_drop, sided, two_link_ik
from tools.synth.rig import Rig
from tools.synth.rotations import EZ, aim, axis_angle, unit

BACK = ("root", "pelvis", "spine", "clavicle", "shoulder01", "neck", "head")


def lying_root(rig: Rig, layout: np.ndarray, floor_z: float, sink: float = 0.005) -> np.ndarray:
    """Root head position lying flat: the back of the trunk/head rests on the mat (``sink`` m in)."""
    V = rig.rest_vertices
    back = rig.bone_verts(BACK)
    world = (V[back] - rig.heads[0]) @ layout.T
    return np.array([0.0, 0.0, floor_z - world[:, 2].min() - sink])


def arms_on_mat(
    pb: PoseBuilder,
    rig: Rig,
    layout: np.ndarray,
    heads: np.ndarray,
    floor_z: float,
    spread_deg: float = 12.0,
    sides: tuple[str, ...] = ("L", "R"),
) -> None:
    """Arms lying on the mat beside the body, slightly abducted, hands flat (as in the bridge)."""
    left, inferior = layout[:, 0], -layout[:, 2]
    l1, l2 = rig.length("upperarm01.L", "lowerarm01.L"), rig.length("lowerarm01.L", "wrist.L")
    spread = np.radians(spread_deg)
    for s in sides:
        sgn = 1 if s == "L" else -1
        sh = heads[rig.bone(f"upperarm01.{s}")]
        wrist_z = floor_z + 0.03
        for _ in range(2):  # the hand's own drop depends (weakly) on the forearm slope
            drop = sh[2] - wrist_z
            reach = 0.97 * (l1 + l2)
            horiz = np.sqrt(max(reach**2 - drop**2, 1e-6))
            hand = sh + horiz * (np.cos(spread) * inferior + np.sin(spread) * sgn * left) - drop * EZ
            elbow, hand = two_link_ik(sh, hand, l1, l2, EZ - 0.3 * inferior)
            fa = pb.aim(sided(FOREARM, s), f"lowerarm01.{s}", f"wrist.{s}", hand - elbow, layout)
            hr = flat_hand(rig, s, fa, hand - elbow)
            wrist_z = floor_z + 0.002 + hand_drop(rig, s, hr)
        pb.aim(sided(UPPER_ARM, s), f"upperarm01.{s}", f"lowerarm01.{s}", elbow - sh, layout)
        pb.set(f"wrist.{s}", hr)


def grip_behind(
    pb: PoseBuilder,
    rig: Rig,
    layout: np.ndarray,
    heads: np.ndarray,
    s: str,
    target: np.ndarray,
    thigh_dir: np.ndarray,
    grip_side: float,
    elbow_out: float = 0.6,
) -> np.ndarray:
    """Arm ``s`` reaching a hand to ``target`` (a point behind a raised thigh), elbow bent outwards
    and down; the hand's palm turned towards the thigh, fingers across it (``grip_side`` = +1 when
    the fingers point to the person's left). Returns the wrist position reached."""
    left, sup = layout[:, 0], layout[:, 2]
    sgn = 1 if s == "L" else -1
    l1, l2 = rig.length(f"upperarm01.{s}", f"lowerarm01.{s}"), rig.length(f"lowerarm01.{s}", f"wrist.{s}")
    sh = heads[rig.bone(f"upperarm01.{s}")]
    pole = unit(sgn * elbow_out * left - 0.5 * EZ + 0.2 * sup)
    elbow, wrist = two_link_ik(sh, target, l1, l2, pole)
    fa = pb.aim(sided(FOREARM, s), f"lowerarm01.{s}", f"wrist.{s}", wrist - elbow, layout)
    pb.aim(sided(UPPER_ARM, s), f"upperarm01.{s}", f"lowerarm01.{s}", elbow - sh, layout)
    # hand: fingers wrap across the back of the thigh (perpendicular to it, horizontal-ish)
    across = unit(np.cross(thigh_dir, -left) * 0 + grip_side * left - (grip_side * left @ thigh_dir) * thigh_dir)
    fingers = unit(0.6 * across + 0.4 * unit(wrist - elbow))
    hr = aim(fa @ rig.vec(f"wrist.{s}", f"finger3-1.{s}"), fingers) @ fa
    pb.set(f"wrist.{s}", hr)
    return wrist


def knee_angle_deg(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray) -> float:
    a, b = hip - knee, ankle - knee
    return float(np.degrees(np.arccos(np.clip(a @ b / np.linalg.norm(a) / np.linalg.norm(b), -1, 1))))


def rot_about(axis: np.ndarray, deg: float, base: np.ndarray) -> np.ndarray:
    return axis_angle(axis, deg) @ base
