"""``formcheck live --program FILE``: a whole program, exercise after exercise, set after set.

The guided session is the live session with a plan: each exercise's setup
card, then its sets, a spoken and visible rest countdown between them
(``n`` skips it) that says what comes next, a header with the dose as the
patient reads it ("Set 2 of 3", "6 of 10 reps", "18 of 30 s"), and a pain
check-in before and after (``checkin.py``). Every finished set is handed to
a writer thread (``setwriter.py``) that commits it to the history at once,
so quitting, a lost camera, Ctrl-C or a killed process keep every set that
was finished; running the same program again the same day offers to resume
from the first unfinished set.

As in free live mode, time comes from the frames: a rest of 30 s is 30 s of
the camera's (or the file's) clock.
"""

from __future__ import annotations

import dataclasses
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from formcheck.analysis import Analyzer, FrameResult
from formcheck.analysis.results import FaultEvent
from formcheck.counting import HoldEvent, RepEvent
from formcheck.errors import ConfigError, InputError, OutputError
from formcheck.exercises.spec import ExerciseSpec
from formcheck.history.records import EndReason, ExerciseRecord, SessionEnd, SessionInfo, StopAnswer
from formcheck.history.resume import Resumable, find_resumable
from formcheck.history.store import HistoryStore, now, resolve_db_path
from formcheck.live import checkin
from formcheck.live.capture import LatestFrameGrabber, open_camera, parse_camera
from formcheck.live.keys import Action
from formcheck.live.session import SAFETY, ExerciseRun, LiveSession, SessionOutcome
from formcheck.live.sets import SetProgress, set_progress, units_per_set
from formcheck.live.setwriter import FinishedSet, SetWriter
from formcheck.live.sound import Cue, CueKind, CuePlayer, choose_backend, sound_notice
from formcheck.live.window import Display, Image, NullDisplay, WindowDisplay, has_display
from formcheck.native import opencv_errors_only
from formcheck.pose.estimator import MediaPipePoseEstimator
from formcheck.program.load import LoadedProgram, PlannedExercise, load_program
from formcheck.render import (
    GOOD,
    MUTED,
    WHITE,
    LiveInfo,
    Overlay,
    SummaryView,
    centered,
    draw_summary,
    shade,
    strip_height,
    text_size,
    window_strip,
)  # fmt: skip
from formcheck.report import write_json_atomic
from formcheck.sinks import check_output_path
from formcheck.sources import Frame

PACE_FILES = True  # a file plays at its own speed, as a camera would (tests replay it as fast as it decodes)
REST_SPOKEN_AT_S = (10, 3)  # besides the start and the end of a rest, the countdown speaks these

# How the session ended (LiveSession's words) -> the history's end reason.
END_REASON: dict[str, EndReason] = {
    "completed": "completed",
    "quit": "stopped",
    "window_closed": "stopped",
    "end_of_stream": "stopped",
    "camera_lost": "interrupted",
    "interrupted": "interrupted",
}


def dosed_spec(planned: PlannedExercise) -> ExerciseSpec:
    """The exercise with the program's dose, so sets, the HUD and the cues follow the prescription."""
    dose = dataclasses.replace(
        planned.spec.dose,
        sets=planned.sets,
        reps=planned.reps if planned.reps is not None else planned.spec.dose.reps,
        hold_s=planned.hold_s if planned.hold_s is not None else planned.spec.dose.hold_s,
    )
    return dataclasses.replace(planned.spec, dose=dose)


@dataclass
class GuidedRun(ExerciseRun):
    """An exercise of the program; ``base_units`` are the units of sets already saved (resume, reset)."""

    base_units: int = 0

    def progress(self) -> SetProgress:
        return set_progress(self.spec, self.units + self.base_units)

    def restart(self) -> None:
        super().restart()
        self.sets_announced = self.progress().sets_done


@dataclass
class SetBuffer:
    """What the current set has collected since it began."""

    started_at: datetime = field(default_factory=now)
    reps: list[RepEvent] = field(default_factory=list)
    holds: list[HoldEvent] = field(default_factory=list)
    faults: list[FaultEvent] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.reps or self.holds)


