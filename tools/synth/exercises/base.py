"""Base class of the per-exercise movement modules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from formcheck.metrics import MetricsRef, compute_metrics
from tools.synth.rig import Rig
from tools.synth.spec import Clip

REPO = Path(__file__).resolve().parents[3]


@cache
def file_measures(path: str) -> tuple[MetricsRef, str]:
    """(metrics, primary metric) of an exercise file, a path from the repository root."""
    from formcheck.exercises.custom import load_exercise_file

    spec = load_exercise_file(REPO / path)
    return spec.metrics, spec.primary


@dataclass(frozen=True)
class Command:
    """What the schedule asks of one frame."""

    t: float  # seconds
    value: float  # commanded primary metric of the performed exercise (degrees)
    fault: str | None  # form-break code, or None
    amount: float  # form-break intensity 0..1 (ramps in and out)
    side: str | None  # working side for this segment (per-side exercises), else clip.side


class Exercise:
    """Maps a schedule value to a pose for one body.

    Subclasses set the class attributes and implement ``pose``; ``__init__`` may
    precompute (e.g. tables that invert value -> pose parameter).

    - ``ID``: the exercise id (a key of formcheck.metrics.METRIC_SETS).
    - ``REST``/``TARGET``: the primary metric at rest and at the target position; the
      schedule starts at ``REST`` and the truth test splits excursions with them.
    - ``MAT``: draw an exercise mat under the body.
    - ``FAULTS``: form-break codes ``pose`` understands.
    - ``EXERCISE_FILE``: for a movement formcheck has no built-in for, the exercise file (a path
      from the repository root) whose primary metric the schedule's values are in; ``ID`` is
      then that file's exercise id.
    - ``SCHEDULE_METRIC``: the metric of ``EXERCISE_FILE`` the schedule's values are in, where
      that is not the file's primary (the seated knee extension is written in its knee angle and
      counted on its hip-ankle line); default: the file's primary.
    """

    ID: str = ""
    REST: float = 0.0
    TARGET: float = 0.0
    MAT: bool = True
    FAULTS: tuple[str, ...] = ()
    EXERCISE_FILE: str | None = None
    SCHEDULE_METRIC: str | None = None

    def __init__(self, rig: Rig, clip: Clip, floor_z: float):
        self.rig, self.clip, self.floor_z = rig, clip, floor_z
        self.layout = np.eye(3)  # rest frame -> world for the body as a whole; set by subclasses

    @property
    def rest_value(self) -> float:
        return float(self.clip.options.get("rest", self.REST))

    def axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """World directions of the person's left, front and head (rest layout), for the camera."""
        L = self.layout
        return L[:, 0], -L[:, 1], L[:, 2]

    def framing_points(self, landmarks: np.ndarray, t: np.ndarray) -> np.ndarray:
        """The landmarks (subset of frames of ``landmarks`` (N,33,3), times ``t``) the camera
        frames; default all. A person walking in from out of view frames only the exercise."""
        return landmarks

    def scene_items(self, view) -> list:
        """Extra static geometry, e.g. a wall the hands press on: (positions, normals, colours)
        triangle soups like ``scene.static_scene``'s; default none."""
        return []

    def primary_of(self, pts: np.ndarray) -> np.ndarray:
        """The schedule's metric (``SCHEDULE_METRIC``, else the exercise file's primary) on
        landmark points (N, 33, 3), measured on the clip's measured side: what a module tabulates
        its pose parameter against."""
        assert self.EXERCISE_FILE is not None
        ms, pm = file_measures(self.EXERCISE_FILE)
        pm = self.SCHEDULE_METRIC or pm
        return compute_metrics(ms, pts, self.clip.measured_side, up=(0.0, 0.0, 1.0))[pm]

    def landmarks(self, A: np.ndarray, heads: np.ndarray) -> np.ndarray:
        """The 33 landmark-equivalent points of a pose (``heads``: its posed joint centres);
        default ``Rig.landmarks``. A module whose toes stay flat while the heel rises carries the
        toe tips on the toes (``upright.landmarks_toes_on_toe_bones``)."""
        return self.rig.landmarks(A, heads)

    def posed_landmarks(self, built: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """The landmarks of a built pose (``built``: the (A, root) that ``pose`` returns), posed by
        forward kinematics: what a module tabulates its metric on."""
        A, root = built
        return self.landmarks(A, self.rig.fk(A, root))

    def pose(self, cmd: Command) -> tuple[np.ndarray, np.ndarray]:
        """Return (A (B,3,3) world delta rotations, root head position (3,))."""
        raise NotImplementedError

    def amend_truth(self, truth: dict, posed) -> None:
        """Last word on a clip's truth dict before it is written (``posed``: the engine's ``Posed``):
        e.g. extra per-frame series in ``truth["generator"]``, or reps that are holds
        (``schedule.reps_from_holds``). Default: nothing."""
