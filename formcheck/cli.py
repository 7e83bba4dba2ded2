"""The ``formcheck`` command line.

User mistakes become one line on stderr and exit code 2 (``formcheck: error: ``,
with a suggestion for a mistyped flag, command or exercise id); warnings are one
line too (``formcheck: warning: ``); an interrupted run still writes what it
analysed (``complete: false``) and exits 130.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from formcheck import __version__
from formcheck.errors import FormcheckError, InputError, OutputError, UsageError, did_you_mean
from formcheck.interrupts import AbortNow, GracefulStop

if TYPE_CHECKING:
    from formcheck.cli_tracking import LogTarget
    from formcheck.cluster.progress import ClusterProgress
    from formcheck.exercises.spec import ExerciseSpec
    from formcheck.pipeline import RunResult
    from formcheck.pose.estimator import EstimatorFactory
    from formcheck.sources import FrameSource
    from formcheck.timing import StageTimer

EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as the shell reports a program its reader left
ERROR_PREFIX = "formcheck: error: "
WARNING_PREFIX = "formcheck: warning: "
SIDES = ("left", "right", "auto")


def warn(message: str) -> None:
    """One line on stderr; the run goes on."""
    print(f"{WARNING_PREFIX}{message}", file=sys.stderr)


def _sigterm_to_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


class Interrupted(KeyboardInterrupt):
    """Stopped by the user after something was analysed and saved."""

    def __init__(self, frames: int, saved: list[str]) -> None:
        super().__init__()
        self.frames = frames
        self.saved = saved


def analyze_file(
    video: Path,
    exercise: str | ExerciseSpec,
    side: str,
    report_path: Path | None,
    out_path: Path | None,
    model: str | None,
    progress: bool = True,
    *,
    max_fps: float | None = None,
    timer: StageTimer | None = None,
    estimator_factory: EstimatorFactory | None = None,
) -> dict[str, Any]:
    """Analyse one video; writes the report (and video) and returns the report.

    ``max_fps`` analyses at most that many frames per second of video (the
    annotated video then plays at that rate); ``timer`` (benchmarks) records
    each stage's time per frame. ``estimator_factory`` makes this video's pose
    estimator instead of loading ``model`` (a cluster worker that loaded the
    model once); the estimator is closed here either way.
    """
    from tqdm import tqdm

    from formcheck.analysis import Analyzer
    from formcheck.exercises import get_exercise
    from formcheck.native import opencv_errors_only
    from formcheck.pipeline import run
    from formcheck.pose.estimator import MediaPipePoseEstimator
    from formcheck.render import Overlay
    from formcheck.sinks import Sink, VideoFileSink, check_output_path
    from formcheck.sources import open_source

    spec = get_exercise(exercise) if isinstance(exercise, str) else exercise
    for out in (report_path, out_path):
        if out is not None:
            check_output_path(out, [video])
    source = open_source(video, max_fps=max_fps)
    try:
        estimator = estimator_factory() if estimator_factory is not None else MediaPipePoseEstimator(model)
        try:
            analyzer = Analyzer(spec, side)
            sinks: list[Sink] = []
            if out_path is not None:
                out_fps = min(source.info.fps, max_fps) if max_fps is not None else source.info.fps
                size = (source.info.width, source.info.height)
                sinks.append(
                    VideoFileSink(out_path, out_fps, size, Overlay(spec, side=side), timer=timer, source_times=True)
                )
            # From here a first Ctrl-C / SIGTERM ends the run after a whole frame and
            # the files (video, then report) are still finalised; a second raises
            # AbortNow at once.
            with GracefulStop() as stop, opencv_errors_only():
                with tqdm(
                    total=source.info.frame_count,
                    unit="frame",
                    desc=video.name,
                    disable=not progress,
                    leave=False,
                    file=sys.stderr,
                ) as bar:
                    # By source frame, so the bar fills whether or not --max-fps skips frames.
                    result = run(
                        source,
                        estimator,
                        analyzer,
                        sinks,
                        on_result=lambda f, r: bar.update(f.index + 1 - bar.n),
                        timer=timer,
                        should_stop=stop.requested,
                    )
                return _finish_report(result, source, spec, video, report_path, out_path, max_fps)
        finally:
            estimator.close()  # also on errors: a live landmarker complains at exit
    finally:
        source.close()


def _finish_report(
    result: RunResult,
    source: FrameSource,
    spec: ExerciseSpec,
    video: Path,
    report_path: Path | None,
    out_path: Path | None,
    max_fps: float | None,
) -> dict[str, Any]:
    from formcheck.report import build_report, write_json_atomic

    status = source.status
    reasons = []
    if result.interrupted:
        reasons.append(f"interrupted after {result.frames} frames")
    if status.ended_early:
        reasons.append(status.message)
    if result.error:
        reasons.append(result.error)
    report = build_report(
        result.summary,
        spec,
        source=str(video),
        fps=source.info.fps,
        complete=not reasons,
        stopped_reason="; ".join(reasons),
        warnings=status.warnings,
        max_fps=max_fps,
    )
    if report_path is not None:
        write_json_atomic(report, report_path)
    if result.interrupted:
        saved = [f"report {report_path}"] if report_path is not None else []
        if out_path is not None and out_path.exists():
            saved.append(f"video {out_path}")
        raise Interrupted(result.frames, saved)
    return report


def _cmd_analyze(args: argparse.Namespace) -> int:
    from formcheck.batch import expand_inputs
    from formcheck.cli_tracking import prepare_log
    from formcheck.report import format_summary

    cluster = _cluster_address(args)
    if cluster is not None:
        from formcheck.cluster.inputs import expand_cluster_inputs

        inputs, urls = expand_cluster_inputs(args.video)
        return _analyze_batch(args, inputs, prepare_log(args), cluster=cluster, urls=urls)
    inputs, batch = expand_inputs(args.video)
    log = prepare_log(args)  # --log: the history database is checked before the analysis
    if batch or args.report_dir or args.out_dir or args.results:
        return _analyze_batch(args, inputs, log)
    spec = _exercise_arg(args)
    report = analyze_file(
        inputs[0],
        spec,
        _side_arg(args, spec),
        Path(args.report) if args.report else None,
        Path(args.out) if args.out else None,
        args.model,
        progress=not args.quiet,
        max_fps=args.max_fps,
    )
    print(format_summary(report))
    if args.report:
        print(f"report: {args.report}")
        if args.out and Path(args.out).is_file():
            print(f"annotated video: {args.out}")
        if not report["complete"]:
            warn(f"incomplete: {report['stopped_reason']}")
    if log is not None:
        log.record(report, spec)
    return 0 if report["complete"] else 1


def _cluster_address(args: argparse.Namespace) -> str | None:
    """``--cluster``, else Dask's DASK_SCHEDULER_ADDRESS, else None (the local process pool)."""
    from formcheck.cluster.engine import ENV_ADDRESS, address_from, require_dask

    address = address_from(args.cluster)
    if address is None:
        return None
    if args.cluster is None:
        warn(f"using the Dask scheduler at {address} ({ENV_ADDRESS} is set)")
    if not address:
        raise InputError("--cluster needs an address: tcp://host:8786, or local")
    require_dask()
    return address


