"""Child's pose: from hands and knees, the hips rock back towards the heels, arms reaching forward.

Value = signed hip angle (shoulder-hip-knee) on the measured side, as in
formcheck.metrics (about 95-105 on hands and knees, ~40 rocked back).

The movement is one parameter ``u`` (0 = hands and knees, 1 = rocked back): the knees,
the shins (lying on the mat, feet pointed, tops of the feet on the mat) and the hands
stay planted; each thigh turns about its planted knee, carrying the hips back and down
(its elevation from the mat runs from 90 degrees to ``thigh_end``); the trunk pitches
head-down and rounds (lumbar flexion), the head drops; the arms reach to the planted
hands by 2-link IK, so they end up stretched forward on the mat. The hip angle
measured on the posed skeleton is tabulated over ``u`` and inverted per frame.

clip.options:
- ``rest``: hip angle on hands and knees (default 97); the hands
  are planted where the arms are nearly straight rocked back, so a higher value (shoulders
  higher) straightens the arms on hands and knees, up to what the arms can reach -- sets the trunk's pitch there;
- ``thigh_end``: thigh elevation (degrees from the mat) fully rocked back (36), which is
  about the knee angle there;
- ``trunk_end``: trunk pitch (head end down, degrees) fully rocked back (-7);
- ``round``: extra lumbar rounding fully rocked back, degrees (18);
- ``hands_apart``: extra lateral distance of each hand from its shoulder, metres (0.04);
- ``reach``: shoulder-wrist distance fully rocked back, as a fraction of the arm's length (0.985).
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics import compute_metrics
from tools.synth.exercises.base import Command, Exercise
from tools.synth.posing import (
    FOREARM,
    LEG,
    NECK,
    SHIN,
    SPINE,
    UPPER_ARM,
    PoseBuilder,
    hand_drop,
    invert_monotonic,
    orientation,
    palm_normal,
    sided,
    two_link_ik,
)
from tools.synth.rotations import EZ, aim, axis_angle, unit

UP = (0.0, 0.0, 1.0)


def prone(body_yaw: float = 0.0) -> np.ndarray:
    """Trunk horizontal, face down (-Z), head towards world -X, the person's left at -Y."""
    return axis_angle(EZ, body_yaw) @ orientation(-np.array([0.0, 1.0, 0.0]), -EZ)


