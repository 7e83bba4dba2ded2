"""Named per-frame metrics for each exercise: the one definition of every angle.

Both the analyzer (on model landmarks) and the sample-clip generator (on the true
skeleton) call ``compute_metrics``, so "what the product measures" and "what the
truth says" cannot drift apart.

Frame convention: points are (N, 33, 3) in any right-handed frame; ``up`` is the
world's up direction in that frame. The default, (0, -1, 0), fits image
coordinates and MediaPipe world landmarks (x right, y down, z away from camera).

Body axes, per frame:
- ``lateral`` points to the person's LEFT: from the right hip/shoulder to the left
  ones, unless the caller supplies it (a side-view analyzer knows it better from
  which side faces the camera than from the model's noisy depth).
- ``superior`` runs from the hip midpoint to the shoulder midpoint.
- ``anterior`` = lateral x superior (the way the chest faces).

Signed joint angles turn about ``lateral``, which makes hip flexion read below
180 and hip extension above 180 whichever way the person faces in the image.

Side arguments: ``side`` is what the user passes with ``--side`` for that
exercise (see ``SIDE_ROLE``); for bilateral exercises it is the side to measure,
normally the one nearest the camera.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from formcheck.geometry import (
    cross,
    joint_angle,
    midpoint,
    normalize,
    signed_joint_angle,
    tilt_from,
    vector_angle,
)
from formcheck.landmarks import NUM_LANDMARKS, Landmark, other_side, sided

FloatArray = NDArray[np.float64]

DEFAULT_UP: tuple[float, float, float] = (0.0, -1.0, 0.0)

# The known landmark-to-joint bias of the pose model in side-view image
# measurements of the shoulder-hip-knee angle; the analyzer subtracts it so
# thresholds (set from anatomy) apply to the joint, not to the landmark. It
# belongs to the measure, not to a metric's name: each MetricSet declares the
# correction of each of its metrics (``MetricSet.side_view_bias``), and an
# exercise file's angle at the hip between shoulder and knee carries it unless
# the file says otherwise (formcheck.exercises.custom_metrics). MediaPipe's hip landmark
# sits anterior of the true hip joint centre, so every angle with its vertex at
# the hip reads high: 5-8 degrees on the bridge when the sample clips were first
# measured, 2-16 per clip since (tools/hip_bias.py). One constant per metric,
# never per person or clip: 5 degrees, the low end of the first measurement.
# How far anterior depends on the body (0 to 0.13 trunk lengths on these clips,
# not by weight) and nothing the landmarks show predicts it; the pose-dependent
# alternative, moving the hip point posterior by a fixed fraction of the trunk,
# regressed hold counts on the hip flexor stretch (docs/accuracy.md). Other
# metrics showed no consistent bias.
HIP_LANDMARK_BIAS_DEG = 5.0

# The foot is rigid: heel to toe tip it is 0.152 of body height, the shank (knee
# to ankle) 0.246 (Winter's anthropometric segment table, after Drillis and
# Contini), so 0.62 shanks long. People differ by ~10%; MediaPipe's heel and toe
# points sit inside the foot and read relaxed feet 10-15% short (0.50-0.59 shanks
# on the sample and sweep nerve glides); a foot seen turning towards the camera
# shortens by up to 18% (the true points' projection at the top of a glide,
# sweep 1). 0.62 x 0.9 x 0.85 x 0.82 = 0.39: a foot read shorter than that is
# not where a foot can be. From a camera on the floor (sweep1_nerve_glide_02)
# the model's toe point strayed 30-77 px at the top of each glide, the foot read
# 0.18-0.40 shanks long and the knee-ankle-toe angle 150-178 for a true 78-82:
# "pull your toes" twice on good glides. No ankle angle is read off such a foot.
FOOT_MIN_SHANKS = 0.39


def _read_only(a: FloatArray) -> FloatArray:
    a.setflags(write=False)
    return a


_UNIT_UP = _read_only(normalize(np.asarray(DEFAULT_UP, dtype=np.float64)))


@functools.lru_cache(maxsize=64)
def _unit_rows(lateral: tuple[float, ...], n: int) -> FloatArray:
    return _read_only(normalize(np.broadcast_to(np.asarray(lateral, dtype=np.float64), (n, 3))))


@dataclass(frozen=True, eq=False)
class Body:
    """Points of a clip plus its body axes; lookups by role keep metric code readable."""

    xyz: FloatArray  # (N, 33, 3)
    up: FloatArray  # (3,)
    lateral: FloatArray  # (N, 3), unit (``from_points`` normalises it), towards the person's left

    @classmethod
    def from_points(cls, xyz: ArrayLike, up: ArrayLike = DEFAULT_UP, lateral: ArrayLike | None = None) -> Body:
        pts = np.asarray(xyz, dtype=np.float64)
        if pts.ndim == 2:
            pts = pts[None]
        if pts.ndim != 3 or pts.shape[1] != NUM_LANDMARKS or pts.shape[2] != 3:
            raise ValueError(f"points must be (N, {NUM_LANDMARKS}, 3), got {pts.shape}")
        up_v = _UNIT_UP if up is DEFAULT_UP else normalize(np.asarray(up, dtype=np.float64))
        if lateral is None:
            hips = pts[:, Landmark.LEFT_HIP] - pts[:, Landmark.RIGHT_HIP]
            shoulders = pts[:, Landmark.LEFT_SHOULDER] - pts[:, Landmark.RIGHT_SHOULDER]
            # Either pair alone says which way is left; their sum is steadier, and a
            # missing pair must not blank the axis when the other is known.
            summed = np.where(np.isfinite(hips), hips, 0.0) + np.where(np.isfinite(shoulders), shoulders, 0.0)
            lat = normalize(summed)
        elif isinstance(lateral, tuple):  # the analyzer's per-frame (0, 0, +-1): normalised once
            lat = _unit_rows(lateral, pts.shape[0])
        else:
            lat = normalize(np.broadcast_to(np.asarray(lateral, dtype=np.float64), (pts.shape[0], 3)))
        return cls(xyz=pts, up=up_v, lateral=lat)

    def p(self, side: str, joint: str) -> FloatArray:
        return self.xyz[:, sided(side, joint)]

    def mid(self, joint: str) -> FloatArray:
        return midpoint(self.p("left", joint), self.p("right", joint))

    @property
    def superior(self) -> FloatArray:
        return self.mid("shoulder") - self.mid("hip")

    @property
    def anterior(self) -> FloatArray:
        return normalize(cross(self.lateral, self.superior))

    # -- joint angles -------------------------------------------------------
    def hip_angle(self, side: str) -> FloatArray:
        """Signed shoulder-hip-knee angle: 180 = trunk and thigh in line, >180 = extension."""
        return signed_joint_angle(
            self.p(side, "shoulder"), self.p(side, "hip"), self.p(side, "knee"), self.lateral, unit_axis=True
        )

    def knee_angle(self, side: str) -> FloatArray:
        """Hip-knee-ankle, 180 = straight (knees do not pass 180 in these exercises)."""
        return joint_angle(self.p(side, "hip"), self.p(side, "knee"), self.p(side, "ankle"))

    def ankle_angle(self, side: str) -> FloatArray:
        """Knee-ankle-toe: smaller = toes pulled towards the shin (dorsiflexion).

        NaN where the foot (heel to toe) reads shorter than FOOT_MIN_SHANKS of the
        shank: the toe point is not on the foot there, and neither is the angle.
        """
        knee, ankle, heel, toe = (self.p(side, j) for j in ("knee", "ankle", "heel", "foot_index"))
        foot = np.linalg.norm(toe - heel, axis=-1)
        shank = np.linalg.norm(ankle - knee, axis=-1)
        with np.errstate(invalid="ignore"):
            seen = foot >= FOOT_MIN_SHANKS * shank  # NaN compares False
        return np.where(seen, joint_angle(knee, ankle, toe), np.nan)

    def shoulder_angle(self, side: str) -> FloatArray:
        """Hip-shoulder-wrist: ~180 with the arm reaching overhead in line with the trunk."""
        return joint_angle(self.p(side, "hip"), self.p(side, "shoulder"), self.p(side, "wrist"))

    # -- whole-body tilts -----------------------------------------------------
    def _elevation(self, v: FloatArray) -> FloatArray:
        """Angle of ``v`` above the horizontal plane, in [-90, 90]: 90 minus its angle from up.

        The same as arcsin(unit(v) . up), without arcsin's loss of precision near +-90.
        """
        return 90.0 - vector_angle(v, self.up)

    def trunk_lean(self) -> FloatArray:
        """Trunk from vertical in the sagittal plane, + = forward (towards the chest)."""
        return tilt_from(self.superior, self.up, self.lateral, unit_axis=True)

    def body_lean(self, side: str) -> FloatArray:
        """Line from one ankle to the shoulders from vertical, + = forward."""
        return tilt_from(self.mid("shoulder") - self.p(side, "ankle"), self.up, self.lateral, unit_axis=True)

    def side_bend(self) -> FloatArray:
        """Trunk from vertical in the frontal plane, + = towards the person's left."""
        return -tilt_from(self.superior, self.up, self.anterior)

    def leg_lean(self) -> FloatArray:
        """Ankles-to-hips line from vertical in the frontal plane, + = hips shifted left."""
        return -tilt_from(self.mid("hip") - self.mid("ankle"), self.up, self.anterior)

    def trunk_twist(self) -> FloatArray:
        """Shoulder line against hip line about the vertical, + = shoulders turned left."""
        shoulders = self.p("left", "shoulder") - self.p("right", "shoulder")
        hips = self.p("left", "hip") - self.p("right", "hip")
        return tilt_from(shoulders, hips, self.up)

    def foot_pitch(self, side: str) -> FloatArray:
        """Heel above toes, in degrees of the foot line from horizontal: 0 = heel down."""
        return self._elevation(self.p(side, "heel") - self.p(side, "foot_index"))

    def trunk_incline(self, side: str) -> FloatArray:
        """Hip-to-shoulder line above horizontal, + = shoulders higher than the hip.

        Lying on the back it is ~0; a posterior pelvic tilt sinks the hip towards
        the floor (+), lifting the hips off it (a bridge) makes it negative.
        """
        return self._elevation(self.p(side, "shoulder") - self.p(side, "hip"))

    def shoulder_tilt(self) -> FloatArray:
        """Shoulder line from horizontal, + = left shoulder higher (supine: lifting off)."""
        return self._elevation(self.p("left", "shoulder") - self.p("right", "shoulder"))

    def knee_rotation(self) -> FloatArray:
        """Bent knees dropped to one side about the body axis, + = to the person's left.

        Measured from the shoulders' anterior direction because the shoulders stay
        on the floor while the pelvis rolls with the knees.
        """
        shoulders = self.p("left", "shoulder") - self.p("right", "shoulder")
        front = cross(shoulders, self.superior)
        return tilt_from(self.mid("knee") - self.mid("hip"), front, self.superior)

    def knee_height(self) -> FloatArray:
        """Knees' midpoint from the line hips' midpoint -> ankles' midpoint, in trunk lengths.

        With the feet planted the bent knees turn about that line, so seen from the
        side (that line and the neutral knees in the image plane) the knees' height
        above it falls as cos(rotation) of its neutral value; the direction of the
        turn is depth, which a side view does not show. Midpoints, because seen
        side-on the model's left and right labels are unreliable and both knees
        move together. The trunk (shoulders' to hips' midpoint) is a length the
        rotation does not change.
        """
        hip = self.mid("hip")
        axis = normalize(self.mid("ankle") - hip)
        v = self.mid("knee") - hip
        along = np.einsum("ij,ij->i", v, axis)[:, None] * axis
        trunk: FloatArray = np.linalg.norm(self.superior, axis=-1)
        height: FloatArray = np.linalg.norm(v - along, axis=-1)
        return height / np.where(trunk > 1e-9, trunk, np.nan)

    def hip_lift(self) -> FloatArray:
        """Hips' midpoint above the line shoulders' midpoint -> ankles' midpoint, in trunk lengths.

        Lying on the back, shoulders, hips and ankles all rest on the floor, so the
        three are in one line in any view of it; a bridge lifts the hips off it.
        """
        shoulder = self.mid("shoulder")
        axis = normalize(self.mid("ankle") - shoulder)
        v = self.mid("hip") - shoulder
        perp = v - np.einsum("ij,ij->i", v, axis)[:, None] * axis
        trunk: FloatArray = np.linalg.norm(self.superior, axis=-1)
        up: FloatArray = perp @ self.up
        return up / np.where(trunk > 1e-9, trunk, np.nan)

    def thigh_spread(self) -> FloatArray:
        """Angle between the two thighs at the hip midpoint: knees drifting apart."""
        hip = self.mid("hip")
        return vector_angle(self.p("left", "knee") - hip, self.p("right", "knee") - hip)


