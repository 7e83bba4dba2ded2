"""Half-kneeling hip flexor stretch: the back leg's knee and shin on the mat, the front foot
flat with the knee bent ~90, hands on the hips, trunk upright; the hips shift forward so
the kneeling leg's hip extends.

Value = ``back_hip_angle`` (signed shoulder-hip-knee of the kneeling leg: 180 = trunk and
thigh in line, > 180 = hip extension). The back knee and shin stay planted on the mat (the
shin's front surface and the top of the pointed foot touch it), the front foot stays
planted; the pose parameter is the back thigh's tilt from vertical (+ = knee behind the
hip); the upright trunk rides on the hips, the front knee follows by 2-link IK, the hands
stay on the hips. The tilt is tabulated against the measured hip angle and inverted.
``side`` = the kneeling (back) leg.

Form breaks:
- ``leaning_back``: the trunk leans back ``lean_back`` deg (default 26: trunk_lean ~ -25) x amount about the
  hips (arching instead of stretching); the hip angle drops with it.
- ``leaning_forward``: the trunk leans forward ``lean_forward`` deg (default 25) x amount.

clip.options:
- ``rest``: back hip angle at rest (default 173);
- ``stance``: front ankle ahead of the back knee, metres (default: solved so the front knee
  is ``front_knee_full`` = 88 deg at ``full`` = 197);
- ``knee_width``: lateral distance of the back knee / front foot from the midline (0.10 / 0.12 m).
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics import compute_metrics
from tools.synth.exercises.base import Command, Exercise
from tools.synth.exercises.upright import (
    frame_of,
    hands_on_hips,
    knee_distance,
    letter,
    lowest_offset,
    other,
    sgn,
    toe_bones,
)
from tools.synth.posing import LEG, NECK, SHIN, SPINE, PoseBuilder, invert_monotonic, sided, standing, two_link_ik
from tools.synth.rotations import aim, axis_angle, unit

UP = (0.0, 0.0, 1.0)


class HalfKneelHipStretch(Exercise):
    ID = "half_kneel_hip_stretch"
    REST = 173.0
    TARGET = 196.0
    MAT = True
    FAULTS = ("leaning_back", "leaning_forward")

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r, o = rig, clip.options
        self.layout = B = standing(clip.body_yaw)
        self.Lv, self.Fw, self.U = frame_of(B)
        self.back = letter(clip.side or clip.near_side or "left")
        self.front = other(self.back)
        b, f = self.back, self.front
        self.l1 = r.length(f"upperleg01.{b}", f"lowerleg01.{b}")
        self.l2 = r.length(f"lowerleg01.{b}", f"foot.{b}")
        self.v_hip = {s: r.vec("root", f"upperleg01.{s}") for s in "LR"}
        # kneeling shin: pointing back, tilted so both its ends touch the mat; the foot pointed
        # (top of the foot on the mat)
        self.shin_rot, self.knee_h, self.shin_dir = self._kneeling_shin()
        self.foot_rot = self._pointed_foot()
        kw = float(o.get("knee_width", 0.10))
        self.ankle_z = floor_z + r.head(f"foot.{f}")[2]
        self.fw_lat = sgn(f) * float(o.get("front_width", 0.12)) * self.Lv
        self.stance = float(o.get("stance", 0.62))
        self.Af = self.stance * self.Fw + self.fw_lat + self.ankle_z * self.U  # provisional
        # the knee on the mat: the rigid estimate, then lifted by what the skinned knee sinks
        kneeling = r.bone_verts(("upperleg", "lowerleg", "foot", "toe")) & (np.sign(r.rest_vertices[:, 0]) == sgn(b))
        for _ in range(2):
            self.K = sgn(b) * kw * self.Lv + (floor_z + self.knee_h) * self.U  # back knee (along Fw: 0)
            low = min(
                r.skin(A[None], root[None])[0][kneeling, 2].min() for A, root in (self._build(-8.0), self._build(22.0))
            )
            self.knee_h += floor_z + 0.0015 - low
        self.K = sgn(b) * kw * self.Lv + (floor_z + self.knee_h) * self.U
        self.Ab = self.K + self.l2 * self.shin_dir
        # front foot planted: solve its distance ahead so that the front knee is front_knee_full at full
        self.psis = np.arange(-25.0, 40.0, 0.1)
        side = clip.measured_side
        if "stance" in o:
            self.stance = float(o["stance"])
        else:
            full, want = float(o.get("full", 197.0)), float(o.get("front_knee_full", 88.0))
            pts = np.stack([self.posed_landmarks(self._build(p)) for p in self.psis[::10]])
            psi_full = float(
                invert_monotonic(
                    self.psis[::10],
                    compute_metrics("half_kneel_hip_stretch", pts, side, up=UP)["back_hip_angle"],
                    np.array([full]),
                )[0]
            )
            hip_f = self._trunk(psi_full, 0.0)[1][r.bone(f"upperleg01.{f}")]
            d = knee_distance(self.l1, self.l2, want)
            dz = hip_f[2] - self.ankle_z
            self.stance = float(hip_f @ self.Fw + np.sqrt(max(d * d - dz * dz, 1e-6)))
        self.Af = self.stance * self.Fw + self.fw_lat + self.ankle_z * self.U
        pts = np.stack([self.posed_landmarks(self._build(p)) for p in self.psis])
        self.table = compute_metrics("half_kneel_hip_stretch", pts, side, up=UP)["back_hip_angle"]

    # -- fixed pieces -----------------------------------------------------------------
    def _kneeling_shin(self):
        r, b = self.rig, self.back
        best = None
        for tilt in np.arange(-6.0, 12.0, 0.25):
            # shin pointing back (-Fw), the ankle end lower by ``tilt`` degrees
            d = unit(-self.Fw * np.cos(np.radians(tilt)) - self.U * np.sin(np.radians(tilt)))
            rot = aim(r.vec(f"lowerleg01.{b}", f"foot.{b}"), d)
            rot = rot @ np.eye(3)
            sel = r.bone_verts(("lowerleg",)) & (np.sign(r.rest_vertices[:, 0]) == sgn(b))
            v = (r.rest_vertices[sel] - r.head(f"lowerleg01.{b}")) @ rot.T
            along = v @ (-self.Fw)
            prox = v[along < 0.35 * self.l2, 2].min()
            dist = v[along > 0.65 * self.l2, 2].min()
            score = abs(prox - dist)
            if best is None or score < best[0]:
                best = (score, rot, -min(prox, dist), d)
        _, rot, h, d = best
        return rot, h + 0.003, d

    def _pointed_foot(self):
        """Foot continuing the shin backwards, toes on the mat, top of the foot down."""
        r, b = self.rig, self.back
        ankle_h = self.knee_h + self.l2 * (self.shin_dir @ self.U)
        best = None
        for beta in np.arange(120.0, 190.0, 0.5):
            rot = axis_angle(self.Lv, beta) @ self.layout
            low = lowest_offset(r, (f"foot.{b}", "toe"), f"foot.{b}", rot, sgn(b))
            if best is None or abs(low - ankle_h) < best[0]:
                best = (abs(low - ankle_h), rot, beta)
        return best[1]

    # -- posing ---------------------------------------------------------------------------
    def _trunk(self, psi: float, lean: float):
        r = self.rig
        T = axis_angle(self.Lv, lean) @ self.layout
        th = np.radians(psi)
        dl = sgn(self.back) * abs(self.v_hip[self.back][0]) - self.K @ self.Lv  # hip is a little wider than the knee
        sag = np.sqrt(self.l1**2 - dl**2)
        hip = self.K + dl * self.Lv + sag * (np.cos(th) * self.U + np.sin(th) * self.Fw)
        root = hip - T @ self.v_hip[self.back]
        return T, r.fk(r.expand({}, T), root), root

    def _build(self, psi: float, lean: float = 0.0):
        r, B = self.rig, self.layout
        b, f = self.back, self.front
        T, heads, root = self._trunk(psi, lean)
        pb = PoseBuilder(r, T)
        pb.set(["root", "pelvis.L", "pelvis.R", *SPINE], T)
        pb.set(list(NECK), axis_angle(self.Lv, 0.4 * lean) @ B)
        # kneeling leg: thigh from the hip to the planted knee, shin and foot on the mat
        hip_b = heads[r.bone(f"upperleg01.{b}")]
        pb.aim(sided(LEG, b), f"upperleg01.{b}", f"lowerleg01.{b}", self.K - hip_b, B)
        pb.set(sided(SHIN, b), self.shin_rot)
        pb.set(f"foot.{b}", self.foot_rot)
        pb.set(toe_bones(r, b), self.foot_rot)
        # front leg
        hip_f = heads[r.bone(f"upperleg01.{f}")]
        knee, ankle = two_link_ik(hip_f, self.Af, self.l1, self.l2, self.Fw + 0.5 * self.U + 0.1 * sgn(f) * self.Lv)
        pb.aim(sided(LEG, f), f"upperleg01.{f}", f"lowerleg01.{f}", knee - hip_f, B)
        pb.aim(sided(SHIN, f), f"lowerleg01.{f}", f"foot.{f}", ankle - knee, B)
        pb.set(f"foot.{f}", B)
        hands_on_hips(pb, r, heads, T, B)
        return pb.build(), root

    def pose(self, cmd: Command):
        psi = float(invert_monotonic(self.psis, self.table, np.array([cmd.value]))[0])
        lean = 0.0
        if cmd.fault == "leaning_back":
            lean = -float(self.clip.options.get("lean_back", 26.0)) * cmd.amount
        elif cmd.fault == "leaning_forward":
            lean = float(self.clip.options.get("lean_forward", 25.0)) * cmd.amount
        return self._build(psi, lean)
