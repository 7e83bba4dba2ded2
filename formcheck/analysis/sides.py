"""Which side of the body faces the camera, and which leg is doing the work.

Pose models confuse left and right in side views, sometimes for a single frame,
sometimes for a whole clip. The geometry of a bent knee does not: a knee only
bends backwards, so the turn from thigh to shank in the image says which side
of the body the camera sees, whatever the model's labels. ``SideResolver``
accumulates that evidence over time and relabels frames whose depth ordering
contradicts it. ``WorkingSideChooser`` picks the working leg of a one-sided
exercise when the user said ``--side auto``.
"""

from __future__ import annotations

import math

from formcheck.landmarks import LEFT_RIGHT_SWAP, PoseFrame, sided

# Sum over both legs of sin(thigh->shank turn): 0.15 is about one knee bent by
# 10 degrees, below which the knees say nothing about the view direction.
KNEE_EVIDENCE_MIN = 0.15
# Depth gap (metres, world landmarks) between the left and right body halves
# that is trusted as "this half is nearer"; hips are ~0.3 m apart side-on.
SWAP_DEPTH_MARGIN_M = 0.05
_DEPTH_JOINTS = ("shoulder", "hip", "knee", "ankle")

_KNEE_TURN_JOINTS = [sided(s, j) for s in ("left", "right") for j in ("hip", "knee", "ankle")]
_LEFT_DEPTH = [sided("left", j) for j in _DEPTH_JOINTS]
_RIGHT_DEPTH = [sided("right", j) for j in _DEPTH_JOINTS]


def knee_turn(pose: PoseFrame) -> float:
    """Sum over legs of sin(thigh->shank turn) in the image; sign = view direction."""
    rows = pose.image[_KNEE_TURN_JOINTS, :2].tolist()  # six points: floats beat NumPy calls
    total = 0.0
    for (hx, hy), (kx, ky), (ax, ay) in (rows[0:3], rows[3:6]):
        ux, uy, vx, vy = hx - kx, hy - ky, ax - kx, ay - ky
        nu, nv = math.hypot(ux, uy), math.hypot(vx, vy)
        if nu > 0 and nv > 0 and math.isfinite(nu + nv):
            total += (ux * vy - uy * vx) / (nu * nv)
    return total


def depth_gap(pose: PoseFrame) -> float:
    """Mean world depth of the left half minus the right half (> 0: left is farther)."""
    diff = (pose.world[_LEFT_DEPTH, 2] - pose.world[_RIGHT_DEPTH, 2]).tolist()
    known = [d for d in diff if math.isfinite(d)]
    return sum(known) / len(known) if known else math.nan


def swap_labels(pose: PoseFrame) -> PoseFrame:
    idx = list(LEFT_RIGHT_SWAP)
    image = pose.image[idx]
    world = pose.world[idx]
    return PoseFrame(
        index=pose.index,
        t_ms=pose.t_ms,
        image=image,
        world=world,
        visibility=pose.visibility[idx],
        width=pose.width,
        height=pose.height,
    )


# Facing the camera, the person's left is on the image's right (camera frames
# are analysed as recorded, never mirrored). A front-view exercise tells the
# person to face the camera, yet on a square-on body the pose model cannot
# always tell front from back: it flips between the two readings from one frame
# to the next (on a rendered side bend, 4 frames in 10, most often at rest),
# taking every left/right label and its depth with it. Turning round takes a
# person a second, not a frame, and the instruction says which way they face,
# so a front view's labels are set by the image: the shoulder and hip lines
# (summed, as the body axes are) must run from the right labels to the left
# ones towards the image's right. A frame whose lines run the other way is
# relabelled, before smoothing blends the two readings (blended, both shoulders
# meet in the middle and the view check reads "Face the camera").
_LR_LINE = [sided(s, j) for s in ("left", "right") for j in ("shoulder", "hip")]


def facing_camera_labels(pose: PoseFrame) -> PoseFrame:
    """``pose`` with left/right labels as a person facing the camera has them."""
    if not pose.detected:
        return pose
    (lsx, _), (lhx, _), (rsx, _), (rhx, _) = pose.image[_LR_LINE, :2].tolist()
    towards_left = (lsx - rsx) + (lhx - rhx)  # NaN compares False: unknown lines are left alone
    return swap_labels(pose) if towards_left < 0 else pose


