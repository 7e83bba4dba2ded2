"""Program files: the exercises a therapist prescribes, in order, with doses and a schedule."""

from __future__ import annotations

from pathlib import Path

from formcheck.program.load import LoadedProgram, PlannedExercise, load_program
from formcheck.program.model import Program, ProgramExercise


def default_program_path() -> Path:
    """The bundled lumbar radiculopathy home program (``formcheck program init`` copies it)."""
    return Path(__file__).with_name("data") / "lumbar_radiculopathy.toml"


__all__ = ["LoadedProgram", "PlannedExercise", "Program", "ProgramExercise", "default_program_path", "load_program"]
