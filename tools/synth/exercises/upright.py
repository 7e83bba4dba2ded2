"""Shared pieces of the standing and kneeling movement modules (calf stretch, half-kneel
hip stretch, side bend): body frames, leg/arm placement, hands pressed on a surface,
a simple walking gait, and an extra wall in the scene.

Frames: ``B`` is the body layout (rest frame -> world; ``posing.standing``), so the
person's left is ``B[:, 0]``, front ``-B[:, 1]``, up ``+z``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.synth.exercises.base import Exercise
from tools.synth.posing import FOREARM, LEG, SHIN, UPPER_ARM, PoseBuilder, sided, two_link_ik
from tools.synth.render import box, srgb_to_linear
from tools.synth.rig import Rig
from tools.synth.rotations import EZ, aim, axis_angle, unit

TOES = ("toe",)


def sgn(s: str) -> int:
    return 1 if s == "L" else -1


def letter(side: str) -> str:
    return "L" if side == "left" else "R"


def other(s: str) -> str:
    return "R" if s == "L" else "L"


def frame_of(B: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(left, front, up) world unit vectors of a layout."""
    return B[:, 0].copy(), -B[:, 1].copy(), B[:, 2].copy()


def toe_bones(rig: Rig, s: str) -> list[str]:
    return [lab for lab in rig.labels if lab.startswith("toe") and lab.endswith(f".{s}")]


# --- legs -----------------------------------------------------------------------------


def knee_distance(l1: float, l2: float, knee_deg: float) -> float:
    """Hip-ankle distance of a 2-link leg with the given knee angle (180 = straight)."""
    return float(np.sqrt(l1 * l1 + l2 * l2 - 2 * l1 * l2 * np.cos(np.radians(knee_deg))))


