"""Shared posing tools for exercise modules: layouts, a pose builder, 2-link IK, table inversion.

Exercise modules describe a pose as world delta rotations per bone (see ``rig.py``):
``PoseBuilder.set`` gives bones an explicit rotation, ``PoseBuilder.aim`` turns a
segment (a chain of bones) so that its rest vector points along a world direction,
and every bone left alone follows its parent rigidly.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from tools.synth.rig import Rig
from tools.synth.rotations import EX, EY, EZ, aim, axis_angle, unit

# --- layouts: the body's rest frame (left +X, front -Y, up +Z) -> world ----------------


def orientation(left: np.ndarray, anterior: np.ndarray) -> np.ndarray:
    """Rotation taking rest left (+X) to ``left`` and rest front (-Y) to ``anterior``."""
    x = unit(left)
    y = -unit(anterior)
    return np.stack([x, y, np.cross(x, y)], 1)


def supine(body_yaw: float = 0.0) -> np.ndarray:
    """Lying on the back, head towards world -X, face up (+Z), the person's left at +Y."""
    return axis_angle(EZ, body_yaw) @ orientation(EY, EZ)


def standing(body_yaw: float = 0.0) -> np.ndarray:
    """Standing, facing world -Y (the rest pose), turned by ``body_yaw`` about the vertical."""
    return axis_angle(EZ, body_yaw)


def foot_flat(layout: np.ndarray) -> np.ndarray:
    """Delta rotation that keeps a rest-pose (standing) foot flat on the floor, toes pointing
    along the layout's inferior direction (for supine layouts: away from the head)."""
    inferior = -layout[:, 2]
    h = unit(np.array([inferior[0], inferior[1], 0.0]))
    rest_toes = np.array([0.0, -1.0, 0.0])
    return aim(rest_toes, h) if abs(h @ rest_toes) < 0.999 else np.eye(3)


# --- building a pose ------------------------------------------------------------------


class PoseBuilder:
    """Collects explicit bone rotations; ``build()`` returns the full (B,3,3) array."""

    def __init__(self, rig: Rig, default: np.ndarray):
        self.rig = rig
        self.default = default
        self.explicit: dict[int, np.ndarray] = {}

    def set(self, labels: str | Iterable[str], rot: np.ndarray) -> PoseBuilder:
        for lab in [labels] if isinstance(labels, str) else labels:
            self.explicit[self.rig.bone(lab)] = rot
        return self

    def aim(
        self, chain: Iterable[str], start: str, end: str, direction: np.ndarray, base: np.ndarray, twist: float = 0.0
    ) -> np.ndarray:
        """Rotate the bones of ``chain`` so the rest vector start->end (bone heads), first
        turned by ``base``, points along ``direction``; ``twist`` degrees about it after.
        Returns the rotation used."""
        v = base @ self.rig.vec(start, end)
        rot = aim(v, direction) @ base
        if twist:
            rot = axis_angle(direction, twist) @ rot
        self.set(chain, rot)
        return rot

    def build(self) -> np.ndarray:
        return self.rig.expand(self.explicit, self.default)


def palm_normal(rig: Rig, s: str) -> np.ndarray:
    """Rest-frame normal of the hand's plane (least-variance axis of the hand's vertices)."""
    cache = rig.__dict__.setdefault("_palm_normals", {})
    if s not in cache:
        hand = rig.bone_verts((f"wrist.{s}", "finger", "metacarpal")) & (
            np.sign(rig.rest_vertices[:, 0]) == (1 if s == "L" else -1)
        )
        pts = rig.rest_vertices[hand] - rig.head(f"wrist.{s}")
        _, _, vt = np.linalg.svd(pts - pts.mean(0), full_matrices=False)
        cache[s] = vt[2]
    return cache[s]


def hand_drop(rig: Rig, s: str, hand_rot: np.ndarray) -> float:
    """How far the hand's lowest point lies below the wrist joint for a hand rotation (rigid hand)."""
    cache = rig.__dict__.setdefault("_hand_pts", {})
    if s not in cache:
        hand = rig.bone_verts((f"wrist.{s}", "finger", "metacarpal")) & (
            np.sign(rig.rest_vertices[:, 0]) == (1 if s == "L" else -1)
        )
        cache[s] = rig.rest_vertices[hand] - rig.head(f"wrist.{s}")
    return float(-(cache[s] @ hand_rot.T)[:, 2].min())


def flat_hand(rig: Rig, s: str, forearm_rot: np.ndarray, forearm_dir: np.ndarray) -> np.ndarray:
    """Rotation for the wrist (fingers follow) laying the hand flat on the floor, pointing the way
    the forearm points (horizontally)."""
    along = np.array([forearm_dir[0], forearm_dir[1], 0.0])
    along = unit(along)
    rot = aim(forearm_rot @ rig.vec(f"wrist.{s}", f"finger3-1.{s}"), along) @ forearm_rot
    n = rot @ palm_normal(rig, s)
    n_p = n - (n @ along) * along
    best = None
    for target in (EZ, -EZ):
        ang = np.degrees(np.arctan2(np.cross(n_p, target) @ along, n_p @ target))
        if best is None or abs(ang) < abs(best):
            best = ang
    return axis_angle(along, best) @ rot


def two_link_ik(
    root: np.ndarray, target: np.ndarray, l1: float, l2: float, pole: np.ndarray, max_reach: float = 0.999
) -> tuple[np.ndarray, np.ndarray]:
    """Middle joint (knee/elbow) for a 2-link chain from ``root`` reaching ``target``; the joint
    bends towards ``pole`` (a direction). Returns (middle, reached_target) -- the target is
    pulled in along the line if out of reach."""
    d = target - root
    dist = np.linalg.norm(d)
    reach = max_reach * (l1 + l2)
    if dist > reach:
        target = root + d / dist * reach
        d, dist = target - root, reach
    dist = max(dist, abs(l1 - l2) + 1e-6)
    u = d / dist
    a = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    h = np.sqrt(max(l1 * l1 - a * a, 0.0))
    p = pole - (pole @ u) * u
    p = unit(p)
    return root + u * a + p * h, target


def invert_monotonic(xs: np.ndarray, ys: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x such that f(x) = y, for f sampled as (xs, ys) and monotonic (either direction)."""
    ys = np.asarray(ys)
    if ys[-1] < ys[0]:
        xs, ys = xs[::-1], ys[::-1]
    if np.any(np.diff(ys) <= 0):
        # keep the strictly increasing part (flat ends of the table)
        keep = np.r_[True, np.diff(np.maximum.accumulate(ys)) > 0]
        xs, ys = xs[keep], ys[keep]
    return np.interp(y, ys, xs)


LEG = ("upperleg01", "upperleg02")
SHIN = ("lowerleg01", "lowerleg02")
UPPER_ARM = ("upperarm01", "upperarm02")
FOREARM = ("lowerarm01", "lowerarm02")
SPINE = ("spine05", "spine04", "spine03", "spine02", "spine01")
NECK = ("neck01", "neck02", "neck03", "head")


def sided(names: Iterable[str], s: str) -> list[str]:
    """('upperleg01',...) + 'L' -> ['upperleg01.L', ...]."""
    return [f"{n}.{s}" for n in names]


__all__ = [
    "EX",
    "EY",
    "EZ",
    "FOREARM",
    "LEG",
    "NECK",
    "SHIN",
    "SPINE",
    "UPPER_ARM",
    "PoseBuilder",
    "flat_hand",
    "foot_flat",
    "hand_drop",
    "invert_monotonic",
    "orientation",
    "palm_normal",
    "sided",
    "standing",
    "supine",
    "two_link_ik",
]