MetricFn = Callable[[Body, str], dict[str, FloatArray]]


@dataclass(frozen=True)
class MetricSet:
    """The metrics of one exercise: their names (ordered), the primary one, the formula."""

    names: tuple[str, ...]
    primary: str
    compute: MetricFn
    # Degrees subtracted from a metric measured in a side view (image plane):
    # the pose model's known landmark bias for what that metric measures.
    bias: tuple[tuple[str, float], ...] = ()

    # Measured side-on (the analyzer's image-plane points), the formula to use
    # instead of ``compute`` (same names): for a metric whose movement is depth.
    side_on: MetricFn | None = None
    # Metrics ``side_on`` returns as a length that falls as cos(angle) from its
    # neutral value: the analyzer turns each into unsigned degrees against the
    # neutral it learns (analysis.neutral.NeutralCosine).
    neutral_cosine: tuple[str, ...] = ()
    # What ``side_on`` cannot be trusted for, told with every summary of a side view.
    side_on_caution: str | None = None

    @property
    def side_view_bias(self) -> dict[str, float]:
        return dict(self.bias)


_HIP_BIAS = HIP_LANDMARK_BIAS_DEG


def _supine_hips(b: Body, s: str) -> dict[str, FloatArray]:
    return {"hip_angle": b.hip_angle(s), "knee_angle": b.knee_angle(s)}