class SideResolver:
    """Time-averaged view direction for side views, and per-frame label repair."""

    def __init__(self, tau_s: float = 2.0) -> None:
        self.tau_s = tau_s
        self.reset()

    def reset(self) -> None:
        self._knee_vote = 0.0
        self._depth_vote = 0.0
        self._last_t = math.nan
        self.swapped_frames = 0
        self._gap_of: tuple[PoseFrame | None, float] = (None, math.nan)

    def update(self, pose: PoseFrame) -> None:
        """Feed a raw (unsmoothed) pose; labels do not matter to the knee evidence."""
        if not pose.detected:
            return
        t = pose.t_ms / 1000.0
        dt = t - self._last_t if math.isfinite(self._last_t) else self.tau_s
        self._last_t = t
        k = math.exp(-max(dt, 0.0) / self.tau_s)
        self._knee_vote = k * self._knee_vote + (1 - k) * knee_turn(pose)
        gap = depth_gap(pose)
        self._gap_of = (pose, gap)  # repair() is asked about the same pose next
        if math.isfinite(gap):
            self._depth_vote = k * self._depth_vote + (1 - k) * (1.0 if gap > 0 else -1.0 if gap < 0 else 0.0)

    @property
    def knees_say(self) -> bool:
        return abs(self._knee_vote) > KNEE_EVIDENCE_MIN

    @property
    def lateral_z(self) -> float:
        """+1 when the person's left points away from the camera (right side near).

        In image coordinates (y down, z away from the camera) a knee flexed the
        anatomical way turns clockwise-positive about the person's left axis; see
        formcheck.metrics for the convention.
        """
        if self.knees_say:
            return -1.0 if self._knee_vote > 0 else 1.0
        return 1.0 if self._depth_vote >= 0 else -1.0

    @property
    def near_side(self) -> str:
        return "right" if self.lateral_z > 0 else "left"

    def repair(self, pose: PoseFrame) -> PoseFrame:
        """Swap left/right labels when this frame's depth contradicts the knees."""
        if not pose.detected or not self.knees_say:
            return pose
        gap = self._gap_of[1] if self._gap_of[0] is pose else depth_gap(pose)
        if not math.isfinite(gap):
            return pose
        left_near = self.near_side == "left"
        if (left_near and gap > SWAP_DEPTH_MARGIN_M) or (not left_near and gap < -SWAP_DEPTH_MARGIN_M):
            self.swapped_frames += 1
            return swap_labels(pose)
        return pose


# Which half faces the camera, outside side views: each frame votes with the
# difference in mean landmark visibility of the two halves (MediaPipe scores a
# self-occluded landmark low; a full 0.3 difference is a clear vote) and with
# the world depth gap beyond SWAP_DEPTH_MARGIN_M. The vote is averaged over
# FACING_TAU_S, and the choice moves only when the average passes
# FACING_MIN_VOTE the other way: a person square to the camera (no evidence)
# keeps whatever was chosen, by default the left.
FACING_VIS_FULL = 0.3
FACING_TAU_S = 1.0
FACING_MIN_VOTE = 0.2
_VIS_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
_LEFT_VIS = [sided("left", j) for j in _VIS_JOINTS]
_RIGHT_VIS = [sided("right", j) for j in _VIS_JOINTS]