@dataclass
class Rest:
    until: float  # frame time
    total: float
    next_words: str  # "Set 2 of 3" or the next exercise's name
    then_next_exercise: bool
    spoken: set[int] = field(default_factory=set)


def parse_key_script(text: str) -> dict[int, str]:
    """``--keys 120:n,300:q`` -> {120: "n", 300: "q"} (frame shown -> key pressed)."""
    out: dict[int, str] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        frame, sep, key = item.partition(":")
        if not sep or not frame.strip().isdigit() or len(key) != 1:
            raise ConfigError(f"--keys: {item!r} is not FRAME:KEY (e.g. 120:n,300:q)")
        out[int(frame)] = key
    return out


class ScriptedKeys:
    """A display whose key presses come from a script (``--keys``): headless runs and tests."""

    def __init__(self, inner: Display, keys: Mapping[int, str]) -> None:
        self.inner = inner
        self.keys = dict(keys)
        self.shown = 0

    def show(self, image: Image) -> int:
        self.shown += 1
        key = self.inner.show(image)
        scripted = self.keys.get(self.shown)
        return ord(scripted) if scripted else key

    def wait_key(self, timeout_s: float | None) -> int:
        return self.inner.wait_key(timeout_s)

    def closed(self) -> bool:
        return self.inner.closed()

    def toggle_fullscreen(self) -> None:
        self.inner.toggle_fullscreen()

    def close(self) -> None:
        self.inner.close()


