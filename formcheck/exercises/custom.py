"""Exercises a physical therapist defines in a TOML file (``--exercise-file PATH``).

A file is either a whole exercise or a built-in one with some numbers changed::

    base = "bridge"          # start from a built-in exercise (optional)

    [exercise]               # id, name, view, kind, instruction, bilateral, primary, ...
    [metrics.knee_angle]     # angle = ["hip", "knee", "ankle"] (signed = true), or measure = "trunk_lean"
    [rep]                    # kind = "reps": target, direction, start_delta, end_delta, ...
    [timing]                 # reps only: min_top_s, min_down_s, min_rep_s and their messages
    [hold]                   # kind = "hold": position = [{metric, op, value}, ...], hold_s, ...
    [[faults]]               # code, message, when = [{metric, op, value}, ...], during
    [dose]                   # sets, reps, hold_s, per_side
    [guided]                 # not measurable from one webcam: reason, cue, position, ... (cued holds live)

Everything is checked before anything is built. Every mistake is a ``ConfigError``
naming the file, the key path (``[rep].target``, ``[[faults]][1].when[0].op``; list
positions count from 0) and what would be valid. ``formcheck exercises --show ID``
prints any built-in exercise in this format (``formcheck.exercises.export``).

YAML is not read: the standard library parses TOML, and YAML would add a dependency.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, NoReturn, cast, get_args

from formcheck.counting import HoldRule, RepRule
from formcheck.errors import ConfigError
from formcheck.exercises.custom_metrics import (
    COMBINES,
    JOINT_PREFIXES,
    MEASURE_SIDES,
    MEASURES,
    SIDED_JOINTS,
    SIDED_MEASURES,
    SIZES,
    UNITS_PER_DEGREE,
    AngleMetric,
    BothSides,
    DistanceMetric,
    HeightMetric,
    JointRef,
    MeasureMetric,
    MetricDef,
    RatioMetric,
    SegmentMetric,
    file_metric_set,
    measured_joints,
    metric_defs,
)
from formcheck.exercises.spec import (
    Condition,
    ConditionGroup,
    Dose,
    During,
    ExerciseSpec,
    FaultRule,
    Guidance,
    Op,
    RepTiming,
    Test,
    View,
    leaves,
)
from formcheck.metrics import METRIC_SETS, MetricsRef, metric_names, primary_metric
from formcheck.textfiles import read_toml

Kind = Literal["reps", "hold"]

TOP_KEYS = ("base", "exercise", "metrics", "rep", "timing", "hold", "faults", "dose", "guided")
EXERCISE_KEYS = (
    "id",
    "name",
    "source",
    "view",
    "kind",
    "instruction",
    "bilateral",
    "primary",
    "required",
    "metrics",
    "side_by",
    "side_by_direction",
    "views",
    "side",
)
SIDE_CHOICES = ("visible", "moving")
METRIC_KINDS = ("angle", "measure", "distance", "height", "segment", "ratio")
METRIC_KEYS = (*METRIC_KINDS, "signed", "side", "per", "against", "sides", "bias")
AGAINST = ("vertical", "horizontal")
GROUP_KEYS = ("all", "any")
REP_NUMBERS = (
    "target",
    "start_delta",
    "end_delta",
    "min_phase_s",
    "min_reach_s",
    "max_gap_s",
    "baseline_tau_s",
    "baseline_down_tau_s",
    "top_band",
    "rest",
)
REP_KEYS = (
    "target",
    "direction",
    *REP_NUMBERS[1:],
    "partial_code",
    "partial_message",
    "both_directions",
    "direction_rule",
    "wrong_side_message",
    "requires",
    "requires_code",
    "requires_message",
)
TIMING_KEYS = tuple(f.name for f in fields(RepTiming))
HOLD_NUMBERS = tuple(f.name for f in fields(HoldRule))
HOLD_KEYS = ("position", "direction", "hold_s", *HOLD_NUMBERS, "counts_as_reps", "partial_code", "partial_message")
FAULT_KEYS = ("code", "message", "when", "during", "still", "enabled")
CONDITION_KEYS = ("metric", "op", "value", "relative")
DOSE_KEYS = ("sets", "reps", "hold_s", "per_side")
GUIDED_KEYS = ("reason", "cue", "position", "position_message", "relax_s", "relax")

KINDS: tuple[Kind, ...] = ("reps", "hold")
OPS: tuple[Op, ...] = get_args(Op)
DIRECTION_RULES = ("any", "away_from_side")
DURING: dict[Kind, tuple[During, ...]] = {"reps": ("any", "rest", "active", "top"), "hold": ("any", "rest", "hold")}
DIRECTIONS = {"up": 1, "down": -1}

# Lower bounds of the numbers (inclusive 0 or strictly positive); anything else may be any finite number.
_NON_NEGATIVE = {"end_delta", "min_phase_s", "min_reach_s", "min_enter_s", "exit_grace_s", "min_hold_s"}
_NON_NEGATIVE |= {"min_top_s", "min_down_s", "min_rep_s"}
_POSITIVE = {"start_delta", "max_gap_s", "baseline_tau_s", "baseline_down_tau_s", "top_band", "max_step_s", "hold_s"}
_POSITIVE |= {"relax_s"}

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_CONDITION = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(abs\s*[<>]|<=|>=|<|>|=+)\s*(\S+)\s*\Z")


def load_exercise_file(path: str | Path, _chain: tuple[Path, ...] = ()) -> ExerciseSpec:
    """Read and check an exercise file; every problem is a ConfigError naming file and key."""
    p = Path(path)
    label = str(path)
    if p.suffix.lower() in (".yaml", ".yml"):
        raise ConfigError(f"{label}: YAML exercise files are not supported; write TOML (.toml)")
    data = read_toml(p, label, "exercise file")
    return _Loader(data, label, (*_chain, p.resolve())).load()


def parse_exercise(data: Mapping[str, Any], file: str = "<exercise file>") -> ExerciseSpec:
    """Build a spec from already-parsed TOML; ``file`` is how errors name the source."""
    return _Loader(data, file).load()


# -- reading typed values ---------------------------------------------------------


def _show(value: object) -> str:
    """A value as the error message quotes it, in TOML's terms."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _quoted(values: Sequence[object]) -> str:
    return ", ".join(_show(v) for v in values)