def _pelvic_tilt(b: Body, s: str) -> dict[str, FloatArray]:
    return {"hip_angle": b.hip_angle(s), "knee_angle": b.knee_angle(s), "trunk_incline": b.trunk_incline(s)}


def _pull_knee(b: Body, pulled: str) -> dict[str, FloatArray]:
    straight = other_side(pulled)
    return {
        "pulled_hip_angle": b.hip_angle(pulled),
        "pulled_knee_angle": b.knee_angle(pulled),
        "straight_knee_angle": b.knee_angle(straight),
        "straight_hip_angle": b.hip_angle(straight),
    }


def _calf(b: Body, back: str) -> dict[str, FloatArray]:
    front = other_side(back)
    return {
        "back_knee_angle": b.knee_angle(back),
        "front_knee_angle": b.knee_angle(front),
        "back_foot_pitch": b.foot_pitch(back),
        "body_lean": b.body_lean(back),
    }


def _half_kneel(b: Body, back: str) -> dict[str, FloatArray]:
    front = other_side(back)
    return {
        "back_hip_angle": b.hip_angle(back),
        "front_knee_angle": b.knee_angle(front),
        "trunk_lean": b.trunk_lean(),
    }


def _childs(b: Body, s: str) -> dict[str, FloatArray]:
    return {"hip_angle": b.hip_angle(s), "knee_angle": b.knee_angle(s), "shoulder_angle": b.shoulder_angle(s)}


