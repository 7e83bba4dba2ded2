"""Heel raise (examples/exercises/heel_raise.toml), seen from the side: standing tall, hands on
the hips, both heels rise about the balls of the feet and lower again.

Value = ``heel_up`` (the file's ``foot_pitch``: the heel-to-toe-tip line above horizontal,
0 = flat). Both feet pivot about the ball of the foot by the same pitch, the toes stay flat on
the floor (the toe tips ride on the toes, not on the rising foot), the straight legs and the
upright body rise with the ankles. The foot pitch is tabulated against the measured ``heel_up``
and inverted per frame; the rest value is the flat foot's.

clip.options: ``knee`` (knee angle, default 178).
"""

from __future__ import annotations

import numpy as np

from tools.synth.exercises.base import Command
from tools.synth.exercises.upright import (
    ToesOnToeBones,
    ball_on_floor,
    frame_of,
    hands_on_hips,
    place_leg,
    raised_foot,
    standing_root,
    toe_bones,
)
from tools.synth.posing import PoseBuilder, invert_monotonic, standing


class HeelRaise(ToesOnToeBones):
    ID = "heel_raise"
    EXERCISE_FILE = "examples/exercises/heel_raise.toml"
    REST = 0.0  # replaced by the flat foot's measured value (rest_value)
    TARGET = 30.0  # a full raise
    MAT = False

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        self.layout = B = standing(clip.body_yaw)
        self.Lv, self.Fw, self.U = frame_of(B)
        self.root0, self.ankles0 = standing_root(rig, B, floor_z, float(clip.options.get("knee", 178.0)))
        self.balls = {s: ball_on_floor(rig, s, B, floor_z) for s in "LR"}
        self.pitches = np.arange(0.0, 60.01, 0.25)
        pts = np.stack([self.posed_landmarks(self._build(p)) for p in self.pitches])
        self.table = self.primary_of(pts)

    @property
    def rest_value(self) -> float:
        return float(self.clip.options.get("rest", self.table[0]))

    def _build(self, pitch: float):
        r, B = self.rig, self.layout
        feet = {s: raised_foot(r, s, B, self.balls[s], pitch) for s in "LR"}
        rise = np.mean([feet[s][1] - self.ankles0[s] for s in "LR"], axis=0)
        root = self.root0 + rise
        pb = PoseBuilder(r, B)
        heads = r.fk(pb.build(), root)
        for s in "LR":
            place_leg(pb, r, s, heads[r.bone(f"upperleg01.{s}")], feet[s][1], self.Fw, B)
            pb.set(f"foot.{s}", feet[s][0])
            pb.set(toe_bones(r, s), B)
        hands_on_hips(pb, r, heads, B, B)
        return pb.build(), root

    def pose(self, cmd: Command):
        pitch = float(invert_monotonic(self.pitches, self.table, np.array([cmd.value]))[0])
        return self._build(pitch)
