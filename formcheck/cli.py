"""The ``formcheck`` command line.

User mistakes become one line on stderr and exit code 2; an interrupted run
still writes what it analysed (``complete: false``) and exits 130.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from formcheck import __version__
from formcheck.errors import FormcheckError, InputError
from formcheck.interrupts import AbortNow, GracefulStop

if TYPE_CHECKING:
    from formcheck.exercises.spec import ExerciseSpec
    from formcheck.pipeline import RunResult
    from formcheck.sources import FrameSource
    from formcheck.timing import StageTimer

EXIT_INTERRUPTED = 130


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
) -> dict[str, Any]:
    """Analyse one video; writes the report (and video) and returns the report.

    ``max_fps`` analyses at most that many frames per second of video (the
    annotated video then plays at that rate); ``timer`` (benchmarks) records
    each stage's time per frame.
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
        estimator = MediaPipePoseEstimator(model)
        try:
            analyzer = Analyzer(spec, side)
            sinks: list[Sink] = []
            if out_path is not None:
                out_fps = min(source.info.fps, max_fps) if max_fps is not None else source.info.fps
                size = (source.info.width, source.info.height)
                sinks.append(VideoFileSink(out_path, out_fps, size, Overlay(spec), timer=timer, source_times=True))
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
    from formcheck.report import format_summary

    inputs, batch = expand_inputs(args.video)
    if batch or args.report_dir or args.out_dir:
        return _analyze_batch(args, inputs)
    report = analyze_file(
        inputs[0],
        _exercise_arg(args),
        args.side,
        Path(args.report) if args.report else None,
        Path(args.out) if args.out else None,
        args.model,
        progress=not args.quiet,
        max_fps=args.max_fps,
    )
    if args.report:
        print(f"report: {args.report}")
        if args.out and Path(args.out).is_file():
            print(f"annotated video: {args.out}")
        if not report["complete"]:
            print(f"formcheck: incomplete: {report['stopped_reason']}", file=sys.stderr)
    else:
        print(format_summary(report))
    return 0 if report["complete"] else 1


