"""Glute bridge: supine, knees bent, feet flat; the hips lift until shoulder-hip-knee line up.

Value = signed hip angle (shoulder-hip-knee) on the measured side, as in
formcheck.metrics. The trunk (pelvis + spine, one rigid piece) turns about the base of
the neck, which stays on the mat with the head; both feet stay planted where they were
at rest; the knees follow by 2-link IK; arms lie on the mat beside the body.

clip.options:
- ``rest``: hip angle at rest (default 132) -- sets where the feet are planted;
- ``feet_apart``: extra lateral distance of each ankle from its hip, metres (0.03);
- ``arm_spread``: arm abduction on the mat in degrees (12).
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
    flat_hand,
    foot_flat,
    hand_drop,
    invert_monotonic,
    sided,
    supine,
    two_link_ik,
)
from tools.synth.rotations import EZ, axis_angle

UP = (0.0, 0.0, 1.0)


class Bridge(Exercise):
    ID = "bridge"
    REST = 132.0
    TARGET = 180.0
    MAT = True
    FAULTS = ()

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r = rig
        self.layout = B = supine(clip.body_yaw)
        self.left = B[:, 0]
        self.lift_axis = -B[:, 0]  # rotating about the person's right lifts the hips (feet side)
        self.foot_rot = foot_flat(B)
        # lying flat: the back of the trunk/head rests on the mat (5 mm sink)
        V = r.rest_vertices
        back = r.bone_verts(("root", "pelvis", "spine", "clavicle", "shoulder01", "neck", "head"))
        world = (V[back] - r.heads[0]) @ B.T
        self.root0 = np.array([0.0, 0.0, floor_z - world[:, 2].min() - 0.005])
        self.pivot_rest = r.vec("root", "neck01")
        self.pivot = self.root0 + B @ self.pivot_rest
        self.l_thigh = r.length("upperleg01.L", "lowerleg01.L")
        self.l_shin = r.length("lowerleg01.L", "foot.L")
        self.l_arm = r.length("upperarm01.L", "lowerarm01.L"), r.length("lowerarm01.L", "wrist.L")
        ankle_z = floor_z + r.head("foot.L")[2] - 0.002
        apart = float(clip.options.get("feet_apart", 0.03))
        self.arm_spread = float(clip.options.get("arm_spread", 12.0))
        # plant the feet so that the rest hip angle is the requested one (lying flat)
        A0 = self._trunk(0.0)
        self.ankles = {}
        rest = self.rest_value
        for s in ("L", "R"):
            hip = A0[1][r.bone(f"upperleg01.{s}")]
            sgn = 1 if s == "L" else -1
            inferior = -B[:, 2]
            best = None
            for phi in np.radians(np.arange(5, 85, 0.1)):
                knee = hip + self.l_thigh * (np.cos(phi) * inferior + np.sin(phi) * EZ)
                dz = knee[2] - ankle_z
                if dz <= 0 or dz >= self.l_shin:
                    continue
                ankle = knee + np.sqrt(self.l_shin**2 - dz**2) * inferior - dz * EZ
                ankle = ankle + sgn * apart * self.left
                ang = self._hip_angle_for(A0, s, knee)
                if best is None or abs(ang - rest) < best[0]:
                    best = (abs(ang - rest), ankle)
            self.ankles[s] = best[1]
        # table: trunk lift angle -> measured hip angle (measured side)
        self.alphas = np.arange(0.0, 55.0, 0.1)
        side = clip.measured_side
        pts = np.stack([self._landmarks(a) for a in self.alphas])
        self.table = compute_metrics("bridge", pts, side, up=UP)["hip_angle"]

    # -- pieces ------------------------------------------------------------------
    def _trunk(self, alpha: float):
        """Trunk rotation and the resulting FK heads (trunk only is meaningful)."""
        T = axis_angle(self.lift_axis, alpha) @ self.layout
        root = self.pivot - T @ self.pivot_rest
        A = self.rig.expand({}, T)
        return T, self.rig.fk(A, root), root

    def _hip_angle_for(self, trunk_fk, s: str, knee: np.ndarray) -> float:
        side = "left" if s == "L" else "right"
        pts = np.full((1, 33, 3), np.nan)
        r = self.rig
        heads = trunk_fk[1]
        for lm_l, lm_r, b in ((11, 12, "upperarm01"), (23, 24, "upperleg01")):
            pts[0, lm_l] = heads[r.bone(f"{b}.L")]
            pts[0, lm_r] = heads[r.bone(f"{b}.R")]
        pts[0, 25 if s == "L" else 26] = knee
        pts[0, 26 if s == "L" else 25] = knee - (1 if s == "L" else -1) * 0.2 * self.left
        return float(compute_metrics("bridge", pts, side, up=UP, lateral=self.left)["hip_angle"][0])

    def _build(self, alpha: float):
        r, B = self.rig, self.layout
        T, heads, root = self._trunk(alpha)
        pb = PoseBuilder(r, T)
        pb.set(["root", "pelvis.L", "pelvis.R", *SPINE], T)
        pb.set(list(NECK), B)  # the head stays lying on the mat
        for s in ("L", "R"):
            sgn = 1 if s == "L" else -1
            hip = heads[r.bone(f"upperleg01.{s}")]
            ankle = self.ankles[s]
            knee, ankle = two_link_ik(hip, ankle, self.l_thigh, self.l_shin, EZ + 0.15 * sgn * self.left)
            pb.aim(sided(LEG, s), f"upperleg01.{s}", f"lowerleg01.{s}", knee - hip, B)
            pb.aim(sided(SHIN, s), f"lowerleg01.{s}", f"foot.{s}", ankle - knee, B)
            pb.set(f"foot.{s}", self.foot_rot)
            # arms on the mat beside the body, slightly abducted, hands flat on the mat
            sh = heads[r.bone(f"upperarm01.{s}")]
            l1, l2 = self.l_arm
            spread = np.radians(self.arm_spread)
            inferior = -B[:, 2]
            wrist_z = self.floor_z + 0.03
            for _ in range(2):  # the hand's own drop depends (weakly) on the forearm slope
                drop = sh[2] - wrist_z
                reach = 0.97 * (l1 + l2)
                horiz = np.sqrt(max(reach**2 - drop**2, 1e-6))
                hand = sh + horiz * (np.cos(spread) * inferior + np.sin(spread) * sgn * self.left) - drop * EZ
                elbow, hand = two_link_ik(sh, hand, l1, l2, EZ - 0.3 * inferior)
                fa = pb.aim(sided(FOREARM, s), f"lowerarm01.{s}", f"wrist.{s}", hand - elbow, B)
                hr = flat_hand(r, s, fa, hand - elbow)
                wrist_z = self.floor_z + 0.002 + hand_drop(r, s, hr)
            pb.aim(sided(UPPER_ARM, s), f"upperarm01.{s}", f"lowerarm01.{s}", elbow - sh, B)
            pb.set(f"wrist.{s}", hr)
        return pb.build(), root

    def _landmarks(self, alpha: float) -> np.ndarray:
        A, root = self._build(alpha)
        return self.rig.landmarks(A, self.rig.fk(A, root))

    def pose(self, cmd: Command):
        alpha = float(invert_monotonic(self.alphas, self.table, np.array([cmd.value]))[0])
        return self._build(alpha)
