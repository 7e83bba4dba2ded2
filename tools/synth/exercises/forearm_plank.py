"""Forearm plank (examples/exercises/forearm_plank.toml), seen from the side: on the forearms
(elbows under the shoulders, forearms along the mat, hands flat) and the balls of the feet
(toes tucked), the body lowers from hips-high (a pike) into a straight line, holds, and lifts
the hips again.

Value = ``hip_line`` (the file's signed shoulder-hip-knee angle: 180 = straight, below = hips
up). Elbows and feet stay planted; the one pose parameter is the upper arm's tilt back from
vertical, ``alpha`` (0 = shoulders over the elbows, the body straight; < 0 the shoulders forward, the hips
sagging a little): the shoulders swing back and up about the
elbows, and with the trunk and the straight legs (knees ``knee``) as two rigid links between the
shoulders and the ankles, the hips rise (2-link IK, hips up). The feet are placed so that the
body is straight (to 2-link IK's reach) at ``alpha`` = 0. ``alpha`` is tabulated against the
measured ``hip_line`` and inverted; the rest value is the pike at ``alpha`` = ``pike`` degrees
(``options["rest"]`` sets a shallower one, the same for every body).

clip.options: ``pike`` (36, the deepest pike tabulated), ``toe_pitch`` (heel above the ball of
the foot, 72), ``knee`` (178), ``rest``.
"""

from __future__ import annotations

import numpy as np

from tools.synth.exercises.base import Command
from tools.synth.exercises.upright import (
    ToesOnToeBones,
    knee_distance,
    lowest_offset,
    place_leg,
    raised_foot,
    toe_bones,
)
from tools.synth.posing import (
    FOREARM,
    UPPER_ARM,
    PoseBuilder,
    flat_hand,
    invert_monotonic,
    orientation,
    sided,
    two_link_ik,
)
from tools.synth.rotations import EY, EZ, aim, axis_angle

REACH = 0.99999  # the straight body: shoulders to ankles at the trunk's and legs' full length


def _mid(rig, a: str) -> np.ndarray:
    return 0.5 * (rig.head(f"{a}.L") + rig.head(f"{a}.R"))


class ForearmPlank(ToesOnToeBones):
    ID = "forearm_plank"
    EXERCISE_FILE = "examples/exercises/forearm_plank.toml"
    REST = 125.0  # replaced by the pike's measured value (rest_value)
    TARGET = 172.0  # the straight plank
    MAT = True

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r, o = rig, clip.options
        # prone: head towards world +X (turned by body_yaw), face down, the person's left at +Y
        self.layout = P = axis_angle(EZ, clip.body_yaw) @ orientation(EY, -EZ)
        self.Lv, self.H = P[:, 0], P[:, 2]
        # the feet's frame: a standing foot whose toes point towards the head (tucked toes)
        self.Bf = orientation(self.Lv, self.H)
        self.la = r.length("upperarm01.L", "lowerarm01.L")
        self.trunk = float(np.linalg.norm(_mid(r, "upperarm01") - _mid(r, "upperleg01")))
        self.v_trunk = P @ (_mid(r, "upperarm01") - _mid(r, "upperleg01"))
        self.v_root = P @ (_mid(r, "upperleg01") - r.head("root"))
        self.leg = knee_distance(
            r.length("upperleg01.L", "lowerleg01.L"), r.length("lowerleg01.L", "foot.L"), float(o.get("knee", 178.0))
        )
        self.forearm_rot = aim(P @ r.vec("lowerarm01.L", "wrist.L"), self.H) @ P
        elbow_z = floor_z + lowest_offset(r, ("lowerarm",), "lowerarm01.L", self.forearm_rot, 1) + 0.003
        self.E = elbow_z * EZ  # elbows' midpoint
        pitch = float(o.get("toe_pitch", 72.0))
        # the feet: balls on the mat, heels up; behind the elbows so that the body is straight at alpha 0
        self.feet = {}
        S0 = self._shoulder(0.0)
        _, a0 = raised_foot(r, "L", self.Bf, np.array([0.0, 0.0, floor_z]), pitch)
        dz = S0[2] - a0[2]
        back = np.sqrt((REACH * (self.trunk + self.leg)) ** 2 - dz * dz)  # the ankles' distance behind the shoulders
        ball_h = S0 @ self.H - back - a0 @ self.H
        for s in "LR":
            lateral = (P @ r.head(f"upperleg01.{s}")) @ self.Lv
            ball = ball_h * self.H + lateral * self.Lv + floor_z * EZ
            self.feet[s] = raised_foot(r, s, self.Bf, ball, pitch)
        self.pike = float(o.get("pike", 36.0))
        self.alphas = np.arange(-8.0, self.pike + 0.001, 0.1)
        pts = np.stack([self.posed_landmarks(self._build(a)) for a in self.alphas])
        self.table = self.primary_of(pts)

    @property
    def rest_value(self) -> float:
        return float(self.clip.options.get("rest", self.table[-1]))

    def _shoulder(self, alpha: float) -> np.ndarray:
        a = np.radians(alpha)
        return self.E + self.la * (np.cos(a) * EZ - np.sin(a) * self.H)

    def _build(self, alpha: float):
        r, P = self.rig, self.layout
        S = self._shoulder(alpha)
        A = 0.5 * (self.feet["L"][1] + self.feet["R"][1])
        hip, _ = two_link_ik(S, A, self.trunk, self.leg, EZ, max_reach=REACH)
        T = aim(self.v_trunk, S - hip) @ P
        root = hip - T @ self.v_root
        pb = PoseBuilder(r, T)
        heads = r.fk(pb.build(), root)
        for s in "LR":
            sh = heads[r.bone(f"upperarm01.{s}")]
            elbow = self.E + ((sh - S) @ self.Lv) * self.Lv
            pb.aim(sided(UPPER_ARM, s), f"upperarm01.{s}", f"lowerarm01.{s}", elbow - sh, P)
            fa = pb.aim(sided(FOREARM, s), f"lowerarm01.{s}", f"wrist.{s}", self.H, P)
            pb.set(f"wrist.{s}", flat_hand(r, s, fa, self.H))
            rot_f, ankle = self.feet[s]
            place_leg(pb, r, s, heads[r.bone(f"upperleg01.{s}")], ankle, -EZ, P)
            pb.set(f"foot.{s}", rot_f)
            pb.set(toe_bones(r, s), self.Bf)
        return pb.build(), root

    def pose(self, cmd: Command):
        alpha = float(invert_monotonic(self.alphas, self.table, np.array([cmd.value]))[0])
        return self._build(alpha)
