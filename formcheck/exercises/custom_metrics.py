"""Metrics defined as data: an angle at three joints, or one of the body's named measures.

An exercise file names its metrics this way (see ``formcheck.exercises.custom``);
``file_metric_set`` turns the definitions into the ``MetricSet`` an ``ExerciseSpec``
carries, evaluated by the same ``compute_metrics`` as the built-in exercises.

Joints are named by role, relative to the side being measured (``--side``, or the
working / near side): ``knee`` is that side's knee, ``other_knee`` the opposite one,
``left_knee`` / ``right_knee`` a fixed side, ``mid_knee`` the midpoint of both,
``nose`` the one central landmark.

Every definition is a frozen dataclass, so two specs loaded from the same file
compare equal, and ``BUILTIN_METRIC_DEFS`` can describe the built-in metric sets
in the same terms (which is what ``formcheck exercises --show`` prints).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from formcheck.geometry import joint_angle, signed_joint_angle
from formcheck.landmarks import Landmark, other_side
from formcheck.metrics import HIP_LANDMARK_BIAS_DEG, Body, FloatArray, MetricSet

# Joints that exist on both sides, by role ("shoulder" -> LEFT_/RIGHT_SHOULDER).
_FACE = ("ear", "eye", "eye_inner", "eye_outer")
SIDED_JOINTS: tuple[str, ...] = (
    *(j for j in (lm.name[5:].lower() for lm in Landmark if lm.name.startswith("LEFT_")) if j not in _FACE),
    *_FACE,
)
CENTRAL_JOINTS: tuple[str, ...] = ("nose",)

JointSide = Literal["measured", "other", "left", "right", "mid"]
JOINT_PREFIXES: dict[str, JointSide] = {"other_": "other", "left_": "left", "right_": "right", "mid_": "mid"}

MeasureSide = Literal["measured", "other", "left", "right"]
MEASURE_SIDES: tuple[MeasureSide, ...] = ("measured", "other", "left", "right")


def _resolve(side: str, measured: str) -> str:
    """'measured' / 'other' / 'left' / 'right' -> 'left' or 'right'."""
    if side == "measured":
        return measured
    if side == "other":
        return other_side(measured)
    return side


@dataclass(frozen=True)
class JointRef:
    """A landmark named by role: ``knee``, ``other_knee``, ``left_knee``, ``mid_hip``, ``nose``."""

    joint: str
    side: JointSide = "measured"

    @classmethod
    def parse(cls, text: str) -> JointRef:
        """Raises ValueError (with the valid names) for an unknown joint."""
        for prefix, side in JOINT_PREFIXES.items():
            if text.startswith(prefix) and text[len(prefix) :] in SIDED_JOINTS:
                return cls(text[len(prefix) :], side)
        if text in SIDED_JOINTS or text in CENTRAL_JOINTS:
            return cls(text)
        raise ValueError(f"unknown joint {text!r}")

    def __str__(self) -> str:
        prefix = next((p for p, s in JOINT_PREFIXES.items() if s == self.side), "")
        return prefix + self.joint

    def point(self, body: Body, measured: str) -> FloatArray:
        if self.joint in CENTRAL_JOINTS:
            return body.xyz[:, Landmark[self.joint.upper()]]
        if self.side == "mid":
            return body.mid(self.joint)
        return body.p(_resolve(self.side, measured), self.joint)


@dataclass(frozen=True)
class AngleMetric:
    """The angle at the middle joint between the other two, in degrees.

    Unsigned: [0, 180]. Signed: [0, 360), turning about the body's lateral axis
    like ``hip_angle``, so a joint extended past straight reads above 180.
    """

    joints: tuple[JointRef, JointRef, JointRef]
    signed: bool = False
    bias: float | None = None  # degrees subtracted side-on; None: the measure's own (default_bias)

    @property
    def default_bias(self) -> float:
        """The pose model's known side-view bias for this angle: the hip landmark's, at the hip."""
        a, b, c = self.joints
        hip_angle = b.joint == "hip" and {a.joint, c.joint} == {"shoulder", "knee"}
        return HIP_LANDMARK_BIAS_DEG if hip_angle and a.side == b.side == c.side else 0.0

    @property
    def side_view_bias(self) -> float:
        return self.default_bias if self.bias is None else self.bias

    def __call__(self, body: Body, measured: str) -> FloatArray:
        a, b, c = (j.point(body, measured) for j in self.joints)
        if self.signed:
            return signed_joint_angle(a, b, c, body.lateral, unit_axis=True)
        return joint_angle(a, b, c)

    @property
    def value_range(self) -> tuple[float, float]:
        return (0.0, 360.0) if self.signed else (0.0, 180.0)


# The body's named measures (formcheck.metrics.Body), with the range of their values.
SIDED_MEASURES: dict[str, tuple[Callable[[Body, str], FloatArray], tuple[float, float]]] = {
    "hip_angle": (Body.hip_angle, (0.0, 360.0)),
    "knee_angle": (Body.knee_angle, (0.0, 180.0)),
    "ankle_angle": (Body.ankle_angle, (0.0, 180.0)),
    "shoulder_angle": (Body.shoulder_angle, (0.0, 180.0)),
    "body_lean": (Body.body_lean, (-180.0, 180.0)),
    "foot_pitch": (Body.foot_pitch, (-90.0, 90.0)),
    "trunk_incline": (Body.trunk_incline, (-90.0, 90.0)),
}
WHOLE_BODY_MEASURES: dict[str, tuple[Callable[[Body], FloatArray], tuple[float, float]]] = {
    "trunk_lean": (Body.trunk_lean, (-180.0, 180.0)),
    "side_bend": (Body.side_bend, (-180.0, 180.0)),
    "leg_lean": (Body.leg_lean, (-180.0, 180.0)),
    "trunk_twist": (Body.trunk_twist, (-180.0, 180.0)),
    "shoulder_tilt": (Body.shoulder_tilt, (-90.0, 90.0)),
    "knee_rotation": (Body.knee_rotation, (-180.0, 180.0)),
    "thigh_spread": (Body.thigh_spread, (0.0, 180.0)),
}
MEASURES: tuple[str, ...] = (*SIDED_MEASURES, *WHOLE_BODY_MEASURES)

# Measured-side joints each sided measure reads (the default visibility requirement).
MEASURE_JOINTS: dict[str, tuple[str, ...]] = {
    "hip_angle": ("shoulder", "hip", "knee"),
    "knee_angle": ("hip", "knee", "ankle"),
    "ankle_angle": ("knee", "ankle", "foot_index"),
    "shoulder_angle": ("hip", "shoulder", "wrist"),
    "body_lean": ("shoulder", "ankle"),
    "foot_pitch": ("heel", "foot_index"),
    "trunk_incline": ("shoulder", "hip"),
}


@dataclass(frozen=True)
class MeasureMetric:
    """One of the body's named measures; ``side`` applies to the sided ones only."""

    measure: str
    side: MeasureSide = "measured"
    bias: float | None = None  # degrees subtracted side-on; None: the measure's own (default_bias)

    @property
    def default_bias(self) -> float:
        return HIP_LANDMARK_BIAS_DEG if self.measure == "hip_angle" else 0.0

    @property
    def side_view_bias(self) -> float:
        return self.default_bias if self.bias is None else self.bias

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"unknown measure {self.measure!r}; valid: {', '.join(MEASURES)}")

    def __call__(self, body: Body, measured: str) -> FloatArray:
        if self.measure in SIDED_MEASURES:
            return SIDED_MEASURES[self.measure][0](body, _resolve(self.side, measured))
        return WHOLE_BODY_MEASURES[self.measure][0](body)

    @property
    def sided(self) -> bool:
        return self.measure in SIDED_MEASURES

    @property
    def value_range(self) -> tuple[float, float]:
        if self.measure in SIDED_MEASURES:
            return SIDED_MEASURES[self.measure][1]
        return WHOLE_BODY_MEASURES[self.measure][1]