class FacingSide:
    """The half of the body facing the camera, in any view (for ``--side auto``)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.side = "left"
        self._vote = 0.0  # > 0: the left half faces the camera
        self._last_t = math.nan

    def update(self, pose: PoseFrame) -> str:
        if not pose.detected:
            return self.side
        t = pose.t_ms / 1000.0
        dt = t - self._last_t if math.isfinite(self._last_t) else FACING_TAU_S
        self._last_t = t
        vis = float(pose.visibility[_LEFT_VIS].mean() - pose.visibility[_RIGHT_VIS].mean())
        evidence = max(-1.0, min(1.0, vis / FACING_VIS_FULL)) if math.isfinite(vis) else 0.0
        gap = depth_gap(pose)  # > 0: left farther
        if math.isfinite(gap) and abs(gap) > SWAP_DEPTH_MARGIN_M:
            evidence += -1.0 if gap > 0 else 1.0
        k = math.exp(-max(dt, 0.0) / FACING_TAU_S)
        self._vote = k * self._vote + (1 - k) * evidence / 2
        if self._vote > FACING_MIN_VOTE:
            self.side = "left"
        elif self._vote < -FACING_MIN_VOTE:
            self.side = "right"
        return self.side


# The moving side: each side's primary metric's speed, averaged over
# MOVING_TAU_S; the other side takes over only when it moves MOVING_LEAD times
# as fast (and at least MOVING_MIN_RATE per second, in the metric's units
# per degree), so two still sides never trade places on jitter.
MOVING_TAU_S = 2.0
MOVING_LEAD = 2.0
MOVING_MIN_RATE = 5.0


class MovingSideChooser:
    """For ``side = "moving"``: the side whose metric moves most (a working arm or leg, in any view)."""

    def __init__(self, scale: float = 1.0) -> None:
        self.min_rate = MOVING_MIN_RATE * scale
        self.reset()

    def reset(self) -> None:
        self.side: str | None = None
        self._speed = {"left": 0.0, "right": 0.0}
        self._last: dict[str, tuple[float, float]] = {}

    def update(self, t_s: float, left: float, right: float) -> str | None:
        for side, value in (("left", left), ("right", right)):
            if not math.isfinite(value):
                continue
            last = self._last.get(side)
            self._last[side] = (t_s, value)
            if last is None or t_s <= last[0]:
                continue
            dt = t_s - last[0]
            k = math.exp(-dt / MOVING_TAU_S)
            self._speed[side] = k * self._speed[side] + (1 - k) * abs(value - last[1]) / dt
        fast = max(self._speed, key=lambda s: self._speed[s])
        slow = "right" if fast == "left" else "left"
        if self._speed[fast] >= self.min_rate and self._speed[fast] >= MOVING_LEAD * self._speed[slow]:
            self.side = fast
        return self.side


class WorkingSideChooser:
    """For ``--side auto`` on one-sided exercises: the side that is doing the exercise.

    Each side's primary metric is compared in the direction of the exercise
    (towards its target); the leader must lead by ``margin`` for ``hold_s``
    before the choice changes, so a noisy frame cannot flip it mid-hold.
    """

    def __init__(self, direction: int, margin: float = 10.0, hold_s: float = 1.0) -> None:
        self.direction = direction
        self.margin = margin
        self.hold_s = hold_s
        self.reset()

    def reset(self) -> None:
        self.side: str | None = None
        self.leader: str | None = None  # leading by margin at the last update (chosen or not)
        self._challenger_since = math.nan
        self._first_leader: str | None = None  # leading by margin since _challenger_since, before a first choice

    def update(self, t_s: float, left: float, right: float) -> str | None:
        if not (math.isfinite(left) and math.isfinite(right)):
            return self.side
        lead = self.direction * (left - right)  # > 0: left is further towards the target
        leader = "left" if lead > 0 else "right"
        self.leader = leader if abs(lead) >= self.margin else None
        if self.side is None:
            # The first choice needs the same hold_s of lead as a change: one
            # frame of swapped leg labels (the model's side-on guess) otherwise
            # picks the resting leg, and once a rep starts on it the leg is kept
            # (never switched mid-rep) until a return to rest that never comes.
            if abs(lead) < self.margin:
                self._first_leader = None
            elif leader != self._first_leader:
                self._first_leader, self._challenger_since = leader, t_s
            elif t_s - self._challenger_since >= self.hold_s:
                self.side = leader
                self._challenger_since = math.nan
            return self.side
        if leader != self.side and abs(lead) >= self.margin:
            if not math.isfinite(self._challenger_since):
                self._challenger_since = t_s
            if t_s - self._challenger_since >= self.hold_s:
                self.side = leader
                self._challenger_since = math.nan
        else:
            self._challenger_since = math.nan
        return self.side
