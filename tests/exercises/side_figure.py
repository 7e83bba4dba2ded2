"""A stick figure seen from the side, posed by segment directions (no model, no video).

Facing right in the image (x right, y down), right side near the camera (depth
-20), left side far (+20). A direction is degrees clockwise from straight up
towards the way the person faces: 0 up, 90 forward, 180 down, -90 backward.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.landmarks import NUM_LANDMARKS, Landmark

SHIN, THIGH, TRUNK, UPPER_ARM, FOREARM, FOOT = 100.0, 100.0, 120.0, 60.0, 55.0, 35.0


def step(p: np.ndarray, direction_deg: float, length: float) -> np.ndarray:
    th = math.radians(direction_deg)
    return p + length * np.array([math.sin(th), -math.cos(th)])


def two_link(a: np.ndarray, c: np.ndarray, l1: float, l2: float, bend: int) -> np.ndarray:
    """The middle joint between a and c (bend +1/-1 picks the side it bulges to)."""
    d = c - a
    dist = min(float(np.hypot(*d)), l1 + l2 - 1e-6)
    along = (l1**2 - l2**2 + dist**2) / (2 * dist)
    h = math.sqrt(max(l1**2 - along**2, 0.0))
    perp = np.array([d[1], -d[0]]) / dist
    return a + along * d / dist + bend * h * perp


def figure(joints: dict[str, np.ndarray], far: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(33, 3) points: ``joints`` for the near (right) side, ``far`` overrides for the left."""
    pts = np.full((NUM_LANDMARKS, 3), np.nan)
    for side, z, overrides in (("RIGHT", -20.0, {}), ("LEFT", 20.0, far or {})):
        for name, p in {**joints, **overrides}.items():
            pts[Landmark[f"{side}_{name.upper()}"]] = (p[0], p[1], z)
    head = joints["shoulder"] + np.array([0.0, 0.0])
    pts[Landmark.NOSE] = (*step(head, 30, 50), 0.0)
    for side, z in (("RIGHT", -20.0), ("LEFT", 20.0)):
        pts[Landmark[f"{side}_EAR"]] = (*step(head, 10, 40), z)
        pts[Landmark[f"{side}_EYE"]] = (*step(head, 25, 48), z)
    return pts


def leg(ankle: np.ndarray, shin: float, thigh: float, foot_pitch: float = 0.0) -> dict[str, np.ndarray]:
    """Joints from the ankle up: shin (ankle->knee) and thigh (knee->hip) directions."""
    knee = step(ankle, shin, SHIN)
    hip = step(knee, thigh, THIGH)
    toe = ankle + FOOT * np.array([math.cos(math.radians(foot_pitch)), math.sin(math.radians(foot_pitch))])
    heel = ankle + np.array([-10.0, 8.0])
    return {"ankle": ankle, "knee": knee, "hip": hip, "foot_index": toe + np.array([0.0, 8.0]), "heel": heel}


def upper(hip: np.ndarray, trunk: float, upper_arm: float, forearm: float) -> dict[str, np.ndarray]:
    shoulder = step(hip, trunk, TRUNK)
    elbow = step(shoulder, upper_arm, UPPER_ARM)
    return {"shoulder": shoulder, "elbow": elbow, "wrist": step(elbow, forearm, FOREARM)}


def squat(knee_deg: float, lean_deg: float | None = None) -> np.ndarray:
    """Standing (knee 180) to squatting: the shin tilts forward, the trunk leans with it."""
    flex = 180.0 - knee_deg
    shin = 0.45 * flex
    thigh = shin - flex  # the knee angle is 180 - (shin - thigh)
    body = leg(np.array([300.0, 420.0]), shin, thigh)
    lean = 0.4 * flex if lean_deg is None else lean_deg
    return figure({**body, **upper(body["hip"], lean, 90.0, 90.0)})


def heel_raise(pitch_deg: float, knee_deg: float = 178.0) -> np.ndarray:
    """Standing on the toes: the heel rises about the toes by ``pitch_deg``."""
    toe = np.array([330.0, 428.0])
    th = math.radians(pitch_deg)
    ankle = toe + FOOT * np.array([-math.cos(th), -math.sin(th)]) - np.array([0.0, 8.0])
    heel = ankle + np.array([-10.0 * math.cos(th), 8.0 - 10.0 * math.sin(th)])
    flex = 180.0 - knee_deg
    body = leg(ankle, flex / 2, -flex / 2)
    body.update(heel=heel, foot_index=toe)
    return figure({**body, **upper(body["hip"], 0.0, 180.0, 180.0)})


def lunge(front_knee_deg: float, back_knee_deg: float) -> np.ndarray:
    """Reverse lunge: the far (left) leg steps back and its knee drops; the near leg is the front one."""
    flex = 180.0 - front_knee_deg
    front = leg(np.array([380.0, 420.0]), 0.3 * flex, 0.3 * flex - flex)
    hip = front["hip"]
    # The back leg hangs from the same hip: thigh down and back, shin back.
    bflex = 180.0 - back_knee_deg
    knee = step(hip, 180.0 + 0.3 * bflex, THIGH)
    ankle = step(knee, 180.0 + 1.3 * bflex, SHIN)
    back = {"hip": hip, "knee": knee, "ankle": ankle, "heel": ankle + np.array([-10.0, 0.0]),
            "foot_index": ankle + np.array([25.0, 10.0])}  # fmt: skip
    return figure({**front, **upper(hip, 0.0, 180.0, 180.0)}, far=back)


def push_up(shoulder_height: float) -> np.ndarray:
    """Straight body pivoting on the toes; the wrists on the floor under the shoulders."""
    floor = 420.0
    ankle = np.array([160.0, floor - 10.0])
    length = SHIN + THIGH + TRUNK
    tilt = math.degrees(math.asin(min((shoulder_height - 10.0) / length, 1.0)))
    direction = 90.0 - tilt  # forward and up
    knee = step(ankle, direction, SHIN)
    hip = step(knee, direction, THIGH)
    shoulder = step(hip, direction, TRUNK)
    wrist = np.array([shoulder[0], floor])
    elbow = two_link(shoulder, wrist, UPPER_ARM, FOREARM, -1)
    return figure({"ankle": ankle, "knee": knee, "hip": hip, "shoulder": shoulder, "elbow": elbow, "wrist": wrist,
                   "heel": ankle + np.array([-8.0, -10.0]), "foot_index": ankle + np.array([5.0, 10.0])})  # fmt: skip


def plank(hip_drop: float = 0.0) -> np.ndarray:
    """Forearm plank: forearms on the floor, body in a line; ``hip_drop`` pixels sag the hips (< 0: raise)."""
    floor = 420.0
    elbow = np.array([420.0, floor - 5.0])
    wrist = elbow + np.array([FOREARM, 0.0])
    shoulder = elbow + np.array([0.0, -UPPER_ARM])
    ankle = np.array([shoulder[0] - 330.0, floor - 10.0])
    line = ankle - shoulder
    hip = shoulder + line * TRUNK / 330.0 + np.array([0.0, hip_drop])
    knee = (hip + ankle) / 2
    return figure({"shoulder": shoulder, "elbow": elbow, "wrist": wrist, "hip": hip, "knee": knee, "ankle": ankle,
                   "heel": ankle + np.array([0.0, -10.0]), "foot_index": ankle + np.array([5.0, 12.0])})  # fmt: skip
