"""The live loop: newest frame -> pose -> the same Analyzer as ``analyze`` -> overlay -> window.

Everything a session adds to the offline analysis lives here: sets counted
from the prescribed dose, a setup stage that guides the person into view
before anything is counted, pause / reset / next and previous exercise /
mute, spoken cues, a summary screen, the JSON report and an optional
recording. Counting itself is the analyzer's, fed the same poses it gets
offline, so a clip played as a camera counts what ``analyze`` counts (up to
the frames a slow machine has to drop).

Times come from the frames (a camera's capture clock, a file's own
timestamps); the machine's clock is used only to measure latency and the
time spent paused.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from formcheck.analysis import Analyzer, FrameResult
from formcheck.errors import InputError, OutputError
from formcheck.exercises.spec import ExerciseSpec, View
from formcheck.landmarks import PoseFrame
from formcheck.live.capture import CaptureCounts, LatestFrameGrabber
from formcheck.live.cued import CuedHoldTimer, CuePhase, CueStep, Lookout, cued_report, shown_result
from formcheck.live.keys import HELP_LINE, Action, action_for_key
from formcheck.live.sets import SetProgress, set_progress
from formcheck.live.sound import Cue, CueKind, CuePlayer
from formcheck.live.stats import LiveStats, StatsSummary
from formcheck.live.window import Display, Image
from formcheck.native import opencv_errors_only
from formcheck.pose.estimator import PoseEstimator
from formcheck.render import GUIDED_NOTE, CueView, LiveInfo, Overlay, SummaryView, live_strip, side_words
from formcheck.report import build_report
from formcheck.sinks import VideoFileSink
from formcheck.sources import Frame, StreamStatus

SAFETY = (
    "Not medical advice. Follow your physical therapist's dose; stop if pain spreads further "
    "down the leg or numbness or weakness gets worse."
)
READY_S = 1.0  # measurable this long in the setup stage = ready to count
SAFETY_MIN_S = 8.0  # the safety note stays up this long at least, and through the first setup stage
LOST_S = 4.0  # not measurable this long while counting = back to the setup card
HINT_AFTER_S = 3.0  # nobody found this long = say how to help the detector
BANNER_S = 3.0
STALL_S = 5.0  # no new frame from a camera this long = it is gone
SETUP_MESSAGE_MIN_S = 1.5  # a setup instruction stays up at least this long (no flicker)
FAULT_REPEAT_S = 10.0  # the same fault is spoken at most this often
SPEECH_GAP_S = 3.0  # and no fault is spoken within this of another one
MAX_FILL_S = 10.0  # the recording repeats a frame over a gap at most this long

# Exercises done lying (or kneeling) on the floor: pose detectors struggle to find
# a person who is already down, so the setup card says how to help them.
FLOOR_EXERCISES = frozenset(
    (
        "pelvic_tilt",
        "hip_flexor_stretch",
        "lower_trunk_rotation",
        "childs_pose",
        "knee_to_chest",
        "bridge",
        "nerve_glide",
    )
)
FLOOR_HINT = (
    "Already lying down? The camera finds you more easily upright: sit or stand in view "
    "first, then get down into position."
)
STANDING_HINT = "Step into view, 2-3 m from the camera, with your whole body in the picture."

CAMERA_WORDS = {
    View.SIDE: "Camera low (floor or chair height), 2-3 m to your side, whole body in view",
    View.FRONT: "Face the camera from 2-3 m, whole body in view",
    View.FEET_END: "Camera at your feet, raised, looking along your body",
    View.ANY: "Your whole body in view of the camera",
}


@dataclass
class ExerciseRun:
    """One exercise's state within a session (an analyzer plus what the session adds)."""

    spec: ExerciseSpec
    analyzer: Analyzer
    overlay: Overlay
    stage: str = "setup"  # "setup" until the person is measurable, then "counting"
    ok_since: float = math.nan
    bad_since: float = math.nan
    nobody_since: float = math.nan
    setup_msg: str | None = None
    setup_msg_t: float = -math.inf
    units: int = 0  # complete reps, or holds that reached the dose's time
    holds_done: int = 0
    hold_reached: bool = False  # the current hold already reached the dose's time
    sets_announced: int = 0
    banner: str | None = None
    banner_until: float = -math.inf
    last_result: FrameResult | None = None
    frames: int = 0
    spoken: dict[str, float] = field(default_factory=dict)
    # A guided exercise (spec.guided): cued holds instead of measured ones.
    cued: CuedHoldTimer | None = None
    lookout: Lookout | None = None
    cue_step: CueStep | None = None  # the latest frame's

    def __post_init__(self) -> None:
        if self.spec.guided is not None and self.spec.dose.hold_s:
            self.cued = CuedHoldTimer.for_spec(self.spec)
            self.lookout = Lookout(self.spec)

    def restart(self) -> None:
        """The 'r' key: counts start over, and the person is guided in again."""
        self.analyzer.reset()
        self.stage = "setup"
        self.ok_since = self.bad_since = self.nobody_since = math.nan
        self.setup_msg, self.setup_msg_t = None, -math.inf
        self.units = self.holds_done = self.sets_announced = 0
        self.hold_reached = False
        self.banner, self.banner_until = None, -math.inf
        self.last_result = None
        self.spoken.clear()
        if self.cued is not None and self.lookout is not None:
            self.cued.reset()
            self.lookout.reset()
            self.cue_step = None

    def progress(self) -> SetProgress:
        return set_progress(self.spec, self.units)