def _analyze_batch(
    args: argparse.Namespace,
    inputs: list[Path],
    log: LogTarget | None = None,
    *,
    cluster: str | None = None,
    urls: list[str | None] | None = None,
) -> int:
    """Several videos (or a folder of them): one process per file (or a cluster's task), then one table."""
    import time

    from formcheck.archive.run import Execute, OnDone, plan_line, run_archived
    from formcheck.archive.store import ResultsStore, default_results_path
    from formcheck.batch import (
        Job,
        Outcome,
        available_cores,
        batch_exit_code,
        format_batch_table,
        output_paths,
        progress_line,
        resolve_exercise,
        run_batch,
    )
    from formcheck.sinks import check_output_path
    from formcheck.sources import check_max_fps

    for flag, value, instead in (("--report", args.report, "--report-dir"), ("--out", args.out, "--out-dir")):
        if value:
            raise InputError(f"{flag} names one file; for several videos use {instead} DIR (one file per video)")
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: must be at least 1")
    check_max_fps(args.max_fps)
    spec = resolve_exercise(args.exercise, args.exercise_file)  # a wrong exercise fails once, here, not per video
    side = _side_arg(args, spec)
    report_dir = Path(args.report_dir) if args.report_dir else None
    out_dir = Path(args.out_dir) if args.out_dir else None
    reports = output_paths(inputs, report_dir, ".json")
    outs = output_paths(inputs, out_dir, ".mp4")
    for path in (*reports, *outs):
        if path is not None:
            check_output_path(path, inputs)
    jobs = [
        Job(video, args.exercise, args.exercise_file, side, report, out, args.model, args.max_fps)
        for video, report, out in zip(inputs, reports, outs, strict=True)
    ]
    n_jobs = args.jobs or available_cores()
    workers = max(1, min(n_jobs, len(jobs)))
    progress = None if args.quiet else progress_line
    t0 = time.perf_counter()
    results = default_results_path(report_dir, args.results)
    if urls is not None and any(urls):
        if args.results:
            raise InputError("--results keys videos by their content, read here; fsspec URLs are not recorded yet")
        results = None  # the table hashes each video on this machine, which cannot read a URL's object
    skipped = 0
    execute: Execute = run_batch  # the executor: run_batch(jobs, n_jobs, on_done) -> (outcomes, interrupted)
    bar: ClusterProgress | None = None
    seen: list[int] = []
    if cluster is not None:
        from formcheck.cluster import run_on_cluster
        from formcheck.cluster.progress import ClusterProgress

        bar = progress = None if args.quiet else ClusterProgress()
        where = {str(job.video): url for job, url in zip(jobs, urls or [None] * len(jobs), strict=True)}

        def connected(n_workers: int, n_files: int) -> None:
            seen.append(n_workers)
            if bar is not None:
                bar.start(n_workers, n_files)

        def on_cluster(run: list[Job], n: int, on_done: OnDone | None) -> tuple[list[Outcome], bool]:
            urls_run = [where[str(job.video)] for job in run]
            return run_on_cluster(run, cluster, on_done, urls=urls_run, n_workers=n, on_connect=connected)

        execute = on_cluster
    try:
        if results is None:
            outcomes, interrupted = execute(jobs, n_jobs, progress)
        else:
            with ResultsStore.open(results) as store:  # decides what to run; records each file as it finishes
                run = run_archived(
                    jobs, n_jobs, store, execute=execute, on_done=progress, on_plan=None if args.quiet else plan_line
                )
            outcomes, interrupted, skipped = run.outcomes, run.interrupted, run.skipped
    finally:
        if bar is not None:
            bar.close()
    workers = seen[0] if seen else workers
    print(format_batch_table(outcomes, time.perf_counter() - t0, workers, skipped))
    if log is not None:
        spec = resolve_exercise(args.exercise, args.exercise_file)
        for outcome in outcomes:
            if outcome.report:
                log.record(outcome.report, spec)
    if report_dir is not None:
        print(f"reports: {report_dir}/<video>.json")
    if results is not None:
        print(f"results table: {results}")
    if interrupted:
        warn("interrupted; partial results were saved where requested")
        return EXIT_INTERRUPTED
    return batch_exit_code(outcomes)