class ChildsPose(Exercise):
    ID = "childs_pose"
    REST = 97.0
    TARGET = 40.0
    MAT = True
    FAULTS = ()

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r = rig
        o = clip.options
        self.layout = Q = prone(clip.body_yaw)
        self.left = Q[:, 0]
        self.fwd = Q[:, 2]  # towards the head, horizontal
        self.leg_base = orientation(self.left, self.fwd)  # standing, facing forward
        self.thigh_end = float(o.get("thigh_end", 36.0))
        self.trunk_end = float(o.get("trunk_end", -7.0))
        self.round = float(o.get("round", 18.0))
        self.hands_apart = float(o.get("hands_apart", 0.04))
        self.reach = float(o.get("reach", 0.985))
        self.l_thigh = r.length("upperleg01.L", "lowerleg01.L")
        self.l_shin = r.length("lowerleg01.L", "foot.L")
        self.l_arm = r.length("upperarm01.L", "lowerarm01.L"), r.length("lowerarm01.L", "wrist.L")
        self.mid_hip_rest = (r.head("upperleg01.L") + r.head("upperleg01.R")) / 2 - r.heads[0]
        self._rigid = {}
        # shins and feet: planted; the knee's and the foot's lowest points on the mat
        self.knees, self.ankles, self.shin_rot, self.foot_rot = {}, {}, {}, {}
        for s in ("L", "R"):
            hip_off = (r.head(f"upperleg01.{s}") - r.heads[0]) @ np.array([1.0, 0, 0])  # rest lateral offset
            lat = hip_off * self.left  # world lateral offset of the knee under the hip
            kz, az = 0.06, 0.07
            for _ in range(4):
                shin_dir = unit(-self.fwd * np.sqrt(max(self.l_shin**2 - (az - kz) ** 2, 1e-6)) + (az - kz) * EZ)
                shin = aim(self.leg_base @ r.vec(f"lowerleg01.{s}", f"foot.{s}"), shin_dir) @ self.leg_base
                foot = axis_angle(self.left, 72.0) @ shin
                knee_low = min(
                    self._lowest(shin, f"lowerleg01.{s}", ("lowerleg",), near=0.12),
                    # the front of the knee with the thigh upright (hands and knees)
                    self._lowest(self.leg_base, f"lowerleg01.{s}", ("upperleg",), near=0.12),
                )
                foot_low = self._lowest(foot, f"foot.{s}", ("foot", "toe"))
                kz = floor_z + 0.004 - knee_low
                az = floor_z + 0.002 - foot_low
            self.knees[s] = lat + kz * EZ
            self.ankles[s] = self.knees[s] + shin_dir * self.l_shin
            self.shin_rot[s], self.foot_rot[s] = shin, foot
        self.knee_mid = (self.knees["L"] + self.knees["R"]) / 2
        # hands: planted so the arms are nearly straight at the end, under the shoulders at the start
        self.us = np.linspace(0.0, 1.0, 201)
        self.beta0 = 0.0
        self.hands = None
        self.wrist_drop = {}
        side = clip.measured_side
        for _ in range(3):
            # trunk pitch on hands and knees, so that the hip angle there is the rest value
            self.hands = self._plant_hands()
            pts = np.stack([self._landmarks(u) for u in (0.0,)])
            h0 = compute_metrics("childs_pose", pts, side, up=UP)["hip_angle"][0]
            self.beta0 += h0 - self.rest_value
            # the palm rests on the mat: the wrist sits as high above it as the flat hand hangs below it
            A, _ = self._build(1.0)
            self.wrist_drop = {s: hand_drop(r, s, A[r.bone(f"wrist.{s}")]) for s in ("L", "R")}
        self.hands = self._plant_hands()
        pts = np.stack([self._landmarks(u) for u in self.us])
        self.table = compute_metrics("childs_pose", pts, side, up=UP)["hip_angle"]
        # the planted hands must stay within reach all the way (else they would lift off)
        reach = np.linalg.norm(pts[:, [11, 12]] - pts[:, [15, 16]], axis=-1).max() / sum(self.l_arm)
        if reach > 0.995:
            raise ValueError(f"{clip.name}: the hands cannot stay planted (reach {reach:.3f}); lower options['rest']")

    # -- pieces ------------------------------------------------------------------
    def _rest_verts(self, bone: str, prefixes: tuple[str, ...], near: float | None = None) -> np.ndarray:
        key = (bone, prefixes, near)
        if key not in self._rigid:
            r = self.rig
            side = bone[-1] if bone[-2] == "." else None
            m = r.bone_verts(prefixes)
            if side:
                m &= np.sign(r.rest_vertices[:, 0]) == (1 if side == "L" else -1)
            v = r.rest_vertices[m] - r.head(bone)
            if near is not None:
                v = v[np.linalg.norm(v, axis=1) < near]
            self._rigid[key] = v
        return self._rigid[key]

    def _lowest(self, rot: np.ndarray, bone: str, prefixes: tuple[str, ...], near: float | None = None) -> float:
        """Lowest z of a bone's vertices (rigidly turned by ``rot``) relative to its head."""
        return float((self._rest_verts(bone, prefixes, near) @ rot.T)[:, 2].min())

    def _params(self, u: float):
        phi = 90.0 + (self.thigh_end - 90.0) * u  # thigh elevation at the knee
        beta = self.beta0 + (self.trunk_end - self.beta0) * u  # trunk pitch, head end down
        rnd = self.round * u
        neck = 10.0 + 30.0 * u  # head dropping (relative to the chest)
        return phi, beta, rnd, neck

    def _trunk(self, u: float):
        r, Q = self.rig, self.layout
        phi, beta, rnd, neck = self._params(u)
        back = -self.fwd
        p = np.radians(phi)
        hip_mid = self.knee_mid + self.l_thigh * (np.cos(p) * back + np.sin(p) * EZ)
        # pelvis pitched head-up by half the rounding, the chest head-down by half
        pitches = np.linspace(beta - rnd / 2, beta + rnd / 2, len(SPINE) + 1)
        rots = [axis_angle(self.left, a) @ Q for a in pitches]
        T = rots[0]
        root = hip_mid - T @ self.mid_hip_rest
        pb = PoseBuilder(r, T)
        pb.set(["root", "pelvis.L", "pelvis.R"], T)
        for b, R in zip(SPINE, rots[1:], strict=False):
            pb.set(b, R)
        chest = rots[-1]
        head = axis_angle(self.left, neck) @ chest
        pb.set(list(NECK), head)
        A = pb.build()
        heads = r.fk(A, root)
        # keep the head off the mat
        low = heads[r.bone("head")][2] + self._lowest(head, "head", ("head", "neck"))
        if low < self.floor_z + 0.01:
            for extra in np.arange(1.0, 60.0, 1.0):
                h2 = axis_angle(self.left, neck - extra) @ chest
                A2 = pb.set(list(NECK), h2).build()
                heads2 = r.fk(A2, root)
                if heads2[r.bone("head")][2] + self._lowest(h2, "head", ("head", "neck")) >= self.floor_z + 0.01:
                    break
        return pb, root

    def _plant_hands(self) -> dict:
        """Wrist positions: nearly straight arms fully rocked back."""
        r = self.rig
        pb, root = self._trunk(1.0)
        heads = r.fk(pb.build(), root)
        hands = {}
        l1, l2 = self.l_arm
        for s in ("L", "R"):
            sgn = 1 if s == "L" else -1
            sh = heads[r.bone(f"upperarm01.{s}")]
            wz = self.floor_z + self.wrist_drop.get(s, 0.03) + 0.002
            drop = sh[2] - wz
            reach = self.reach * (l1 + l2)
            horiz = np.sqrt(max(reach**2 - drop**2, 1e-6))
            hands[s] = np.array([sh[0], sh[1], wz]) + horiz * self.fwd + sgn * self.hands_apart * self.left
        return hands

    def _hand_rot(self, s: str, fa: np.ndarray) -> np.ndarray:
        """Hand flat on the mat, fingers forward (slightly out), palm down."""
        r = self.rig
        sgn = 1 if s == "L" else -1
        along = unit(self.fwd + 0.15 * sgn * self.left)
        rot = aim(fa @ r.vec(f"wrist.{s}", f"finger3-1.{s}"), along) @ fa
        best = None
        for ang in np.arange(-180.0, 180.0, 2.0):
            R = axis_angle(along, ang) @ rot
            n = R @ palm_normal(r, s)
            thumb = R @ r.vec(f"wrist.{s}", "finger1-2." + s)
            # palm plane horizontal, thumb on the inside (towards the body's midline)
            score = abs(n[2]) + 0.5 * (thumb @ (-sgn * self.left)) / np.linalg.norm(thumb)
            if best is None or score > best[0]:
                best = (score, R)
        # refine the roll to make the palm plane exactly horizontal
        R = best[1]
        n = R @ palm_normal(r, s)
        n_p = n - (n @ along) * along
        target = EZ if n_p[2] > 0 else -EZ
        ang = np.degrees(np.arctan2(np.cross(n_p, target) @ along, n_p @ target))
        return axis_angle(along, ang) @ R

    def _build(self, u: float):
        r = self.rig
        pb, root = self._trunk(u)
        heads = r.fk(pb.build(), root)
        base = self.leg_base
        for s in ("L", "R"):
            sgn = 1 if s == "L" else -1
            hip = heads[r.bone(f"upperleg01.{s}")]
            pb.aim(sided(LEG, s), f"upperleg01.{s}", f"lowerleg01.{s}", self.knees[s] - hip, base)
            pb.set(sided(SHIN, s), self.shin_rot[s])
            pb.set(f"foot.{s}", self.foot_rot[s])
            if self.hands is None:
                continue
            sh = heads[r.bone(f"upperarm01.{s}")]
            l1, l2 = self.l_arm
            pole = unit(-self.fwd + 1.0 * EZ + 0.5 * sgn * self.left)
            elbow, wrist = two_link_ik(sh, self.hands[s], l1, l2, pole)
            pb.aim(sided(UPPER_ARM, s), f"upperarm01.{s}", f"lowerarm01.{s}", elbow - sh, self.layout)
            fa = pb.aim(sided(FOREARM, s), f"lowerarm01.{s}", f"wrist.{s}", wrist - elbow, self.layout)
            pb.set(f"wrist.{s}", self._hand_rot(s, fa))
        return pb.build(), root

    def _landmarks(self, u: float) -> np.ndarray:
        A, root = self._build(u)
        return self.rig.landmarks(A, self.rig.fk(A, root))

    def pose(self, cmd: Command):
        u = float(invert_monotonic(self.us, self.table, np.array([cmd.value]))[0])
        return self._build(u)
