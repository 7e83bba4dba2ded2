"""Cued holds (formcheck.live.cued): the cue cycle on hand-built frame times, and what can be seen."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from formcheck.analysis import FrameResult
from formcheck.exercises import get_exercise
from formcheck.exercises.registry import builtin_exercises
from formcheck.landmark_cache import track_paths
from formcheck.landmarks import PoseFrame
from formcheck.live.capture import LatestFrameGrabber
from formcheck.live.cued import (
    LEAD_S,
    MOVING_MESSAGE,
    READY_S,
    CuedHold,
    CuedHoldTimer,
    CuePhase,
    Lookout,
    Observation,
    shown_result,
)
from formcheck.live.guided import GuidedSession
from formcheck.live.session import LiveSession, SessionOutcome
from formcheck.live.sound import Cue, CuePlayer
from formcheck.live.window import NullDisplay
from formcheck.pose.model import resolve_model
from formcheck.pose.track import LandmarkTrack, ReplayEstimator
from formcheck.program import load_program
from formcheck.report import format_summary, validate_report
from formcheck.sources import Frame

SPEC = get_exercise("pelvic_tilt")
GUIDANCE = SPEC.guided
assert GUIDANCE is not None
HOLD_S = 5.0
OK = Observation(True)
HIPS = Observation(False, "Keep your hips on the floor", ("hips_lift",))
AWAY = Observation(False, GUIDANCE.position_message)

# One cycle, from the first frame in position: ready, the cue's lead-in, the hold, the relaxation.
FIRST_CUE = READY_S
FIRST_HOLD = READY_S + LEAD_S
FIRST_END = FIRST_HOLD + HOLD_S
SECOND_CUE = FIRST_END + GUIDANCE.relax_s
SECOND_END = SECOND_CUE + LEAD_S + HOLD_S


def play(
    fps: float, until_s: float, seen: Callable[[float], Observation] = lambda t: OK, gap: tuple[float, float] = (0, 0)
) -> tuple[CuedHoldTimer, list[tuple[float, str]], list[CuedHold]]:
    """Run the timer over frames at ``fps`` (none inside ``gap``); what was said when, and the holds."""
    timer = CuedHoldTimer(GUIDANCE, HOLD_S)
    said: list[tuple[float, str]] = []
    finished = []
    for i in range(math.floor(until_s * fps) + 1):
        t = i / fps
        if gap[0] <= t < gap[1]:
            continue
        step = timer.update(t, seen(t))
        said += [(t, s.text) for s in step.said]
        if step.finished is not None:
            finished.append(step.finished)
    return timer, said, finished


@pytest.mark.parametrize("fps", [15.0, 29.97, 60.0])
def test_a_still_person_in_position_hears_the_whole_cycle_on_time(fps: float) -> None:
    timer, said, holds = play(fps, SECOND_END + 0.5)
    words = [w for _, w in said]
    assert words == [
        GUIDANCE.cue, "Hold, 5", "4", "3", "2", "1", "Relax",
        GUIDANCE.cue, "Hold, 5", "4", "3", "2", "1", "Relax",
    ]  # fmt: skip
    times = [t for t, _ in said]
    expected = [FIRST_CUE, FIRST_HOLD, *(FIRST_HOLD + k for k in (1, 2, 3, 4)), FIRST_END]
    assert times[:7] == pytest.approx(expected, abs=1.0 / fps + 1e-9)
    assert times[7] == pytest.approx(SECOND_CUE, abs=1.0 / fps + 1e-9)  # straight on after the relaxation
    assert (timer.done, timer.cued) == (2, 2)
    assert [h.start_s for h in holds] == pytest.approx([FIRST_HOLD, SECOND_CUE + LEAD_S], abs=1.0 / fps + 1e-9)
    assert all(h.end_s - h.start_s == pytest.approx(HOLD_S) for h in holds)
    assert all(h.seen_s == pytest.approx(HOLD_S, abs=1.0 / fps + 1e-9) for h in holds)


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_hips_lifting_during_a_hold_is_not_counted_and_the_reason_is_said(fps: float) -> None:
    lift = (FIRST_HOLD + 2.0, FIRST_HOLD + 3.0)
    timer, said, holds = play(fps, FIRST_END + 0.5, lambda t: HIPS if lift[0] <= t < lift[1] else OK)
    assert (timer.done, timer.cued) == (0, 1)
    assert holds[0].faults == ("hips_lift",) and not holds[0].done
    assert said[-1][1] == "Relax. That one did not count: Keep your hips on the floor"


@pytest.mark.parametrize(("away_s", "done"), [(0.3, True), (1.0, False)])
def test_out_of_position_longer_than_the_timers_accuracy_is_not_a_hold_in_position(away_s: float, done: bool) -> None:
    start = FIRST_HOLD + 1.5
    timer, _, holds = play(30.0, FIRST_END + 0.5, lambda t: AWAY if start <= t < start + away_s else OK)
    assert (timer.done, timer.cued) == (int(done), 1)
    assert holds[0].why == (None if done else GUIDANCE.position_message)


def test_frames_missing_for_a_second_of_the_hold_are_not_seen_in_position() -> None:
    """Dropped frames are not evidence: a frame stands for at most max_step_s."""
    timer, said, holds = play(30.0, FIRST_END + 0.5, gap=(FIRST_HOLD + 1.0, FIRST_HOLD + 2.0))
    assert (timer.done, timer.cued) == (0, 1)
    assert holds[0].seen_s < HOLD_S - 0.5
    assert "3" in [w for _, w in said]  # the countdown itself runs on frame time


def test_nothing_is_cued_until_the_person_has_been_in_position_for_the_ready_time() -> None:
    arrive = 4.0
    _, said, _ = play(30.0, arrive + READY_S + 0.5, lambda t: OK if t >= arrive else AWAY)
    assert [w for _, w in said] == [GUIDANCE.cue]
    assert said[0][0] == pytest.approx(arrive + READY_S, abs=1.0 / 30.0 + 1e-9)


def test_leaving_during_the_lead_in_goes_back_to_waiting_without_a_hold() -> None:
    leave = FIRST_CUE + 1.0
    timer, said, _ = play(30.0, FIRST_END + 1.0, lambda t: AWAY if t >= leave else OK)
    assert [w for _, w in said] == [GUIDANCE.cue]
    assert timer.cued == 0 and timer.state.phase is CuePhase.WAIT


def test_an_interrupted_hold_is_dropped_and_a_rest_holds_the_cycle() -> None:
    timer = CuedHoldTimer(GUIDANCE, HOLD_S)
    t = 0.0
    while timer.state.phase is not CuePhase.HOLD:
        t += 1.0 / 30.0
        timer.update(t, OK)
    timer.interrupt()  # a pause, n/p, or a program's rest
    assert timer.state.phase is CuePhase.WAIT and timer.cued == 0
    for _ in range(300):  # ten seconds of a program's rest: nothing is cued
        t += 1.0 / 30.0
        step = timer.update(t, OK, allowed=False)
        assert step.phase is CuePhase.WAIT and not step.said
    assert timer.cued == 0


# -- what can be seen ------------------------------------------------------------------------


def frame(t: float, status: str = "ok", faults: tuple[str, ...] = (), **metrics: float) -> FrameResult:
    values = {"knee_angle": 90.0, "hip_angle": 130.0, "trunk_incline": 2.0} | metrics
    return FrameResult(
        index=round(t * 30), t_ms=t * 1000.0, pose=PoseFrame.missing(0, t * 1000.0, 640, 480), status=status,
        side="left", metrics=values, primary=values["knee_angle"], phase="rest", reps=0, partial_reps=0,
        progress=math.nan, hold_s=0.0, holding=False, hold_paused=False, feedback=None, active_faults=faults,
        setup_message="Turn side-on to the camera" if status != "ok" else None,
    )  # fmt: skip


def settle(lookout: Lookout, seconds: float = 1.0) -> float:
    t = 0.0
    for i in range(round(seconds * 30)):
        t = i / 30.0
        lookout.observe(frame(t))
    return t


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda t: frame(t), None),
        (lambda t: frame(t, status="wrong_view"), "Turn side-on to the camera"),
        (lambda t: frame(t, knee_angle=170.0), "Lie on your back with your knees bent and your feet on the floor"),
        (lambda t: frame(t, trunk_incline=80.0), "Lie on your back with your knees bent and your feet on the floor"),
        (
            lambda t: frame(t, faults=("hips_lift",)),
            "Keep your hips on the floor: flatten your back instead of lifting",
        ),
    ],
)
def test_lookout_says_what_keeps_the_position_from_being_seen(make: Callable[[float], FrameResult], why: str) -> None:
    lookout = Lookout(SPEC)
    t = settle(lookout)
    seen = lookout.observe(make(t + 1.0 / 30.0))
    assert seen.ok is (why is None)
    assert seen.why == why


def test_lookout_reads_a_tilt_as_still_and_sitting_up_as_moving() -> None:
    """A tilt opens the knee ~2-3 degrees over a second (still); sitting up moves tens of degrees a second."""
    lookout = Lookout(SPEC)
    t0 = settle(lookout)
    tilt = [lookout.observe(frame(t0 + i / 30.0, knee_angle=90.0 + 2.5 * min(i / 30.0, 1.0))) for i in range(1, 45)]
    assert all(o.ok for o in tilt)
    t1 = t0 + 45 / 30.0
    moving = [lookout.observe(frame(t1 + i / 30.0, hip_angle=130.0 - 30.0 * i / 30.0)) for i in range(1, 20)]
    assert moving[-1].why == MOVING_MESSAGE


@pytest.mark.parametrize("fps", [3.0, 5.0])
def test_a_slow_machine_dropping_frames_does_not_make_a_still_person_read_as_moving(fps: float) -> None:
    """Too few frames in the slope window to tell is not evidence of moving (a hold at 3-5 fps shown)."""
    lookout = Lookout(SPEC)
    seen = [lookout.observe(frame(i / fps)) for i in range(round(6 * fps))]
    assert all(o.ok for o in seen)


def test_the_guided_screen_shows_no_tilt_numbers() -> None:
    raw = frame(3.0)
    shown = shown_result(
        FrameResult(**{**raw.__dict__, "primary_rest": 88.0, "holding": True, "hold_s": 3.2, "phase": "hold",
                       "feedback": SPEC.partial_message}),
        SPEC,
        4,
    )  # fmt: skip
    assert math.isnan(shown.primary) and math.isnan(shown.primary_rest) and math.isnan(shown.progress)
    assert not shown.holding and shown.hold_s == 0.0 and shown.feedback is None and shown.reps == 4
    assert np.isnan(shown.pose.image).all()  # (the pose itself is untouched: the skeleton is still drawn)


# -- in the live session and in a program, on a sample clip's committed landmarks -------------

REPO = Path(__file__).resolve().parents[2]
TILT_CLIP = REPO / "sample_videos" / "pelvic_tilt_side_left_01.mp4"  # lies still, three small tilts
LIFT_CLIP = REPO / "sample_videos" / "pelvic_tilt_hips_lift_right_02.mp4"  # the hips lift at 9.3-10.8 s


class Heard:
    name = "heard"

    def __init__(self) -> None:
        self.cues: list[Cue] = []

    def play(self, cue: Cue) -> None:
        self.cues.append(cue)


def track_of(clip: Path) -> LandmarkTrack:
    fixture = track_paths(clip, resolve_model())[0]
    if not fixture.is_file():
        pytest.skip(f"no committed landmark fixture for {clip.name}")
    return LandmarkTrack.load(fixture)


def replay(session: LiveSession, track: LandmarkTrack) -> SessionOutcome:
    blank = np.zeros((track.height // 4, track.width // 4, 3), np.uint8)
    frames = [Frame(i, float(track.t_ms[i]), blank) for i in range(len(track))]
    with LatestFrameGrabber(frames, lossless=True) as grabber:
        return session.run(grabber, camera=False)


class Spoken:
    """Everything the session says, with its frame time (the sound thread may drop stale cues)."""

    def __init__(self, session: LiveSession) -> None:
        self.said: list[tuple[float, str]] = []
        self._say = session._say
        session._say = self  # type: ignore[method-assign]

    def __call__(self, cue: Cue, t: float) -> None:
        self.said.append((t, cue.text))
        self._say(cue, t)


@pytest.mark.parametrize(("clip", "done"), [(TILT_CLIP, (True, True)), (LIFT_CLIP, (False, True))])
def test_live_pelvic_tilt_cues_holds_and_counts_those_seen_in_position(clip: Path, done: tuple[bool, ...]) -> None:
    track = track_of(clip)
    specs = list(builtin_exercises().values())
    cues = CuePlayer(Heard())
    session = LiveSession(
        specs, [s.id for s in specs].index("pelvic_tilt"), "auto", ReplayEstimator(track), display=NullDisplay(),
        cues=cues, source_name="test", fps=track.fps,
    )  # fmt: skip
    spoken = Spoken(session)
    try:
        outcome = replay(session, track)
    finally:
        cues.close()
    report = outcome.report["session"]["exercises"][0]
    assert validate_report(report) == []
    assert [h["done_in_position"] for h in report["holds"]] == list(done)
    assert report["reps"] == sum(done) and report["partial_reps"] == 0 and report["rep_events"] == []
    assert report["guided"]["cued"] == len(done) and report["guided"]["measured"] is False
    words = [w for _, w in spoken.said]
    assert words.count(GUIDANCE.cue) == len(done) and words.count("Hold, 5") == len(done)
    assert "Hold the tilt for 5 seconds" not in words  # the small signal's own verdicts are not passed on
    if not done[0]:  # the hips lift inside the first cued hold (5.0-10.0 s): said why it did not count
        assert any(w.startswith("Relax. That one did not count") for w in words)
        assert report["holds"][0]["start_s"] < 9.3 < report["holds"][0]["end_s"]
    assert "°" not in format_summary(report)


def test_a_program_cues_no_hold_during_its_rest_and_records_cued_holds_as_reps(tmp_path: Path) -> None:
    program = tmp_path / "tilt.toml"
    program.write_text(
        'name = "Tilts"\nfrequency = "daily"\nstart = 2026-01-01\n\n'
        '[[exercises]]\nexercise = "pelvic_tilt"\nsets = 2\nreps = 1\nhold_s = 2\nrest_s = 3\n'
    )
    track = track_of(TILT_CLIP)
    cues = CuePlayer(Heard())
    session = GuidedSession(
        load_program(program).exercises, ReplayEstimator(track), writer=None, exercise_rows=[1],
        display=NullDisplay(), cues=cues, source_name="test", fps=track.fps,
    )  # fmt: skip
    spoken = Spoken(session)
    try:
        outcome = replay(session, track)
    finally:
        cues.close()
    assert outcome.ended_by == "completed"
    rest_said = [t for t, w in spoken.said if w.startswith("Rest 3 seconds")]
    go = [t for t, w in spoken.said if w == "Go."]
    assert len(rest_said) == 1 and len(go) == 1
    cued_at = [t for t, w in spoken.said if w == GUIDANCE.cue]
    assert len(cued_at) == 2 and not any(rest_said[0] <= t < go[0] for t in cued_at)
    sets = session.handed_over[0]
    assert [(s.complete, [r.complete for r in s.reps]) for s in sets] == [(True, [True]), (True, [True])]
    assert session.prescription_rows()[1] == (
        "Pelvic tilt",
        "2 of 2 sets (2 x 1 reps x 2 s hold); cued holds in position: 2 of 2",
    )
