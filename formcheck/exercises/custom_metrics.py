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

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np

from formcheck.geometry import joint_angle, norm, signed_joint_angle, vector_angle
from formcheck.landmarks import Landmark, other_side
from formcheck.metrics import (
    HIP_LANDMARK_BIAS_DEG,
    KNEE_ROTATION_SIDE_ON_CAUTION,
    Body,
    FloatArray,
    MetricSet,
    knee_height_hips_down,
)

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
    units = "deg"

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
# Whole-body measures that are depth when seen side-on, as the built-in lower trunk
# rotation measures them there (formcheck.metrics, MetricSet.side_on): the knees'
# rotation becomes their height (a cos(angle) length the analyzer turns into
# degrees against a learnt neutral); the others are not measured (NaN).
SIDE_ON_MEASURES: dict[str, Callable[[Body], FloatArray] | None] = {
    "knee_rotation": knee_height_hips_down,
    "thigh_spread": None,
    "shoulder_tilt": None,
}
SIDE_ON_COSINE = ("knee_rotation",)

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
    units = "deg"

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

    def side_on(self, body: Body, measured: str) -> FloatArray:
        """Measured in a side view's image plane (SIDE_ON_MEASURES)."""
        if self.measure not in SIDE_ON_MEASURES:
            return self(body, measured)
        fn = SIDE_ON_MEASURES[self.measure]
        return fn(body) if fn is not None else np.full(body.xyz.shape[0], np.nan)

    @property
    def sided(self) -> bool:
        return self.measure in SIDED_MEASURES

    @property
    def value_range(self) -> tuple[float, float]:
        if self.measure in SIDED_MEASURES:
            return SIDED_MEASURES[self.measure][1]
        return WHOLE_BODY_MEASURES[self.measure][1]


# What a distance or a height is divided by, so a number means the same on any
# body and at any distance from the camera: the trunk (shoulder midpoint to hip
# midpoint) is seen in every view; a width only from the front or behind.
Size = Literal["trunk", "shoulder_width", "hip_width", "none"]
SIZES: tuple[Size, ...] = ("trunk", "shoulder_width", "hip_width", "none")


def body_size(body: Body, per: Size) -> FloatArray:
    if per == "trunk":
        return norm(body.superior)
    if per == "shoulder_width":
        return norm(body.p("left", "shoulder") - body.p("right", "shoulder"))
    if per == "hip_width":
        return norm(body.p("left", "hip") - body.p("right", "hip"))
    return np.ones(body.xyz.shape[0])


def _scaled(value: FloatArray, size: FloatArray) -> FloatArray:
    out = np.full(value.shape, np.nan)
    np.divide(value, size, out=out, where=size > 1e-9)
    return out


@dataclass(frozen=True)
class DistanceMetric:
    """Straight-line distance between two landmarks, in body sizes (``per``)."""

    points: tuple[JointRef, JointRef]
    per: Size = "trunk"
    bias: float | None = None

    def __call__(self, body: Body, measured: str) -> FloatArray:
        a, b = (j.point(body, measured) for j in self.points)
        return _scaled(norm(a - b), body_size(body, self.per))

    value_range = (0.0, math.inf)
    default_bias = 0.0
    units = "body"

    @property
    def side_view_bias(self) -> float:
        return self.bias or 0.0


@dataclass(frozen=True)
class HeightMetric:
    """How far the first landmark is above the second (below: negative), in body sizes."""

    points: tuple[JointRef, JointRef]
    per: Size = "trunk"
    bias: float | None = None

    def __call__(self, body: Body, measured: str) -> FloatArray:
        a, b = (j.point(body, measured) for j in self.points)
        return _scaled(np.einsum("...i,i->...", a - b, body.up), body_size(body, self.per))

    value_range = (-math.inf, math.inf)
    default_bias = 0.0
    units = "body"

    @property
    def side_view_bias(self) -> float:
        return self.bias or 0.0


Against = Literal["vertical", "horizontal"]


@dataclass(frozen=True)
class SegmentMetric:
    """The direction of a segment (from its first landmark to its second), in degrees.

    ``against = "vertical"``: from straight up, 0-180 (a shin standing upright from
    ankle to knee reads 0). ``"horizontal"``: above the horizontal, -90-90. Another
    segment: the angle between the two, 0-180.
    """

    segment: tuple[JointRef, JointRef]
    against: Against | tuple[JointRef, JointRef] = "vertical"
    bias: float | None = None

    def __call__(self, body: Body, measured: str) -> FloatArray:
        a, b = (j.point(body, measured) for j in self.segment)
        v = b - a
        if self.against == "vertical":
            return vector_angle(v, body.up)
        if self.against == "horizontal":
            return 90.0 - vector_angle(v, body.up)
        c, d = (j.point(body, measured) for j in self.against)
        return vector_angle(v, d - c)

    @property
    def value_range(self) -> tuple[float, float]:
        return (-90.0, 90.0) if self.against == "horizontal" else (0.0, 180.0)

    default_bias = 0.0
    units = "deg"

    @property
    def side_view_bias(self) -> float:
        return self.bias or 0.0


@dataclass(frozen=True)
class RatioMetric:
    """One metric of the file divided by another (computed after them)."""

    of: tuple[str, str]
    bias: float | None = None

    value_range = (-math.inf, math.inf)
    default_bias = 0.0
    units = "ratio"

    @property
    def side_view_bias(self) -> float:
        return self.bias or 0.0