class GuidedSession(LiveSession):
    """A program played in order. ``exercise_rows``: the history rows its sets are saved under."""

    def __init__(
        self,
        plan: Sequence[PlannedExercise],
        estimator: Any,
        *,
        writer: SetWriter | None,
        exercise_rows: Sequence[int],
        start: tuple[int, int] = (0, 1),
        **kw: Any,
    ) -> None:
        self.plan = list(plan)
        self.writer = writer
        self.exercise_rows = list(exercise_rows)
        self.closed_sets = [0] * len(self.plan)  # sets finished (saved or already in the history)
        first, first_set = start
        for i in range(first):
            self.closed_sets[i] = self.plan[i].sets
        self.closed_sets[first] = first_set - 1
        self.buffer = SetBuffer()
        self.rest: Rest | None = None
        self.completed = False
        self.handed_over: list[list[FinishedSet]] = [[] for _ in self.plan]  # this run's sets, per exercise
        specs = [dosed_spec(p) for p in self.plan]
        super().__init__(specs, first, "auto", estimator, **kw)

    # -- runs keyed by position (a program may hold the same exercise twice) ------
    @property
    def current(self) -> ExerciseRun:
        return self.runs[self._key(self.index)]

    @staticmethod
    def _key(i: int) -> str:
        return str(i)

    def _ensure_run(self) -> ExerciseRun:
        key = self._key(self.index)
        if key not in self.runs:
            spec, side = self.specs[self.index], self.plan[self.index].analyzer_side()
            per_set, _ = units_per_set(spec)
            run = GuidedRun(
                spec, Analyzer(spec, side), Overlay(spec, side=side), base_units=self.closed_sets[self.index] * per_set
            )
            run.sets_announced = run.progress().sets_done
            self.runs[key] = run
            self.order.append(key)
        return self.runs[key]

    def done(self) -> bool:
        return self.completed

    # -- sets ---------------------------------------------------------------------
    def cueing_allowed(self) -> bool:
        return self.rest is None  # no hold is cued during a rest

    def _advance(self, run: ExerciseRun, result: FrameResult, t: float) -> None:
        super()._advance(run, result, t)
        if result.rep_event is not None:
            self.buffer.reps.append(result.rep_event)
        if result.hold_event is not None:
            self.buffer.holds.append(result.hold_event)
        finished = run.cue_step.finished if run.cue_step is not None else None
        if finished is not None:  # a guided exercise: the cued hold is the rep (no angle: NaN, stored as none)
            faults = finished.faults if finished.done else (*finished.faults, "not_in_position")
            rep = RepEvent(
                finished.start_s, finished.start_s, finished.end_s, finished.done, math.nan, math.nan,
                0.0, finished.seen_s, 0.0, faults=faults,
            )  # fmt: skip
            self.buffer.reps.append(rep)
            self.buffer.holds.append(HoldEvent(finished.start_s, finished.end_s, finished.seen_s, faults=faults))
        self.buffer.faults.extend(result.new_faults)
        prog = run.progress()
        i = self.index
        # A hold set ends when the person lets go (its hold's record is complete then).
        if prog.sets_done > self.closed_sets[i] and not result.holding:
            self.closed_sets[i] = prog.sets_done
            self._hand_over(complete=True)
            self._start_rest(prog, t)

    def _hand_over(self, complete: bool) -> None:
        i = self.index
        b, self.buffer = self.buffer, SetBuffer()
        set_no = self.closed_sets[i] if complete else self.closed_sets[i] + 1
        finished = FinishedSet(
            self.exercise_rows[i], set_no, b.started_at, now(), tuple(b.reps), tuple(b.holds), tuple(b.faults), complete
        )
        if self.writer is not None:
            self.writer.put(finished)
        self.handed_over[i].append(finished)

    def _start_rest(self, prog: SetProgress, t: float) -> None:
        planned = self.plan[self.index]
        last_exercise = self.index + 1 >= len(self.plan)
        if prog.dose_done and last_exercise:
            self.completed = True
            return
        if prog.dose_done:
            nxt = self.plan[self.index + 1]
            words = f"{nxt.spec.name} ({nxt.describe_dose()})"
        else:
            words = f"{planned.spec.name}, set {prog.sets_done + 1} of {prog.sets}"
        self.rest = Rest(t + planned.rest_s, planned.rest_s, words, prog.dose_done)
        self._say(Cue(CueKind.INFO, f"Rest {planned.rest_s:.0f} seconds. Next: {words}."), t)
        if planned.rest_s <= 0:
            self._end_rest(t)

    def _end_rest(self, t: float) -> None:
        rest, self.rest = self.rest, None
        if rest is None:
            return
        if rest.then_next_exercise:
            self._next_exercise(t)
        else:
            self._say(Cue(CueKind.INFO, "Go."), t)  # moves made during the rest already count in this set

    def _next_exercise(self, t: float) -> None:
        if self.index + 1 >= len(self.plan):
            self.completed = True
            return
        self.index += 1
        run = self._ensure_run()
        run.stage, run.ok_since = "setup", math.nan
        self.buffer = SetBuffer()
        self._say(Cue(CueKind.INFO, f"Next: {run.spec.name}"), t)

    def close_open_set(self) -> None:
        """At the end: a set begun and not finished is kept, marked as short of its dose."""
        if not self.completed and not self.buffer.empty:
            self._hand_over(complete=False)

    # -- the frame loop's additions ----------------------------------------------
    def process(self, frame: Frame) -> Image:
        image = super().process(frame)
        rest = self.rest
        if rest is not None and not self.paused:
            t = frame.t_ms / 1000.0
            left = rest.until - t
            if left <= 0:
                self._end_rest(t)
            else:
                for s in REST_SPOKEN_AT_S:
                    if left <= s and s not in rest.spoken and rest.total > s:
                        rest.spoken.add(s)
                        self._say(Cue(CueKind.INFO, str(s)), t)
                draw_rest(image, left, rest.next_words)
        return image

    def _info(self, run: ExerciseRun, result: FrameResult, t: float, stage: str | None = None) -> LiveInfo:
        info = super()._info(run, result, t, stage)
        prog = run.progress()
        if prog.dose_done:
            line = None
        elif run.spec.kind == "hold" and not run.spec.holds_count_as_reps and run.spec.dose.hold_s:
            held = result.hold_s if result.holding else 0.0
            line = f"{min(held, run.spec.dose.hold_s):.0f} of {run.spec.dose.hold_s:g} s"
            if prog.per_set > 1:
                line = f"hold {prog.done_in_set + 1} of {prog.per_set}: {line}"
        elif run.cued is not None:
            line = f"{prog.done_in_set} of {prog.per_set} holds"
        else:
            line = f"{prog.done_in_set} of {prog.per_set} {prog.unit}"
        if self.rest is not None:
            help_line = "n skip the rest   space pause   m mute   f full screen   q quit"
        else:
            help_line = "space pause   r redo set   n next exercise   m mute   f full screen   q quit"
        title = f"Exercise {self.index + 1} of {len(self.plan)}: {run.spec.name}"
        cue = info.cue if info.cue is None or self.rest is None else dataclasses.replace(info.cue, card=False)
        return dataclasses.replace(info, dose_line=line, help=help_line, setup_title=title, cue=cue)

    def handle(self, action: Action, t: float) -> None:
        if action is Action.NEXT:
            if self.rest is not None:
                self._end_rest(t)  # skip the rest
            else:
                self.close_open_set()  # moving on early: what was done is kept, short of its dose
                self.buffer = SetBuffer()
                self._next_exercise(t)
            return
        if action is Action.PREVIOUS:
            self._banner(self.current, "The program goes in order (n skips ahead)", t)
            return
        if action is Action.RESET:
            run = self.current
            super().handle(action, t)
            if isinstance(run, GuidedRun):
                run.base_units = self.closed_sets[self.index] * units_per_set(run.spec)[0]
                run.sets_announced = run.progress().sets_done
            self.buffer = SetBuffer()
            return
        super().handle(action, t)

    # -- the end screen -------------------------------------------------------------
    def _summary_view(self, top: dict[str, Any], ended_by: str) -> SummaryView:
        title = "Program done: well done!" if ended_by == "completed" else "Session ended early"
        if ended_by == "camera_lost":
            title = "Session ended: camera lost"
        return SummaryView(title=title, rows=self.prescription_rows())

    def prescription_rows(self) -> list[tuple[str, str]]:
        """Each exercise: what was prescribed against what was done."""
        rows: list[tuple[str, str]] = [("", "Done / prescribed")]
        for i, planned in enumerate(self.plan):
            sets = self.closed_sets[i]
            spec = self.specs[i]
            done = self.handed_over[i]
            if spec.kind == "hold" and not spec.holds_count_as_reps:
                held = [h.duration_s for f in done for h in f.holds]
                extra = f"; holds {', '.join(f'{h:.0f} s' for h in held[:4])}" if held else ""
            elif spec.guided is not None:
                reps = sum(r.complete for f in done for r in f.reps)
                cued = sum(len(f.reps) for f in done)
                extra = f"; cued holds in position: {reps} of {cued}" if cued else ""
            else:
                reps = sum(r.complete for f in done for r in f.reps)
                extra = f"; {reps} reps" if reps else ""
            if any(not f.complete for f in done):
                extra += "; last set short of its dose"
            rows.append((spec.name, f"{sets} of {planned.sets} sets ({planned.describe_dose()}){extra}"))
        return rows