def _cmd_demo(args: argparse.Namespace) -> int:
    from formcheck.report import format_summary
    from formcheck.resources import demo_clip_path

    clip = demo_clip_path()
    if not clip.is_file():
        raise InputError(f"the bundled demo clip is missing ({clip}); reinstall formcheck")
    out_dir = Path(args.out_dir) if args.out_dir else Path(tempfile.mkdtemp(prefix="formcheck-demo-"))
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out-dir {out_dir}: is a file, not a folder")
    # The files' own checks name a file on the way, or an unwritable folder, and create the folder.
    report_path, video_path = out_dir / "report.json", out_dir / "annotated.mp4"
    report = analyze_file(clip, "bridge", "auto", report_path, video_path, args.model, progress=not args.quiet)
    print(format_summary(report))
    print(f"annotated video: {video_path}")
    print(f"report:          {report_path}")
    return 0


def _cmd_regress(args: argparse.Namespace) -> int:
    from formcheck.regress import (
        ClipResult,
        drift_ok,
        format_drift_table,
        format_table,
        prune_fixtures,
        regress,
        rows_to_json,
        truth_files,
    )
    from formcheck.report import write_json_atomic
    from formcheck.sinks import check_output_path
    from formcheck.versions import drift_note, installed_versions, tested_versions

    folder = Path(args.folder)
    json_path = Path(args.json) if args.json else None
    if json_path is not None:  # a bad path fails now, not after minutes of model runs
        check_output_path(json_path, [*truth_files(folder), *folder.glob("*.mp4")])
    if args.rerun_model:
        print(drift_note())

    def progress(i: int, n: int, row: ClipResult, seconds: float) -> None:
        print(f"[{i}/{n}] {row.clip}: {seconds:.1f} s", file=sys.stderr)

    rows = regress(
        folder,
        args.model,
        save_fixtures=args.save_landmarks,
        rerun_model=args.rerun_model,
        on_clip=progress if args.rerun_model and not args.quiet else None,
    )
    if args.save_landmarks:
        for stale in prune_fixtures(folder, args.model):
            print(f"removed stale landmarks {stale}")
    print(format_table(rows))
    if args.rerun_model:
        print()
        print(format_drift_table(rows))
    if json_path is not None:
        versions = installed_versions(list(tested_versions())) if args.rerun_model else None
        write_json_atomic(rows_to_json(rows, versions), json_path)
        print(f"table written to {json_path}")
    if args.rerun_model:  # the question is whether the installed model still gives the fixtures' results
        return 0 if drift_ok(rows) else 1
    return 0 if all(r.passed for r in rows) else 1


