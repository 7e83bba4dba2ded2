"""Pelvic tilt (seed 000 #1): supine, knees bent ~90, feet planted; a posterior pelvic tilt
flattens the low back onto the mat and is held (5 s per rep).

Value = the POSTERIOR PELVIC TILT in degrees: the pelvis's rotation about the person's
left-right axis from its relaxed lying orientation, + = posterior (pubis up, the top of
the pelvis towards the mat, the lumbar curve flattening). It is not one of formcheck's
metrics (no landmark sees the pelvis's own orientation), so the truth file carries it
per frame as ``generator.pelvic_tilt_deg``; the metrics (``hip_angle``, ``knee_angle``)
follow from the posed skeleton.

Kinematics, per frame:
- the pelvis (root + pelvis bones, the hip joints with it) turns by the tilt about the
  sacrum's contact with the mat (the lowest pelvis point at rest), rolling so that its
  lowest point stays on the mat;
- the thorax (spine02 and up), the shoulders, the arms (lying beside the body) and the
  head do not move;
- the three lumbar bones close the chain between the tilted pelvis and the fixed thorax,
  their rotations varying linearly along the spine (two unknowns, two closure
  equations): the lumbar centre line bows towards the mat, i.e. the lordosis flattens;
- the feet stay planted; the knees follow by 2-link IK.

Fault ``hips_lift`` (``form_break``): the trunk turns about the base of the neck as in a
bridge until the pelvis is ``lift`` m (default 0.05) off the mat at amount 1.

clip.options:
- ``knee``: knee angle at rest (default 90) -- sets where the feet are planted;
- ``feet_apart``: extra lateral distance of each ankle from its hip, metres (0.04);
- ``arm_spread``: arm abduction on the mat in degrees (12);
- ``lift``: hips_lift height in metres (0.05).

Reps: each held tilt is a rep: ``move(tilt)``, ``hold(s)`` [+ ``form_break`` + ``hold``],
``move(0)``; the truth counts a rep for a hold of at least ``REP_HOLD_S`` seconds and a
partial rep for a shorter one (``schedule.reps_from_holds``).
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.optimize import brentq

from tools.synth.exercises.base import Command, Exercise
from tools.synth.exercises.supine_parts import arms_on_mat, knee_angle_deg, lying_root
from tools.synth.posing import LEG, NECK, SHIN, PoseBuilder, foot_flat, sided, supine, two_link_ik
from tools.synth.rotations import EZ, axis_angle

LUMBAR = ("spine05", "spine04", "spine03", "spine02")  # the bending chain, pelvis to thorax
THORAX = ("spine01",)  # fixed: its head (and the shoulders, arms, neck, head) does not move
BOW = (1.0, 1 / 3, -1 / 3, -1.0)  # each bending bone's share of the bow


class PelvicTilt(Exercise):
    ID = "pelvic_tilt"
    REST = 0.0
    TARGET = 12.0
    MAT = True
    FAULTS = ("hips_lift",)
    REP_HOLD_S = 5.0

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r = rig
        o = clip.options
        self.layout = B = supine(clip.body_yaw)
        self.left = B[:, 0]
        self.sup = B[:, 2]  # towards the head (horizontal)
        self.axis = -self.left  # + rotation about it: posterior tilt (pelvis top towards the mat)
        self.foot_rot = foot_flat(B)
        self.lift = float(o.get("lift", 0.05))
        self.arm_spread = float(o.get("arm_spread", 12.0))
        self.root0 = lying_root(r, B, floor_z)
        self.fk0 = r.fk(r.expand({}, B), self.root0)
        # the sacrum's contact: lowest pelvis vertex lying flat
        V = r.rest_vertices
        # the back of the pelvis and the buttocks (posterior half), rigid with the pelvis, relative to the root head
        seat = (r.bone_verts(("pelvis",)) | r.bone_verts(("upperleg01",))) & (V[:, 1] > r.heads[0][1] + 0.04)
        self.pelvis_v = (V[seat] - r.heads[0]) @ B.T
        low = self.root0 + self.pelvis_v
        contact = low[np.argmin(low[:, 2])]
        self.pivot_height = float(o.get("pivot_height", 0.03))
        self.pivot = contact + self.pivot_height * EZ
        self.pelvis_low0 = low[:, 2].min()
        # lumbar chain: root head -> spine04 -> spine03 -> spine02 head (fixed, the thorax's base)
        ends = ("root", "spine04", "spine03", "spine02", "spine01")
        self.chain = [B @ r.vec(a, b) for a, b in itertools.pairwise(ends)]
        self.thorax_base = self.fk0[r.bone("spine01")]
        self.neck_pivot = self.fk0[r.bone("neck01")]
        self.l_thigh = r.length("upperleg01.L", "lowerleg01.L")
        self.l_shin = r.length("lowerleg01.L", "foot.L")
        # plant the feet: knee angle ``knee`` lying relaxed (tilt 0)
        knee_rest = float(o.get("knee", 90.0))
        apart = float(o.get("feet_apart", 0.04))
        ankle_z = floor_z + r.head("foot.L")[2] - 0.002
        inferior = -self.sup
        self.ankles = {}
        for s in ("L", "R"):
            hip = self.fk0[r.bone(f"upperleg01.{s}")]
            best = None
            for phi in np.radians(np.arange(5, 85, 0.05)):
                knee = hip + self.l_thigh * (np.cos(phi) * inferior + np.sin(phi) * EZ)
                dz = knee[2] - ankle_z
                if dz <= 0 or dz >= self.l_shin:
                    continue
                ankle = knee + np.sqrt(self.l_shin**2 - dz**2) * inferior - dz * EZ
                err = abs(knee_angle_deg(hip, knee, ankle) - knee_rest)
                if best is None or err < best[0]:
                    best = (err, ankle)
            self.ankles[s] = best[1] + (1 if s == "L" else -1) * apart * self.left

    # -- pieces ------------------------------------------------------------------
    def _rot(self, deg: float) -> np.ndarray:
        return axis_angle(self.axis, deg) @ self.layout

    def _pelvis_root(self, tilt: float) -> np.ndarray:
        """Root head for the pelvis turned by ``tilt`` about the pivot, its lowest point kept on the mat."""
        R = axis_angle(self.axis, tilt)
        root = self.pivot + R @ (self.root0 - self.pivot)
        low = (root + self.pelvis_v @ R.T)[:, 2].min()
        return root + (self.pelvis_low0 - low) * EZ

    def _chain_end(self, a: float, c: float) -> np.ndarray:
        return sum(axis_angle(self.axis, a + c * k) @ v for k, v in zip(BOW, self.chain, strict=False))

    def _lumbar(self, tilt: float, root: np.ndarray) -> list[float]:
        """spine05/04/03 rotations (degrees about ``axis``) closing the chain from the tilted pelvis to
        the fixed thorax: a common rotation ``a`` and a bow ``c`` (+c: the middle sinks, the lordosis
        flattens); nested 1-D solves (the bow acts on the chord length, the common part on height)."""
        target = self.thorax_base - root

        def a_for(c):
            return brentq(lambda a: (self._chain_end(a, c) - target) @ EZ, -45.0, 45.0, xtol=1e-7)

        def along(c):
            return (self._chain_end(a_for(c), c) - target) @ self.sup

        # If the chain must lengthen there is no bow (does not happen for tilts >= 0).
        c = 0.0 if along(0.0) <= 0 else brentq(along, 0.0, 60.0, xtol=1e-7)
        a = a_for(c)
        return [a + c * k for k in BOW]

    def _build(self, tilt: float, lift: float = 0.0):
        r, B = self.rig, self.layout
        root = self._pelvis_root(tilt)
        lumbar = self._lumbar(tilt, root)
        pb = PoseBuilder(r, B)
        pb.set(["root", "pelvis.L", "pelvis.R"], self._rot(tilt))
        for bone, deg in zip(LUMBAR, lumbar, strict=False):
            pb.set(bone, self._rot(deg))
        pb.set(list(THORAX), B)
        pb.set(list(NECK), B)
        A = pb.build()
        if lift > 0:  # hips_lift: the trunk turns about the base of the neck (a small bridge)
            beta = self._lift_angle(A, root, lift)
            L = axis_angle(self.axis, beta)  # hips up (as the bridge lifts)
            for bone in ("root", "pelvis.L", "pelvis.R", *LUMBAR, *THORAX):
                pb.set(bone, L @ pb.explicit[r.bone(bone)])
            root = self.neck_pivot + L @ (root - self.neck_pivot)
            A = pb.build()
        heads = r.fk(A, root)
        for s in ("L", "R"):
            sgn = 1 if s == "L" else -1
            hip = heads[r.bone(f"upperleg01.{s}")]
            knee, ankle = two_link_ik(hip, self.ankles[s], self.l_thigh, self.l_shin, EZ + 0.15 * sgn * self.left)
            pb.aim(sided(LEG, s), f"upperleg01.{s}", f"lowerleg01.{s}", knee - hip, B)
            pb.aim(sided(SHIN, s), f"lowerleg01.{s}", f"foot.{s}", ankle - knee, B)
            pb.set(f"foot.{s}", self.foot_rot)
        arms_on_mat(pb, r, B, heads, self.floor_z, self.arm_spread)
        return pb.build(), root

    def _lift_angle(self, A: np.ndarray, root: np.ndarray, lift: float) -> float:
        """Trunk rotation about the neck pivot that raises the hip joints' midpoint by ``lift``."""
        r = self.rig
        heads = r.fk(A, root)
        mid = (heads[r.bone("upperleg01.L")] + heads[r.bone("upperleg01.R")]) / 2
        v = mid - self.neck_pivot
        horiz = np.linalg.norm(v - (v @ EZ) * EZ)
        # rotating v about the lateral axis by beta: its height becomes |v| sin(beta + beta0)
        beta0 = np.arctan2(v @ EZ, horiz)
        return float(np.degrees(np.arcsin(np.clip((v @ EZ + lift) / np.linalg.norm(v), -1, 1)) - beta0))

    def landmarks(self, tilt: float, lift: float = 0.0) -> np.ndarray:
        A, root = self._build(tilt, lift)
        return self.rig.landmarks(A, self.rig.fk(A, root))

    def pose(self, cmd: Command):
        lift = self.lift * cmd.amount if cmd.fault == "hips_lift" else 0.0
        return self._build(float(cmd.value), lift)

    def amend_truth(self, truth: dict, posed) -> None:
        from tools.synth.schedule import reps_from_holds

        g = truth["generator"]
        g["pelvic_tilt_deg"] = [round(float(c.value), 2) for c in posed.timeline.commands]
        g["schedule_series"] = "pelvic_tilt_deg"
        g["rep_hold_s"] = self.REP_HOLD_S
        reps_from_holds(
            truth, posed.timeline, np.asarray(truth["metrics"][truth["primary_metric"]], dtype=float), self.REP_HOLD_S
        )