def place_leg(
    pb: PoseBuilder, rig: Rig, s: str, hip: np.ndarray, ankle: np.ndarray, pole: np.ndarray, base: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Thigh and shin of leg ``s`` from ``hip`` to ``ankle`` (knee towards ``pole``); returns
    (knee, reached ankle)."""
    l1, l2 = rig.length(f"upperleg01.{s}", f"lowerleg01.{s}"), rig.length(f"lowerleg01.{s}", f"foot.{s}")
    knee, ankle = two_link_ik(hip, ankle, l1, l2, pole)
    pb.aim(sided(LEG, s), f"upperleg01.{s}", f"lowerleg01.{s}", knee - hip, base)
    pb.aim(sided(SHIN, s), f"lowerleg01.{s}", f"foot.{s}", ankle - knee, base)
    return knee, ankle


def standing_root(
    rig: Rig, B: np.ndarray, floor_z: float, knee_deg: float = 178.0, feet_width: float | None = None
) -> tuple[np.ndarray, dict]:
    """Standing with the knees at ``knee_deg``, each ankle ``feet_width`` m from the midline (None:
    where the rest A-pose has it, a little wider than the hips): (root position, {side: planted
    ankle}) in world coordinates for layout ``B``."""
    ankles = {}
    for s in "LR":
        a = rig.head(f"foot.{s}").copy()
        if feet_width is not None:
            a[0] = sgn(s) * feet_width
        ankles[s] = B @ a + floor_z * EZ
    hip = B @ rig.head("upperleg01.L") + floor_z * EZ
    d = knee_distance(rig.length("upperleg01.L", "lowerleg01.L"), rig.length("lowerleg01.L", "foot.L"), knee_deg)
    flat = hip - ankles["L"]
    drop = flat[2] - np.sqrt(max(d * d - flat[0] ** 2 - flat[1] ** 2, 1e-6))
    return B @ rig.head("root") + (floor_z - drop) * EZ, ankles


def foot_pitch_rot(B: np.ndarray, pitch: float) -> np.ndarray:
    """Foot rotation: flat (rest) foot of a standing layout, heel raised by ``pitch`` degrees."""
    return axis_angle(B[:, 0], pitch) @ B


def ball_of_foot(rig: Rig, s: str) -> np.ndarray:
    """Rest position of the ball of the foot (mean of the toes' first joints, on the sole)."""
    heads = np.array([rig.head(f"toe{k}-1.{s}") for k in range(1, 6)])
    p = heads.mean(0)
    p[2] = rig.head(f"foot.{s}")[2] - (rig.head(f"foot.{s}")[2] - heads[:, 2].mean()) - 0.02
    return p


# --- arms and hands ---------------------------------------------------------------------


def arm_lengths(rig: Rig, s: str) -> tuple[float, float]:
    return rig.length(f"upperarm01.{s}", f"lowerarm01.{s}"), rig.length(f"lowerarm01.{s}", f"wrist.{s}")


def place_arm(
    pb: PoseBuilder,
    rig: Rig,
    s: str,
    shoulder: np.ndarray,
    wrist: np.ndarray,
    pole: np.ndarray,
    base: np.ndarray,
    twist: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Upper arm + forearm from ``shoulder`` to ``wrist`` (elbow towards ``pole``); returns
    (elbow, reached wrist, forearm rotation)."""
    l1, l2 = arm_lengths(rig, s)
    elbow, wrist = two_link_ik(shoulder, wrist, l1, l2, pole)
    pb.aim(sided(UPPER_ARM, s), f"upperarm01.{s}", f"lowerarm01.{s}", elbow - shoulder, base, twist)
    fa = pb.aim(sided(FOREARM, s), f"lowerarm01.{s}", f"wrist.{s}", wrist - elbow, base, twist)
    return elbow, wrist, fa


def hand_frame(rig: Rig, s: str) -> np.ndarray:
    """Rest-frame orthonormal hand axes as columns: (fingers, palm normal out of the palm, third)."""
    cache = rig.__dict__.setdefault("_hand_frames", {})
    if s not in cache:
        w = rig.head(f"wrist.{s}")
        f = unit(rig.head(f"finger3-1.{s}") - w)
        hand = rig.bone_verts((f"wrist.{s}", "finger", "metacarpal")) & (np.sign(rig.rest_vertices[:, 0]) == sgn(s))
        pts = rig.rest_vertices[hand] - w
        _, _, vt = np.linalg.svd(pts - pts.mean(0), full_matrices=False)
        n = vt[2] - (vt[2] @ f) * f
        n = unit(n)
        # the palm side: (fingers x palm) points away from the thumb on the left hand, towards it on the right
        thumb = rig.head(f"finger1-2.{s}") - w
        if sgn(s) * (np.cross(f, n) @ thumb) > 0:
            n = -n
        cache[s] = np.stack([f, n, np.cross(f, n)], 1)
    return cache[s]


def hand_rotation(rig: Rig, s: str, fingers: np.ndarray, palm: np.ndarray) -> np.ndarray:
    """Wrist delta rotation putting the fingers along ``fingers`` and the palm facing ``palm``."""
    f = unit(fingers)
    p = unit(palm - (palm @ f) * f)
    target = np.stack([f, p, np.cross(f, p)], 1)
    return target @ hand_frame(rig, s).T


def hand_extent(rig: Rig, s: str, rot: np.ndarray, direction: np.ndarray) -> float:
    """How far the (rigid) hand reaches past the wrist joint along ``direction`` for a wrist rotation."""
    cache = rig.__dict__.setdefault("_hand_pts_u", {})
    if s not in cache:
        hand = rig.bone_verts((f"wrist.{s}", "finger", "metacarpal")) & (np.sign(rig.rest_vertices[:, 0]) == sgn(s))
        cache[s] = rig.rest_vertices[hand] - rig.head(f"wrist.{s}")
    return float(((cache[s] @ rot.T) @ direction).max())


def hands_on_hips(pb: PoseBuilder, rig: Rig, heads: np.ndarray, T: np.ndarray, B: np.ndarray) -> None:
    """Both hands on the hips (on the iliac crest, fingers forward and down, elbows out and back)
    for a trunk rotation ``T`` (rest frame -> world) and posed joint centres ``heads``."""
    Lv = B[:, 0]
    up_t, fw_t = T @ np.array([0, 0, 1.0]), -(T @ np.array([0, 1.0, 0]))
    for s in "LR":
        out = sgn(s) * Lv
        sh = heads[rig.bone(f"upperarm01.{s}")]
        hp = heads[rig.bone(f"upperleg01.{s}")]
        wrist = hp + 0.12 * up_t + 0.085 * out - 0.035 * fw_t
        place_arm(pb, rig, s, sh, wrist, out - 0.7 * fw_t, B)
        pb.set(f"wrist.{s}", hand_rotation(rig, s, 0.8 * fw_t - 0.55 * up_t + 0.15 * out, -out))


# --- feet ------------------------------------------------------------------------------------


def toe_tip_bones(rig: Rig) -> dict[int, int]:
    """Landmark index of each toe tip (31 left, 32 right) -> the toe bone its mesh point belongs to.

    ``Rig.landmarks`` carries the toe tips on the foot bone (the toes follow the foot in most
    poses). A heel raised about the ball of the foot with the toes flat on the floor needs them on
    their toe bone, or the toe tip would sink into the floor with the rotating foot."""
    cache = rig.__dict__.setdefault("_toe_tip_bones", {})
    if not cache:
        V = rig.rest_vertices
        for lm in (31, 32):
            k = int(np.argmin(np.linalg.norm(V - rig.attached_rest[lm], axis=1)))
            cache[lm] = int(rig.dominant_bone[k])
    return cache


def landmarks_toes_on_toe_bones(rig: Rig, A: np.ndarray, heads: np.ndarray) -> np.ndarray:
    """``Rig.landmarks`` with the toe tips carried by their toe bones (see ``toe_tip_bones``)."""
    lm = rig.landmarks(A, heads)
    for i, b in toe_tip_bones(rig).items():
        lm[i] = heads[b] + A[b] @ (rig.attached_rest[i] - rig.heads[b])
    return lm


class ToesOnToeBones(Exercise):
    """A standing movement whose toes stay flat while the heel rises or the foot rolls: its toe
    tips ride on the toe bones (``landmarks_toes_on_toe_bones``)."""

    def landmarks(self, A: np.ndarray, heads: np.ndarray) -> np.ndarray:
        return landmarks_toes_on_toe_bones(self.rig, A, heads)


def raised_foot(rig: Rig, s: str, B: np.ndarray, ball: np.ndarray, pitch: float) -> tuple[np.ndarray, np.ndarray]:
    """A foot whose ball rests at the world point ``ball`` (on the floor), the heel raised ``pitch``
    degrees (0 = flat): (foot rotation, ankle position). The toes stay flat (set them to ``B``)."""
    rot = foot_pitch_rot(B, pitch)
    rel = B @ (rig.head(f"foot.{s}") - ball_of_foot(rig, s))
    return rot, ball + axis_angle(B[:, 0], pitch) @ rel


def ball_on_floor(rig: Rig, s: str, B: np.ndarray, floor_z: float) -> np.ndarray:
    """World position of the ball of foot ``s`` of the rest pose standing on the floor (layout ``B``)."""
    return B @ ball_of_foot(rig, s) + floor_z * EZ


# --- lowest points (floor contact) ------------------------------------------------------


def lowest_offset(rig: Rig, prefixes: tuple[str, ...], joint: str, rot: np.ndarray, side: int | None = None) -> float:
    """Height of joint ``joint`` above the lowest vertex of the bones ``prefixes`` rotated by ``rot``
    (rigidly, about the joint)."""
    sel = rig.bone_verts(prefixes)
    if side is not None:
        sel &= np.sign(rig.rest_vertices[:, 0]) == side
    v = (rig.rest_vertices[sel] - rig.head(joint)) @ rot.T
    return float(-v[:, 2].min())


# --- walking ------------------------------------------------------------------------------


def smooth(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


@dataclass
class Step:
    foot: str  # "L" | "R"
    t0: float  # lift-off
    t1: float  # landing
    x0: float  # position along the walking direction at lift-off
    x1: float  # at landing


class Gait:
    """Footfalls of a short straight walk ending in a given stance, and the pelvis path.

    Positions are scalars along the walking direction (the caller turns them into world
    points). ``final``: {foot: x} where each foot ends; ``last`` lands last (at ``t_end``),
    the other one ``step_time`` earlier; before that, ``n_steps - 2`` even steps of
    ``step_len``. ``swing``: seconds a foot is in the air; the heel rises just before.
    """

    HEEL_RISE_S = 0.15

    def __init__(
        self,
        final: dict[str, float],
        last: str,
        t_end: float,
        n_steps: int,
        step_len: float,
        step_time: float,
        swing: float = 0.42,
    ):
        first = other(last)
        order = [last if (n_steps - 1 - k) % 2 == 0 else first for k in range(n_steps)]
        x = [0.0] * n_steps
        x[-1], x[-2] = final[last], final[first]
        for k in range(n_steps - 3, -1, -1):
            x[k] = x[k + 1] - step_len
        self.start = {order[0]: x[0] - 2 * step_len, order[1]: x[0] - step_len}
        self.steps: list[Step] = []
        cur = dict(self.start)
        for k, (f, xk) in enumerate(zip(order, x, strict=False)):
            t1 = t_end - (n_steps - 1 - k) * step_time
            self.steps.append(Step(f, t1 - swing, t1, cur[f], xk))
            cur[f] = xk
        self.speed = step_len / step_time
        self.t_end = t_end
        # pelvis knots: midway between the feet at each landing
        ts = [st.t1 for st in self.steps]
        xs = [0.5 * (x[k] + (x[k - 1] if k else self.start[order[1]])) for k in range(n_steps)]
        self.knots = (np.array(ts), np.array(xs))

    def foot(self, f: str, t: float) -> tuple[float, float, float]:
        """(position along the walk, lift of the ankle, heel pitch in degrees) of foot ``f`` at ``t``."""
        x = self.start[f]
        for st in self.steps:
            if st.foot != f:
                continue
            if t >= st.t1:
                x = st.x1
                continue
            if t > st.t0:
                u = (t - st.t0) / (st.t1 - st.t0)
                xx = st.x0 + (st.x1 - st.x0) * smooth(u)
                lift = 0.06 * np.sin(np.pi * u)
                pitch = 22.0 * (1 - smooth(2 * u)) - 10.0 * np.sin(np.pi * min(max(2 * u - 1, 0.0), 1.0))
                return xx, lift, pitch
            if t > st.t0 - self.HEEL_RISE_S:
                return x, 0.0, 22.0 * smooth(1 - (st.t0 - t) / self.HEEL_RISE_S)
            return x, 0.0, 0.0
        return x, 0.0, 0.0

    def pelvis(self, t: float) -> float:
        ts, xs = self.knots
        v = self.speed
        if t <= ts[0]:
            return xs[0] - v * (ts[0] - t)
        if t >= ts[-1]:
            return xs[-1]
        k = int(np.searchsorted(ts, t) - 1)
        h = ts[k + 1] - ts[k]
        u = (t - ts[k]) / h
        m0 = v
        m1 = v if k + 1 < len(ts) - 1 else 0.0
        h00, h10, h01, h11 = 2 * u**3 - 3 * u**2 + 1, u**3 - 2 * u**2 + u, -2 * u**3 + 3 * u**2, u**3 - u**2
        return h00 * xs[k] + h10 * h * m0 + h01 * xs[k + 1] + h11 * h * m1

    def swing_phase(self, f: str, t: float) -> float:
        """-1..1: how far foot ``f`` is ahead of the pelvis, in steps (for the arm swing)."""
        return float(np.clip((self.foot(f, t)[0] - self.pelvis(t)) / (self.speed * 0.6), -1, 1))


# --- scene extras ---------------------------------------------------------------------------


def facing_wall(view, point_on_wall: np.ndarray, normal: np.ndarray, color, skirting=(235, 235, 230)) -> list:
    """A wall whose surface passes through ``point_on_wall`` with ``normal`` pointing at the person,
    running from behind the subject (the engine's back wall) to past the camera."""
    n = unit(np.array([normal[0], normal[1], 0.0]))
    along = np.cross(EZ, n)
    eye, tgt = np.asarray(view.eye, float), np.asarray(view.target, float)
    # extent along the wall: cover the camera side and the back wall
    ends = [(eye - point_on_wall) @ along, (tgt - point_on_wall) @ along]
    d_cam = unit(np.array([*(eye - tgt)[:2], 0.0]))
    back = tgt - d_cam * 1.6
    ends.append((back - point_on_wall) @ along)
    lo, hi = min(ends) - 1.0, max(ends) + 1.0
    items = []
    thick = 0.05
    c = point_on_wall - n * thick / 2 + along * (lo + hi) / 2
    items.append(_box(c, n, along, (thick, hi - lo, 6.0), 3.0, color))
    items.append(
        _box(point_on_wall + n * 0.01 + along * (lo + hi) / 2, n, along, (0.02, hi - lo, 0.08), 0.04, skirting)
    )
    return items


def block(center: np.ndarray, depth_dir: np.ndarray, size: tuple[float, float, float], color) -> list:
    """A solid block standing on the floor (a stool or box seat): ``center`` its top's centre,
    ``size`` (depth along ``depth_dir``, width, height)."""
    return [_box(center, depth_dir, np.cross(EZ, unit(depth_dir)), size, center[2] - size[2] / 2, color)]


def _box(center, d, side, size, zc, color):
    P, N, C = box([0, 0, 0], size, srgb_to_linear(color))
    R = np.stack([unit(d), unit(side), EZ], 1)
    P = P @ R.T + [center[0], center[1], zc]
    N = N @ R.T
    return P, N, C


__all__ = [
    "Gait",
    "aim",
    "ball_of_foot",
    "ball_on_floor",
    "block",
    "facing_wall",
    "foot_pitch_rot",
    "frame_of",
    "hand_extent",
    "hand_frame",
    "hand_rotation",
    "hands_on_hips",
    "knee_distance",
    "landmarks_toes_on_toe_bones",
    "letter",
    "lowest_offset",
    "other",
    "place_arm",
    "place_leg",
    "raised_foot",
    "sgn",
    "smooth",
    "standing_root",
    "toe_bones",
    "toe_tip_bones",
]
