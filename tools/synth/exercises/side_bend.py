"""Standing lumbar side bending, seen from the front: standing upright, arms at the sides,
bend sideways away from the symptomatic side, the hand sliding down the thigh.

Value = ``side_bend`` (hip-midpoint-to-shoulder-midpoint line from vertical in the frontal
plane, + = to the person's LEFT), signed: the module bends whichever way the value says, so
a wrong-side rep is just a negative peak for side="right". The pelvis and legs stay still
(feet hip-width apart, hips over the feet: no hip shift); the lateral flexion is spread over
the five spine bones (more in the lumbar spine), about the body's front-back axis only (no
twist, no forward bend); the head tilts with it (3/4 of the chest's tilt). The arm on the bending side slides
down the outside of its thigh (hand flat on the thigh, arm nearly straight), the other arm
hangs along its side of the trunk (along the hip-shoulder line, slightly abducted). The total
spine rotation is tabulated against the measured side bend and inverted per frame.

``side`` = the symptomatic side (bends go away from it): TARGET is +32 for side="right"
(bend left) and -32 for side="left" (bend right).

clip.options:
- ``feet_width``: lateral distance of each ankle from the midline (0.11 m);
- ``reach``: support arm reach as a fraction of its length (0.97).
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics import compute_metrics
from tools.synth.exercises.base import Command, Exercise
from tools.synth.exercises.upright import (
    arm_lengths,
    frame_of,
    hand_rotation,
    place_arm,
    place_leg,
    sgn,
)
from tools.synth.posing import NECK, PoseBuilder, invert_monotonic, standing
from tools.synth.rotations import axis_angle, unit

UP = (0.0, 0.0, 1.0)
# cumulative share of the total lateral flexion reached at each spine bone (lumbar first)
SPINE_SHARE = {"spine05": 0.22, "spine04": 0.46, "spine03": 0.68, "spine02": 0.86, "spine01": 1.0}


class SideBend(Exercise):
    ID = "side_bend"
    REST = 0.0
    TARGET = 32.0  # per clip: -32 when the bends go to the right (side="left")
    MAT = False
    FAULTS = ()

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r, o = rig, clip.options
        self.layout = B = standing(clip.body_yaw)
        self.Lv, self.Fw, self.U = frame_of(B)
        self.TARGET = -32.0 if clip.side == "left" else 32.0
        w = float(o.get("feet_width", 0.11))
        self.reach = float(o.get("reach", 0.97))
        self.l1 = r.length("upperleg01.L", "lowerleg01.L")
        self.l2 = r.length("lowerleg01.L", "foot.L")
        hip_z = r.head("upperleg01.L")[2]
        ankle_z = floor_z + r.head("foot.L")[2]
        # legs nearly straight (knee 178) from the hips to the planted ankles
        hw = abs(r.head("upperleg01.L")[0])
        d = np.sqrt(self.l1**2 + self.l2**2 - 2 * self.l1 * self.l2 * np.cos(np.radians(178.0)))
        drop = np.sqrt(d * d - (hw - w) ** 2)
        self.root = np.array([0.0, 0.0, 0.0]) + (ankle_z + drop - hip_z + r.head("root")[2]) * self.U
        self.ankles = {s: sgn(s) * w * self.Lv + ankle_z * self.U for s in "LR"}
        # the thigh's outer surface (for the sliding hand): skin the standing legs once
        A0, _ = self._build(0.0, thigh=False)
        V = r.skin(A0[None], self.root[None])[0]
        heads = r.fk(A0, self.root)
        self.thigh_line = {}
        for s in "LR":
            hip, knee = heads[r.bone(f"upperleg01.{s}")], heads[r.bone(f"lowerleg01.{s}")]
            sel = r.bone_verts(("upperleg", "lowerleg")) & (np.sign(r.rest_vertices[:, 0]) == sgn(s))
            pts = V[sel]
            zs = np.linspace(knee[2] - 0.02, hip[2] - 0.05, 30)
            lat, fw = [], []
            for z in zs:
                band = pts[np.abs(pts[:, 2] - z) < 0.015]
                k = int(np.argmax(band @ (sgn(s) * self.Lv)))
                lat.append(float(band[k] @ (sgn(s) * self.Lv)))
                fw.append(float(band[k] @ self.Fw))
            self.thigh_line[s] = (zs, np.array(lat), np.array(fw))
        # table: total spine rotation -> measured side bend
        self.alphas = np.arange(-70.0, 70.01, 0.25)
        pts = np.stack([self.posed_landmarks(self._build(a)) for a in self.alphas])
        self.table = compute_metrics("side_bend", pts, clip.measured_side, up=UP)["side_bend"]

    # -- pose ---------------------------------------------------------------------------------
    def _spine(self, alpha: float) -> dict[str, np.ndarray]:
        # + alpha bends to the person's left: rotation about the anterior axis by -alpha
        return {b: axis_angle(self.Fw, -alpha * share) @ self.layout for b, share in SPINE_SHARE.items()}

    def _thigh_point(self, s: str, z: float) -> np.ndarray:
        zs, lat, fw = self.thigh_line[s]
        z = float(np.clip(z, zs[0], zs[-1]))
        return (np.interp(z, zs, lat) + 0.028) * sgn(s) * self.Lv + np.interp(z, zs, fw) * self.Fw + z * self.U

    def _build(self, alpha: float, thigh: bool = True):
        r, B = self.rig, self.layout
        pb = PoseBuilder(r, B)
        rots = self._spine(alpha)
        for b, R in rots.items():
            pb.set(b, R)
        pb.set(list(NECK), axis_angle(self.Fw, -0.75 * alpha) @ B)  # the head tilts a little less than the chest
        A = pb.build()
        heads = r.fk(A, self.root)
        # the trunk line (hips -> shoulders) as a rotation: the free arm hangs along it
        sup = 0.5 * (heads[r.bone("upperarm01.L")] + heads[r.bone("upperarm01.R")]) - 0.5 * (
            heads[r.bone("upperleg01.L")] + heads[r.bone("upperleg01.R")]
        )
        tilt = np.degrees(np.arctan2(sup @ self.Lv, sup @ self.U))
        top = axis_angle(self.Fw, -tilt) @ B
        for s in "LR":
            place_leg(pb, r, s, heads[r.bone(f"upperleg01.{s}")], self.ankles[s], self.Fw, B)
            pb.set(f"foot.{s}", B)
        support = "L" if alpha > 0 else "R"
        for s in "LR":
            out = sgn(s) * self.Lv
            sh = heads[r.bone(f"upperarm01.{s}")]
            la, lf = arm_lengths(r, s)
            down_t = -(top @ np.array([0, 0, 1.0]))
            hang = unit(down_t + 0.17 * (top @ np.array([sgn(s), 0, 0.0])) + 0.03 * self.Fw)
            if thigh and (s == support or abs(alpha) < 1e-9):
                # slide down the outside of the thigh: the point whose distance is reach x arm length
                L = self.reach * (la + lf)
                zs = self.thigh_line[s][0]
                lo, hi = zs[0], zs[-1]
                for _ in range(40):
                    mid = 0.5 * (lo + hi)
                    if np.linalg.norm(self._thigh_point(s, mid) - sh) > L:
                        lo = mid
                    else:
                        hi = mid
                target = self._thigh_point(s, 0.5 * (lo + hi))
                blend = 1.0
            else:
                target = sh + 0.985 * (la + lf) * hang
                blend = 0.0
            elbow, wrist, _fa = place_arm(pb, r, s, sh, target, out - 0.6 * self.Fw, B)
            fingers = unit(wrist - elbow)
            pb.set(f"wrist.{s}", hand_rotation(r, s, fingers, -out + 0.15 * self.Fw * (1 - blend)))
        return pb.build(), self.root

    def pose(self, cmd: Command):
        alpha = float(invert_monotonic(self.alphas, self.table, np.array([cmd.value]))[0])
        return self._build(alpha)