def _suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1) or [o for o in options if word and o.startswith(word)][:1]
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Table:
    """One TOML table being read: typed getters whose errors name the file and the key path."""

    def __init__(self, file: str, path: str, data: Mapping[str, Any], allowed: Sequence[str]) -> None:
        self.file, self.path, self.data = file, path, data
        for key in data:
            if key not in allowed:
                self.fail(key, f"unknown key{_suggest(key, allowed)}; valid keys: {', '.join(allowed)}")

    def where(self, key: str | None = None) -> str:
        if key is None:
            return self.path
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str | None, message: str) -> NoReturn:
        raise ConfigError(f"{self.file}: {self.where(key)}: {message}")

    def has(self, key: str) -> bool:
        return key in self.data

    def missing(self, key: str, what: str) -> NoReturn:
        self.fail(key, f"missing; expected {what}")

    def table(self, key: str, allowed: Sequence[str]) -> _Table | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            self.fail(key, f"expected a table ([{key}]), got {_show(value)}")
        return _Table(self.file, f"[{self.where(key)}]", value, allowed)

    def opt_str(self, key: str, pattern: re.Pattern[str] | None = None, what: str = "") -> str | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_show(value)}")
        if not value.strip():
            self.fail(key, "must not be empty")
        if pattern is not None and not pattern.match(value):
            self.fail(key, f"{_show(value)} is not valid; expected {what}")
        return value

    def opt_choice(self, key: str, options: Sequence[str]) -> str | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, str) or value not in options:
            hint = _suggest(value, options) if isinstance(value, str) else ""
            self.fail(key, f"expected one of {_quoted(options)}, got {_show(value)}{hint}")
        return value

    def opt_bool(self, key: str) -> bool | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_show(value)}")
        return value

    def opt_number(self, key: str) -> float | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number, got {_show(value)}")
        if not math.isfinite(value):
            self.fail(key, f"expected a finite number, got {_show(value)}")
        if key in _POSITIVE and value <= 0:
            self.fail(key, f"must be greater than 0, got {_show(value)}")
        if key in _NON_NEGATIVE and value < 0:
            self.fail(key, f"must be 0 or more, got {_show(value)}")
        return float(value)

    def opt_count(self, key: str) -> int | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number, got {_show(value)}")
        if value < 1:
            self.fail(key, f"must be 1 or more, got {_show(value)}")
        return value

    def opt_direction(self, key: str) -> int | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if isinstance(value, str) and value in DIRECTIONS:
            return DIRECTIONS[value]
        if isinstance(value, int) and not isinstance(value, bool) and value in (1, -1):
            return value
        self.fail(key, f'expected "up" or "down" (or 1 / -1), got {_show(value)}')

    def opt_list(self, key: str) -> list[Any] | None:
        if key not in self.data:
            return None
        value = self.data[key]
        if not isinstance(value, list):
            self.fail(key, f"expected a list [...], got {_show(value)}")
        return value


@dataclass(frozen=True)
class _RepPart:
    """What [rep] and [timing] set (the defaults: a hold exercise has no rep)."""

    rule: RepRule | None = None
    partial_code: str = ExerciseSpec.partial_code
    partial_message: str = ExerciseSpec.partial_message
    both_directions: bool = False
    direction_rule: Literal["any", "away_from_side"] = "any"
    wrong_side_message: str = ExerciseSpec.wrong_side_message
    timing: RepTiming = field(default_factory=RepTiming)
    requires: tuple[Test, ...] = ()
    requires_code: str = ExerciseSpec.requires_code
    requires_message: str = ExerciseSpec.requires_message


@dataclass(frozen=True)
class _HoldPart:
    """What [hold] sets (the defaults: a reps exercise holds nothing)."""

    position: tuple[Test, ...] = ()
    direction: int = 1
    rule: HoldRule = field(default_factory=HoldRule)
    hold_s: float | None = None
    counts_as_reps: bool = False
    partial_code: str = "partial"
    partial_message: str = "Go all the way to the target position"


def _defaults(cls: type) -> dict[str, Any]:
    """A dataclass's field defaults (fields without one are left out)."""
    return {f.name: f.default for f in fields(cls) if f.default is not MISSING}


# -- the loader -----------------------------------------------------------------------