def _cmd_live(args: argparse.Namespace) -> int:
    from formcheck.live.session import LiveOptions, run_live

    if args.program:
        return _cmd_live_program(args)
    guided_only = [f for f, v in _guided_flags(args).items() if v is not None]
    if guided_only:
        raise UsageError(f"{guided_only[0]} is for a guided session (--program FILE)")
    if args.exercise is None and args.exercise_file is None:
        raise UsageError(
            "give --exercise ID or --exercise-file FILE (free session), or --program FILE (guided session)"
        )
    spec = _exercise_arg(args)  # a broken exercise file fails here, before the camera opens
    return run_live(
        LiveOptions(
            exercise=args.exercise,
            exercise_file=Path(args.exercise_file) if args.exercise_file else None,
            side=_side_arg(args, spec),
            camera=args.camera,
            record=Path(args.record) if args.record else None,
            report=Path(args.report) if args.report else None,
            mute=args.mute,
            window=not args.no_window,
            stats=args.stats,
            summary_s=args.summary_seconds,
            model=args.model,
        )
    )


def _guided_flags(args: argparse.Namespace) -> dict[str, object]:
    return {
        "--pain-before": args.pain_before,
        "--pain-after": args.pain_after,
        "--answers": args.answers,
        "--resume": args.resume,
        "--keys": args.keys,
        "--db": args.db,
    }


def _cmd_live_program(args: argparse.Namespace) -> int:
    """``live --program FILE``: the guided session (formcheck.live.guided)."""
    from formcheck.live.checkin import parse_answers
    from formcheck.live.guided import GuidedOptions, parse_key_script, run_guided

    for flag in ("exercise", "exercise_file", "side", "painful_side"):
        value = getattr(args, flag, None)
        if value is not None and not (flag == "side" and value == "auto"):
            raise UsageError(f"--program gives each exercise and its side; leave out --{flag.replace('_', '-')}")
    answers = None
    if args.answers is not None:
        try:
            answers = parse_answers(args.answers)
        except ValueError as exc:
            raise UsageError(f"--answers: {exc}") from None
    return run_guided(
        GuidedOptions(
            program=Path(args.program),
            camera=args.camera,
            record=Path(args.record) if args.record else None,
            report=Path(args.report) if args.report else None,
            mute=args.mute,
            window=not args.no_window,
            stats=args.stats,
            summary_s=args.summary_seconds,
            model=args.model,
            db=args.db,
            pain_before=args.pain_before,
            pain_after=args.pain_after,
            answers=answers,
            resume=None if args.resume is None else args.resume == "yes",
            keys=parse_key_script(args.keys) if args.keys else {},
        )
    )


