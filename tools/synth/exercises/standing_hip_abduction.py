"""Standing hip abduction (examples/exercises/standing_hip_abduction.toml), seen from the front:
standing tall, hands on the hips; the working leg, knee straight and toes forward, swings out to
the side about the hip and comes back.

Value = ``leg_out`` (the working leg's ankle-to-hip line from vertical). The pelvis and the
standing leg stay still (no hip hike, no trunk lean); the working leg stays straight (knee
``knee``) and the foot turns with it. The abduction angle is tabulated against the measured
``leg_out`` and inverted; the rest value is the standing leg's own. The working leg is ``side``,
else ``working_side`` (the user leaves --side to auto), per segment ``side`` when given.

clip.options: ``knee`` (knee angle of both legs, default 178); ``feet_width`` (each ankle from the
midline, default: under the hip joint).
"""

from __future__ import annotations

import numpy as np

from tools.synth.exercises.base import Command, Exercise
from tools.synth.exercises.upright import (
    frame_of,
    hands_on_hips,
    knee_distance,
    letter,
    place_leg,
    sgn,
    standing_root,
)
from tools.synth.posing import PoseBuilder, invert_monotonic, standing
from tools.synth.rotations import aim, unit


class StandingHipAbduction(Exercise):
    ID = "standing_hip_abduction"
    EXERCISE_FILE = "examples/exercises/standing_hip_abduction.toml"
    REST = 0.0  # replaced by the standing leg's measured value (rest_value)
    TARGET = 30.0  # a full lift
    MAT = False

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        self.layout = B = standing(clip.body_yaw)
        self.Lv, self.Fw, self.U = frame_of(B)
        knee = float(clip.options.get("knee", 178.0))
        # feet under the hips (hip-width apart): the standing leg's line is vertical
        width = float(clip.options.get("feet_width", abs(rig.head("upperleg01.L")[0])))
        self.root, self.ankles = standing_root(rig, B, floor_z, knee, width)
        self.reach = knee_distance(
            rig.length("upperleg01.L", "lowerleg01.L"), rig.length("lowerleg01.L", "foot.L"), knee
        )
        self.working = letter(clip.measured_side)
        self.angles = np.arange(0.0, 50.01, 0.25)
        pts = np.stack([self.posed_landmarks(self._build(a, self.working)) for a in self.angles])
        self.table = self.primary_of(pts)

    @property
    def rest_value(self) -> float:
        return float(self.clip.options.get("rest", self.table[0]))

    def _build(self, angle: float, w: str):
        r, B = self.rig, self.layout
        pb = PoseBuilder(r, B)
        heads = r.fk(pb.build(), self.root)
        for s in "LR":
            hip = heads[r.bone(f"upperleg01.{s}")]
            if s != w or angle <= 0.0:
                place_leg(pb, r, s, hip, self.ankles[s], self.Fw, B)
                pb.set(f"foot.{s}", B)
                continue
            # the standing direction of this leg, turned out by ``angle`` in the frontal plane
            down = unit(self.ankles[s] - hip)
            c, d = np.cos(np.radians(angle)), np.sin(np.radians(angle))
            out = sgn(s) * self.Lv
            out = unit(out - (out @ down) * down)
            direction = c * down + d * out
            place_leg(pb, r, s, hip, hip + self.reach * direction, self.Fw, B)
            pb.set(f"foot.{s}", aim(down, direction) @ B)
        hands_on_hips(pb, r, heads, B, B)
        return pb.build(), self.root

    def pose(self, cmd: Command):
        angle = float(invert_monotonic(self.angles, self.table, np.array([cmd.value]))[0])
        w = letter(cmd.side) if cmd.side else self.working
        return self._build(angle, w)