MetricDef = AngleMetric | MeasureMetric


def measured_joints(d: MetricDef) -> tuple[str, ...]:
    """Joints of the measured side a definition reads (for the visibility check)."""
    if isinstance(d, AngleMetric):
        return tuple(j.joint for j in d.joints if j.side == "measured" and j.joint in SIDED_JOINTS)
    if d.side == "measured":
        return MEASURE_JOINTS.get(d.measure, ())
    return ()


@dataclass(frozen=True)
class FileMetrics:
    """A ``MetricSet.compute`` made of named definitions (comparable, unlike a closure)."""

    defs: tuple[tuple[str, MetricDef], ...]

    def __call__(self, body: Body, side: str) -> dict[str, FloatArray]:
        return {name: d(body, side) for name, d in self.defs}


def file_metric_set(defs: Mapping[str, MetricDef], primary: str) -> MetricSet:
    if primary not in defs:
        raise ValueError(f"primary metric {primary!r} is not one of {', '.join(defs)}")
    bias = tuple((name, d.side_view_bias) for name, d in defs.items() if d.side_view_bias != 0.0)
    return MetricSet(tuple(defs), primary, FileMetrics(tuple(defs.items())), bias)


def metric_defs(metrics: str | MetricSet) -> dict[str, MetricDef] | None:
    """The definitions behind an exercise's metrics, or None when they exist only as code."""
    if isinstance(metrics, MetricSet):
        return dict(metrics.compute.defs) if isinstance(metrics.compute, FileMetrics) else None
    defs = BUILTIN_METRIC_DEFS.get(metrics)
    return dict(defs) if defs is not None else None


