"""Base of the supine one-leg exercises (knee to chest, hip flexor stretch, nerve glide).

The person lies flat on the mat (trunk, head and shoulders still). One leg lies straight on
the mat (heel down, knee ~175, foot relaxed); the other -- the *raised* leg -- is posed by
its thigh angle ``phi`` (degrees from the straight-leg line towards the ceiling, in the
sagittal plane) and its knee angle; the hands hold behind the raised thigh (or rest on the
mat beside the body, blending between the two by ``grip``).

Subclasses choose which side is raised, map the schedule value to ``phi``/knee/ankle, and
call ``build``. Measured angles come from the posed skeleton (``formcheck.metrics``), so
subclasses tabulate value <-> pose parameter and invert.
"""

from __future__ import annotations

import numpy as np

from formcheck.metrics import compute_metrics
from tools.synth.exercises.base import Exercise
from tools.synth.exercises.supine_parts import arms_on_mat, lying_root
from tools.synth.posing import (
    FOREARM,
    LEG,
    NECK,
    SHIN,
    SPINE,
    UPPER_ARM,
    PoseBuilder,
    sided,
    supine,
    two_link_ik,
)
from tools.synth.rotations import EZ, aim, axis_angle, unit

UP = (0.0, 0.0, 1.0)


def other(s: str) -> str:
    return "R" if s == "L" else "L"


def letter(side: str) -> str:
    return "L" if side == "left" else "R"