def _rotation(b: Body, _s: str) -> dict[str, FloatArray]:
    return {
        "knee_rotation": b.knee_rotation(),
        "thigh_spread": b.thigh_spread(),
        "shoulder_tilt": b.shoulder_tilt(),
    }


# Side-on (image plane), the rotation is depth: what can be measured is the knees'
# height (Body.knee_height), which the analyzer turns into degrees against its
# learnt neutral (analysis.neutral.NeutralCosine; MetricSet.neutral_cosine). The
# thighs' spread and the shoulder line's tilt are depth too (the knees part and a
# shoulder lifts towards or away from the camera): not measured side-on.
KNEE_ROTATION_SIDE_ON_CAUTION = (
    "from the side the knees' rotation is an estimate: which way they went is not seen (both sides are "
    "counted together), partial reps are indicative only, and knees apart or a shoulder lifting are not checked"
)


# The knees' height is their turn only while the hips lie on the floor (the legs turn
# about the hip-ankle line): a bridge's lifted hips lower it too. The pelvis rolling
# with the knees lifts the hips' midpoint at most 0.10 trunk lengths (p95 over 14
# side-view renders of the exercise); a bridge at the top, 0.41-0.43 (sample clips).
HIPS_DOWN_MAX = 0.2


def knee_height_hips_down(b: Body) -> FloatArray:
    """Body.knee_height, unknown (NaN) while the hips are lifted off the floor."""
    return np.where(b.hip_lift() <= HIPS_DOWN_MAX, b.knee_height(), np.nan)