@dataclass
class SessionOutcome:
    report: dict[str, Any]
    ended_by: str  # "quit", "window_closed", "end_of_stream", "camera_lost", "interrupted"
    message: str
    stats: StatsSummary
    summary: SummaryView
    last_image: Image | None


def idle_result(frame: Frame, run: ExerciseRun) -> FrameResult:
    """What to draw for a frame that was not analysed (paused before the first analysis)."""
    h, w = (frame.image.shape[:2]) if frame.image is not None else (480, 640)
    s = run.analyzer.summary
    return FrameResult(
        index=frame.index,
        t_ms=frame.t_ms,
        pose=PoseFrame.missing(frame.index, frame.t_ms, w, h),
        status="no_person",
        side=None,
        metrics={},
        primary=math.nan,
        phase="rest",
        reps=s.reps,
        partial_reps=s.partial_reps,
        progress=math.nan,
        hold_s=0.0,
        holding=False,
        hold_paused=False,
        feedback=None,
        active_faults=(),
    )


def _finite_or_none(x: float, nd: int = 1) -> float | None:
    return round(x, nd) if math.isfinite(x) else None


class LiveSession:
    """One person in front of one camera, any number of exercises (n/p switch between them)."""

    def __init__(
        self,
        specs: Sequence[ExerciseSpec],
        start: int,
        side: str,
        estimator: PoseEstimator,
        *,
        display: Display,
        cues: CuePlayer,
        source_name: str,
        fps: float,
        record: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        show_stats: bool = False,
    ) -> None:
        if not specs:
            raise ValueError("a session needs at least one exercise")
        self.specs = list(specs)
        self.index = start
        self.side = side
        self.estimator = estimator
        self.display = display
        self.cues = cues
        self.source_name = source_name
        self.fps = fps
        self.record_path = record
        self.clock = clock
        self.show_stats = show_stats  # speed and latency on screen (--stats)
        self.runs: dict[str, ExerciseRun] = {}
        self.order: list[str] = []  # exercises in the order they were first used
        self.paused = False
        self.paused_s = 0.0
        self._pause_started = math.nan
        self.safety_pending = True  # until the first setup stage is over (and SAFETY_MIN_S)
        self.stats = LiveStats()
        self.last_image: Image | None = None  # the last picture (what a recording keeps; no key help)
        self.warnings: list[str] = []
        self._recorder: VideoFileSink | None = None
        self._rec_next_ms = math.nan
        self._rec_last: tuple[Frame, FrameResult] | None = None
        self._last_drawn: FrameResult | None = None
        self._last_info = LiveInfo()
        self._last_spoken_t = -math.inf
        self._t0 = math.nan  # the first frame's time
        self._t_last = math.nan  # the latest frame's time
        self._ensure_run()

    # -- exercises ------------------------------------------------------------
    @property
    def current(self) -> ExerciseRun:
        return self.runs[self.specs[self.index].id]

    def _ensure_run(self) -> ExerciseRun:
        spec = self.specs[self.index]
        if spec.id not in self.runs:
            self.runs[spec.id] = ExerciseRun(spec, Analyzer(spec, self.side), Overlay(spec, side=self.side))
            self.order.append(spec.id)
        return self.runs[spec.id]

    # -- the loop -------------------------------------------------------------
    def run(
        self, grabber: LatestFrameGrabber, status: StreamStatus | None = None, camera: bool = True
    ) -> SessionOutcome:
        """Until q/Esc, the window closing, the end of a file, or the camera going away."""
        ended_by, message = "quit", ""
        try:
            while True:
                cap = grabber.get(timeout=STALL_S)
                if cap is None:
                    ended_by, message = self._why_stopped(grabber, status, camera)
                    break
                image = self.process(cap.frame)
                key = self.display.show(live_strip(image, self._last_info))
                self.stats.add(cap.captured_at, self.clock())
                self.last_image = image
                self._record(cap.frame)
                action = action_for_key(key)
                if action is Action.QUIT:
                    break
                if self.display.closed():
                    ended_by = "window_closed"
                    break
                if action is not None:
                    self.handle(action, cap.frame.t_ms / 1000.0)
                if self.done():
                    ended_by = "completed"
                    break
        except KeyboardInterrupt:
            ended_by, message = "interrupted", "interrupted"
        return self.finish(ended_by, message, grabber.counts, status)

    def done(self) -> bool:
        """A free session ends only when the person says so; a guided one when its program is done."""
        return False

    def _why_stopped(self, grabber: LatestFrameGrabber, status: StreamStatus | None, camera: bool) -> tuple[str, str]:
        source = self.source_name
        if grabber.error is not None:
            return "camera_lost", f"{source}: reading failed ({grabber.error})"
        if not grabber.finished:
            return "camera_lost", f"{source}: no image for {STALL_S:.0f} s (camera unplugged or stuck?)"
        if status is not None and status.ended_early:
            what = "camera lost" if camera else "video ended early"
            return "camera_lost", f"{source}: {what}: {status.message}"
        if camera:
            return "camera_lost", f"{source}: the camera stopped delivering images"
        return "end_of_stream", ""

    def process(self, frame: Frame) -> Image:
        """Analyse (unless paused) and draw one frame; returns the picture (the window adds its strip)."""
        if frame.image is None:
            raise ValueError("live mode needs decoded images")
        run = self.current
        t = frame.t_ms / 1000.0
        if not math.isfinite(self._t0):
            self._t0 = t
        self._t_last = t
        if self.paused:
            result = run.last_result or idle_result(frame, run)
            live = self._info(run, result, t, stage="paused")
        else:
            result = run.analyzer.step(self.estimator.estimate(frame))
            run.frames += 1
            if run.cued is not None:
                result = self._cue(run, result, t)
            self._advance(run, result, t)
            run.last_result = result
            live = self._info(run, result, t)
        self._last_drawn = result
        self._last_info = live
        return run.overlay.draw(frame.image, result, live)

    # -- session rules --------------------------------------------------------
    def _advance(self, run: ExerciseRun, result: FrameResult, t: float) -> None:
        ok = result.status == "ok"
        if ok:
            run.bad_since = math.nan
            if not math.isfinite(run.ok_since):
                run.ok_since = t
        else:
            run.ok_since = math.nan
            if not math.isfinite(run.bad_since):
                run.bad_since = t
        if result.status == "no_person":
            if not math.isfinite(run.nobody_since):
                run.nobody_since = t
        else:
            run.nobody_since = math.nan

        if run.stage == "setup":
            counted = result.rep_event is not None or result.holding
            ready = math.isfinite(run.ok_since) and t - run.ok_since >= READY_S
            if counted or ready:
                run.stage = "counting"
                if not counted:  # already moving: no need to say go
                    self._banner(run, "Ready: go ahead", t)
        elif math.isfinite(run.bad_since) and t - run.bad_since >= LOST_S:
            run.stage = "setup"

        msg = result.setup_message
        settled = msg is None or run.setup_msg is None or t - run.setup_msg_t >= SETUP_MESSAGE_MIN_S
        if settled and msg != run.setup_msg:
            run.setup_msg, run.setup_msg_t = msg, t

        self._count_units(run, result, t)

    def cueing_allowed(self) -> bool:
        """May a guided exercise cue its next hold now? (A program's rest says no.)"""
        return True

    def _cue(self, run: ExerciseRun, result: FrameResult, t: float) -> FrameResult:
        """Guided: step the cued hold on what can be seen; the frame as the screen shows it."""
        assert run.cued is not None and run.lookout is not None
        seen = run.lookout.observe(result, holding=run.cued.state.phase is CuePhase.HOLD)
        allowed = run.stage == "counting" and self.cueing_allowed()
        run.cue_step = run.cued.update(t, seen, allowed=allowed)
        return shown_result(result, run.spec, run.cued.done)

    def _count_units(self, run: ExerciseRun, result: FrameResult, t: float) -> None:
        spec = run.spec
        target = spec.dose.hold_s
        hold_cue = False
        if run.cued is not None:
            self._cue_words(run, t)
        elif spec.kind == "hold":
            if result.holding and target is not None and result.hold_s >= target and not run.hold_reached:
                run.hold_reached, hold_cue = True, True
                run.holds_done += 1
            elif target is None and result.hold_event is not None:
                run.holds_done += 1
                hold_cue = True
            if not result.holding:
                run.hold_reached = False
        timed_holds = spec.kind == "hold" and not spec.holds_count_as_reps
        if run.cued is not None:
            run.units = run.cued.done
        else:
            run.units = run.holds_done if timed_holds else run.analyzer.summary.reps
        prog = run.progress()
        if prog.per_set and prog.sets_done > run.sets_announced:
            run.sets_announced = prog.sets_done
            if prog.dose_done:
                line, spoken = f"All {prog.sets} sets done: well done!", "All sets done. Well done."
            else:
                line = f"Set {prog.sets_done} done: rest, then start set {prog.sets_done + 1}"
                spoken = f"Set {prog.sets_done} done. Rest."
            self._banner(run, line, t, BANNER_S * 2)
            self._say(Cue(CueKind.SET_DONE, spoken), t)
        elif result.rep_event is not None and result.rep_event.complete:
            self._say(Cue(CueKind.REP, str(prog.done_in_set if prog.per_set else run.units)), t)
        elif hold_cue:
            self._banner(run, "Hold done: relax", t)
            self._say(Cue(CueKind.HOLD_DONE, "Hold done. Relax."), t)
        self._fault_cue(run, result, t)

    def _cue_words(self, run: ExerciseRun, t: float) -> None:
        """Say the cued hold's words (cue, countdown, relax); the screen shows them in its cue card."""
        step = run.cue_step
        if step is None:
            return
        for said in step.said:
            kind = CueKind.HOLD_DONE if said.kind == "relax" else CueKind.INFO
            self._say(Cue(kind, said.text), t)

    def _fault_cue(self, run: ExerciseRun, result: FrameResult, t: float) -> None:
        """Speak the most important new fault, rarely enough not to nag."""
        if not result.new_faults or t - self._last_spoken_t < SPEECH_GAP_S:
            return
        order = {rule.code: i for i, rule in enumerate(run.spec.faults)}
        setup_codes = ("no_person", "not_visible", "wrong_view", "too_far")
        setup_first = sorted(
            result.new_faults, key=lambda f: (f.code not in setup_codes, order.get(f.code, len(order)))
        )
        for fault in setup_first:
            if t - run.spoken.get(fault.code, -math.inf) >= FAULT_REPEAT_S:
                run.spoken[fault.code] = t
                self._say(Cue(CueKind.FAULT, fault.message.split(":")[0]), t)
                return

    def _say(self, cue: Cue, t: float) -> None:
        if self.cues.say(cue):
            self._last_spoken_t = t

    @staticmethod
    def _banner(run: ExerciseRun, text: str, t: float, seconds: float = BANNER_S) -> None:
        run.banner, run.banner_until = text, t + seconds

    def _info(self, run: ExerciseRun, result: FrameResult, t: float, stage: str | None = None) -> LiveInfo:
        prog = run.progress()
        hint = None
        if math.isfinite(run.nobody_since) and t - run.nobody_since >= HINT_AFTER_S:
            hint = FLOOR_HINT if run.spec.id in FLOOR_EXERCISES else STANDING_HINT
        current_stage = stage or run.stage
        if self.safety_pending and run.stage != "setup" and t - self._t0 >= SAFETY_MIN_S:
            self.safety_pending = False  # read long enough, and the person got into position
        lines = [run.spec.instruction, CAMERA_WORDS.get(run.spec.view, CAMERA_WORDS[View.ANY])]
        if run.spec.guided is not None:
            lines.append(f"{GUIDED_NOTE}. Follow the spoken cues; the tool counts the holds you do in position.")
        words = side_words(run.spec, self.side)
        if words is not None:
            lines.insert(1, words)
        return LiveInfo(
            stage="paused" if current_stage == "paused" else ("setup" if current_stage == "setup" else "counting"),
            set_no=prog.set_no,
            sets=prog.sets if prog.per_set else 0,
            done_in_set=prog.done_in_set,
            per_set=prog.per_set,
            unit=prog.unit,
            dose_done=prog.dose_done,
            banner=run.banner if t <= run.banner_until else None,
            setup_title=f"Get ready: {run.spec.name}",
            setup_lines=tuple(lines),
            setup_message=None if result.status == "ok" else (run.setup_msg or result.setup_message),
            setup_hint=hint,
            safety=SAFETY if self.safety_pending else None,
            fps=self.stats.rolling_fps if self.show_stats else math.nan,
            latency_ms=self.stats.rolling_latency_ms if self.show_stats else math.nan,
            muted=self.cues.muted,
            help=self._help_line(),
            cue=self._cue_view(run),
        )

    @staticmethod
    def _cue_view(run: ExerciseRun) -> CueView | None:
        timer, step = run.cued, run.cue_step
        if timer is None:
            return None
        phase = step.phase if step is not None else CuePhase.WAIT
        why = timer.state.why
        relax = timer.guidance.relax
        if phase is CuePhase.RELAX and timer.holds:  # the verdict on the hold just finished
            last = timer.holds[-1]
            relax = f"{relax}: done in position" if last.done else f"{relax}: not counted ({last.why})"
        words = {
            CuePhase.WAIT: why or "Good: stay there, the first cue is coming",
            CuePhase.CUE: timer.guidance.cue,
            CuePhase.HOLD: why or timer.guidance.cue,
            CuePhase.RELAX: relax,
        }[phase]
        left = step.left_s if step is not None else math.nan
        return CueView(phase.value, left, timer.hold_s, words, why is None, timer.done, timer.cued)

    def _help_line(self) -> str:
        """The key help, saying where n/p are in the list of exercises."""
        if len(self.specs) < 2:
            return HELP_LINE.replace("   n/p exercise", "")
        return HELP_LINE.replace("n/p exercise", f"n/p exercise ({self.index + 1} of {len(self.specs)})")

    # -- keys -----------------------------------------------------------------
    def handle(self, action: Action, t: float) -> None:
        """Apply a control (``t``: the current frame's time, for banners)."""
        if action in (Action.PAUSE, Action.NEXT, Action.PREVIOUS, Action.RESET):
            self._interrupt_cues(self.current)
        if action is Action.PAUSE:
            self.paused = not self.paused
            if self.paused:
                self._pause_started = self.clock()
            else:
                self.paused_s += self.clock() - self._pause_started
        elif action is Action.RESET:
            self.current.restart()
        elif action in (Action.NEXT, Action.PREVIOUS):
            step = 1 if action is Action.NEXT else -1
            self.index = (self.index + step) % len(self.specs)
            run = self._ensure_run()
            run.stage = "setup"
            run.ok_since = math.nan
            self._say(Cue(CueKind.INFO, run.spec.name), t)
        elif action is Action.MUTE:
            muted = self.cues.toggle_mute()
            text = "Sound off" if muted else "Sound on"
            if self.cues.name == "silent":
                text = "No sound on this computer"
            self._banner(self.current, text, t)
        elif action is Action.FULLSCREEN:
            self.display.toggle_fullscreen()

    @staticmethod
    def _interrupt_cues(run: ExerciseRun) -> None:
        """A hold being cued is dropped, not judged, when the person pauses or switches."""
        if run.cued is not None:
            run.cued.interrupt()
            run.cue_step = None

    # -- recording ------------------------------------------------------------
    def _record(self, frame: Frame) -> None:
        """Write the shown picture at the source's rate, repeated over dropped frames (real time)."""
        if self.record_path is None or self.last_image is None or self._last_drawn is None:
            return
        image = self.last_image
        if self._recorder is None:
            h, w = image.shape[:2]
            self._recorder = VideoFileSink(self.record_path, self.fps, (w, h), Overlay(self.current.spec, []))
            self._rec_next_ms = frame.t_ms
        period = 1000.0 / self.fps
        if self._rec_last is not None:
            if frame.t_ms < self._rec_next_ms - period / 2:
                return  # faster than the video's rate: this slot is already filled
            gap_end = min(frame.t_ms, self._rec_next_ms + MAX_FILL_S * 1000.0)
            while self._rec_next_ms + period <= gap_end:
                self._recorder.write(*self._rec_last)
                self._rec_next_ms += period
        shown = (Frame(index=frame.index, t_ms=frame.t_ms, image=image), self._last_drawn)
        self._recorder.write(*shown)
        self._rec_next_ms += period
        self._rec_last = shown

    # -- the end --------------------------------------------------------------
    def finish(
        self, ended_by: str, message: str, counts: CaptureCounts, status: StreamStatus | None = None
    ) -> SessionOutcome:
        if self.paused:
            self.paused_s += self.clock() - self._pause_started
            self.paused = False
        recording = None
        if self._recorder is not None:
            try:
                self._recorder.close()
                recording = str(self.record_path)
            except Exception as exc:  # the report must still be written
                self.warnings.append(f"recording not saved: {exc}")
        complete = ended_by not in ("camera_lost", "interrupted")
        stats = self.stats.summary()
        warnings = list(self.warnings) + (list(status.warnings) if status is not None else [])
        reports = []
        for sid in self.order:
            run = self.runs[sid]
            if not run.frames and sid != self.order[0]:
                continue  # passed over with n/p without doing it
            summary = run.analyzer.finish()
            prog = run.progress()
            report = build_report(
                summary,
                run.spec,
                source=self.source_name,
                fps=self.fps,
                complete=complete,
                stopped_reason=message if not complete else "",
                warnings=warnings,
            )
            report["sets_done"] = prog.sets_done
            report["sets"] = prog.sets
            if run.spec.kind == "hold":
                report["holds_reaching_dose"] = run.holds_done
            if run.cued is not None:
                report.update(cued_report(run.cued, run.spec))
                report["holds_reaching_dose"] = run.cued.done
                report["nothing_counted"] = []  # (its reasons read the small signal)
                report["faults"] = [f for f in report["faults"] if f["code"] != run.spec.partial_code]
            reports.append(report)
        top = dict(reports[0])
        top["session"] = {
            "mode": "live",
            "ended_by": ended_by,
            "exercises": reports,
            "latency_ms": {
                "p50": _finite_or_none(stats.latency_p50_ms),
                "p95": _finite_or_none(stats.latency_p95_ms),
            },
            "fps_shown": _finite_or_none(stats.fps, 2),
            "source_fps": round(self.fps, 3),
            "frames_shown": stats.frames_shown,
            "frames_dropped": counts.dropped,
            "duration_s": round(self._t_last - self._t0, 3) if math.isfinite(self._t0) else 0.0,
            "paused_s": round(self.paused_s, 1),
            "sound": self.cues.name,
            "recording": recording,
        }
        outcome = SessionOutcome(top, ended_by, message, stats, self._summary_view(top, ended_by), self.last_image)
        return outcome

    def _summary_view(self, top: dict[str, Any], ended_by: str) -> SummaryView:
        rows: list[tuple[str, str]] = []
        exercises = top["session"]["exercises"]
        compact = len(exercises) > 2  # one line each, so the screen never overflows
        if compact:
            rows.append(("", "Exercises"))
        for report in exercises:
            run = self.runs[report["exercise"]]
            prog = run.progress()
            if "guided" in report:
                g = report["guided"]
                label, value = "Cued holds", f"{g['done_in_position']} of {g['cued']} done in position"
            elif run.spec.kind == "hold" and not run.spec.holds_count_as_reps:
                done = [f"{h['duration_s']:.0f} s" for h in report["holds"]]
                label, value = "Holds", ", ".join(done[:6]) + (" ..." if len(done) > 6 else "") or "none"
            else:
                label, value = "Reps", f"{report['reps']} complete, {report['partial_reps']} partial"
            sets = f"{prog.sets_done} of {prog.sets} sets done" if prog.per_set else ""
            if compact:
                rows.append((run.spec.name, f"{label.lower()}: {value}" + (f", {sets}" if sets else "")))
                continue
            rows.append(("", run.spec.name))
            rows.append((label, value))
            if sets:
                rows.append(("Sets", sets))
            codes: dict[str, tuple[int, str]] = {}
            for f in report["faults"]:
                n, _ = codes.get(f["code"], (0, ""))
                codes[f["code"]] = (n + 1, f["message"].split(":")[0])
            top_faults = sorted(codes.values(), key=lambda x: -x[0])[:2]
            if top_faults:
                rows.append(("To work on", "; ".join(f"{m} (x{n})" for n, m in top_faults)))
        rows.append(("", "Session"))
        minutes, seconds = divmod(round(top["session"]["duration_s"]), 60)
        rows.append(("Time", f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"))
        stats = self.stats.summary()
        if self.show_stats and math.isfinite(stats.latency_p50_ms):
            speed = f"{stats.fps:.0f} fps, latency {stats.latency_p50_ms:.0f} ms (p95 {stats.latency_p95_ms:.0f})"
            rows.append(("Speed", speed))
        title = {
            "camera_lost": "Session ended: camera lost",
            "interrupted": "Session interrupted",
        }.get(ended_by, "Session summary")
        return SummaryView(title=title, rows=rows)


def format_stats(report: dict[str, Any]) -> str:
    s = report["session"]
    lat = s["latency_ms"]
    if lat["p50"] is None:
        return f"live: {s['frames_shown']} frames shown (too few to measure latency)"
    return (
        f"live: latency p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms (captured -> shown); "
        f"{s['fps_shown']:.1f} fps shown of {s['source_fps']:g}; {s['frames_dropped']} frames dropped"
    )


@dataclass(frozen=True)
class LiveOptions:
    exercise: str | None  # a built-in exercise id, or None with exercise_file
    side: str = "auto"
    camera: str = "0"
    record: Path | None = None
    report: Path | None = None
    mute: bool = False
    window: bool = True
    stats: bool = False
    summary_s: float | None = None  # how long the summary screen stays up (None: until a key)
    model: str | None = None
    exercise_file: Path | None = None  # a custom exercise (formcheck.exercises.custom) instead of ``exercise``


def run_live(opts: LiveOptions, out: TextIO | None = None) -> int:
    """``formcheck live``: open the camera, run the session, save, show the summary."""
    out = out if out is not None else sys.stdout
    from formcheck.exercises.registry import builtin_exercises, get_exercise
    from formcheck.live.capture import open_camera, parse_camera
    from formcheck.live.sound import choose_backend, sound_notice
    from formcheck.live.window import NullDisplay, WindowDisplay, has_display
    from formcheck.pose.estimator import MediaPipePoseEstimator
    from formcheck.render import draw_summary, strip_height, window_strip
    from formcheck.report import format_summary, write_json_atomic
    from formcheck.sinks import check_output_path

    if opts.exercise_file is not None:
        from formcheck.exercises.custom import load_exercise_file

        spec = load_exercise_file(opts.exercise_file)
    elif opts.exercise is not None:
        spec = get_exercise(opts.exercise)
    else:
        raise ValueError("LiveOptions needs exercise or exercise_file")
    specs = list(builtin_exercises().values())
    ids = [s.id for s in specs]
    if spec.id in ids:  # a file may redefine a built-in id: the file's definition is the one coached
        specs[ids.index(spec.id)] = spec
    else:
        specs.insert(0, spec)
        ids.insert(0, spec.id)
    target = parse_camera(opts.camera)
    inputs = [target] if isinstance(target, Path) else []
    for path in (opts.report, opts.record):
        if path is not None:
            check_output_path(path, inputs)

    if opts.window and not has_display():  # before the camera and the model, not after
        raise OutputError("no display to open a window on (DISPLAY is not set); use --no-window")
    source, realtime = open_camera(opts.camera)
    name = source.info.source
    print(SAFETY, file=out)
    cues = CuePlayer(choose_backend(), muted=opts.mute)
    notice = sound_notice(cues.backend)
    if notice is not None and not opts.mute:
        print(f"formcheck: warning: {notice}", file=sys.stderr)
    estimator = None
    display: Display = NullDisplay()
    stopped = True
    try:
        estimator = MediaPipePoseEstimator(opts.model)
        if opts.window:
            h = source.info.height
            display = WindowDisplay(frame_size=(source.info.width, h + strip_height(h)))
        session = LiveSession(
            specs,
            ids.index(spec.id),
            opts.side,
            estimator,
            display=display,
            cues=cues,
            source_name=name,
            fps=source.info.fps,
            record=opts.record,
            show_stats=opts.stats,
        )
        grabber = LatestFrameGrabber(source, realtime=realtime).start()
        try:
            with opencv_errors_only():
                outcome = session.run(grabber, source.status, camera=not realtime)
        finally:
            stopped = grabber.stop()
    finally:
        cues.close()
        if estimator is not None:
            estimator.close()
        if stopped:  # never release a capture another thread is still blocked in
            source.close()

    report = outcome.report
    saved = []
    if opts.report is not None:
        write_json_atomic(report, opts.report)
        saved.append(f"report: {opts.report}")
    if report["session"]["recording"]:
        saved.append(f"recording: {report['session']['recording']}")
    closed = outcome.ended_by in ("interrupted", "window_closed")  # showing would reopen the window
    if outcome.last_image is not None and opts.window and not closed:
        view = outcome.summary
        screen = draw_summary(outcome.last_image.copy(), SummaryView(view.title, view.rows, saved))
        if opts.summary_s is None:
            keys = "press any key to close"
        else:
            keys = f"closes in {opts.summary_s:g} s (any key closes it now)"
        display.show(window_strip(screen, keys))
        display.wait_key(opts.summary_s)
    display.close()

    for exercise_report in report["session"]["exercises"]:
        print(format_summary(exercise_report), file=out)
    if opts.stats:
        print(format_stats(report), file=out)
    for line in saved:
        print(line, file=out)
    if outcome.ended_by == "interrupted":
        raise KeyboardInterrupt
    if outcome.ended_by == "camera_lost":
        where = f"; what was done is saved ({', '.join(saved)})" if saved else ""
        raise InputError(f"{outcome.message}{where}")
    return 0 if report["complete"] else 1


__all__ = ["LiveOptions", "LiveSession", "SessionOutcome", "format_stats", "run_live"]
