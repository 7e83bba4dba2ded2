"""Calf stretch at a wall: facing a wall, hands flat on it, one leg straight behind with the
heel down, the other bent in front; lean into the wall.

Value = ``body_lean`` (the line from the back ankle to the shoulders from vertical, + =
towards the wall), the metric formcheck's calf_stretch spec judges the hold on. The pose
is one parameter ``s`` (0 = upright staggered stance, 1 = full lean): the straight back leg
tilts forward about its planted ankle, the trunk leans a little more than the leg (slight
hip flexion), the front knee bends by 2-link IK with its foot planted, the hands stay
pressed on the wall (elbows bend as the body comes closer). ``s`` is tabulated against the
measured lean and inverted per frame. ``side`` = the stretched (back) leg.

The wall: an extra wall through the palms, facing the person (``scene_items``); the
engine's own wall stays behind the subject.

Form breaks:
- ``heel_lifted``: the back heel rises (foot pitch ``heel_pitch`` deg x amount, default 28)
  about the ball of the foot, toes flat; the straight back leg and the body ride up with it.
- ``back_knee_bent``: the back knee bends to ``bent_knee`` deg (default 150) x amount.

A leading ``enter(empty, walk, settle)`` segment (``spec.enter``) makes the person walk in
towards the wall: walking already (out of view) for about ``empty`` s, in view for about
``walk`` s (the last step lands then, in the staggered stance), then ``settle`` s to put the
hands on the wall and lean into the rest stance. The camera frames only the frames after it.

clip.options:
- ``lean_rest_deg`` / ``lean_full_deg``: back-leg tilt at s=0 is solved so the front knee is
  ``front_knee_rest`` (174); at s=1 the back leg tilts ``leg_tilt_full`` (22) and the trunk
  ``trunk_full`` (34) deg; the front foot is planted where the front knee is ``front_knee_full``
  (140) at s=1.
- ``stance_width``: lateral distance of each ankle from the midline (0.10 m).
- ``hand_height``: wrists above the s=1 shoulders (0.04 m); ``hand_spread`` (0.24 m from the midline).
- walk-in: ``step_len`` (0.55 m), ``step_time`` (0.55 s). Whether the person is out of view for
  ``empty`` s depends on the camera: walking ``walk`` s at step_len/step_time m/s should cover
  about the camera's half-width (check ``person_in_frame`` in the truth).
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics import compute_metrics
from tools.synth.exercises.base import Command, Exercise
from tools.synth.exercises.upright import (
    Gait,
    arm_lengths,
    ball_of_foot,
    facing_wall,
    frame_of,
    hand_extent,
    hand_rotation,
    knee_distance,
    letter,
    other,
    place_arm,
    place_leg,
    sgn,
    smooth,
    toe_bones,
)
from tools.synth.posing import NECK, SPINE, PoseBuilder, invert_monotonic, standing
from tools.synth.rotations import axis_angle, unit

UP = (0.0, 0.0, 1.0)


class CalfStretch(Exercise):
    ID = "calf_stretch"
    REST = 20.0  # replaced by the measured lean of the rest stance
    TARGET = 30.0
    MAT = False
    FAULTS = ("heel_lifted", "back_knee_bent")

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r, o = rig, clip.options
        self.layout = B = standing(clip.body_yaw)
        self.Lv, self.Fw, self.U = frame_of(B)
        self.back = letter(clip.side or clip.near_side or "left")
        self.front = other(self.back)
        self.l1 = r.length(f"upperleg01.{self.back}", f"lowerleg01.{self.back}")
        self.l2 = r.length(f"lowerleg01.{self.back}", f"foot.{self.back}")
        self.ankle_z = floor_z + r.head(f"foot.{self.back}")[2]
        self.v_hip = {s: r.vec("root", f"upperleg01.{s}") for s in "LR"}
        self.width = float(o.get("stance_width", 0.10))
        self.back_knee = 177.0
        self.theta1 = float(o.get("leg_tilt_full", 28.0))
        self.phi1 = float(o.get("trunk_full", 33.0))
        self.phi0 = float(o.get("trunk_rest", 18.0))
        # the ball of the back foot (heel lift pivot), relative to the ankle in the rest frame
        self.ball_rel = ball_of_foot(r, self.back) - r.head(f"foot.{self.back}")
        # back ankle at the origin of the stance (along Fw), its own lateral offset
        self.Ab = sgn(self.back) * self.width * self.Lv + self.ankle_z * self.U
        # front foot: planted so that the front knee is front_knee_full at s=1
        hf1 = self._trunk(self.theta1, self.phi1, self.Ab)[1][r.bone(f"upperleg01.{self.front}")]
        d = knee_distance(self.l1, self.l2, float(o.get("front_knee_full", 140.0)))
        dz = hf1[2] - self.ankle_z
        ahead = np.sqrt(max(d * d - dz * dz, 1e-6))
        self.Af = (hf1 @ self.Fw + ahead) * self.Fw + sgn(self.front) * self.width * self.Lv + self.ankle_z * self.U
        # rest: tilt the back leg back until the front knee is front_knee_rest
        want = float(o.get("front_knee_rest", 174.0))
        best = None
        for th in np.arange(-5.0, self.theta1, 0.05):
            hf = self._trunk(th, self.phi0, self.Ab)[1][r.bone(f"upperleg01.{self.front}")]
            dist = np.linalg.norm(self.Af - hf)
            if dist >= 0.999 * (self.l1 + self.l2):
                continue
            k = np.degrees(np.arccos(np.clip((self.l1**2 + self.l2**2 - dist**2) / (2 * self.l1 * self.l2), -1, 1)))
            if best is None or abs(k - want) < best[0]:
                best = (abs(k - want), th)
        self.theta0 = best[1]
        # the hands: on the wall, at the s=1 shoulders' height + hand_height, elbows reach
        _, heads, _ = self._trunk(self.theta1, self.phi1, self.Ab)
        sh1 = {s: heads[r.bone(f"upperarm01.{s}")] for s in "LR"}
        _, heads0, _ = self._trunk(self.theta0, self.phi0, self.Ab)
        sh0 = {s: heads0[r.bone(f"upperarm01.{s}")] for s in "LR"}
        la, lf = arm_lengths(r, self.back)
        spread = float(o.get("hand_spread", 0.24))
        z_w = np.mean([sh1[s][2] for s in "LR"]) + float(o.get("hand_height", 0.20))
        # wall distance: arms nearly straight (reach 0.95) at rest
        reach0 = float(o.get("reach_rest", 0.985)) * (la + lf)
        fw0 = []
        for s in "LR":
            w_lat = sgn(s) * spread
            dl = w_lat - sh0[s] @ self.Lv
            dz = z_w - sh0[s][2]
            fw0.append(sh0[s] @ self.Fw + np.sqrt(max(reach0**2 - dl**2 - dz**2, 1e-6)))
        x_wrist = float(np.mean(fw0))
        self.wrists = {s: x_wrist * self.Fw + sgn(s) * spread * self.Lv + z_w * self.U for s in "LR"}
        self.hand_rot = {s: hand_rotation(r, s, self.U + 0.25 * sgn(s) * self.Lv, self.Fw) for s in "LR"}
        self.wall_x = x_wrist + np.mean([hand_extent(r, s, self.hand_rot[s], self.Fw) for s in "LR"]) + 0.003
        # table s -> measured body lean (and the rest value)
        self.ss = np.linspace(-0.4, 1.0, 281)
        pts = np.stack([self.posed_landmarks(self._build(s)) for s in self.ss])
        self.table = compute_metrics("calf_stretch", pts, self.measured_side, up=UP)["body_lean"]
        self.REST = float(np.round(np.interp(0.0, self.ss, self.table), 2))
        self.gait = self._plan_walk()

    @property
    def measured_side(self) -> str:
        return self.clip.measured_side

    # -- geometry -------------------------------------------------------------------
    def _trunk(self, theta: float, phi: float, ankle: np.ndarray, knee: float | None = None):
        """Trunk rotation, FK heads, root for a back-leg tilt theta and trunk lean phi."""
        r = self.rig
        T = axis_angle(self.Lv, phi) @ self.layout
        ell = knee_distance(self.l1, self.l2, knee or self.back_knee)
        hip_lat = sgn(self.back) * abs(self.v_hip[self.back] @ np.array([1.0, 0, 0]))
        dl = hip_lat - ankle @ self.Lv
        sag = np.sqrt(max(ell * ell - dl * dl, 1e-6))
        th = np.radians(theta)
        hip = ankle + dl * self.Lv + sag * (np.cos(th) * self.U + np.sin(th) * self.Fw)
        root = hip - T @ self.v_hip[self.back]
        A = r.expand({}, T)
        return T, r.fk(A, root), root

    def _build(self, s: float, heel: float = 0.0, knee_bend: float = 0.0, tilt_extra: float = 0.0):
        """Pose for lean parameter s; heel: back heel pitch (deg); knee_bend: back knee flexion (deg);
        tilt_extra: extra forward tilt of the back leg (deg)."""
        r, B = self.rig, self.layout
        theta = self.theta0 + s * (self.theta1 - self.theta0) + tilt_extra
        phi = self.phi0 + s * (self.phi1 - self.phi0)
        foot_rot = axis_angle(self.Lv, heel) @ B
        ball = self.Ab + B @ self.ball_rel
        ankle = ball - foot_rot @ self.ball_rel
        T, heads, root = self._trunk(theta, phi, ankle, self.back_knee - knee_bend)
        pb = PoseBuilder(r, T)
        pb.set(["root", "pelvis.L", "pelvis.R", *SPINE], T)
        pb.set(list(NECK), axis_angle(self.Lv, 0.35 * phi) @ B)
        b, f = self.back, self.front
        place_leg(pb, r, b, heads[r.bone(f"upperleg01.{b}")], ankle, self.Fw, B)
        pb.set(f"foot.{b}", foot_rot)
        pb.set(toe_bones(r, b), B)
        place_leg(pb, r, f, heads[r.bone(f"upperleg01.{f}")], self.Af, self.Fw + 0.15 * sgn(f) * self.Lv, B)
        pb.set(f"foot.{f}", B)
        self._arms(pb, heads, 1.0)
        return pb.build(), root

    def _arms(self, pb: PoseBuilder, heads: np.ndarray, on_wall: float, swing: dict | None = None):
        r, B = self.rig, self.layout
        for s in "LR":
            sh = heads[r.bone(f"upperarm01.{s}")]
            la, lf = arm_lengths(r, s)
            out = sgn(s) * self.Lv
            # hanging: slightly abducted, a little elbow bend, swinging (walk)
            sw = 0.0 if swing is None else swing[s]
            hang_dir = unit(-self.U + 0.12 * out + np.radians(25.0) * sw * self.Fw)
            elbow_h = sh + la * hang_dir
            fore_dir = unit(hang_dir + 0.35 * self.Fw)
            wrist_h = elbow_h + lf * fore_dir
            if on_wall >= 1.0:
                target, pole = self.wrists[s], -self.U + 0.9 * out - 0.2 * self.Fw
            else:
                u = smooth(on_wall)
                # an arc: forward then onto the wall
                target = (1 - u) * wrist_h + u * self.wrists[s] + np.sin(np.pi * u) * 0.10 * self.Fw
                pole = unit((1 - u) * (-self.Fw - 0.3 * self.U + 0.2 * out) + u * (-self.U + 0.9 * out - 0.2 * self.Fw))
            elbow, wrist, _fa = place_arm(pb, r, s, sh, target, pole, B)
            if on_wall >= 1.0:
                pb.set(f"wrist.{s}", self.hand_rot[s])
            else:
                relaxed = hand_rotation(r, s, wrist - elbow, -out + 0.3 * self.Fw)
                pb.set(f"wrist.{s}", _slerp(relaxed, self.hand_rot[s], smooth(on_wall)))

    # -- walking in --------------------------------------------------------------------
    def _enter(self):
        t0 = 0.0
        for seg in self.clip.schedule:
            if seg.kind == "enter":
                return t0, seg
            t0 += seg.duration
        return None

    def _plan_walk(self):
        e = self._enter()
        if e is None:
            return None
        t0, seg = e
        o = self.clip.options
        step_len, step_time = float(o.get("step_len", 0.55)), float(o.get("step_time", 0.55))
        t_land = t0 + seg.up + seg.top  # empty + walk: the last foot lands
        walk_s = t_land - t0
        n = max(2, int(np.ceil(walk_s / step_time)) + 1)
        final = {self.back: float(self.Ab @ self.Fw), self.front: float(self.Af @ self.Fw)}
        return Gait(final, self.front, t_land, n, step_len, step_time)

    def _walk(self, t: float):
        """Pose while walking in (before the stance is reached) and settling into the rest stance."""
        r, B, g = self.rig, self.layout, self.gait
        _e_t0, seg = self._enter()
        t_land, settle = g.t_end, seg.down
        hips_mid = 0.5 * (self.v_hip["L"] + self.v_hip["R"])
        stand_z = r.head("root")[2] + self.floor_z
        step_time = g.steps[-1].t1 - g.steps[-2].t1
        bob = 0.012 * np.cos(2 * np.pi * (t - t_land) / step_time)  # lowest when both feet are down
        walk_root = g.pelvis(t) * self.Fw - B @ hips_mid + (stand_z - 0.045 + bob) * self.U
        walk_root -= (walk_root @ self.Lv) * self.Lv
        # settle: from just before the last landing, glide into the rest stance
        u = smooth((t - (t_land - 0.2)) / (settle + 0.2))
        phi = u * self.phi0
        theta = self.theta0
        T = axis_angle(self.Lv, phi) @ B
        rest_root = self._trunk(theta, self.phi0, self.Ab)[2]
        root = (1 - u) * walk_root + u * rest_root
        heads = r.fk(r.expand({}, T), root)
        pb = PoseBuilder(r, T)
        pb.set(["root", "pelvis.L", "pelvis.R", *SPINE], T)
        pb.set(list(NECK), axis_angle(self.Lv, 0.35 * phi) @ B)
        swing = {}
        for s in "LR":
            fx, lift, pitch = g.foot(s, t)
            final = self.Ab if s == self.back else self.Af
            flat = fx * self.Fw + (final @ self.Lv) * self.Lv + self.ankle_z * self.U
            foot_rot = axis_angle(self.Lv, pitch) @ B
            ball = flat + B @ self.ball_rel
            ankle = ball - foot_rot @ self.ball_rel + lift * self.U
            place_leg(pb, r, s, heads[r.bone(f"upperleg01.{s}")], ankle, self.Fw + 0.1 * sgn(s) * self.Lv, B)
            pb.set(f"foot.{s}", foot_rot)
            if pitch > 0:
                pb.set(toe_bones(r, s), B if lift == 0 else axis_angle(self.Lv, 0.5 * pitch) @ B)
            swing[s] = -g.swing_phase(s, t)
        arms_u = float(np.clip((t - (t_land - 0.45)) / (settle + 0.45), 0.0, 1.0))
        swing = {s: v * (1 - smooth(2 * arms_u)) for s, v in swing.items()}
        self._arms(pb, heads, arms_u, swing)
        return pb.build(), root

    # -- per frame ---------------------------------------------------------------------------
    def scene_items(self, view) -> list:
        wall = self.clip.lighting.wall
        return facing_wall(view, self.wall_x * self.Fw, -self.Fw, wall)

    def framing_points(self, landmarks: np.ndarray, t: np.ndarray) -> np.ndarray:
        e = self._enter()
        if e is None:
            return landmarks
        t0, seg = e
        return landmarks[t >= t0 + seg.duration - 1e-9]

    def pose(self, cmd: Command):
        e = self._enter()
        if e is not None:
            t0, seg = e
            if t0 - 1e-9 <= cmd.t < t0 + seg.duration - 1e-9:
                return self._walk(cmd.t)
        s = float(invert_monotonic(self.ss, self.table, np.array([cmd.value]))[0])
        heel = knee = tilt = 0.0
        if cmd.fault == "heel_lifted":
            heel = float(self.clip.options.get("heel_pitch", 28.0)) * cmd.amount
            tilt = 3.5 * cmd.amount  # the body drops forward a little as the heel gives
        elif cmd.fault == "back_knee_bent":
            knee = (self.back_knee - float(self.clip.options.get("bent_knee", 150.0))) * cmd.amount
        return self._build(s, heel=heel, knee_bend=knee, tilt_extra=tilt)


def _slerp(R0: np.ndarray, R1: np.ndarray, u: float) -> np.ndarray:
    """Rotation between R0 (u=0) and R1 (u=1) along the shortest arc."""
    D = R1 @ R0.T
    c = np.clip((np.trace(D) - 1) / 2, -1.0, 1.0)
    ang = np.degrees(np.arccos(c))
    if ang < 1e-6:
        return R0
    axis = np.array([D[2, 1] - D[1, 2], D[0, 2] - D[2, 0], D[1, 0] - D[0, 1]])
    if np.linalg.norm(axis) < 1e-9:
        return R1
    return axis_angle(axis, u * ang) @ R0
