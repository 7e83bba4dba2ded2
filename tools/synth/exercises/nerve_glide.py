"""Supine sciatic nerve glide (seed 004): lying, the affected thigh held up with both hands
behind it (hip ~90, still); the knee straightens while the toes pull towards the head, then
relaxes; smooth reps, no hold. ``side`` = the affected (working) leg; the other leg lies
straight on the mat.

Value = ``knee_angle`` (hip-knee-ankle of the working leg, formcheck.metrics), set directly:
the shin is turned from the thigh by 180 - value degrees (the landmarks are the joint
centres, so the measured angle is the value exactly). The ankle follows the knee: its
knee-ankle-toe angle goes from ``ankle_rest`` (relaxed) to ``ankle_full`` (dorsiflexed) as the
knee goes from the rest value to ``TARGET`` (tabulated foot rotation -> measured angle,
inverted).

clip.options:
- ``rest``: relaxed knee angle (default 90);
- ``hip``: the held hip angle (shoulder-hip-knee, default 90);
- ``ankle_rest`` / ``ankle_full``: knee-ankle-toe angle relaxed / at full extension (106 / 78);
- ``along``: where the hands hold behind the thigh, 0 = hip, 1 = knee (0.62);
- ``splay``, ``foot_relax``, ``knee_straight``, ``arm_spread``: see ``supine_pull``.
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics import compute_metrics
from tools.synth.exercises.base import Command
from tools.synth.exercises.supine_pull import UP, SupineLeg, letter, other
from tools.synth.posing import invert_monotonic


class NerveGlide(SupineLeg):
    ID = "nerve_glide"
    REST = 90.0
    TARGET = 162.0
    FAULTS = ()

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        o = clip.options
        self.hip_target = float(o.get("hip", 90.0))
        self.ankle_rest = float(o.get("ankle_rest", 106.0))
        self.ankle_full = float(o.get("ankle_full", 78.0))
        self.along = float(o.get("along", 0.62))
        s = letter(clip.side)
        side = "left" if s == "L" else "right"
        phis = np.arange(40.0, 140.0, 0.05)
        table = self.hip_angle_table(s, side, phis, "nerve_glide", "hip_angle")
        self.phi = float(invert_monotonic(phis, table, np.array([self.hip_target]))[0])
        # foot rotation (degrees of dorsiflexion from the rest foot) -> measured knee-ankle-toe angle
        self.flex = np.arange(-45.0, 45.0, 0.25)
        pts = np.stack([self._landmarks(s, self.rest_value, f) for f in self.flex])
        self.ankle_table = compute_metrics("nerve_glide", pts, side, up=UP)["ankle_angle"]

    def ankle_for(self, knee: float) -> float:
        u = np.clip((knee - self.rest_value) / (self.TARGET - self.rest_value), 0.0, 1.0)
        return float(self.ankle_rest + (self.ankle_full - self.ankle_rest) * u)

    def build(self, s: str, knee: float, flex: float):
        pb = self.trunk()
        thigh = self.thigh_dir(s, self.phi, abduct=2.0)
        self.pose_leg(pb, s, thigh, self.shin_dir(thigh, knee), flex)
        self.straight_leg(pb, other(s))
        A = pb.build()
        heads = self.rig.fk(A, self.root0)
        self.hold_thigh(pb, heads, s, thigh, self.along, 1.0)
        return pb.build(), self.root0.copy()

    def _landmarks(self, s: str, knee: float, flex: float) -> np.ndarray:
        A, root = self.build(s, knee, flex)
        return self.rig.landmarks(A, self.rig.fk(A, root))

    def pose(self, cmd: Command):
        s = letter(cmd.side or self.clip.side)
        knee = float(cmd.value)
        flex = float(invert_monotonic(self.flex, self.ankle_table, np.array([self.ankle_for(knee)]))[0])
        return self.build(s, knee, flex)