def _analyze_batch(args: argparse.Namespace, inputs: list[Path]) -> int:
    """Several videos (or a folder of them): one process per file, then one table."""
    import time

    from formcheck.batch import (
        Job,
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
    resolve_exercise(args.exercise, args.exercise_file)  # a wrong exercise fails once, here, not per video
    report_dir = Path(args.report_dir) if args.report_dir else None
    out_dir = Path(args.out_dir) if args.out_dir else None
    reports = output_paths(inputs, report_dir, ".json")
    outs = output_paths(inputs, out_dir, ".mp4")
    for path in (*reports, *outs):
        if path is not None:
            check_output_path(path, inputs)
    jobs = [
        Job(video, args.exercise, args.exercise_file, args.side, report, out, args.model, args.max_fps)
        for video, report, out in zip(inputs, reports, outs, strict=True)
    ]
    n_jobs = args.jobs or available_cores()
    workers = max(1, min(n_jobs, len(jobs)))
    t0 = time.perf_counter()
    outcomes, interrupted = run_batch(jobs, n_jobs, on_done=None if args.quiet else progress_line)
    print(format_batch_table(outcomes, time.perf_counter() - t0, workers))
    if report_dir is not None:
        print(f"reports: {report_dir}/<video>.json")
    if interrupted:
        print("formcheck: interrupted; partial results were saved where requested", file=sys.stderr)
        return EXIT_INTERRUPTED
    return batch_exit_code(outcomes)


def _cmd_demo(args: argparse.Namespace) -> int:
    from formcheck.report import format_summary
    from formcheck.resources import demo_clip_path

    clip = demo_clip_path()
    if not clip.is_file():
        raise InputError(f"the bundled demo clip is missing ({clip}); reinstall formcheck")
    out_dir = Path(args.out_dir) if args.out_dir else Path(tempfile.mkdtemp(prefix="formcheck-demo-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    report_path, video_path = out_dir / "report.json", out_dir / "annotated.mp4"
    report = analyze_file(clip, "bridge", "auto", report_path, video_path, args.model, progress=not args.quiet)
    print(format_summary(report))
    print(f"annotated video: {video_path}")
    print(f"report:          {report_path}")
    return 0


def _cmd_regress(args: argparse.Namespace) -> int:
    from formcheck.regress import format_table, prune_fixtures, regress, rows_to_json
    from formcheck.report import write_json_atomic

    rows = regress(Path(args.folder), args.model, save_fixtures=args.save_landmarks)
    if args.save_landmarks:
        for stale in prune_fixtures(Path(args.folder), args.model):
            print(f"removed stale landmarks {stale}")
    print(format_table(rows))
    write_json_atomic(rows_to_json(rows), Path(args.json))
    print(f"table written to {args.json}")
    return 0 if all(r.passed for r in rows) else 1


def _cmd_live(args: argparse.Namespace) -> int:
    from formcheck.live.session import LiveOptions, run_live

    return run_live(
        LiveOptions(
            exercise=args.exercise,
            side=args.side,
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


def _exercise_arg(args: argparse.Namespace) -> str | ExerciseSpec:
    """--exercise ID or --exercise-file PATH (argparse makes sure exactly one is given)."""
    if args.exercise_file:
        from formcheck.exercises.custom import load_exercise_file

        return load_exercise_file(args.exercise_file)
    return str(args.exercise)


def _cmd_exercises(args: argparse.Namespace) -> int:
    from formcheck.exercises.registry import builtin_exercises, get_exercise

    if args.show:
        from formcheck.exercises.export import exercise_to_toml

        print(exercise_to_toml(get_exercise(args.show)), end="")
        return 0
    for spec in builtin_exercises().values():
        dose = spec.dose.describe()
        print(f"{spec.id:24s} {spec.name:32s} view: {spec.view.value:8s} {spec.kind:5s} dose: {dose}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="formcheck",
        description="Count reps, time holds and coach form for physical-therapy exercises from video.",
    )
    p.add_argument("--version", action="version", version=f"formcheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse recorded videos and write JSON reports")
    a.add_argument(
        "video",
        nargs="+",
        metavar="VIDEO",
        help="video file (or folder of images); several files or a folder of videos are analysed in parallel",
    )
    which = a.add_mutually_exclusive_group(required=True)
    which.add_argument("--exercise", help="exercise id (see `formcheck exercises`)")
    which.add_argument("--exercise-file", metavar="PATH.toml", help="a custom exercise defined in a TOML file")
    a.add_argument("--side", choices=("left", "right", "auto"), default="auto", help="working/affected side")
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
    a.add_argument("--report-dir", metavar="DIR", help="several videos: write DIR/<video name>.json for each")
    a.add_argument("--out-dir", metavar="DIR", help="several videos: write an annotated DIR/<video name>.mp4 for each")
    a.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="several videos: analyse N at a time, one process each (default: the number of cores)",
    )
    a.set_defaults(func=_cmd_analyze)

    d = sub.add_parser("demo", help="analyse the bundled glute-bridge clip")
    d.add_argument("--out-dir", metavar="DIR", help="where to write the video and report (default: a temp folder)")
    d.add_argument("--model", metavar="PATH", help=argparse.SUPPRESS)
    d.add_argument("--quiet", action="store_true", help="no progress bar")
    d.set_defaults(func=_cmd_demo)

    r = sub.add_parser("regress", help="check every sample clip against its truth file")
    r.add_argument("folder", nargs="?", default="sample_videos", help="clips with truth files (default: %(default)s)")
    r.add_argument("--json", default="regress.json", metavar="PATH", help="also write the table here as JSON")
    r.add_argument(
        "--save-landmarks",
        action="store_true",
        help="store each clip's landmarks in DIR/landmarks/ (the committed fixtures tests replay)",
    )
    r.add_argument("--model", metavar="PATH", help=argparse.SUPPRESS)
    r.set_defaults(func=_cmd_regress)

    lv = sub.add_parser("live", help="coach live from a webcam (or a video file played as one)")
    lv.add_argument("--exercise", required=True, help="exercise id to start with (n/p switch exercises)")
    lv.add_argument("--side", choices=("left", "right", "auto"), default="auto", help="working/affected side")
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
    lv.set_defaults(func=_cmd_live)

    e = sub.add_parser("exercises", help="list the exercises formcheck knows")
    e.add_argument("--show", metavar="ID", help="print exercise ID as an exercise file to copy and edit")
    e.set_defaults(func=_cmd_exercises)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _sigterm_to_interrupt)
    try:
        return int(args.func(args))
    except FormcheckError as exc:
        print(f"formcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except AbortNow:
        print("formcheck: stopped at once (second interrupt); unfinished output was not saved", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Interrupted as stop:
        saved = f"; saved {', '.join(stop.saved)} (complete: false)" if stop.saved else ""
        print(f"formcheck: interrupted after {stop.frames} frames{saved}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        print("formcheck: interrupted before anything was analysed; nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