class SupineLeg(Exercise):
    MAT = True

    def __init__(self, rig, clip, floor_z):
        super().__init__(rig, clip, floor_z)
        r = rig
        o = clip.options
        self.layout = B = supine(clip.body_yaw)
        self.left = B[:, 0]
        self.sup = B[:, 2]
        self.inferior = -self.sup
        self.root0 = lying_root(r, B, floor_z)
        self.A0 = r.expand({}, B)
        self.fk0 = r.fk(self.A0, self.root0)
        self.lm0 = r.landmarks(self.A0, self.fk0)
        self.l_thigh = r.length("upperleg01.L", "lowerleg01.L")
        self.l_shin = r.length("lowerleg01.L", "foot.L")
        self.arm_spread = float(o.get("arm_spread", 10.0))
        self.splay = float(o.get("splay", 12.0))  # straight leg's external rotation, degrees
        self.relax = float(o.get("foot_relax", 18.0))  # relaxed plantar flexion of a lying foot, degrees
        V = r.rest_vertices
        self._verts = {}
        for s in ("L", "R"):
            for part in ("upperleg", "lowerleg", "foot", "toe"):
                m = r.bone_verts((f"{part}",)) & (np.sign(V[:, 0]) == (1 if s == "L" else -1))
                self._verts[(s, part)] = np.where(m)[0]
        # the straight leg lying on the mat: thigh elevation psi with the knee at ``knee_straight``,
        # chosen so that the lowest point of the calf / heel rests on the mat
        self.knee_straight = float(o.get("knee_straight", 175.0))
        self.psi = {s: self._rest_psi(s) for s in ("L", "R")}

    # -- geometry -------------------------------------------------------------------
    def hip(self, s: str) -> np.ndarray:
        return self.fk0[self.rig.bone(f"upperleg01.{s}")]

    def thigh_dir(self, s: str, phi: float, abduct: float = 0.0) -> np.ndarray:
        """Unit thigh direction: ``phi`` degrees up from the body's long axis (towards the feet),
        ``abduct`` degrees out to the side."""
        p = np.radians(phi)
        d = np.cos(p) * self.inferior + np.sin(p) * EZ
        sgn = 1 if s == "L" else -1
        return unit(d + np.tan(np.radians(abduct)) * sgn * self.left)

    def shin_dir(self, thigh: np.ndarray, knee_angle: float) -> np.ndarray:
        """The shin for a knee angle (180 = straight), the knee bending the usual way."""
        back = unit(np.cross(self.left, thigh))  # the thigh's posterior side
        a = np.radians(180.0 - knee_angle)
        return unit(np.cos(a) * thigh + np.sin(a) * back)

    def pose_leg(
        self, pb: PoseBuilder, s: str, thigh: np.ndarray, shin: np.ndarray, foot_flex: float = 0.0, twist: float = 0.0
    ) -> None:
        """Thigh and shin along the given directions; the foot at its rest angle to the shin plus
        ``foot_flex`` degrees (+ = toes towards the shin, dorsiflexion); ``twist``: external
        rotation of the leg about its own axis, degrees."""
        _r, B = self.rig, self.layout
        sgn = 1 if s == "L" else -1
        th = pb.aim(sided(LEG, s), f"upperleg01.{s}", f"lowerleg01.{s}", thigh, B, twist=-sgn * twist)
        sh = pb.aim(sided(SHIN, s), f"lowerleg01.{s}", f"foot.{s}", shin, th)
        lateral = unit(np.cross(shin, np.cross(self.left, shin)))  # the person's left, square to the shin
        pb.set(f"foot.{s}", axis_angle(lateral, -foot_flex) @ sh)  # + about the left = plantar flexion

    def straight_leg(self, pb: PoseBuilder, s: str, bend: float = 0.0) -> None:
        """The leg lying straight on the mat; ``bend`` (degrees, 0..) bends the knee with the heel
        sliding on the mat (the thigh lifts)."""
        phi, knee = self._slide(s, self.knee_straight - bend) if bend > 0 else (self.psi[s], self.knee_straight)
        thigh = self.thigh_dir(s, phi, abduct=3.0)
        self.pose_leg(pb, s, thigh, self.shin_dir(thigh, knee), -self.relax, twist=self.splay)

    def _slide(self, s: str, knee: float) -> tuple[float, float]:
        """Thigh angle for a knee angle with the heel where the straight leg's heel rests (its height)."""
        h = self._heel_drop(s)  # hip height above the ankle with the leg lying straight
        best = None
        for phi in np.arange(self.psi[s], 80.0, 0.05):
            t = self.thigh_dir(s, phi)
            a = self.shin_dir(t, knee)
            z = (self.l_thigh * t + self.l_shin * a) @ EZ
            if best is None or abs(z + h) < best[0]:
                best = (abs(z + h), phi)
        return best[1], knee

    def _heel_drop(self, s: str) -> float:
        t = self.thigh_dir(s, self.psi[s])
        a = self.shin_dir(t, self.knee_straight)
        return -float((self.l_thigh * t + self.l_shin * a) @ EZ)

    def _rest_psi(self, s: str) -> float:
        """Straight-leg elevation putting the calf/heel's lowest point on the mat (1 mm in)."""
        lo, hi = -10.0, 20.0
        for _ in range(40):
            mid = (lo + hi) / 2
            if self._leg_low(s, mid) > self.floor_z - 0.001:
                hi = mid
            else:
                lo = mid
        return (lo + hi) / 2

    def _leg_low(self, s: str, phi: float) -> float:
        r = self.rig
        pb = PoseBuilder(r, self.layout)
        thigh = self.thigh_dir(s, phi, abduct=3.0)
        self.pose_leg(pb, s, thigh, self.shin_dir(thigh, self.knee_straight), -self.relax, twist=self.splay)
        A = pb.build()
        heads = r.fk(A, self.root0)
        low = np.inf
        for part, bone in (("lowerleg", "lowerleg02"), ("foot", "foot"), ("toe", "foot")):
            idx = self._verts[(s, part)]
            b = r.bone(f"{bone}.{s}")
            p = heads[b] + (r.rest_vertices[idx] - r.heads[b]) @ A[b].T
            low = min(low, p[:, 2].min())
        return float(low)

    # -- the hands -----------------------------------------------------------------------
    def hold_thigh(
        self, pb: PoseBuilder, heads: np.ndarray, s: str, thigh: np.ndarray, along: float, grip: float = 1.0
    ) -> None:
        """Both hands behind thigh ``s`` at ``along`` (0 = hip, 1 = knee); ``grip`` 0..1 blends from
        the arms lying on the mat (0) to holding (1)."""
        r, B = self.rig, self.layout
        if grip <= 0:
            arms_on_mat(pb, r, B, heads, self.floor_z, self.arm_spread)
            return
        rest = PoseBuilder(r, B)
        arms_on_mat(rest, r, B, heads, self.floor_z, self.arm_spread)
        A_rest = rest.build()
        rest_heads = r.fk(A_rest, self.root0)
        hip = heads[r.bone(f"upperleg01.{s}")]
        back = unit(np.cross(self.left, thigh))
        radius = float(self.clip.options.get("thigh_radius", 0.075))
        centre = hip + along * self.l_thigh * thigh
        for h in ("L", "R"):
            hs = 1 if h == "L" else -1
            sh = heads[r.bone(f"upperarm01.{h}")]
            l1, l2 = r.length(f"upperarm01.{h}", f"lowerarm01.{h}"), r.length(f"lowerarm01.{h}", f"wrist.{h}")
            # wrist beside the thigh on the hand's own side, a little behind; the fingers wrap behind
            side_off = hs * (radius + 0.02) * self.left
            wrist_hold = centre + side_off + 0.45 * radius * back - 0.02 * thigh
            wrist_rest = rest_heads[r.bone(f"wrist.{h}")]
            u = grip * grip * (3 - 2 * grip)
            target = (1 - u) * wrist_rest + u * wrist_hold
            if u < 1:  # lift off the mat on the way (a hand does not slide through the body)
                target = target + 0.12 * np.sin(np.pi * u) * EZ
            pole = unit(hs * self.left * 1.0 - 0.6 * EZ + 0.2 * self.sup)
            elbow, wrist = two_link_ik(sh, target, l1, l2, pole)
            fa = pb.aim(sided(FOREARM, h), f"lowerarm01.{h}", f"wrist.{h}", wrist - elbow, B)
            pb.aim(sided(UPPER_ARM, h), f"upperarm01.{h}", f"lowerarm01.{h}", elbow - sh, B)
            # the hand: fingers pointing behind the thigh and across it, palm towards the thigh
            fingers_hold = unit(0.75 * back - 0.55 * hs * self.left)
            fingers_rest = A_rest[r.bone(f"wrist.{h}")] @ r.vec(f"wrist.{h}", f"finger3-1.{h}")
            fingers = unit((1 - u) * unit(fingers_rest) + u * fingers_hold)
            hr = aim(fa @ r.vec(f"wrist.{h}", f"finger3-1.{h}"), fingers) @ fa
            # roll the palm towards the thigh's axis
            pn = hr @ _palm(r, h)
            to_thigh = centre - wrist
            to_thigh = to_thigh - (to_thigh @ fingers) * fingers
            pn_p = pn - (pn @ fingers) * fingers
            if np.linalg.norm(to_thigh) > 1e-6 and np.linalg.norm(pn_p) > 1e-6:
                ang = np.degrees(np.arctan2(np.cross(pn_p, to_thigh) @ fingers, pn_p @ to_thigh))
                hr = axis_angle(fingers, u * ang) @ hr
            pb.set(f"wrist.{h}", hr)

    # -- whole pose ------------------------------------------------------------------------
    def trunk(self) -> PoseBuilder:
        pb = PoseBuilder(self.rig, self.layout)
        pb.set(["root", "pelvis.L", "pelvis.R", *SPINE], self.layout)
        pb.set(list(NECK), self.layout)
        return pb

    def hip_angle_table(self, s: str, side: str, phis: np.ndarray, metric_set: str, name: str) -> np.ndarray:
        """The measured ``name`` (a hip angle of ``metric_set``) with the raised thigh ``s`` at each ``phi``."""
        pts = np.repeat(self.lm0[None], len(phis), 0)
        kl = 25 if s == "L" else 26
        pts[:, kl] = self.hip(s) + self.l_thigh * np.stack([self.thigh_dir(s, p) for p in phis])
        return compute_metrics(metric_set, pts, side, up=UP)[name]


def _palm(rig, h: str) -> np.ndarray:
    from tools.synth.posing import palm_normal

    n = palm_normal(rig, h)
    # make it point out of the palm (towards the fingers' flexion side): in the rest A-pose the
    # palms face the thighs (medially)
    return n if n[0] * (1 if h == "L" else -1) < 0 else -n
