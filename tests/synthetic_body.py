"""Hand-built side-view bodies for analyzer tests (no model, no video).

A supine person seen from the side, head to the left of the image, right side
towards the camera: shoulder on the floor, feet planted, hips lifted by
rotating the trunk about the shoulder; the knee found by two-link IK.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.landmarks import NUM_LANDMARKS, Landmark, PoseFrame

FLOOR_Y = 400.0
SHOULDER = np.array([100.0, FLOOR_Y])
ANKLE = np.array([500.0, FLOOR_Y - 10.0])
TRUNK, THIGH, SHIN = 210.0, 190.0, 180.0


def _knee(hip: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    d = ankle - hip
    dist = float(np.hypot(*d))
    dist = min(dist, THIGH + SHIN - 1e-6)
    a = (THIGH**2 - SHIN**2 + dist**2) / (2 * dist)
    h = math.sqrt(max(THIGH**2 - a**2, 0.0))
    base = hip + a * d / dist
    perp = np.array([d[1], -d[0]]) / dist  # points up (towards smaller y) for d pointing right
    return base + h * perp


def bridge_points(lift_deg: float, near: str = "right", mirror: bool = False) -> np.ndarray:
    """(33, 3) image points for a trunk raised ``lift_deg`` above the floor."""
    th = math.radians(lift_deg)
    hip = SHOULDER + TRUNK * np.array([math.cos(th), -math.sin(th)])
    knee = _knee(hip, ANKLE)
    pts = np.full((NUM_LANDMARKS, 3), np.nan)
    heel = ANKLE + np.array([-15.0, 8.0])
    toe = ANKLE + np.array([45.0, 8.0])
    head = SHOULDER + np.array([-60.0, -10.0])
    far_z = 40.0 if near == "right" else -40.0
    for side, z in (("RIGHT", -far_z / 2), ("LEFT", far_z / 2)):
        for name, p in (
            ("SHOULDER", SHOULDER),
            ("ELBOW", SHOULDER + np.array([60.0, 0.0])),
            ("WRIST", SHOULDER + np.array([120.0, 0.0])),
            ("HIP", hip),
            ("KNEE", knee),
            ("ANKLE", ANKLE),
            ("HEEL", heel),
            ("FOOT_INDEX", toe),
            ("EAR", head + np.array([10.0, 0.0])),
            ("EYE", head + np.array([-5.0, -18.0])),
        ):
            pts[Landmark[f"{side}_{name}"]] = (p[0], p[1], z)
    pts[Landmark.NOSE] = (head[0] - 15.0, head[1] - 25.0, 0.0)
    if near == "left":  # the same posture seen from the other side: mirror the image
        pts[:, 0] = 640.0 - pts[:, 0]
    if mirror:
        pts[:, 0] = 640.0 - pts[:, 0]
    return pts


def pose_frame(i: int, t_ms: float, pts: np.ndarray | None, visibility: float = 0.95) -> PoseFrame:
    if pts is None:
        return PoseFrame.missing(i, t_ms, 640, 480)
    world = (pts - pts[Landmark.LEFT_HIP]) / 400.0
    return PoseFrame(
        index=i,
        t_ms=t_ms,
        image=pts,
        world=world,
        visibility=np.full(NUM_LANDMARKS, visibility),
        width=640,
        height=480,
    )


def lift_for_hip_angle(target: float, near: str = "right") -> float:
    """Trunk lift (deg) that gives this hip angle, by bisection on the model above."""
    from formcheck.metrics import compute_metrics

    lo, hi = 0.0, 60.0
    for _ in range(60):
        mid = (lo + hi) / 2
        ha = compute_metrics("bridge", bridge_points(mid, near)[None], near)["hip_angle"][0]
        lo, hi = (mid, hi) if ha < target else (lo, mid)
    return (lo + hi) / 2


def schedule_trace(segments: list[tuple], fps: float = 30.0) -> list[tuple[float, float]]:
    """[(kind, peak_hip_angle, seconds[, down_s])] -> [(t_s, hip_angle)]; kind 'rest' or 'rep'.

    A rep rises (1 s), holds at the peak (``seconds``), and lowers (``down_s``,
    default 1.5 s) with half-cosines.
    """
    rest = 135.0
    out: list[tuple[float, float]] = []
    t = 0.0
    dt = 1.0 / fps
    for kind, peak, secs, *rest_of in segments:
        if kind == "rest":
            n = round(secs * fps)
            out += [(t + k * dt, rest) for k in range(n)]
            t += n * dt
            continue
        up, top, down = 1.0, secs, (rest_of[0] if rest_of else 1.5)
        for dur, f in (
            (up, lambda u, p=peak: rest + (p - rest) * (1 - math.cos(math.pi * u)) / 2),
            (top, lambda u, p=peak: p),
            (down, lambda u, p=peak: p + (rest - p) * (1 - math.cos(math.pi * u)) / 2),
        ):
            n = round(dur * fps)
            out += [(t + k * dt, f(k / n)) for k in range(n)]
            t += n * dt
    return out


# -- a supine nerve glide, seen side-on -------------------------------------------------------
GLIDE_HIP = np.array([260.0, FLOOR_Y])
GLIDE_THIGH, GLIDE_SHIN, GLIDE_FOOT = 130.0, 120.0, 60.0


def nerve_glide_points(knee_deg: float, raised_label: str = "left") -> np.ndarray:
    """(33, 3) image points of a supine nerve glide, head to the left, right side near.

    The working (right, near) thigh is held vertical and its knee is at ``knee_deg``;
    the other leg lies flat. The raised leg carries ``raised_label``, and the depth
    follows the labels (the far label is the far one), as the pose model does when
    it gives the raised near leg the far side's label: nothing in the depths says so.
    """
    th = math.radians(knee_deg)
    knee = GLIDE_HIP + np.array([0.0, -GLIDE_THIGH])
    ankle = knee + GLIDE_SHIN * np.array([math.sin(th), math.cos(th)])
    shank = (knee - ankle) / GLIDE_SHIN
    # The toes pulled back as the knee straightens: knee-ankle-toe 110 -> 85 degrees.
    a = math.radians(110.0 - 25.0 * max(0.0, min(1.0, (knee_deg - 90.0) / 70.0)))
    foot = np.array([shank[0] * math.cos(a) + shank[1] * math.sin(a), -shank[0] * math.sin(a) + shank[1] * math.cos(a)])
    raised = {"KNEE": knee, "ANKLE": ankle, "HEEL": ankle - 12.0 * foot, "FOOT_INDEX": ankle + GLIDE_FOOT * foot}
    flat_ankle = GLIDE_HIP + np.array([GLIDE_THIGH + GLIDE_SHIN, 0.0])
    flat = {
        "KNEE": GLIDE_HIP + np.array([GLIDE_THIGH, 0.0]),
        "ANKLE": flat_ankle,
        "HEEL": flat_ankle + np.array([-5.0, 10.0]),
        "FOOT_INDEX": flat_ankle + np.array([10.0, -GLIDE_FOOT]),
    }
    head = SHOULDER + np.array([-60.0, -10.0])
    pts = np.full((NUM_LANDMARKS, 3), np.nan)
    for side in ("LEFT", "RIGHT"):
        z = 20.0 if side == "LEFT" else -20.0  # right side near
        leg = raised if side == raised_label.upper() else flat
        for name, p in (
            ("SHOULDER", SHOULDER),
            ("ELBOW", SHOULDER + np.array([60.0, 0.0])),
            ("WRIST", SHOULDER + np.array([120.0, 0.0])),
            ("HIP", GLIDE_HIP),
            ("EAR", head + np.array([10.0, 0.0])),
            ("EYE", head + np.array([-5.0, -18.0])),
            *leg.items(),
        ):
            pts[Landmark[f"{side}_{name}"]] = (p[0], p[1], z)
    pts[Landmark.NOSE] = (head[0] - 15.0, head[1] - 25.0, 0.0)
    return pts
