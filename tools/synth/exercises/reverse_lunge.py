"""Reverse lunge (examples/exercises/reverse_lunge.toml), seen from the side: standing tall, hands
on the hips, one foot steps back onto its ball and both knees bend until the back knee nears
the floor, then the foot steps back in beside the other.

Value = ``front_knee`` (the file's smaller hip-knee-ankle angle of the two legs, ~178
standing). One pose parameter ``u`` (0 standing .. 1 the bottom) drives the whole movement:
over the first ``step`` of it the stepping foot travels back ``stride`` x leg length (lifted a
little, its heel rising over the second half of the step to ``back_pitch`` degrees, so it lands
on the ball, its toes flat and the toe tip landmark riding on them), the pelvis moving back to
``settle`` of the way over the first ``step`` and lowering all along (eased) to ``depth`` x leg
length; the front foot stays planted, both legs follow by 2-link IK (knees forward), the trunk
leans forward up to ``lean`` degrees. The way back retraces the same path. ``u`` is tabulated
against the measured value and inverted; the rest value is the standing knees'. The stepping
leg is the segment's ``side`` (else the clip's ``side``, else the far leg).

clip.options: ``stride`` (1.12), ``depth`` (0.42), ``settle`` (0.39), ``step`` (0.45),
``back_pitch`` (55), ``lift`` (mid-step, 0.03 m), ``lean`` (8), ``feet_width`` (each ankle from
the midline, 0.09).
"""

from __future__ import annotations

import numpy as np

from tools.synth.exercises.base import Command
from tools.synth.exercises.upright import (
    ToesOnToeBones,
    ball_of_foot,
    frame_of,
    hands_on_hips,
    letter,
    other,
    place_leg,
    raised_foot,
    smooth,
    standing_root,
    toe_bones,
)
from tools.synth.posing import NECK, SPINE, PoseBuilder, invert_monotonic, standing
from tools.synth.rotations import axis_angle


class ReverseLunge(ToesOnToeBones):
    ID = "reverse_lunge"
    EXERCISE_FILE = "examples/exercises/reverse_lunge.toml"
    REST = 178.0  # replaced by the standing knees' measured value (rest_value)
    TARGET = 95.0  # a full lunge
    MAT = False

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r, o = rig, clip.options
        self.layout = B = standing(clip.body_yaw)
        self.Lv, self.Fw, self.U = frame_of(B)
        self.root0, self.ankles0 = standing_root(rig, B, floor_z, 178.0, float(o.get("feet_width", 0.09)))
        leg = r.length("upperleg01.L", "lowerleg01.L") + r.length("lowerleg01.L", "foot.L")
        self.stride = float(o.get("stride", 1.12)) * leg
        self.depth = float(o.get("depth", 0.42)) * leg
        self.settle = float(o.get("settle", 0.39))
        self.step = float(o.get("step", 0.45))
        self.back_pitch = float(o.get("back_pitch", 55.0))
        self.lift = float(o.get("lift", 0.03))
        self.lean = float(o.get("lean", 8.0))
        self.balls0 = {s: self.ankles0[s] + B @ (ball_of_foot(r, s) - r.head(f"foot.{s}")) for s in "LR"}
        self.balls0 = {s: b - (b[2] - floor_z) * self.U for s, b in self.balls0.items()}
        self.default_back = letter(clip.side) if clip.side else other(letter(clip.near_side or "left"))
        self.us = np.linspace(0.0, 1.0, 401)
        pts = np.stack([self.posed_landmarks(self._build(u, self.default_back)) for u in self.us])
        self.table = self.primary_of(pts)

    @property
    def rest_value(self) -> float:
        return float(self.clip.options.get("rest", self.table[0]))

    def _build(self, u: float, b: str):
        r, B = self.rig, self.layout
        f = other(b)
        s1 = float(smooth(u / self.step))
        # the stepping foot: back along the floor, lifted mid-step, landing on its ball
        ball = self.balls0[b] - self.stride * s1 * self.Fw + self.lift * np.sin(np.pi * s1) * self.U
        rot_b, ankle_b = raised_foot(r, b, B, ball, self.back_pitch * float(smooth(2 * s1 - 1)))
        # the pelvis: back towards the middle of the stance, down all along
        shift = -self.settle * self.stride * s1 * self.Fw - self.depth * float(0.5 - 0.5 * np.cos(np.pi * u)) * self.U
        root = self.root0 + shift
        T = axis_angle(self.Lv, self.lean * u) @ B
        pb = PoseBuilder(r, B)
        pb.set(["root", "pelvis.L", "pelvis.R", *SPINE], T)
        pb.set(list(NECK), B)
        heads = r.fk(pb.build(), root)
        place_leg(pb, r, f, heads[r.bone(f"upperleg01.{f}")], self.ankles0[f], self.Fw, B)
        pb.set(f"foot.{f}", B)
        place_leg(pb, r, b, heads[r.bone(f"upperleg01.{b}")], ankle_b, self.Fw, B)
        pb.set(f"foot.{b}", rot_b)
        pb.set(toe_bones(r, b), B)
        hands_on_hips(pb, r, heads, T, B)
        return pb.build(), root

    def pose(self, cmd: Command):
        u = float(invert_monotonic(self.us, self.table, np.array([cmd.value]))[0])
        b = letter(cmd.side) if cmd.side else self.default_back
        return self._build(u, b)
