"""A program file: what a physical therapist prescribes, as pydantic models.

These classes are the one definition of the format: they validate a file
(``load.py`` turns their errors into one line with the key path), and they emit
the JSON Schema editors use (``schema.py``), so the two cannot disagree.
Exercise files (``formcheck.exercises.custom``) are checked by hand because
they build an ``ExerciseSpec`` with cross-references between tables; a program
is a flat list of references and doses, which a schema describes completely.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FREQUENCY_PATTERN = r"^(daily|[1-7]x/week)$"
_FREQ = re.compile(FREQUENCY_PATTERN)
# Nx/week without ``days``: spread over the week so no two sessions fall on
# consecutive days where the count allows it.
DEFAULT_DAYS: dict[int, tuple[Weekday, ...]] = {
    1: ("mon",),
    2: ("mon", "thu"),
    3: ("mon", "wed", "fri"),
    4: ("mon", "tue", "thu", "sat"),
    5: ("mon", "tue", "wed", "thu", "fri"),
    6: ("mon", "tue", "wed", "thu", "fri", "sat"),
    7: WEEKDAYS,
}
# The handouts give no rest between sets ("as directed"); 30 s is formcheck's
# starting point when a program does not say, for the therapist to change.
DEFAULT_REST_S = 30.0


class ProgramExercise(BaseModel):
    """One exercise of the program, in the order the patient does them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    exercise: str | None = Field(
        default=None, description="A built-in exercise id (see `formcheck exercises`). Give this or `file`."
    )
    file: str | None = Field(
        default=None, description="An exercise file (TOML), relative to the program file. Give this or `exercise`."
    )
    side: Literal["left", "right"] | None = Field(
        default=None, description="The side this exercise is about; say which it is with `side_is`."
    )
    side_is: Literal["working", "painful"] | None = Field(
        default=None,
        description="Whether `side` is the working side (the one that moves) or the painful (affected) side.",
    )
    sets: int | None = Field(default=None, gt=0, description="Sets; default: the exercise's own dose.")
    reps: int | None = Field(
        default=None, gt=0, description="Reps per set (per side for per-side exercises); default: the exercise's."
    )
    hold_s: float | None = Field(default=None, gt=0, description="Seconds each hold lasts; default: the exercise's.")
    rest_s: float = Field(default=DEFAULT_REST_S, ge=0, description="Rest between sets, in seconds.")
    notes: str = Field(default="", description="Notes for the patient, shown with the exercise.")

    @model_validator(mode="after")
    def _one_source_and_a_stated_side(self) -> ProgramExercise:
        if (self.exercise is None) == (self.file is None):
            raise ValueError("give exactly one of `exercise` (a built-in id) or `file` (an exercise file)")
        if (self.side is None) != (self.side_is is None):
            raise ValueError('give `side` ("left"/"right") together with `side_is` ("working" or "painful")')
        return self

    @property
    def ref(self) -> str:
        return self.exercise if self.exercise is not None else f"file {self.file}"


class Program(BaseModel):
    """A home-exercise program: the exercises in order, how often, from when, for whom."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, title="formcheck program", json_schema_extra={"$id": "formcheck-program"}
    )

    name: str = Field(min_length=1, description="The program's title, shown to the patient.")
    patient: str | None = Field(default=None, description="An optional label for the patient (no need for a name).")
    frequency: str = Field(
        pattern=FREQUENCY_PATTERN, description='How often: "daily", or "Nx/week" with N from 1 to 7 (e.g. "3x/week").'
    )
    days: list[Weekday] | None = Field(
        default=None, description='For "Nx/week": which days (N of them); default: spread over the week.'
    )
    start: dt.date = Field(description="The first day of the program (a TOML date, e.g. 2026-12-01).")
    end: dt.date | None = Field(default=None, description="The last day, if the program has one.")
    time: dt.time | None = Field(default=None, description="Reminder time in the calendar (local, e.g. 08:00:00).")
    exercises: list[ProgramExercise] = Field(min_length=1, description="The exercises, in order ([[exercises]]).")

    @model_validator(mode="after")
    def _consistent_schedule(self) -> Program:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"`end` ({self.end}) is before `start` ({self.start})")
        if self.days is not None:
            if self.frequency == "daily":
                raise ValueError('`days` is for "Nx/week" frequencies; "daily" is every day')
            if len(set(self.days)) != len(self.days):
                raise ValueError("`days` names a day twice")
            if len(self.days) != self.sessions_per_week:
                raise ValueError(f"`days` names {len(self.days)} days but frequency is {self.frequency!r}")
        return self

    @property
    def sessions_per_week(self) -> int:
        m = _FREQ.match(self.frequency)
        if m is None or self.frequency == "daily":
            return 7
        return int(self.frequency[0])

    @property
    def weekdays(self) -> tuple[Weekday, ...]:
        if self.frequency == "daily":
            return WEEKDAYS
        return tuple(self.days) if self.days else DEFAULT_DAYS[self.sessions_per_week]