def _pain(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if not 0 <= n <= 10:
        raise argparse.ArgumentTypeError(
            f"pain is a whole number from 0 (none) to 10 (worst imaginable), got {value!r}"
        )
    return n


def _exercise_arg(args: argparse.Namespace) -> ExerciseSpec:
    """--exercise ID or --exercise-file PATH (argparse makes sure exactly one is given)."""
    if args.exercise_file:
        from formcheck.exercises.custom import load_exercise_file

        return load_exercise_file(args.exercise_file)
    from formcheck.exercises import get_exercise

    return get_exercise(str(args.exercise))


def _side_arg(args: argparse.Namespace, spec: ExerciseSpec) -> str:
    """--side (or --painful-side) for this exercise; a warning when it cannot mean what it says."""
    painful = getattr(args, "painful_side", None)
    side: str = args.side
    if painful is not None:
        if spec.direction_rule != "away_from_side":
            raise UsageError(
                f"--painful-side is for exercises done away from the painful side (side_bend), "
                f"not {spec.id}; use --side"
            )
        if side not in ("auto", painful):
            raise UsageError(f"--side {side} and --painful-side {painful} disagree; give one of them")
        side = painful
    if side != "auto":
        message = side_warning(spec, side)
        if message is not None:
            warn(message)
    return side


def side_warning(spec: ExerciseSpec, side: str) -> str | None:
    """Why ``--side`` does not choose a working side for this exercise, or None when it does."""
    if spec.direction_rule == "away_from_side":
        return None  # the painful side: you bend away from it
    if spec.both_directions:
        return f"{spec.id} is done to both sides (reps are counted each way); --side {side} has no effect"
    if spec.bilateral:
        return f"{spec.id} works both sides together; --side {side} only picks the side measured (auto: the nearer one)"
    return None


_INVALID_CHOICE = re.compile(r"^argument \S+: invalid choice: '(.*)' \(choose from (.*)\)$")


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are one line (``formcheck: error: ...``), exit 2.

    argparse's own ``error()`` prints the usage block and a second line; here it
    raises ``UsageError`` and ``main`` prints it like every other error. The
    epilog (exercise ids, exit codes, an example) is built only when help is
    shown, so a normal run does not import the exercise registry for it.
    """

    def __init__(self, *args: Any, epilog_factory: Callable[[], str] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.epilog_factory = epilog_factory
        self.commands: dict[str, _Parser] = {}

    def error(self, message: str) -> NoReturn:
        choice = _INVALID_CHOICE.match(message)
        if choice is not None:  # a nested command (program, history) mistyped
            word, options = choice.group(1), [o.strip(" '") for o in choice.group(2).split(",")]
            raise UsageError(f"unknown command {word!r}; {did_you_mean(word, options)}commands: {', '.join(options)}")
        if any(said in message for said in ("did you mean", "valid ids", "choose from")):
            raise UsageError(message)
        raise UsageError(f"{message}; see {self.prog} --help")

    def format_help(self) -> str:
        if self.epilog_factory is not None:
            self.epilog = self.epilog_factory()
        return super().format_help()


def _one_of(what: str, options: Sequence[str]) -> Callable[[str], str]:
    """An argparse type for a fixed set of words that suggests the closest one."""

    def parse(value: str) -> str:
        if value in options:
            return value
        raise argparse.ArgumentTypeError(
            f"unknown {what} {value!r}; {did_you_mean(value, list(options))}choose from {', '.join(options)}"
        )

    return parse


def _exercise_id(value: str) -> str:
    from formcheck.exercises.registry import exercise_ids, get_exercise

    if value not in exercise_ids():
        try:
            get_exercise(value)
        except FormcheckError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return value


_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")  # argparse reads these as values, not flags


def _unknown_token(parser: _Parser, argv: Sequence[str]) -> UsageError | None:
    """A mistyped command or flag in ``argv``, named with the closest valid one.

    argparse reports the first problem it meets, which for ``--excercise`` is
    the missing ``--exercise``; the typo is the thing to tell the user.
    """
    current, prog = parser, parser.prog
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--":
            break
        if token.startswith("-") and len(token) > 1 and not _NUMBER.match(token):
            flag = token.split("=", 1)[0]
            known = list(current._option_string_actions)  # argparse keeps no public list
            if flag in known or (flag.startswith("--") and any(k.startswith(flag) for k in known)):
                continue  # (an unambiguous abbreviation, which argparse accepts)
            # Compared without the dashes every long option shares, which would make any
            # two short names look alike (--bogus and --out).
            longs = {k[2:]: k for k in known if k.startswith("--")}
            close = difflib.get_close_matches(flag.lstrip("-"), list(longs), n=1, cutoff=0.6)
            hint = f"did you mean {longs[close[0]]}?" if close else ""
            return UsageError(f"unknown option {flag}; {hint or f'see {prog} --help'}".rstrip())
        if current is parser and parser.commands:
            if token not in parser.commands:
                names = list(parser.commands)
                hint = did_you_mean(token, names)
                return UsageError(f"unknown command {token!r}; {hint}commands: {', '.join(names)}")
            current, prog = parser.commands[token], parser.commands[token].prog
    return None


def _help_epilog(kind: str) -> Callable[[], str]:
    def build() -> str:
        from formcheck.exercises.registry import builtin_exercises
        from formcheck.metrics import SIDE_ROLE

        lines = ["exercises (--exercise ID), their default dose, and what --side names:"]
        for spec in builtin_exercises().values():
            role = SIDE_ROLE.get(spec.metrics, "") if isinstance(spec.metrics, str) else ""
            lines.append(f"  {spec.id:23s} {spec.kind} {spec.dose.describe()}")
            lines.append(f"  {'':23s} --side: {role}")
        lines += [
            "",
            "exit codes:",
            "  0    done",
            "  1    the analysis is incomplete (e.g. a truncated video; several videos: one was)",
            "  2    usage or input error, or (several videos) one failed; one line on stderr: formcheck: error: ...",
            "  130  interrupted (what was analysed is saved, marked complete: false)",
            "",
            "examples:",
        ]
        examples = {
            "analyze": [
                "formcheck analyze bridge.mp4 --exercise bridge",
                "formcheck analyze stretch.mp4 --exercise calf_stretch --side left --report calf.json",
                "formcheck analyze bends.mp4 --exercise side_bend --painful-side right",
                "formcheck analyze videos/ --exercise bridge --report-dir reports/",
                "formcheck analyze s3://bucket/videos/ --exercise bridge --report-dir reports/ "
                "--cluster tcp://scheduler:8786",
            ],
            "live": [
                "formcheck live --exercise bridge",
                "formcheck live --exercise knee_to_chest --side right --report today.json",
                "formcheck live --exercise-file examples/exercises/seated_knee_extension.toml --side right",
                "formcheck live --program my_program.toml",
            ],
        }[kind]
        lines += [f"  {e}" for e in examples]
        return "\n".join(lines)

    return build


SIDE_HELP = (
    "working/affected side (see the table below); for side_bend the PAINFUL side: "
    "you bend away from it (default: %(default)s)"
)
PAINFUL_HELP = "side_bend: the painful side (you bend away from it); the same as --side there"


def build_parser() -> argparse.ArgumentParser:
    from formcheck.cli_tracking import add_log_arguments
    from formcheck.cli_tracking import add_parsers as add_tracking_parsers

    p = _Parser(
        prog="formcheck",
        description="Count reps, time holds and coach form for physical-therapy exercises from video.",
    )
    p.add_argument("--version", action="version", version=f"formcheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    help_format: dict[str, Any] = {"formatter_class": argparse.RawDescriptionHelpFormatter}

    a = sub.add_parser(
        "analyze",
        help="analyse recorded videos and write JSON reports",
        description="Analyse recorded videos: count reps, time holds, list form faults.",
        epilog_factory=_help_epilog("analyze"),
        **help_format,
    )
    a.add_argument(
        "video",
        nargs="+",
        metavar="VIDEO",
        help="video file (or folder of images); several files or a folder of videos are analysed in parallel",
    )
    which = a.add_mutually_exclusive_group(required=True)
    which.add_argument("--exercise", type=_exercise_id, metavar="ID", help="exercise id (listed below)")
    which.add_argument("--exercise-file", metavar="PATH.toml", help="a custom exercise defined in a TOML file")
    a.add_argument("--side", type=_one_of("side", SIDES), default="auto", metavar="{left,right,auto}", help=SIDE_HELP)
    a.add_argument("--painful-side", type=_one_of("side", SIDES[:2]), metavar="{left,right}", help=PAINFUL_HELP)
    a.add_argument("--report", metavar="PATH.json", help="write the JSON report here")
    a.add_argument("--out", metavar="ANNOTATED.mp4", help="write an annotated video here")
    a.add_argument("--model", metavar="PATH", help="pose landmarker .task bundle (default: the bundled one)")
    a.add_argument("--quiet", action="store_true", help="no progress bar")
    a.add_argument(
        "--max-fps",
        type=float,
        metavar="F",
        help="analyse at most F frames per second of video (long recordings; timing keeps the video's timestamps)",
    )
    a.add_argument(
        "--report-dir",
        metavar="DIR",
        help="several videos: write DIR/<video name>.json for each, and the results table DIR/results.sqlite "
        "(run again: what is done is skipped, the rest finished)",
    )
    a.add_argument("--out-dir", metavar="DIR", help="several videos: write an annotated DIR/<video name>.mp4 for each")
    a.add_argument(
        "--results",
        metavar="PATH.sqlite",
        help="several videos: the results table of all files and reps; a rerun skips what it lists as done "
        "(default: DIR/results.sqlite with --report-dir)",
    )
    a.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="several videos: analyse N at a time, one process each (default: the number of cores)",
    )
    a.add_argument(
        "--cluster",
        metavar="ADDRESS",
        help="analyse on a Dask cluster: its scheduler (tcp://host:8786), or `local` to start one of --jobs "
        "worker processes (default: $DASK_SCHEDULER_ADDRESS if set; needs formcheck[cluster]; docs/cluster.md)",
    )
    add_log_arguments(a)
    a.set_defaults(func=_cmd_analyze)

    d = sub.add_parser(
        "demo",
        help="analyse the bundled glute-bridge clip",
        description="Analyse the bundled glute-bridge clip; writes an annotated video and a JSON report.",
        epilog="exit codes: 0 done, 2 error, 130 interrupted\n\nexample:\n  formcheck demo --out-dir demo/",
        **help_format,
    )
    d.add_argument("--out-dir", metavar="DIR", help="where to write the video and report (default: a temp folder)")
    d.add_argument("--model", metavar="PATH", help=argparse.SUPPRESS)
    d.add_argument("--quiet", action="store_true", help="no progress bar")
    d.set_defaults(func=_cmd_demo)

    r = sub.add_parser("regress", help="check every sample clip against its truth file")
    r.add_argument("folder", nargs="?", default="sample_videos", help="clips with truth files (default: %(default)s)")
    r.add_argument("--json", metavar="PATH", help="also write the table here as JSON")
    mode = r.add_mutually_exclusive_group()
    mode.add_argument(
        "--rerun-model",
        action="store_true",
        help="run the installed pose model on every clip (minutes) and report how far its landmarks "
        "drift from the committed ones; exit 1 if beyond the limits or any score changed",
    )
    mode.add_argument(
        "--save-landmarks",
        action="store_true",
        help="store each clip's landmarks in DIR/landmarks/ (the committed fixtures tests replay)",
    )
    r.add_argument("--quiet", action="store_true", help="no per-clip progress lines")
    r.add_argument("--model", metavar="PATH", help=argparse.SUPPRESS)
    r.set_defaults(func=_cmd_regress)

    lv = sub.add_parser(
        "live",
        help="coach live from a webcam (or a video file played as one)",
        description="Coach live from a webcam: counts, timers and feedback on screen; a report at the end.",
        epilog_factory=_help_epilog("live"),
        **help_format,
    )
    lv_which = lv.add_mutually_exclusive_group()
    lv_which.add_argument("--exercise", type=_exercise_id, metavar="ID", help="exercise to start with (n/p switch)")
    lv_which.add_argument(
        "--exercise-file",
        metavar="PATH.toml",
        help="start with a custom exercise defined in a TOML file (n/p switch to the built-in ones)",
    )
    lv.add_argument(  # not in the group: --program with either gets its own message
        "--program",
        metavar="FILE",
        help="guided session: the program's exercises in order, set after set, with rests and a pain check-in",
    )
    lv.add_argument("--side", type=_one_of("side", SIDES), default="auto", metavar="{left,right,auto}", help=SIDE_HELP)
    lv.add_argument("--painful-side", type=_one_of("side", SIDES[:2]), metavar="{left,right}", help=PAINFUL_HELP)
    lv.add_argument(
        "--camera",
        default="0",
        metavar="N|PATH",
        help="camera index (default: %(default)s), or a video file played in real time as if it were a camera",
    )
    lv.add_argument("--record", metavar="PATH.mp4", help="also save the annotated session as a video")
    lv.add_argument("--report", metavar="PATH.json", help="write the JSON report here when the session ends")
    lv.add_argument("--mute", action="store_true", help="start with sound cues off (m toggles)")
    lv.add_argument("--no-window", action="store_true", help="no window: analyse and report only")
    lv.add_argument("--stats", action="store_true", help="print latency (captured to shown) and frame rate")
    lv.add_argument(
        "--summary-seconds",
        type=float,
        metavar="S",
        help="close the end-of-session summary after S seconds (default: wait for a key)",
    )
    lv.add_argument("--model", metavar="PATH", help=argparse.SUPPRESS)
    gd = lv.add_argument_group("guided session (--program)")
    gd.add_argument("--db", metavar="PATH", help="history database (default: $FORMCHECK_DB or the user data folder)")
    gd.add_argument("--pain-before", type=_pain, metavar="0-10", help="pain before, instead of asking on screen")
    gd.add_argument("--pain-after", type=_pain, metavar="0-10", help="pain after, instead of asking on screen")
    gd.add_argument(
        "--answers",
        metavar="yes|no,yes|no",
        help="the two questions after the session (pain spread further down the leg? numbness or weakness worse?)",
    )
    gd.add_argument(
        "--resume",
        type=_one_of("--resume", ("yes", "no")),
        metavar="{yes,no}",
        help="resume today's unfinished session of this program (default: ask on screen; without a window: no)",
    )
    gd.add_argument("--keys", metavar="FRAME:KEY,...", help="key presses by frame shown, for headless runs and tests")
    lv.set_defaults(func=_cmd_live)

    from formcheck.exercises.cli import add_parsers as add_exercise_parsers

    add_exercise_parsers(sub)
    add_tracking_parsers(sub)  # program, history, report
    p.commands = dict(sub.choices)
    return p


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    assert isinstance(parser, _Parser)
    try:
        return parser.parse_args(argv)
    except UsageError as exc:
        raise _unknown_token(parser, argv) or exc from None


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parse_args(argv)
    except UsageError as exc:
        print(f"{ERROR_PREFIX}{exc}", file=sys.stderr)
        return exc.exit_code
    except SystemExit as done:  # --help, --version
        return done.code if isinstance(done.code, int) else 0
    from formcheck.native import python_stderr_apart

    # The closing messages below are printed inside python_stderr_apart too: the
    # model's thread may still be inside an inference, with descriptor 2 silenced,
    # when a second Ctrl-C ends the run at once.
    with python_stderr_apart():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    previous = signal.signal(signal.SIGTERM, _sigterm_to_interrupt)
    try:
        return int(args.func(args))
    except FormcheckError as exc:
        print(f"{ERROR_PREFIX}{exc}", file=sys.stderr)
        return exc.exit_code
    except AbortNow:
        warn("stopped at once (second interrupt); unfinished output was not saved")
        return EXIT_INTERRUPTED
    except Interrupted as stop:
        saved = f"; saved {', '.join(stop.saved)} (complete: false)" if stop.saved else ""
        warn(f"interrupted after {stop.frames} frames{saved}")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        warn("interrupted before anything was analysed; nothing was written")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `formcheck history | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_BROKEN_PIPE
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
