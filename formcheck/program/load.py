"""Reading a program file: TOML -> ``Program`` -> each exercise resolved to its spec.

Every mistake is one ``ConfigError`` line naming the file, the key path
(``[[exercises]][2].sets``; list positions count from 0, as in exercise files)
and what would be valid. Nothing is recorded or written before a program has
loaded completely.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from formcheck.errors import ConfigError
from formcheck.exercises.spec import ExerciseSpec
from formcheck.program.model import Program, ProgramExercise
from formcheck.textfiles import read_toml

# What ``--side`` names for each built-in exercise (from each exercise module's docstring):
# the working leg (the one that moves or is stretched) or the painful (affected) one.
SIDE_ARG_NAMES: dict[str, Literal["working", "painful", "both"]] = {
    "hip_flexor_stretch": "painful",  # the affected leg stays straight; the other is pulled
    "calf_stretch": "working",  # the stretched (back) leg
    "half_kneel_hip_stretch": "working",  # the kneeling (back) leg
    "knee_to_chest": "working",  # the pulled leg
    "side_bend": "painful",  # the symptomatic side; bends go away from it
    "nerve_glide": "both",  # the affected leg is the one that works
}


@dataclass(frozen=True)
class PlannedExercise:
    """One program entry with its exercise loaded and its dose resolved."""

    entry: ProgramExercise
    spec: ExerciseSpec
    sets: int
    reps: int | None
    hold_s: float | None

    @property
    def per_side(self) -> bool:
        return self.spec.dose.per_side

    @property
    def rest_s(self) -> float:
        return self.entry.rest_s

    def describe_dose(self) -> str:
        amount = f"{self.reps} reps" if self.reps else ""
        if self.hold_s:
            amount = f"{amount} x {self.hold_s:g} s hold" if amount else f"{self.hold_s:g} s hold"
        side = " each side" if self.per_side else ""
        return f"{self.sets} x {amount}{side}"

    def analyzer_side(self) -> str:
        """The ``--side`` the analysis needs, from the side the program states and what it is."""
        side, stated = self.entry.side, self.entry.side_is
        if side is None or stated is None or self.spec.bilateral:
            return "auto"
        if self.per_side:
            return side  # done on both sides: the stated side comes first
        names = SIDE_ARG_NAMES.get(self.spec.id, "working")  # exercise files: --side is the working side
        if names in ("both", stated):
            return side
        return "left" if side == "right" else "right"


@dataclass(frozen=True)
class LoadedProgram:
    program: Program
    path: Path
    exercises: tuple[PlannedExercise, ...]


def load_program(path: str | Path) -> LoadedProgram:
    p = Path(path)
    label = str(path)
    if p.suffix.lower() in (".yaml", ".yml", ".json"):
        raise ConfigError(f"{label}: program files are TOML (.toml)")
    data = read_toml(p, label, "program file")
    return parse_program(data, label, base_dir=p.parent)


def parse_program(data: Mapping[str, Any], file: str = "<program file>", base_dir: Path | None = None) -> LoadedProgram:
    try:
        program = Program.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(f"{file}: {_first_error(exc, data)}") from None
    base = base_dir if base_dir is not None else Path.cwd()
    planned = tuple(_plan(entry, i, file, base) for i, entry in enumerate(program.exercises))
    return LoadedProgram(program, Path(file), planned)


def _plan(entry: ProgramExercise, i: int, file: str, base: Path) -> PlannedExercise:
    where = f"{file}: [[exercises]][{i}]"
    from formcheck.exercises.custom import load_exercise_file
    from formcheck.exercises.registry import builtin_exercises

    if entry.exercise is not None:
        builtins = builtin_exercises()
        if entry.exercise not in builtins:
            raise ConfigError(
                f"{where}.exercise: unknown exercise {json.dumps(entry.exercise)}{_suggest(entry.exercise, builtins)};"
                f" valid: {', '.join(sorted(builtins))}"
            )
        spec = builtins[entry.exercise]
    else:
        ex_path = base / str(entry.file)
        if not ex_path.is_file():
            raise ConfigError(f"{where}.file: no such exercise file {json.dumps(entry.file)} (looked for {ex_path})")
        spec = load_exercise_file(ex_path)  # its own errors name that file and key
    counts_reps = spec.kind == "reps" or spec.holds_count_as_reps
    if entry.reps is not None and not counts_reps:
        raise ConfigError(f"{where}.reps: {spec.id} is a timed hold; give hold_s (seconds) and sets, not reps")
    if entry.hold_s is not None and spec.kind == "reps" and spec.dose.hold_s is None:
        raise ConfigError(f"{where}.hold_s: {spec.id} is counted in reps without a hold; give reps, not hold_s")
    return PlannedExercise(
        entry=entry,
        spec=spec,
        sets=entry.sets if entry.sets is not None else spec.dose.sets,
        reps=entry.reps if entry.reps is not None else spec.dose.reps,
        hold_s=entry.hold_s if entry.hold_s is not None else spec.dose.hold_s,
    )


def _suggest(word: str, options: Sequence[str] | Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _key_path(loc: Sequence[int | str]) -> str:
    """('exercises', 2, 'sets') -> '[[exercises]][2].sets', the way exercise-file errors name keys."""
    out = ""
    i = 0
    while i < len(loc):
        part = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if part == "exercises" and isinstance(nxt, int):
            out += f"[[exercises]][{nxt}]"
            i += 2
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        i += 1
    return out


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _first_error(exc: ValidationError, data: Mapping[str, Any]) -> str:
    """Pydantic's first error as one line: key path, what is wrong, what is valid."""
    err = exc.errors(include_url=False)[0]
    loc = [p for p in err["loc"] if isinstance(p, int | str)]
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    path = _key_path(loc)
    if kind == "extra_forbidden":
        parent_model = ProgramExercise if "exercises" in loc[:1] and len(loc) == 3 else Program
        allowed = list(parent_model.model_fields)
        key = str(loc[-1])
        return f"{path}: unknown key{_suggest(key, allowed)}; valid keys: {', '.join(allowed)}"
    if kind == "missing":
        field = Program.model_fields.get(str(loc[-1])) if len(loc) == 1 else None
        hint = f" ({field.description})" if field is not None and field.description else ""
        return f"{path}: missing{hint}"
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        rel = "greater than" if kind == "greater_than" else "at least"
        shown = f"{bound:g}" if isinstance(bound, float) else str(bound)
        return f"{path}: must be {rel} {shown}, got {_show(value)}"
    if kind == "literal_error":
        return f"{path}: expected one of {ctx.get('expected', '')}, got {_show(value)}"
    if kind == "string_pattern_mismatch" and loc == ["frequency"]:
        return f'{path}: expected "daily" or "Nx/week" with N from 1 to 7 (e.g. "3x/week"), got {_show(value)}'
    if kind == "value_error":
        msg = str(ctx.get("error", err["msg"]))
        return f"{path}: {msg}" if path else msg
    message = str(err["msg"])
    message = message[0].lower() + message[1:] if message else message
    return f"{path}: {message}, got {_show(value)}" if path else message