def draw_rest(image: Image, left_s: float, next_words: str) -> None:
    """The rest card in the middle of the picture: the countdown and what comes next."""
    h, w = image.shape[:2]
    k = h / 480.0
    y0, y1 = int(h * 0.32), int(h * 0.32 + 150 * k)
    shade(image, int(0.1 * w), y0, int(0.9 * w), y1, 0.7)
    centered(image, "Rest", y0 + int(34 * k), 1.0, MUTED)
    centered(image, f"{math.ceil(left_s):.0f} s", y0 + int(88 * k), 2.4, GOOD)
    words = f"next: {next_words}"
    size = 0.9
    while text_size(image, words, size)[0] > 0.78 * w and size > 0.6:
        size -= 0.05
    centered(image, words, y0 + int(128 * k), size, WHITE)


# -- the command ---------------------------------------------------------------------------
@dataclass(frozen=True)
class GuidedOptions:
    program: Path
    camera: str = "0"
    record: Path | None = None
    report: Path | None = None
    mute: bool = False
    window: bool = True
    stats: bool = False
    summary_s: float | None = None
    model: str | None = None
    db: str | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    answers: tuple[bool, ...] | None = None
    resume: bool | None = None  # None: ask (window) or start afresh (no window)
    keys: Mapping[int, str] = field(default_factory=dict)


def _yes(b: bool) -> str:
    return "yes" if b else "no"


