"""Exercises by id; unknown ids fail with the list of valid ones."""

from __future__ import annotations

from formcheck.errors import ConfigError, did_you_mean
from formcheck.exercises.bridge import BRIDGE
from formcheck.exercises.calf_stretch import CALF_STRETCH
from formcheck.exercises.childs_pose import CHILDS_POSE
from formcheck.exercises.half_kneel_hip_stretch import HALF_KNEEL_HIP_STRETCH
from formcheck.exercises.hip_flexor_stretch import HIP_FLEXOR_STRETCH
from formcheck.exercises.knee_to_chest import KNEE_TO_CHEST
from formcheck.exercises.lower_trunk_rotation import LOWER_TRUNK_ROTATION
from formcheck.exercises.nerve_glide import NERVE_GLIDE
from formcheck.exercises.pelvic_tilt import PELVIC_TILT
from formcheck.exercises.side_bend import SIDE_BEND
from formcheck.exercises.spec import ExerciseSpec

# In the order of the product spec (EXERCISES.md).
_BUILTIN: tuple[ExerciseSpec, ...] = (
    PELVIC_TILT,
    HIP_FLEXOR_STRETCH,
    CALF_STRETCH,
    LOWER_TRUNK_ROTATION,
    HALF_KNEEL_HIP_STRETCH,
    CHILDS_POSE,
    KNEE_TO_CHEST,
    SIDE_BEND,
    BRIDGE,
    NERVE_GLIDE,
)


def builtin_exercises() -> dict[str, ExerciseSpec]:
    return {spec.id: spec for spec in _BUILTIN}


def exercise_ids() -> list[str]:
    return sorted(builtin_exercises())


def get_exercise(exercise_id: str) -> ExerciseSpec:
    specs = builtin_exercises()
    try:
        return specs[exercise_id]
    except KeyError:
        ids = sorted(specs)
        hint = did_you_mean(exercise_id, ids)
        raise ConfigError(f"unknown exercise {exercise_id!r}; {hint}valid ids: {', '.join(ids)}") from None