def _rotation_side_on(b: Body, _s: str) -> dict[str, FloatArray]:
    blank = np.full(b.xyz.shape[0], np.nan)
    return {"knee_rotation": knee_height_hips_down(b), "thigh_spread": blank, "shoulder_tilt": blank.copy()}


def _side_bend(b: Body, _s: str) -> dict[str, FloatArray]:
    return {
        "side_bend": b.side_bend(),
        "trunk_lean": b.trunk_lean(),
        "trunk_twist": b.trunk_twist(),
        "leg_lean": b.leg_lean(),
    }


def _nerve_glide(b: Body, s: str) -> dict[str, FloatArray]:
    return {"hip_angle": b.hip_angle(s), "knee_angle": b.knee_angle(s), "ankle_angle": b.ankle_angle(s)}


METRIC_SETS: dict[str, MetricSet] = {
    "pelvic_tilt": MetricSet(
        ("hip_angle", "knee_angle", "trunk_incline"), "hip_angle", _pelvic_tilt, (("hip_angle", _HIP_BIAS),)
    ),
    "hip_flexor_stretch": MetricSet(
        ("pulled_hip_angle", "pulled_knee_angle", "straight_knee_angle", "straight_hip_angle"),
        "pulled_hip_angle",
        lambda b, affected: _pull_knee(b, other_side(affected)),
        (("pulled_hip_angle", _HIP_BIAS), ("straight_hip_angle", _HIP_BIAS)),
    ),
    "calf_stretch": MetricSet(
        ("back_knee_angle", "front_knee_angle", "back_foot_pitch", "body_lean"), "back_knee_angle", _calf
    ),
    "lower_trunk_rotation": MetricSet(
        ("knee_rotation", "thigh_spread", "shoulder_tilt"),
        "knee_rotation",
        _rotation,
        side_on=_rotation_side_on,
        neutral_cosine=("knee_rotation",),
        side_on_caution=KNEE_ROTATION_SIDE_ON_CAUTION,
    ),
    "half_kneel_hip_stretch": MetricSet(
        ("back_hip_angle", "front_knee_angle", "trunk_lean"),
        "back_hip_angle",
        _half_kneel,
        (("back_hip_angle", _HIP_BIAS),),
    ),
    "childs_pose": MetricSet(
        ("hip_angle", "knee_angle", "shoulder_angle"), "hip_angle", _childs, (("hip_angle", _HIP_BIAS),)
    ),
    "knee_to_chest": MetricSet(
        ("pulled_hip_angle", "pulled_knee_angle", "straight_knee_angle", "straight_hip_angle"),
        "pulled_hip_angle",
        _pull_knee,
        (("pulled_hip_angle", _HIP_BIAS), ("straight_hip_angle", _HIP_BIAS)),
    ),
    "side_bend": MetricSet(("side_bend", "trunk_lean", "trunk_twist", "leg_lean"), "side_bend", _side_bend),
    "bridge": MetricSet(("hip_angle", "knee_angle"), "hip_angle", _supine_hips, (("hip_angle", _HIP_BIAS),)),
    "nerve_glide": MetricSet(
        ("hip_angle", "knee_angle", "ankle_angle"), "knee_angle", _nerve_glide, (("hip_angle", _HIP_BIAS),)
    ),
}

