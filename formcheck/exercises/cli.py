"""``formcheck exercises``: list, show, check, schema and trace exercise files.

``formcheck exercises`` alone lists the built-in exercises and ``--show ID``
prints one as a file, as before the subcommands existed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from formcheck.errors import OutputError, UsageError
from formcheck.textfiles import print_or_write_json

SIDES = ("left", "right", "auto")


def _cmd_list(args: argparse.Namespace) -> int:
    from formcheck.exercises.registry import builtin_exercises, get_exercise

    show = getattr(args, "show", None) or getattr(args, "id", None)
    if show:
        from formcheck.exercises.export import exercise_to_toml

        print(exercise_to_toml(get_exercise(show)), end="")
        return 0
    for spec in builtin_exercises().values():
        dose = spec.dose.describe()
        print(f"{spec.id:24s} {spec.name:32s} view: {spec.view.value:8s} {spec.kind:5s} dose: {dose}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from formcheck.exercises.custom import load_exercise_file
    from formcheck.exercises.custom_metrics import metric_defs
    from formcheck.metrics import metric_names

    for file in args.file:
        spec = load_exercise_file(file)  # a mistake is one line naming the key (main prints it, exit 2)
        views = "/".join(v.value for v in spec.allowed_views)
        n = len(metric_defs(spec.metrics) or metric_names(spec.metrics))
        what = f"reps to {spec.rep.target:g}" if spec.rep else f"hold {spec.dose.hold_s:g} s"
        print(f"{file}: ok: {spec.id}, {spec.kind} ({what} on {spec.primary}), {n} metrics, view {views}, "
              f"{len(spec.faults)} faults, dose {spec.dose.describe()}")  # fmt: skip
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from formcheck.exercises.schema import exercise_json_schema

    print_or_write_json(exercise_json_schema(), args.out, "schema")
    return 0


def trace_video(spec: Any, video: Path, side: str, model: str | None) -> tuple[Any, Any]:
    """Run the video through the model and the analyzer; the per-frame trace and the summary."""
    from formcheck.analysis import Analyzer
    from formcheck.exercises.trace import Trace
    from formcheck.native import opencv_errors_only
    from formcheck.pipeline import run
    from formcheck.pose.estimator import MediaPipePoseEstimator
    from formcheck.sources import open_source

    trace = Trace()
    source = open_source(video)
    try:
        estimator = MediaPipePoseEstimator(model)
        try:
            with opencv_errors_only():
                result = run(source, estimator, Analyzer(spec, side), on_result=lambda f, r: trace.add(r))
        finally:
            estimator.close()
    finally:
        source.close()
    return trace, result.summary


def _cmd_trace(args: argparse.Namespace) -> int:
    from formcheck.exercises.custom import load_exercise_file
    from formcheck.exercises.trace import TRACE_SUFFIXES, plot_trace
    from formcheck.sinks import check_output_path

    spec = load_exercise_file(args.file)  # before the video: a broken file is the first thing said
    video = Path(args.video)
    out = Path(args.out) if args.out else video.with_name(f"{video.stem}.trace.png")
    if out.suffix.lower() not in TRACE_SUFFIXES:
        raise UsageError(f"--out {out}: the plot is written as .png or .svg")
    check_output_path(out, [video, Path(args.file)])
    trace, summary = trace_video(spec, video, args.side, args.model)
    plot_trace(spec, trace, summary, out, title=f"{spec.name}, {video.name}")
    kind = f"{summary.reps} reps, {summary.partial_reps} partial" if spec.rep else f"{len(summary.holds)} holds"
    print(f"{video}: {kind}; trace: {out}", file=sys.stdout)
    return 0


def read_poses(video: Path, model: str | None) -> list[Any]:
    """Every frame's pose in the recording (the model run once, in order)."""
    from formcheck.native import opencv_errors_only
    from formcheck.pose.estimator import MediaPipePoseEstimator
    from formcheck.sources import open_source

    source = open_source(video)
    try:
        estimator = MediaPipePoseEstimator(model)
        try:
            with opencv_errors_only():
                return [estimator.estimate(frame) for frame in source]
        finally:
            estimator.close()
    finally:
        source.close()


