"""Single knee to chest (seed 004): lying, legs straight; one knee is pulled towards the chest
(hands behind the knee) and held; the other leg stays straight on the mat. ``side`` = the
pulled leg.

Value = ``pulled_hip_angle`` (shoulder-hip-knee of the pulled leg, formcheck.metrics): ~178
lying straight, ~50 with the knee at the chest. The pulled thigh's angle ``phi`` (degrees up
from the straight-leg line) is tabulated against the measured angle and inverted. On the way
up the heel first slides along the mat (the knee bends to ~``hook`` with the foot down), then
the foot lifts and the knee keeps bending towards ``knee_end`` at the target; the hands leave
the mat and take hold behind the knee as the thigh passes ~70-105 degrees (they cannot reach
it earlier), so a weak attempt that stops near hip 100 has the hands only reaching.

clip.options:
- ``knee_end``: knee angle of the pulled leg at the target (default 62);
- ``hook``: knee angle when the foot leaves the mat (88);
- ``along``: where the hands hold, 0 = hip, 1 = knee (0.88, "behind the knee");
- ``splay``, ``foot_relax``, ``knee_straight``, ``arm_spread``: see ``supine_pull``.
"""

from __future__ import annotations

import numpy as np

from tools.synth.exercises.base import Command
from tools.synth.exercises.supine_pull import SupineLeg, letter, other
from tools.synth.posing import invert_monotonic
from tools.synth.rotations import EZ, unit


class KneeToChest(SupineLeg):
    ID = "knee_to_chest"
    REST = 178.0
    TARGET = 52.0
    FAULTS = ("other_leg_bent",)
    KNEE_END = 62.0
    ALONG = 0.88
    GRIP = (70.0, 105.0)  # thigh angles over which the hands go from the mat to the thigh

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        o = clip.options
        self.knee_end = float(o.get("knee_end", self.KNEE_END))
        self.hook = float(o.get("hook", 88.0))
        self.along = float(o.get("along", self.ALONG))
        self.phis = np.arange(0.0, 150.0, 0.1)
        self.tables = {}
        for s in ("L", "R"):
            side, mset, name = self.metric_side(s)
            self.tables[s] = self.hip_angle_table(s, side, self.phis, mset, name)
        s0 = self.pulled(None)
        self._rest = float(np.interp(self.psi[s0], self.phis, self.tables[s0]))
        # where the foot leaves the mat
        self.phi_hook = {s: self._slide(s, self.hook)[0] for s in ("L", "R")}
        self.phi_end = {s: self.phi_for(s, self.TARGET) for s in ("L", "R")}

    @property
    def rest_value(self) -> float:
        return self._rest

    # -- roles ---------------------------------------------------------------------
    def pulled(self, side: str | None) -> str:
        return letter(side or self.clip.side)

    def metric_side(self, s: str) -> tuple[str, str, str]:
        """(side argument, metric set, metric name) measuring the hip of raised leg ``s``."""
        return ("left" if s == "L" else "right"), "knee_to_chest", "pulled_hip_angle"

    def phi_for(self, s: str, value: float) -> float:
        return float(invert_monotonic(self.phis, self.tables[s], np.array([value]))[0])

    # -- the pulled leg --------------------------------------------------------------
    def slide_knee(self, s: str, phi: float) -> float:
        """Knee angle with the heel on the mat (at the straight leg's ankle height) for thigh ``phi``."""
        t = self.thigh_dir(s, phi)
        drop = self._heel_drop(s)
        az = np.clip((-drop - self.l_thigh * (t @ EZ)) / self.l_shin, -1.0, 1.0)
        a = np.sqrt(1 - az * az) * self.inferior + az * EZ
        return float(np.degrees(np.arccos(np.clip(-t @ a, -1.0, 1.0))))

    def raised_knee(self, s: str, phi: float) -> float:
        if phi <= self.phi_hook[s]:
            return self.slide_knee(s, phi)
        u = np.clip((phi - self.phi_hook[s]) / max(self.phi_end[s] - self.phi_hook[s], 1e-6), 0.0, 1.3)
        return float(self.hook + (self.knee_end - self.hook) * u)

    def grip(self, phi: float) -> float:
        g0, g1 = self.GRIP
        return float(np.clip((phi - g0) / (g1 - g0), 0.0, 1.0))

    def build(self, s: str, phi: float, other_bend: float = 0.0):
        pb = self.trunk()
        phi = max(phi, self.psi[s])
        if phi <= self.psi[s] + 1e-6:
            self.straight_leg(pb, s)
            thigh = self.thigh_dir(s, phi, abduct=3.0)
        else:
            thigh = self.thigh_dir(s, phi, abduct=3.0 * max(0.0, 1 - (phi - self.psi[s]) / 30) + 2.0)
            knee = self.raised_knee(s, phi)
            lift = np.clip((phi - self.phi_hook[s]) / 20.0, 0.0, 1.0)
            self.pose_leg(
                pb,
                s,
                thigh,
                self.shin_dir(thigh, knee),
                -self.relax * (1 - 0.5 * lift),
                twist=self.splay * max(0.0, 1 - (phi - self.psi[s]) / 40),
            )
        self.straight_leg(pb, other(s), bend=other_bend)
        A = pb.build()
        heads = self.rig.fk(A, self.root0)
        self.hold_thigh(pb, heads, s, unit(thigh), self.along, self.grip(phi))
        return pb.build(), self.root0.copy()

    def pose(self, cmd: Command):
        s = self.pulled(cmd.side)
        bend = 40.0 * cmd.amount if cmd.fault in self.FAULTS else 0.0
        return self.build(s, self.phi_for(s, cmd.value), other_bend=bend)
