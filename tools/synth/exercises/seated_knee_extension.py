"""Seated knee extension (examples/exercises/seated_knee_extension.toml), seen from the side:
sitting tall on a box seat, hands on the hips, thighs level and supported, feet flat on the
floor; the working knee straightens until the leg is nearly straight and lowers again.

Value = the file's ``knee_angle`` (hip-knee-ankle of the working leg, ~95 sitting; the file
counts on ``leg_line``, the hip-ankle line, which the truth records beside it). The trunk, pelvis and
thighs stay still; the working shin swings forward about the knee and its foot turns with it;
the other shin stays a little forward of vertical with its foot flat. The seat is a block under
the thighs, its top at the lowest point of the skinned buttocks and thighs, its front edge
``seat_front`` m short of the knees. The shin swing is tabulated against the measured
``knee_angle`` and inverted; the rest value is the sitting knee's. ``side`` = the working leg
(else ``working_side``).

clip.options: ``shin`` (resting shin forward of vertical, degrees, default 5); ``seat_front``
(0.12); ``seat_color`` (sRGB, default a mid brown).
"""

from __future__ import annotations

import numpy as np

from tools.synth.exercises.base import Command, Exercise
from tools.synth.exercises.upright import block, frame_of, hands_on_hips, letter
from tools.synth.posing import LEG, SHIN, PoseBuilder, invert_monotonic, sided, standing
from tools.synth.rotations import aim


class SeatedKneeExtension(Exercise):
    ID = "seated_knee_extension"
    EXERCISE_FILE = "examples/exercises/seated_knee_extension.toml"
    SCHEDULE_METRIC = "knee_angle"  # the file counts on its leg_line; the schedule is in knee degrees
    REST = 95.0  # replaced by the sitting knee's measured value (rest_value)
    TARGET = 172.0  # a full extension
    MAT = False

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r, o = rig, clip.options
        self.layout = B = standing(clip.body_yaw)
        self.Lv, self.Fw, self.U = frame_of(B)
        self.working = letter(clip.measured_side)
        self.shin0 = float(o.get("shin", 5.0))
        self.l1 = r.length("upperleg01.L", "lowerleg01.L")
        self.l2 = r.length("lowerleg01.L", "foot.L")
        ankle_z = floor_z + r.head("foot.L")[2]
        # thighs level: the hips sit one (slightly forward-leaning) shin above the ankles
        hip_z = ankle_z + self.l2 * np.cos(np.radians(self.shin0))
        self.root = B @ r.head("root") + (hip_z - r.head("upperleg01.L")[2]) * self.U
        self.rest_shin = {s: B @ r.vec(f"lowerleg01.{s}", f"foot.{s}") for s in "LR"}
        # the seat: under the buttocks and thighs of the sitting pose
        A0, root0 = self._build(0.0)
        V = r.skin(A0[None], root0[None])[0]
        heads = r.fk(A0, root0)
        hip = 0.5 * (heads[r.bone("upperleg01.L")] + heads[r.bone("upperleg01.R")])
        sel = r.bone_verts(("upperleg", "pelvis", "root", "spine05")) & (
            (V - hip) @ self.Fw < self.l1 - float(o.get("seat_front", 0.12))
        )
        self.seat_top = float(V[sel, 2].min())
        front = self.l1 - float(o.get("seat_front", 0.12))
        back = float(((V[sel] - hip) @ self.Fw).min()) - 0.05
        self.seat = (hip + 0.5 * (front + back) * self.Fw, front - back)
        self.swings = np.arange(0.0, 90.01, 0.25)
        pts = np.stack([self.posed_landmarks(self._build(a)) for a in self.swings])
        self.table = self.primary_of(pts)

    @property
    def rest_value(self) -> float:
        return float(self.clip.options.get("rest", self.table[0]))

    def scene_items(self, view) -> list:
        centre, depth = self.seat
        top = np.array([centre[0], centre[1], self.seat_top])
        return block(top, self.Fw, (depth, 0.46, self.seat_top), self.clip.options.get("seat_color", (120, 85, 60)))

    def _build(self, swing: float):
        r, B = self.rig, self.layout
        pb = PoseBuilder(r, B)
        heads = r.fk(pb.build(), self.root)
        for s in "LR":
            hip = heads[r.bone(f"upperleg01.{s}")]
            knee = hip + self.l1 * self.Fw
            th = np.radians(self.shin0 + (swing if s == self.working else 0.0))
            d = np.cos(th) * -self.U + np.sin(th) * self.Fw
            pb.aim(sided(LEG, s), f"upperleg01.{s}", f"lowerleg01.{s}", knee - hip, B)
            pb.aim(sided(SHIN, s), f"lowerleg01.{s}", f"foot.{s}", d, B)
            pb.set(f"foot.{s}", aim(self.rest_shin[s], d) @ B if s == self.working else B)
        hands_on_hips(pb, r, heads, B, B)
        return pb.build(), self.root

    def pose(self, cmd: Command):
        swing = float(invert_monotonic(self.swings, self.table, np.array([cmd.value]))[0])
        return self._build(swing)
