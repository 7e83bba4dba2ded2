"""Exercise definitions, registered by id."""

from formcheck.exercises.registry import exercise_ids, get_exercise
from formcheck.exercises.spec import ExerciseSpec

__all__ = ["ExerciseSpec", "exercise_ids", "get_exercise"]