def _angle(a: str, b: str, c: str, signed: bool = False) -> AngleMetric:
    return AngleMetric((JointRef.parse(a), JointRef.parse(b), JointRef.parse(c)), signed)


_HIP = _angle("shoulder", "hip", "knee", signed=True)
_KNEE = _angle("hip", "knee", "ankle")
_OTHER_HIP = _angle("other_shoulder", "other_hip", "other_knee", signed=True)
_OTHER_KNEE = _angle("other_hip", "other_knee", "other_ankle")

# The built-in metric sets (formcheck.metrics.METRIC_SETS) in the terms of a file;
# tests check that each computes exactly what its code does.
BUILTIN_METRIC_DEFS: dict[str, dict[str, MetricDef]] = {
    "pelvic_tilt": {"hip_angle": _HIP, "knee_angle": _KNEE, "trunk_incline": MeasureMetric("trunk_incline")},
    # --side names the affected leg, the straight one; the other leg is pulled.
    "hip_flexor_stretch": {
        "pulled_hip_angle": _OTHER_HIP,
        "pulled_knee_angle": _OTHER_KNEE,
        "straight_knee_angle": _KNEE,
        "straight_hip_angle": _HIP,
    },
    "calf_stretch": {
        "back_knee_angle": _KNEE,
        "front_knee_angle": _OTHER_KNEE,
        "back_foot_pitch": MeasureMetric("foot_pitch"),
        "body_lean": MeasureMetric("body_lean"),
    },
    "lower_trunk_rotation": {
        "knee_rotation": MeasureMetric("knee_rotation"),
        "thigh_spread": MeasureMetric("thigh_spread"),
        "shoulder_tilt": MeasureMetric("shoulder_tilt"),
    },
    "half_kneel_hip_stretch": {
        "back_hip_angle": _HIP,
        "front_knee_angle": _OTHER_KNEE,
        "trunk_lean": MeasureMetric("trunk_lean"),
    },
    "childs_pose": {"hip_angle": _HIP, "knee_angle": _KNEE, "shoulder_angle": _angle("hip", "shoulder", "wrist")},
    # --side names the pulled leg.
    "knee_to_chest": {
        "pulled_hip_angle": _HIP,
        "pulled_knee_angle": _KNEE,
        "straight_knee_angle": _OTHER_KNEE,
        "straight_hip_angle": _OTHER_HIP,
    },
    "side_bend": {
        "side_bend": MeasureMetric("side_bend"),
        "trunk_lean": MeasureMetric("trunk_lean"),
        "trunk_twist": MeasureMetric("trunk_twist"),
        "leg_lean": MeasureMetric("leg_lean"),
    },
    "bridge": {"hip_angle": _HIP, "knee_angle": _KNEE},
    "nerve_glide": {"hip_angle": _HIP, "knee_angle": _KNEE, "ankle_angle": _angle("knee", "ankle", "foot_index")},
}