class _Loader:
    def __init__(self, data: Mapping[str, Any], file: str, chain: tuple[Path, ...] = ()) -> None:
        self.chain = chain  # the files being loaded, outermost first (a base = "file.toml" cycle)
        self.file = file
        self.top = _Table(file, "", data, TOP_KEYS)
        self.base: ExerciseSpec | None = None
        self.names: tuple[str, ...] = ()
        self.defs: dict[str, MetricDef] = {}
        self.ranges: dict[str, tuple[float, float]] = {}

    def fail(self, where: str, message: str) -> NoReturn:
        raise ConfigError(f"{self.file}: {where}: {message}")

    def _base_file(self, name: str) -> ExerciseSpec:
        """base = "other.toml": another exercise file, beside this one; its own errors name it."""
        path = Path(self.file).parent / name
        if path.resolve() in self.chain:
            self.fail("base", f"{_show(name)} starts from this file again (a loop of base files)")
        if not path.is_file():
            self.fail("base", f"no such exercise file {_show(name)} (looked for {path})")
        return load_exercise_file(path, self.chain)

    def load(self) -> ExerciseSpec:
        top = self.top
        from formcheck.exercises.registry import builtin_exercises  # the registry never imports this module

        builtins = builtin_exercises()
        base_id = top.opt_str("base")
        if base_id is not None and base_id.lower().endswith(".toml"):
            self.base = self._base_file(base_id)
        elif base_id is not None:
            if base_id not in builtins:
                top.fail("base", f"unknown exercise {_show(base_id)}{_suggest(base_id, list(builtins))}; "
                         f"valid: {', '.join(sorted(builtins))}")  # fmt: skip
            self.base = builtins[base_id]
        base = self.base
        found = top.table("exercise", EXERCISE_KEYS)
        if found is None and base is None:
            self.fail(
                "[exercise]",
                'missing; a file needs base = "<built-in exercise id>" or an [exercise] table '
                "(id, name, view, kind, instruction, primary)",
            )
        ex = found if found is not None else _Table(self.file, "[exercise]", {}, EXERCISE_KEYS)

        def required_str(key: str, fallback: str | None, pattern: re.Pattern[str] | None = None, what: str = "") -> str:
            value = ex.opt_str(key, pattern, what)
            if value is not None:
                return value
            if fallback is None:
                ex.missing(key, what or "a string")
            return fallback

        ex_id = required_str("id", base.id if base else None, _ID, "letters, digits, _ and - (e.g. knee_extension)")
        name = required_str("name", base.name if base else None, None, 'a display name, e.g. "Seated knee extension"')
        instruction = required_str(
            "instruction", base.instruction if base else None, None, "one line telling the patient what to do"
        )
        source = ex.opt_str("source") or (
            f"{base.source}; adjusted in {Path(self.file).name}" if base else f"exercise file {Path(self.file).name}"
        )
        view_names = [v.value for v in View]
        view_s = ex.opt_choice("view", view_names)
        views: list[View] = []
        for i, v in enumerate(ex.opt_list("views") or []):
            if not isinstance(v, str) or v not in view_names:
                hint = _suggest(v, view_names) if isinstance(v, str) else ""
                ex.fail(f"views[{i}]", f"expected one of {_quoted(view_names)}, got {_show(v)}{hint}")
            views.append(View(v))
        if ex.has("views") and not views:
            ex.fail("views", "empty; list the camera views the exercise may be done in")
        if view_s is None and views:
            view_s = views[0].value
        if view_s is None and base is None:
            ex.missing("view", f"one of {_quoted(view_names)} (or views = [...])")
        view = View(view_s) if view_s is not None else cast(ExerciseSpec, base).view
        side_choice = ex.opt_choice("side", SIDE_CHOICES) or (base.side_choice if base else "visible")
        kind_s = ex.opt_choice("kind", KINDS)
        if kind_s is None and base is None:
            ex.missing("kind", '"reps" (counted in repetitions) or "hold" (a timed position)')
        kind = cast(Kind, kind_s) if kind_s is not None else cast(ExerciseSpec, base).kind
        bilateral = ex.opt_bool("bilateral")
        if bilateral is None:
            bilateral = base.bilateral if base else True
        side_by_metric = ex.opt_str("side_by")
        side_by: tuple[str, int] | None = base.side_by if base else None
        if side_by_metric is not None:
            side_by = (side_by_metric, ex.opt_direction("side_by_direction") or 1)

        metrics, primary, defs, file_defs = self._metrics(ex)
        required = self._required(ex, defs, file_defs)
        rp = self._rep(primary) if kind == "reps" else _RepPart()
        hp = self._hold(primary) if kind == "hold" else _HoldPart()
        dose = self._dose(kind, hp)
        faults = self._faults(kind)
        cued = kind == "hold" and hp.counts_as_reps  # each cued hold is a rep
        if self.top.has("guided") and not cued:
            self.fail("[guided]", "only for holds counted as reps ([hold] counts_as_reps = true): a cued hold is a rep")
        guided = self._guided() if cued else None
        try:
            return ExerciseSpec(
                id=ex_id,
                name=name,
                source=source,
                view=view,
                instruction=instruction,
                metrics=metrics,
                primary=primary,
                dose=dose,
                required=required,
                bilateral=bilateral,
                rep=rp.rule,
                partial_code=rp.partial_code if kind == "reps" else hp.partial_code,
                partial_message=rp.partial_message if kind == "reps" else hp.partial_message,
                timing=rp.timing,
                hold_position=hp.position,
                rep_requires=rp.requires,
                requires_code=rp.requires_code,
                requires_message=rp.requires_message,
                hold=hp.rule,
                hold_direction=hp.direction,
                faults=faults,
                both_directions=rp.both_directions,
                direction_rule=rp.direction_rule,
                wrong_side_message=rp.wrong_side_message,
                holds_count_as_reps=hp.counts_as_reps,
                side_by=side_by,
                views=tuple(views) if views else (base.views if base else ()),
                side_choice=cast(Any, side_choice),
                guided=guided,
            )
        except ValueError as exc:  # checked above; a safety net, still one line
            raise ConfigError(f"{self.file}: {exc}") from None

    # -- metrics ----------------------------------------------------------------------
    def _metrics(self, ex: _Table) -> tuple[MetricsRef, str, dict[str, MetricDef], dict[str, MetricDef]]:
        """The spec's metrics, its primary metric, all known definitions and those the file gave."""
        base = self.base
        start_key = ex.opt_choice("metrics", sorted(METRIC_SETS))
        start: MetricsRef | None = start_key if start_key is not None else (base.metrics if base else None)
        file_defs: dict[str, MetricDef] = {}
        raw = self.top.data.get("metrics")
        if raw is not None:
            if not isinstance(raw, dict):
                self.top.fail("metrics", f"expected tables [metrics.<name>], got {_show(raw)}")
            if not raw:
                self.fail("[metrics]", 'empty; add e.g. [metrics.knee_angle] angle = ["hip", "knee", "ankle"]')
            for metric, body in raw.items():
                file_defs[metric] = self._metric_def(metric, body)
        if start is None and not file_defs:
            self.fail(
                "[metrics]",
                'missing; define at least one metric, e.g. [metrics.knee_angle] angle = ["hip", "knee", "ankle"]',
            )
        start_defs = metric_defs(start) if start is not None else {}
        if file_defs and start_defs is None:
            what = f"base {base.id}" if base and start_key is None else f"metric set {start!r}"
            self.fail("[metrics]", f"the metrics of {what} are defined in code and cannot be extended here")
        defs = {**(start_defs or {}), **file_defs}
        for name, d in file_defs.items():
            if isinstance(d, RatioMetric):
                for i, other in enumerate(d.of):
                    if other == name or other not in defs or isinstance(defs[other], RatioMetric):
                        valid = [n for n, x in defs.items() if n != name and not isinstance(x, RatioMetric)]
                        self.fail(
                            f"[metrics.{name}].ratio[{i}]",
                            f"expected another metric of this file that is not a ratio, got {_show(other)}; "
                            f"valid: {', '.join(valid)}",
                        )
        self.defs = defs
        self.names = tuple(defs) if defs else metric_names(cast(MetricsRef, start))
        self.ranges = {n: d.value_range for n, d in defs.items()}

        primary = ex.opt_str("primary")
        if primary is None:
            if base is not None and base.primary in self.names:
                primary = base.primary
            elif start_key is not None and not file_defs:
                primary = primary_metric(start_key)
            elif len(self.names) == 1:
                primary = self.names[0]
            else:
                ex.missing("primary", f"the metric reps or holds are judged on, one of {_quoted(self.names)}")
        if primary not in self.names:
            ex.fail("primary", f"unknown metric {_show(primary)}{self._valid_metrics(primary)}")
        if file_defs:
            return file_metric_set(defs, primary), primary, defs, file_defs
        return cast(MetricsRef, start), primary, defs, file_defs

    def _valid_metrics(self, name: str) -> str:
        return f"{_suggest(name, self.names)}; valid metrics: {', '.join(self.names)}"

    def _metric_def(self, metric: str, body: object) -> MetricDef:
        where = f"[metrics.{metric}]"
        if not _NAME.match(metric):
            self.fail(where, "a metric name is letters, digits and _ (not starting with a digit)")
        if not isinstance(body, dict):
            self.fail(where, f'expected a table like {{ angle = ["hip", "knee", "ankle"] }}, got {_show(body)}')
        t = _Table(self.file, where, body, METRIC_KEYS)
        kinds = [k for k in METRIC_KINDS if t.has(k)]
        if len(kinds) != 1:
            self.fail(
                where,
                (f"give either {' or '.join(kinds)}, not several" if kinds else "missing angle or measure")
                + f" (one of {', '.join(METRIC_KINDS)})"
                + f'; e.g. angle = ["hip", "knee", "ankle"], or measure = one of {_quoted(MEASURES)}',
            )
        kind = kinds[0]
        if t.has("side") and kind == "angle":
            t.fail("side", 'only for a measure; in an angle, prefix a joint instead ("other_knee")')
        only = (
            ("signed", ("angle",)),
            ("per", ("distance", "height")),
            ("against", ("segment",)),
            ("side", ("measure",)),
        )
        for key, kinds_ok in only:
            if t.has(key) and kind not in kinds_ok:
                t.fail(key, f"only for {' or '.join(kinds_ok)}, not {kind}")
        combine = t.opt_choice("sides", COMBINES)
        if combine is not None and kind == "ratio":
            t.fail("sides", "a ratio divides two metrics; give sides on them instead")
        d = self._metric_kind(t, kind)
        if combine is None:
            return d
        assert not isinstance(d, RatioMetric | BothSides)
        return BothSides(d, cast(Any, combine))

    def _points(self, t: _Table, key: str, n: int) -> tuple[JointRef, ...]:
        joints = t.opt_list(key) or []
        if len(joints) != n:
            t.fail(key, f"expected {n} joints, got {len(joints)}")
        refs = tuple(self._joint(t.where(key), i, j) for i, j in enumerate(joints))
        if len(set(refs)) < n:
            t.fail(key, f"the joints must differ, got {_quoted(joints)}")
        return refs

    def _metric_kind(self, t: _Table, kind: str) -> MetricDef:
        bias = t.opt_number("bias")
        if kind in ("distance", "height"):
            a, b = self._points(t, kind, 2)
            per = cast(Any, t.opt_choice("per", SIZES) or "trunk")
            return (DistanceMetric if kind == "distance" else HeightMetric)((a, b), per, bias)
        if kind == "segment":
            a, b = self._points(t, "segment", 2)
            against_raw = t.data.get("against", "vertical")
            if isinstance(against_raw, list):
                c, d = self._points(t, "against", 2)
                return SegmentMetric((a, b), (c, d), bias)
            against = t.opt_choice("against", AGAINST) or "vertical"
            return SegmentMetric((a, b), cast(Any, against), bias)
        if kind == "ratio":
            names = t.opt_list("ratio") or []
            if len(names) != 2 or not all(isinstance(n, str) for n in names):
                t.fail("ratio", f'expected two metric names ["top", "bottom"], got {_show(names)}')
            return RatioMetric((names[0], names[1]), bias)
        if kind == "angle":
            joints = t.opt_list("angle") or []
            if len(joints) != 3:
                t.fail("angle", f"expected three joints (the angle is at the middle one), got {len(joints)}")
            refs = tuple(self._joint(t.where("angle"), i, j) for i, j in enumerate(joints))
            if len(set(refs)) < 3:
                t.fail("angle", f"the three joints must differ, got {_quoted(joints)}")
            return AngleMetric((refs[0], refs[1], refs[2]), bool(t.opt_bool("signed")), bias)
        measure = cast(str, t.opt_choice("measure", MEASURES))
        side = t.opt_choice("side", MEASURE_SIDES)
        if side is not None and measure not in SIDED_MEASURES:
            t.fail("side", f"{measure} is measured on the whole body and takes no side")
        return MeasureMetric(measure, cast(Any, side or "measured"), bias)

    def _joint(self, where: str, i: int, value: object) -> JointRef:
        at = f"{where}[{i}]"
        if not isinstance(value, str):
            self.fail(at, f"expected a joint name, got {_show(value)}")
        try:
            return JointRef.parse(value)
        except ValueError:
            bare = value
            for prefix in JOINT_PREFIXES:
                bare = bare.removeprefix(prefix)
            self.fail(
                at,
                f"unknown joint {_show(value)}{_suggest(bare, SIDED_JOINTS)}; valid joints: "
                f"{', '.join(SIDED_JOINTS)} (the measured side; prefix other_, left_, right_ or mid_), nose",
            )

    def _required(
        self, ex: _Table, defs: Mapping[str, MetricDef], file_defs: Mapping[str, MetricDef]
    ) -> tuple[str, ...]:
        """Joints of the measured side that must be visible: given, or those the metrics read."""
        given = ex.opt_list("required")
        if given is not None:
            out = []
            for i, j in enumerate(given):
                if not isinstance(j, str) or j not in SIDED_JOINTS:
                    hint = _suggest(j, SIDED_JOINTS) if isinstance(j, str) else ""
                    self.fail(
                        f"[exercise].required[{i}]",
                        f"expected a joint of the measured side, got {_show(j)}{hint}; "
                        f"valid: {', '.join(SIDED_JOINTS)}",
                    )
                out.append(j)
            return tuple(dict.fromkeys(out))
        base = self.base
        joints: list[str] = list(base.required) if base else []
        for d in (file_defs if base else defs).values():
            joints += measured_joints(d)
        return tuple(dict.fromkeys(joints)) or cast(tuple[str, ...], _defaults(ExerciseSpec)["required"])

    # -- conditions -------------------------------------------------------------------
    def _conditions(self, where: str, value: object) -> tuple[Test, ...]:
        items = value if isinstance(value, list) else [value]
        if not items:
            self.fail(
                where, 'empty; give at least one condition, e.g. [{ metric = "knee_angle", op = ">", value = 160 }]'
            )
        return tuple(
            self._condition(f"{where}[{i}]" if isinstance(value, list) else where, c) for i, c in enumerate(items)
        )

    def _condition(self, where: str, value: object) -> Test:
        example = '{ metric = "knee_angle", op = ">", value = 160 } (or "knee_angle > 160")'
        if isinstance(value, dict) and any(k in value for k in GROUP_KEYS):
            if len(value) != 1:
                self.fail(where, f"a group is one key, all = [...] or any = [...]; got {', '.join(value)}")
            mode, items = next(iter(value.items()))
            at = f"{where}.{mode}"
            if not isinstance(items, list) or not items:
                self.fail(at, "expected a non-empty list of conditions [...]")
            return ConditionGroup(mode, tuple(self._condition(f"{at}[{i}]", c) for i, c in enumerate(items)))
        if isinstance(value, str):
            m = _CONDITION.match(value)
            if m is None:
                self.fail(where, f"expected a condition like {example}, got {_show(value)}")
            metric, op, number = m.group(1), re.sub(r"\s+", "", m.group(2)), m.group(3)
            try:
                v: object = float(number)
            except ValueError:
                v = number
            return self._check_condition(where, metric, op, v, value)
        if not isinstance(value, dict):
            self.fail(where, f"expected a condition like {example}, got {_show(value)}")
        t = _Table(self.file, where, value, (*CONDITION_KEYS, *GROUP_KEYS))
        for key in CONDITION_KEYS[:3]:
            if not t.has(key):
                t.missing(key, {"metric": "a metric name", "op": f"one of {_quoted(OPS)}", "value": "a number"}[key])
        relative = bool(t.opt_bool("relative"))
        if value["op"] == "between":
            pair = value["value"]
            ok = isinstance(pair, list) and len(pair) == 2
            ok = ok and all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in pair)
            if not ok:
                t.fail("value", f"between takes two numbers [low, high], got {_show(pair)}")
            if not pair[0] < pair[1]:
                t.fail("value", f"the low end must be below the high end, got [{pair[0]:g}, {pair[1]:g}]")
            cond = self._check_condition(where, value["metric"], "between", pair[0], None, relative)
            return replace(cond, high=float(pair[1]))
        return self._check_condition(where, value["metric"], value["op"], value["value"], None, relative)

    def _check_condition(
        self, where: str, metric: object, op: object, v: object, text: str | None, relative: bool = False
    ) -> Condition:
        def at(key: str) -> str:
            return where if text is not None else f"{where}.{key}"

        if not isinstance(metric, str) or metric not in self.names:
            hint = (
                self._valid_metrics(metric) if isinstance(metric, str) else f"; valid metrics: {', '.join(self.names)}"
            )
            self.fail(at("metric"), f"unknown metric {_show(metric)}{hint}")
        if op not in OPS:
            self.fail(at("op"), f"expected one of {_quoted(OPS)}, got {_show(op)}")
        if op == "between" and text is not None:
            self.fail(where, 'between is written as a table: { metric = "...", op = "between", value = [low, high] }')
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            self.fail(at("value"), f"expected a number, got {_show(v)}")
        d = self.defs.get(metric)
        each = d.combine if isinstance(d, BothSides) and d.combine in ("both", "either") else None
        scale = UNITS_PER_DEGREE[d.units] if d is not None else 1.0
        cond = Condition(metric, op, float(v), relative=relative, each=cast(Any, each), scale=scale)
        if not relative:  # a change from rest has no fixed range to check against
            self._check_reachable(at("value"), cond)
        return cond

    def _check_reachable(self, where: str, cond: Condition) -> None:
        rng = self.ranges.get(cond.metric)
        if rng is None:
            return
        lo, hi = rng
        never = (
            (cond.op == ">" and cond.value >= hi)
            or (cond.op == "<" and cond.value <= lo)
            or (cond.op == "abs>" and cond.value >= max(abs(lo), abs(hi)))
            or (cond.op == "abs<" and cond.value <= 0)
            or (cond.op == "between" and (cond.value >= hi))
        )
        if never:
            self.fail(where, f"{cond} can never be true: {cond.metric} runs from {lo:g} to {hi:g}")

    # -- reps -------------------------------------------------------------------------
    def _rep(self, primary: str) -> _RepPart:
        top, base = self.top, self.base
        if top.has("hold"):
            self.fail(
                "[hold]", 'not allowed in a reps exercise (kind = "reps"): it is counted in reps or held, not both'
            )
        base_rep = base.rep if base is not None else None
        t = top.table("rep", REP_KEYS)
        if t is None:
            if base_rep is None:
                self.fail("[rep]", 'missing; a reps exercise (kind = "reps") needs [rep] with at least target')
            t = _Table(self.file, "[rep]", {}, REP_KEYS)
        given: dict[str, Any] = {k: t.opt_number(k) for k in REP_NUMBERS if t.has(k)}
        direction = t.opt_direction("direction")
        if direction is not None:
            given["direction"] = direction
        values = {**(_fields_of(base_rep) if base_rep else _defaults(RepRule)), **given}
        origin = f", from base {base.id}" if base_rep and base else ""
        if "target" not in values:
            t.missing("target", f"a number: the value of {primary} that completes a rep")
        d = self.defs.get(primary)
        if d is not None and d.units != "deg" and base_rep is None:
            for key in ("start_delta", "end_delta", "top_band"):  # their defaults are degrees
                if key not in given:
                    unit = {"body": "body sizes", "ratio": "a ratio"}.get(d.units, d.units)
                    t.missing(key, f"a number in {primary}'s units ({unit}, not degrees)")
        start, end = values["start_delta"], values["end_delta"]
        if end >= start:
            if "end_delta" in given:
                t.fail(
                    "end_delta",
                    f"must be smaller than start_delta ({start:g}{'' if 'start_delta' in given else origin})",
                )
            t.fail("start_delta", f"must be greater than end_delta ({end:g}{origin})")
        target_at = t.where("target") if "target" in given else f"{t.where('target')}{origin}"
        rng = self.ranges.get(primary)
        if rng is not None and not rng[0] < values["target"] < rng[1]:  # where the metric cannot go
            self.fail(
                target_at, f"{values['target']:g} can never be reached: {primary} runs from {rng[0]:g} to {rng[1]:g}"
            )
        if values.get("rest") is not None and values["direction"] * (values["target"] - values["rest"]) <= start:
            self.fail(
                target_at,
                f"must be more than start_delta ({start:g}) {'above' if values['direction'] > 0 else 'below'} "
                f"rest ({values['rest']:g})",
            )
        rule = RepRule(**values)

        def text(key: str, fallback: str, pattern: re.Pattern[str] | None = None, what: str = "") -> str:
            value = t.opt_str(key, pattern, what)
            return value if value is not None else fallback

        code_what = "a code of letters, digits and _"
        partial_code = text("partial_code", base.partial_code if base else ExerciseSpec.partial_code, _NAME, code_what)
        partial_message = text("partial_message", base.partial_message if base else ExerciseSpec.partial_message)
        both = t.opt_bool("both_directions")
        both = both if both is not None else (base.both_directions if base else False)
        rule_s = t.opt_choice("direction_rule", DIRECTION_RULES) or (base.direction_rule if base else "any")
        if rule_s == "away_from_side" and not both:
            t.fail(
                "direction_rule" if t.has("direction_rule") else "both_directions",
                'direction_rule = "away_from_side" needs both_directions = true (a signed metric done to both sides)',
            )
        wrong_side = text("wrong_side_message", base.wrong_side_message if base else ExerciseSpec.wrong_side_message)
        requires = base.rep_requires if base else ()
        if t.has("requires"):
            requires = self._conditions(t.where("requires"), t.data["requires"])
        return _RepPart(
            rule,
            partial_code,
            partial_message,
            both,
            cast(Literal["any", "away_from_side"], rule_s),
            wrong_side,
            self._timing(),
            requires,
            text("requires_code", base.requires_code if base else ExerciseSpec.requires_code, _NAME, code_what),
            text("requires_message", base.requires_message if base else ExerciseSpec.requires_message),
        )

    def _timing(self) -> RepTiming:
        base = self.base
        t = self.top.table("timing", TIMING_KEYS)
        values = _fields_of(base.timing) if base is not None else _defaults(RepTiming)
        if t is None:
            return RepTiming(**values)
        for key in TIMING_KEYS:
            if not t.has(key):
                continue
            if key.startswith("min_"):
                values[key] = t.opt_number(key)
            elif key.endswith("_code"):
                values[key] = t.opt_str(key, _NAME, "a code of letters, digits and _")
            else:
                values[key] = t.opt_str(key)
        return RepTiming(**values)

    # -- holds ------------------------------------------------------------------------
    def _hold(self, primary: str) -> _HoldPart:
        top, base = self.top, self.base
        for section in ("rep", "timing"):
            if top.has(section):
                self.fail(
                    f"[{section}]",
                    'not allowed in a hold exercise (kind = "hold"): it is counted in reps or held, not both',
                )
        base_hold = base if base is not None and base.kind == "hold" else None
        t = top.table("hold", HOLD_KEYS)
        if t is None:
            if base_hold is None:
                self.fail("[hold]", 'missing; a hold exercise (kind = "hold") needs [hold] with position and hold_s')
            t = _Table(self.file, "[hold]", {}, HOLD_KEYS)
        if t.has("position"):
            position = self._conditions(t.where("position"), t.data["position"])
        elif base_hold is not None:
            position = base_hold.hold_position
        else:
            t.missing("position", 'the held position, e.g. [{ metric = "hip_angle", op = "<", value = 70 }]')
        direction = t.opt_direction("direction")
        if direction is None:
            if base_hold is not None and not t.has("position"):
                direction = base_hold.hold_direction
            else:  # the primary metric moves into the position: towards "> x" it rises, towards "< x" it falls
                ops = [c.op for c in leaves(position) if c.metric == primary]
                direction = -1 if ops and ops[0] == "<" else 1
        values = _fields_of(base_hold.hold) if base_hold is not None else _defaults(HoldRule)
        for key in HOLD_NUMBERS:
            if t.has(key):
                values[key] = t.opt_number(key)
        counts = t.opt_bool("counts_as_reps")
        if counts is None:
            counts = base_hold.holds_count_as_reps if base_hold is not None else False
        code = t.opt_str("partial_code") or (base_hold.partial_code if base_hold is not None else "partial")
        message = t.opt_str("partial_message") or (
            base_hold.partial_message if base_hold is not None else _HoldPart.partial_message
        )
        return _HoldPart(position, direction, HoldRule(**values), t.opt_number("hold_s"), counts, code, message)

    # -- dose -------------------------------------------------------------------------
    def _dose(self, kind: Kind, hold: _HoldPart) -> Dose:
        base = self.base
        t = self.top.table("dose", DOSE_KEYS)
        if t is None:
            if base is None:
                self.fail("[dose]", "missing; e.g. [dose] sets = 3, reps = 10 (or hold_s = 30 for a hold)")
            t = _Table(self.file, "[dose]", {}, DOSE_KEYS)
        values: dict[str, Any] = _fields_of(base.dose) if base is not None else {}
        for key, value in (
            ("sets", t.opt_count("sets")),
            ("reps", t.opt_count("reps")),
            ("hold_s", t.opt_number("hold_s")),
            ("per_side", t.opt_bool("per_side")),
        ):
            if value is not None:
                values[key] = value
        if "sets" not in values:
            t.missing("sets", "a whole number of sets")
        hold_s = hold.hold_s
        if hold_s is not None:
            if t.has("hold_s") and values["hold_s"] != hold_s:
                self.fail(
                    "[hold].hold_s", f"{hold_s:g} differs from [dose].hold_s ({values['hold_s']:g}); give it once"
                )
            values["hold_s"] = hold_s
        if values.get("hold_s") is None:
            if kind == "hold":
                t.missing("hold_s", "the seconds each hold lasts (here or as [hold].hold_s)")
            if hold.counts_as_reps:
                t.missing("hold_s", "the seconds a hold must last to count as a rep ([hold].counts_as_reps)")
        return Dose(**values)

    # -- guided (not measurable) -------------------------------------------------------
    def _guided(self) -> Guidance | None:
        """[guided]: the movement is below what one webcam measures; live mode cues holds instead."""
        base = self.base.guided if self.base is not None else None
        t = self.top.table("guided", GUIDED_KEYS)
        if t is None:
            return base
        values: dict[str, Any] = _fields_of(base) if base is not None else {}
        for key in ("reason", "cue", "position_message", "relax"):
            text = t.opt_str(key)
            if text is not None:
                values[key] = text
        relax_s = t.opt_number("relax_s")
        if relax_s is not None:
            values["relax_s"] = relax_s
        if t.has("position"):
            position = self._conditions(t.where("position"), t.data["position"])
            for c in leaves(position):
                if c.relative:
                    t.fail("position", f"{c}: the starting position is seen as it is, not from a learnt rest")
            values["position"] = position
        what = {
            "reason": "why one webcam cannot measure the movement (shown to the user)",
            "cue": 'what to do at each cue, e.g. "Tighten your stomach and flatten your back"',
            "position": 'the starting position as it can be seen, e.g. ["knee_angle < 135"]',
            "position_message": "what to do when out of the starting position",
            "relax_s": "the seconds of relaxation between two cued holds",
        }
        for key, expected in what.items():
            if key not in values:
                t.missing(key, expected)
        return Guidance(**values)

    # -- faults -----------------------------------------------------------------------
    def _faults(self, kind: Kind) -> tuple[FaultRule, ...]:
        base = self.base
        # (where to blame it, the rule, inherited from the base?)
        rules: list[tuple[str, FaultRule, bool]] = []
        if base is not None:
            rules = [(f"base {base.id}: fault {r.code}", r, True) for r in base.faults]
        raw = self.top.data.get("faults")
        if raw is not None and not (isinstance(raw, list) and all(isinstance(x, dict) for x in raw)):
            self.top.fail("faults", f"expected an array of tables ([[faults]]), got {_show(raw)}")
        for i, entry in enumerate(raw or []):
            t = _Table(self.file, f"[[faults]][{i}]", entry, FAULT_KEYS)
            code = t.opt_str("code", _NAME, "a code of letters, digits and _")
            if code is None:
                t.missing("code", 'a short code for the report, e.g. "knee_bent"')
            inherited = [k for k, (_, r, from_base) in enumerate(rules) if from_base and r.code == code]
            enabled = t.opt_bool("enabled")
            if enabled is False:
                if not inherited:
                    t.fail(
                        "enabled", f"enabled = false removes a base exercise's fault, and there is none coded {code!r}"
                    )
                rules = [x for k, x in enumerate(rules) if k not in inherited]
                continue
            first = rules[inherited[0]][1] if inherited else None
            message = t.opt_str("message")
            if message is None:
                if first is None:
                    t.missing("message", "the sentence the patient is shown")
                message = first.message
            if t.has("when"):
                when = self._conditions(t.where("when"), t.data["when"])
            elif first is not None and len(inherited) == 1:
                when = first.when
            elif first is not None:
                t.missing(
                    "when", f"conditions: base {cast(ExerciseSpec, base).id} has {len(inherited)} rules coded {code!r}"
                )
            else:
                t.missing("when", 'conditions, e.g. [{ metric = "hip_angle", op = ">", value = 195 }]')
            if t.has("during") and t.data["during"] not in DURING[kind]:
                t.fail(
                    "during",
                    f"expected one of {_quoted(DURING[kind])} (a {kind} exercise), got {_show(t.data['during'])}",
                )
            during = t.opt_choice("during", DURING[kind])
            if during is None:
                during = first.during if first is not None else ("active" if kind == "reps" else "hold")
            still = t.opt_bool("still")
            if still is None:
                still = first.still if first is not None else False
            rule = FaultRule(code, message, when, cast(During, during), still=still)
            if inherited:  # replaces the base's rules with this code, where the first of them was
                rules[inherited[0]] = (t.path, rule, False)
                rules = [x for k, x in enumerate(rules) if k not in inherited[1:]]
            else:
                rules.append((t.path, rule, False))
        for where, rule, from_base in rules:
            if not from_base:
                continue  # checked as it was read
            if rule.during not in DURING[kind]:
                self.fail(where, f'applies during "{rule.during}", which a {kind} exercise never has; '
                                 'override or disable it (enabled = false)')  # fmt: skip
            for cond in leaves(rule.when):
                if cond.metric not in self.names:
                    self.fail(where, f"uses metric {cond.metric!r}{self._valid_metrics(cond.metric)}")
        return tuple(r for _, r, _ in rules)


def _fields_of(obj: object) -> dict[str, Any]:
    """A dataclass instance's fields as keyword arguments (shallow, unlike asdict)."""
    return {f.name: getattr(obj, f.name) for f in fields(cast(Any, obj))}