@dataclass
class Devices:
    """The camera and the model a guided session runs on (opened before anything is recorded)."""

    source: Any
    realtime: bool  # a file played as a camera
    estimator: Any
    capture_stopped: bool = True  # False: the capture thread is still blocked in the source; never close it then


def run_guided(opts: GuidedOptions, out: TextIO | None = None) -> int:
    """Check in, play the program, check out; every finished set is in the history as it ends."""
    out = out if out is not None else sys.stdout
    loaded = load_program(opts.program)
    target = parse_camera(opts.camera)
    inputs = [target] if isinstance(target, Path) else []
    for path in (opts.report, opts.record):
        if path is not None:
            check_output_path(path, inputs)
    if opts.window and not has_display():
        raise OutputError("no display to open a window on (DISPLAY is not set); use --no-window")
    # The camera and the model first: a session is recorded only once it can run.
    source, realtime = open_camera(opts.camera)
    dev = Devices(source, realtime, None)
    try:
        dev.estimator = MediaPipePoseEstimator(opts.model)
        with HistoryStore.open(resolve_db_path(opts.db)) as store:
            size = (source.info.width, source.info.height + strip_height(source.info.height))
            display: Display = WindowDisplay(frame_size=size) if opts.window else NullDisplay()
            print(SAFETY, file=out)
            return _guided(opts, loaded, store, dev, display, size, out)
    finally:
        if dev.estimator is not None:
            dev.estimator.close()
        if dev.capture_stopped:
            source.close()


def _choose_start(
    opts: GuidedOptions,
    plan: Sequence[PlannedExercise],
    found: Resumable | None,
    display: Display,
    size: tuple[int, int],
    out: TextIO,
) -> tuple[int, int] | None:
    """Where a resumed session starts, or None to start afresh."""
    if found is None:
        return None
    start = found.first_unfinished(tuple(p.sets for p in plan))
    if start is None:
        return None
    where = f"{plan[start[0]].spec.name}, set {start[1]}"
    choice = opts.resume
    if choice is None and opts.window:
        choice = checkin.ask_yes_no(display, f"Resume today's session from {where}? (y/n)", size)
    if choice is None:
        print(f"today's unfinished session of this program can be resumed ({where}): use --resume yes", file=out)
        return None
    if choice:
        print(f"resuming today's session from {where}", file=out)
        return start
    return None