# Margins and tolerances are set in degrees (analysis.analyzer.FAULT_MARGIN_DEG);
# in body sizes, one degree of margin is a hundredth of the body size: landmark
# jitter of 1-2 pixels on a trunk ~150 pixels long in a 480-pixel frame.
UNITS_PER_DEGREE = {"deg": 1.0, "body": 0.01, "ratio": 0.01}

Combine = Literal["min", "max", "mean", "both", "either"]
COMBINES: tuple[Combine, ...] = ("min", "max", "mean", "both", "either")
# Metrics combined with both/either also give each side's value under these names.
SIDE_SUFFIXES = {"left": ".left", "right": ".right"}


@dataclass(frozen=True)
class BothSides:
    """A metric measured on the left and on the right, combined into one number.

    ``min``/``max``/``mean`` are numbers; ``both``/``either`` read as the mean, and a
    condition on the metric is true when it is true for both sides / either side.
    """

    inner: AngleMetric | MeasureMetric | DistanceMetric | HeightMetric | SegmentMetric
    combine: Combine

    def sides(self, body: Body) -> tuple[FloatArray, FloatArray]:
        return self.inner(body, "left"), self.inner(body, "right")

    def __call__(self, body: Body, measured: str) -> FloatArray:
        left, right = self.sides(body)
        if self.combine == "min":
            return np.minimum(left, right)
        if self.combine == "max":
            return np.maximum(left, right)
        return (left + right) / 2.0

    @property
    def bias(self) -> float | None:
        return self.inner.bias

    @property
    def default_bias(self) -> float:
        return self.inner.default_bias

    @property
    def side_view_bias(self) -> float:
        return self.inner.side_view_bias

    @property
    def value_range(self) -> tuple[float, float]:
        return self.inner.value_range

    @property
    def units(self) -> str:
        return self.inner.units


MetricDef = AngleMetric | MeasureMetric | DistanceMetric | HeightMetric | SegmentMetric | RatioMetric | BothSides


def _joint_refs(d: MetricDef) -> tuple[JointRef, ...]:
    if isinstance(d, AngleMetric):
        return d.joints
    if isinstance(d, DistanceMetric | HeightMetric):
        return d.points
    if isinstance(d, SegmentMetric):
        return d.segment + (d.against if isinstance(d.against, tuple) else ())
    return ()


def measured_joints(d: MetricDef) -> tuple[str, ...]:
    """Joints of the measured side a definition reads (for the visibility check)."""
    if isinstance(d, MeasureMetric):
        return MEASURE_JOINTS.get(d.measure, ()) if d.side == "measured" else ()
    return tuple(j.joint for j in _joint_refs(d) if j.side == "measured" and j.joint in SIDED_JOINTS)


def output_names(defs: Mapping[str, MetricDef]) -> tuple[str, ...]:
    """Every value a file's metrics give: each metric, then each side of a both/either one."""
    extra = [
        name + suffix
        for name, d in defs.items()
        if isinstance(d, BothSides) and d.combine in ("both", "either")
        for suffix in SIDE_SUFFIXES.values()
    ]
    return (*defs, *extra)


@dataclass(frozen=True)
class FileMetrics:
    """A ``MetricSet.compute`` made of named definitions (comparable, unlike a closure)."""

    defs: tuple[tuple[str, MetricDef], ...]
    side_on: bool = False  # the side-on forms of measures that are depth there (SIDE_ON_MEASURES)

    def __call__(self, body: Body, side: str) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {}
        for name, d in self.defs:
            if isinstance(d, RatioMetric):
                continue
            if isinstance(d, BothSides) and d.combine in ("both", "either"):
                left, right = d.sides(body)
                out[name + SIDE_SUFFIXES["left"]], out[name + SIDE_SUFFIXES["right"]] = left, right
                out[name] = (left + right) / 2.0
            elif self.side_on and isinstance(d, MeasureMetric):
                out[name] = d.side_on(body, side)
            else:
                out[name] = d(body, side)
        for name, d in self.defs:
            if isinstance(d, RatioMetric):
                out[name] = _scaled(out[d.of[0]], np.abs(out[d.of[1]])) * np.sign(out[d.of[1]])
        return out


def file_metric_set(defs: Mapping[str, MetricDef], primary: str) -> MetricSet:
    if primary not in defs:
        raise ValueError(f"primary metric {primary!r} is not one of {', '.join(defs)}")
    bias = tuple((name, d.side_view_bias) for name, d in defs.items() if d.side_view_bias != 0.0)
    depth = [name for name, d in defs.items() if isinstance(d, MeasureMetric) and d.measure in SIDE_ON_MEASURES]
    if not depth:
        return MetricSet(output_names(defs), primary, FileMetrics(tuple(defs.items())), bias)
    cosine = tuple(n for n in depth if cast(MeasureMetric, defs[n]).measure in SIDE_ON_COSINE)
    return MetricSet(
        output_names(defs),
        primary,
        FileMetrics(tuple(defs.items())),
        bias,
        side_on=FileMetrics(tuple(defs.items()), side_on=True),
        neutral_cosine=cosine,
        side_on_caution=KNEE_ROTATION_SIDE_ON_CAUTION if cosine else None,
    )


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
    # (the named measure: no angle off a foot too short to be one, metrics.FOOT_MIN_SHANKS)
    "nerve_glide": {"hip_angle": _HIP, "knee_angle": _KNEE, "ankle_angle": MeasureMetric("ankle_angle")},
}
