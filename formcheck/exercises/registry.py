"""Exercises by id; unknown ids fail with the list of valid ones."""

from __future__ import annotations

from formcheck.errors import ConfigError
from formcheck.exercises.bridge import BRIDGE
from formcheck.exercises.spec import ExerciseSpec

_BUILTIN: tuple[ExerciseSpec, ...] = (BRIDGE,)


def builtin_exercises() -> dict[str, ExerciseSpec]:
    return {spec.id: spec for spec in _BUILTIN}


def exercise_ids() -> list[str]:
    return sorted(builtin_exercises())


def get_exercise(exercise_id: str) -> ExerciseSpec:
    specs = builtin_exercises()
    try:
        return specs[exercise_id]
    except KeyError:
        raise ConfigError(f"unknown exercise {exercise_id!r}; valid ids: {', '.join(sorted(specs))}") from None