def _cmd_learn(args: argparse.Namespace) -> int:
    import re
    import tomllib

    from formcheck.exercises.custom import parse_exercise
    from formcheck.exercises.learn import learn
    from formcheck.sinks import check_output_path

    video = Path(args.video)
    exercise_id = args.id or re.sub(r"[^a-z0-9_]+", "_", args.name.lower()).strip("_")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", exercise_id or ""):
        raise UsageError(f"--id {exercise_id!r}: letters, digits, _ and - (e.g. knee_extension)")
    out = Path(args.out) if args.out else Path(f"{exercise_id}.toml")
    if out.exists():
        raise OutputError(f"{out}: already exists; choose another --out (a learnt file never overwrites one)")
    check_output_path(out, [video])
    learnt = learn(read_poses(video, args.model), args.name, exercise_id, args.kind, label=str(video))
    parse_exercise(tomllib.loads(learnt.text), str(out))  # what is written always loads
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(learnt.text, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{out}: cannot write the exercise file ({exc.strerror or exc})") from None
    print(f"{video}: {learnt.summary}")
    print(f"exercise file: {out} (review it; formcheck exercises trace {out} {video} shows it on the recording)")
    return 0


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    e = sub.add_parser(
        "exercises",
        help="list the exercises formcheck knows; check, trace or print exercise files",
        description="Without a subcommand: list the built-in exercises (--show ID prints one as a file).",
    )
    e.add_argument("--show", metavar="ID", help="print exercise ID as an exercise file to copy and edit")
    e.set_defaults(func=_cmd_list)
    esub = e.add_subparsers(dest="exercises_command", metavar="{list,show,check,schema,trace,learn}")
    lst = esub.add_parser("list", help="list the built-in exercises")
    lst.set_defaults(func=_cmd_list)
    sh = esub.add_parser("show", help="print a built-in exercise as an exercise file to copy and edit")
    sh.add_argument("id", metavar="ID")
    sh.set_defaults(func=_cmd_list)
    ch = esub.add_parser("check", help="check exercise files; one line per file, or the first mistake")
    ch.add_argument("file", nargs="+", metavar="FILE.toml")
    ch.set_defaults(func=_cmd_check)
    sc = esub.add_parser("schema", help="print the exercise file's JSON Schema (for editors)")
    sc.add_argument("--out", metavar="PATH.json", help="write it here instead of printing it")
    sc.set_defaults(func=_cmd_schema)
    tr = esub.add_parser(
        "trace", help="plot each metric over a video with the thresholds and the counted reps and holds"
    )
    tr.add_argument("file", metavar="FILE.toml", help="exercise file")
    tr.add_argument("video", metavar="VIDEO", help="a recording of the exercise")
    tr.add_argument("--out", metavar="TRACE.png|.svg", help="the plot (default: VIDEO.trace.png beside the video)")
    tr.add_argument("--side", choices=SIDES, default="auto", help="as for analyze (default: %(default)s)")
    tr.add_argument("--model", metavar="PATH", help=argparse.SUPPRESS)
    tr.set_defaults(func=_cmd_trace)
    le = esub.add_parser("learn", help="propose an exercise file from a recording of a few good reps (or one hold)")
    le.add_argument("video", metavar="VIDEO", help="the therapist doing a few good reps, or one good hold")
    le.add_argument("--name", required=True, help='display name, e.g. "Seated knee extension"')
    le.add_argument("--id", help="exercise id (default: from the name)")
    le.add_argument("--out", metavar="FILE.toml", help="where to write it (default: ID.toml; never overwritten)")
    le.add_argument("--kind", choices=("reps", "hold"), help="default: found from the recording")
    le.add_argument("--model", metavar="PATH", help=argparse.SUPPRESS)
    le.set_defaults(func=_cmd_learn)