def _guided(
    opts: GuidedOptions,
    loaded: LoadedProgram,
    store: HistoryStore,
    dev: Devices,
    display: Display,
    size: tuple[int, int],
    out: TextIO,
) -> int:
    plan = list(loaded.exercises)
    program_path = str(Path(opts.program).resolve())
    started = now()
    found = find_resumable(store, program_path, started.date().isoformat(), len(plan))
    start = _choose_start(opts, plan, found, display, size, out)
    if start is not None and found is not None:
        recorder = store.resume_session(found.session_id)
        rows = list(found.exercise_rows)
        row = store.conn.execute("SELECT pain_before FROM sessions WHERE id = ?", (found.session_id,)).fetchone()
        pain_before = None if row is None or row[0] is None else int(row[0])
    else:
        start = (0, 1)
        pain_before = opts.pain_before
        if pain_before is None and opts.window:
            pain_before = checkin.ask_pain(display, "before", size)
        info = SessionInfo(
            kind="live", started_at=started, program_name=loaded.program.name, program_path=program_path,
            patient=loaded.program.patient, pain_before=pain_before,
        )  # fmt: skip
        recorder = store.begin_session(info)
        rows = []
    with recorder:
        if not rows:
            for p in plan:
                ex = ExerciseRecord.from_spec(
                    p.spec, p.entry.side, p.entry.side_is, sets=p.sets, reps=p.reps, hold_s=p.hold_s
                )
                rows.append(recorder.add_exercise(ex))
        writer = SetWriter(recorder)
        try:
            outcome, session = _play(opts, plan, rows, start, dev, display, writer)
        finally:
            writer.close()  # every handed-over set is written before the session's end is
        ended_by = outcome.ended_by
        interrupted = ended_by == "interrupted"
        pain_after = opts.pain_after
        answers: tuple[bool | None, ...] = opts.answers or ()
        if not interrupted and opts.window and not display.closed():
            if pain_after is None:
                pain_after = checkin.ask_pain(display, "after the exercises", size)
            if not answers:
                n = len(checkin.STOP_QUESTIONS)
                answers = tuple(
                    checkin.ask_yes_no(display, q, size, f"After today's exercises (question {i} of {n})")
                    for i, q in enumerate(checkin.STOP_QUESTIONS, 1)
                )
        stop = checkin.stop_needed(pain_before, pain_after, answers)
        reason: EndReason = "stop_answer" if stop else END_REASON.get(ended_by, "stopped")
        stop_answers = tuple(
            StopAnswer(q, _yes(a)) for q, a in zip(checkin.STOP_QUESTIONS, answers, strict=False) if a is not None
        )
        if stop:
            stop_answers += (StopAnswer("Stop advice shown", checkin.STOP_ADVICE),)
        recorder.finish(SessionEnd(reason, pain_after=pain_after, stop_answers=stop_answers))
    if stop:
        print(f"STOP: {checkin.STOP_ADVICE}", file=out)
        if opts.window and not display.closed():
            checkin.show_stop_advice(display, size)

    rows_view = session.prescription_rows()
    rows_view.append(("Pain (0-10)", f"{_pain_words(pain_before)} before, {_pain_words(pain_after)} after"))
    if stop:
        rows_view.append(("Stop", "stop advice shown: talk to your therapist before exercising again"))
    saved = [f"history: {store.path} ({len(writer.saved)} set(s) saved)"]
    if opts.report is not None:
        report = dict(outcome.report)
        report["program"] = {"name": loaded.program.name, "path": program_path, "end_reason": reason}
        write_json_atomic(report, opts.report)
        saved.append(f"report: {opts.report}")
    if outcome.report["session"]["recording"]:
        saved.append(f"recording: {outcome.report['session']['recording']}")
    if outcome.last_image is not None and opts.window and not display.closed() and not interrupted:
        # After stop advice the session is not a success to cheer, however complete.
        title = "Stop for today" if stop else outcome.summary.title
        screen = draw_summary(outcome.last_image.copy(), SummaryView(title, rows_view, saved))
        keys = "press any key to close" if opts.summary_s is None else f"closes in {opts.summary_s:g} s"
        display.show(window_strip(screen, keys))
        display.wait_key(opts.summary_s)
    display.close()

    print(outcome.summary.title, file=out)
    for label, value in rows_view:
        print(f"  {label}: {value}" if label else value, file=out)
    for line in writer.errors:
        print(f"formcheck: warning: {line}", file=sys.stderr)
    for line in saved:
        print(line, file=out)
    if interrupted:
        raise KeyboardInterrupt
    if ended_by == "camera_lost":
        raise InputError(f"{outcome.message}; every finished set is saved ({store.path})")
    return 0 if reason == "completed" and not writer.errors else 1


def _pain_words(p: int | None) -> str:
    return "not asked" if p is None else str(p)


def _play(
    opts: GuidedOptions,
    plan: list[PlannedExercise],
    rows: list[int],
    start: tuple[int, int],
    dev: Devices,
    display: Display,
    writer: SetWriter,
) -> tuple[SessionOutcome, GuidedSession]:
    cues = CuePlayer(choose_backend(), muted=opts.mute)
    notice = sound_notice(cues.backend)
    if notice is not None and not opts.mute:
        print(f"formcheck: warning: {notice}", file=sys.stderr)
    try:
        session = GuidedSession(
            plan,
            dev.estimator,
            writer=writer,
            exercise_rows=rows,
            start=start,
            display=ScriptedKeys(display, opts.keys) if opts.keys else display,
            cues=cues,
            source_name=dev.source.info.source,
            fps=dev.source.info.fps,
            record=opts.record,
            show_stats=opts.stats,
        )
        pace = dev.realtime and PACE_FILES
        grabber = LatestFrameGrabber(dev.source, realtime=pace, lossless=dev.realtime and not pace).start()
        try:
            with opencv_errors_only():
                outcome = session.run(grabber, dev.source.status, camera=not dev.realtime)
        finally:
            dev.capture_stopped = grabber.stop()
        session.close_open_set()
    finally:
        cues.close()
    return outcome, session
