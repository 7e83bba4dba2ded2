"""Lower trunk rotation: supine, knees bent and together, feet flat; both knees drop to one side.

Value = knee_rotation as in formcheck.metrics: the direction of the knees' midpoint from
the hips' midpoint about the body axis, measured from the shoulders' front (the ceiling);
+ = to the person's left. Rest is 0 (knees pointing at the ceiling); schedule values are
signed (+ left, - right).

The legs turn as one block about the line from the hips' midpoint to the ankles' midpoint
(``rho`` degrees, + = towards the person's left), the knees placed by 2-link IK towards
their block-turned positions; the pelvis rolls with them (``pelvis_roll`` x rho), the
lumbar spine twists from the rolled pelvis to the flat chest; the shoulders, head and
arms stay on the mat. The feet stay where they are planted and roll onto their edges on
the side the knees drop to (``foot_roll`` x rho). knee_rotation measured on the posed
skeleton is tabulated over rho and inverted per frame.

Faults: ``knees_apart`` -- the knees separate symmetrically about their midpoint (each
turns ``apart_deg`` x amount further from it), so the thighs open while knee_rotation
stays where it was.

clip.options:
- ``knee_angle``: knee angle with the feet planted (default 90);
- ``knees_gap``: distance between the knee joint centres, metres (0.11: knees touching);
- ``feet_gap``: distance between the ankle joint centres, metres (0.14);
- ``pelvis_roll``: fraction of rho the pelvis rolls (0.5);
- ``foot_roll``: fraction of rho the feet roll onto their edges (0.3, at most 20 degrees);
- ``arm_spread``: arm abduction on the mat in degrees (55);
- ``apart_deg``: how far each knee turns away from the other at ``knees_apart`` = 1 (12).
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
from tools.synth.rotations import EZ, axis_angle, unit

UP = (0.0, 0.0, 1.0)


class LowerTrunkRotation(Exercise):
    ID = "lower_trunk_rotation"
    REST = 0.0
    TARGET = 50.0
    MAT = True
    FAULTS = ("knees_apart",)

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r = rig
        o = clip.options
        self.layout = B = supine(clip.body_yaw)
        self.left = B[:, 0]
        self.sup = B[:, 2]
        self.inferior = -B[:, 2]
        self.foot_rot0 = foot_flat(B)
        self.pelvis_roll = float(o.get("pelvis_roll", 0.5))
        self.foot_roll = float(o.get("foot_roll", 0.3))
        self.arm_spread = float(o.get("arm_spread", 55.0))
        self.apart_deg = float(o.get("apart_deg", 12.0))
        knee_angle = float(o.get("knee_angle", 90.0))
        knees_gap = float(o.get("knees_gap", 0.11))
        feet_gap = float(o.get("feet_gap", 0.14))
        self.l_thigh = r.length("upperleg01.L", "lowerleg01.L")
        self.l_shin = r.length("lowerleg01.L", "foot.L")
        self.l_arm = r.length("upperarm01.L", "lowerarm01.L"), r.length("lowerarm01.L", "wrist.L")
        self._rigid: dict = {}
        # lying flat: the back of the trunk/head rests on the mat (5 mm sink)
        V = r.rest_vertices
        back = r.bone_verts(("root", "pelvis", "spine", "clavicle", "shoulder01", "neck", "head"))
        world = (V[back] - r.heads[0]) @ B.T
        self.root0 = np.array([0.0, 0.0, floor_z - world[:, 2].min() - 0.005])
        self.pelvis_pts = V[r.bone_verts(("root", "pelvis", "spine05"))] - r.heads[0]
        self.pelvis_low0 = float((self.pelvis_pts @ B.T)[:, 2].min())
        # feet planted: ankle height of a flat foot, the distance giving the knee angle
        heads0 = self._trunk(0.0)[1]
        ankle_z = floor_z + r.head("foot.L")[2] - 0.002
        hip_mid = (heads0[r.bone("upperleg01.L")] + heads0[r.bone("upperleg01.R")]) / 2
        d = np.sqrt(self.l_thigh**2 + self.l_shin**2 - 2 * self.l_thigh * self.l_shin * np.cos(np.radians(knee_angle)))
        self.ankles, self.poles0 = {}, {}
        for s in ("L", "R"):
            sgn = 1 if s == "L" else -1
            hip = heads0[r.bone(f"upperleg01.{s}")]
            lat = (hip_mid + sgn * feet_gap / 2 * self.left) - hip
            lat = lat @ self.left
            dz = hip[2] - ankle_z
            horiz = np.sqrt(max(d**2 - dz**2 - lat**2, 1e-6))
            self.ankles[s] = hip + horiz * self.inferior + lat * self.left - dz * EZ
            # pole leaning in so the knee sits knees_gap/2 from the midline
            best = None
            for lean in np.arange(-1.5, 1.5, 0.005):
                pole = unit(EZ - sgn * lean * self.left)
                knee, _ = two_link_ik(hip, self.ankles[s], self.l_thigh, self.l_shin, pole)
                off = abs((knee - hip_mid) @ self.left - sgn * knees_gap / 2)
                if best is None or off < best[0]:
                    best = (off, pole)
            self.poles0[s] = best[1]
        self.ankle_mid = (self.ankles["L"] + self.ankles["R"]) / 2
        # foot edges (rest frame of the flat foot, relative to the ankle): the pivot lines
        self.edges = {}
        for s in ("L", "R"):
            fv = r.rest_vertices[
                r.bone_verts((f"foot.{s}", "toe")) & (np.sign(r.rest_vertices[:, 0]) == (1 if s == "L" else -1))
            ]
            fv = (fv - r.head(f"foot.{s}")) @ self.foot_rot0.T
            sole = fv[fv[:, 2] < fv[:, 2].min() + 0.012]
            lat = sole @ self.left
            self.edges[s] = {+1: sole[lat > lat.max() - 0.01].mean(0), -1: sole[lat < lat.min() + 0.01].mean(0)}
        # table: rho -> measured knee rotation
        self.rhos = np.arange(-80.0, 80.01, 0.5)
        pts = np.stack([self._landmarks(a) for a in self.rhos])
        self.table = compute_metrics("lower_trunk_rotation", pts, clip.measured_side, up=UP)["knee_rotation"]

    # -- pieces ------------------------------------------------------------------
    def _trunk(self, rho: float):
        """Pelvis rolled by pelvis_roll x rho, the spine twisting back to a flat chest."""
        r, B = self.rig, self.layout
        roll = self.pelvis_roll * rho
        n = len(SPINE)
        rots = [axis_angle(self.sup, roll * (1 - k / n)) @ B for k in range(n + 1)]
        T = rots[0]
        root = self.root0.copy()
        # the pelvis rests on the mat on the side it rolls to
        low = float((self.pelvis_pts @ T.T)[:, 2].min())
        root[2] += self.pelvis_low0 - low
        pb = PoseBuilder(r, T)
        pb.set(["root", "pelvis.L", "pelvis.R"], T)
        for b, R in zip(SPINE, rots[1:], strict=False):
            pb.set(b, R)
        pb.set(list(NECK), B)
        A = pb.build()
        return pb, r.fk(A, root), root

    def _foot(self, s: str, rho: float):
        """Foot rolled onto its edge on the side the knees go; the ankle follows the pivot."""
        roll = float(np.clip(self.foot_roll * rho, -20.0, 20.0))
        if abs(roll) < 1e-9:
            return self.foot_rot0, self.ankles[s]
        toes = unit(self.inferior)
        R = axis_angle(toes, -roll)  # + roll: the top of the foot tips towards the person's left
        edge = self.edges[s][1 if roll > 0 else -1]
        ankle = self.ankles[s] + edge - R @ edge
        return R @ self.foot_rot0, ankle

    def _build(self, rho: float, apart: float = 0.0):
        r, B = self.rig, self.layout
        pb, heads, root = self._trunk(rho)
        hip_mid = (heads[r.bone("upperleg01.L")] + heads[r.bone("upperleg01.R")]) / 2
        for s in ("L", "R"):
            sgn = 1 if s == "L" else -1
            hip = heads[r.bone(f"upperleg01.{s}")]
            foot_rot, ankle = self._foot(s, rho)
            # the legs turn as a block about the line hips' midpoint -> ankles' midpoint
            axis = unit(self.ankle_mid - hip_mid)
            turn = rho + sgn * self.apart_deg * apart
            pole = axis_angle(-axis, turn) @ self.poles0[s]
            knee, ankle = two_link_ik(hip, ankle, self.l_thigh, self.l_shin, pole)
            pb.aim(sided(LEG, s), f"upperleg01.{s}", f"lowerleg01.{s}", knee - hip, B)
            pb.aim(sided(SHIN, s), f"lowerleg01.{s}", f"foot.{s}", ankle - knee, B)
            pb.set(f"foot.{s}", foot_rot)
            # arms on the mat, out to the side, hands flat
            sh = heads[r.bone(f"upperarm01.{s}")]
            l1, l2 = self.l_arm
            spread = np.radians(self.arm_spread)
            wrist_z = self.floor_z + 0.03
            for _ in range(2):
                drop = sh[2] - wrist_z
                reach = 0.97 * (l1 + l2)
                horiz = np.sqrt(max(reach**2 - drop**2, 1e-6))
                hand = sh + horiz * (np.cos(spread) * self.inferior + np.sin(spread) * sgn * self.left) - drop * EZ
                elbow, hand = two_link_ik(sh, hand, l1, l2, EZ - 0.3 * self.inferior)
                fa = pb.aim(sided(FOREARM, s), f"lowerarm01.{s}", f"wrist.{s}", hand - elbow, B)
                hr = flat_hand(r, s, fa, hand - elbow)
                wrist_z = self.floor_z + 0.002 + hand_drop(r, s, hr)
            pb.aim(sided(UPPER_ARM, s), f"upperarm01.{s}", f"lowerarm01.{s}", elbow - sh, B)
            pb.set(f"wrist.{s}", hr)
        return pb.build(), root

    def _landmarks(self, rho: float, apart: float = 0.0) -> np.ndarray:
        A, root = self._build(rho, apart)
        return self.rig.landmarks(A, self.rig.fk(A, root))

    def pose(self, cmd: Command):
        rho = float(invert_monotonic(self.rhos, self.table, np.array([cmd.value]))[0])
        apart = cmd.amount if cmd.fault == "knees_apart" else 0.0
        return self._build(rho, apart)