# What ``side`` names for each exercise (the user's ``--side``).
SIDE_ROLE: dict[str, str] = {
    "pelvic_tilt": "measured (near) side; the exercise is bilateral",
    "hip_flexor_stretch": "affected side: the leg that stays straight on the floor",
    "calf_stretch": "the stretched (back) leg",
    "lower_trunk_rotation": "not used by the metrics; knee_rotation is signed (+ = to the left), unsigned side-on",
    "half_kneel_hip_stretch": "the kneeling (back) leg",
    "childs_pose": "measured (near) side; the exercise is bilateral",
    "knee_to_chest": "the leg pulled to the chest",
    "side_bend": "symptomatic side (bend away from it); side_bend is signed (+ = to the left)",
    "bridge": "measured (near) side; the exercise is bilateral",
    "nerve_glide": "affected (working) leg",
}


# An exercise's metrics: a key of METRIC_SETS, or a MetricSet built elsewhere
# (an exercise file defines its own angles; see formcheck.exercises.custom).
MetricsRef = str | MetricSet


def _metric_set(metrics: MetricsRef) -> MetricSet:
    if isinstance(metrics, MetricSet):
        return metrics
    try:
        return METRIC_SETS[metrics]
    except KeyError:
        valid = ", ".join(sorted(METRIC_SETS))
        raise ValueError(f"no metrics for exercise {metrics!r}; valid ids: {valid}") from None


def metric_names(exercise_id: MetricsRef) -> tuple[str, ...]:
    return _metric_set(exercise_id).names


def primary_metric(exercise_id: MetricsRef) -> str:
    return _metric_set(exercise_id).primary


def neutral_cosine(exercise_id: MetricsRef) -> tuple[str, ...]:
    """Metrics measured side-on as a cos(angle) length (MetricSet.neutral_cosine): unsigned there."""
    return _metric_set(exercise_id).neutral_cosine


def side_on_caution(exercise_id: MetricsRef) -> str | None:
    """What the metrics measured side-on cannot be trusted for (MetricSet.side_on_caution)."""
    return _metric_set(exercise_id).side_on_caution


def side_view_bias(exercise_id: MetricsRef) -> dict[str, float]:
    """Degrees to subtract from each metric measured side-on (only metrics that have one)."""
    return _metric_set(exercise_id).side_view_bias


def compute_metrics(
    exercise_id: MetricsRef,
    xyz: ArrayLike,
    side: str | None,
    *,
    up: ArrayLike = DEFAULT_UP,
    lateral: ArrayLike | None = None,
    side_on: bool = False,
) -> dict[str, FloatArray]:
    """Every metric of ``exercise_id`` (or of a ``MetricSet``) for each frame of ``xyz`` (N, 33, 3), in degrees.

    ``side_on``: the points are a side view's image plane; a set with a ``side_on``
    formula uses it (its ``neutral_cosine`` metrics are then lengths, not degrees).
    """
    return metrics_by_side(exercise_id, xyz, (side or "left",), up=up, lateral=lateral, side_on=side_on)[side or "left"]


def metrics_by_side(
    exercise_id: MetricsRef,
    xyz: ArrayLike,
    sides: tuple[str, ...],
    *,
    up: ArrayLike = DEFAULT_UP,
    lateral: ArrayLike | None = None,
    side_on: bool = False,
) -> dict[str, dict[str, FloatArray]]:
    """``compute_metrics`` for several sides of the same points, sharing the body axes."""
    ms = _metric_set(exercise_id)
    body = Body.from_points(xyz, up=up, lateral=lateral)
    compute = ms.side_on if side_on and ms.side_on is not None else ms.compute
    result = {}
    for side in sides:
        out = compute(body, side)
        result[side] = {name: np.asarray(out[name], dtype=np.float64) for name in ms.names}
    return result
