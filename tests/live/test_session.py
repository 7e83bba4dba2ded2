"""The live session without a window: counting, sets, controls, setup guidance, camera loss."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.cli import main
from formcheck.errors import OutputError
from formcheck.exercises import get_exercise
from formcheck.exercises.registry import builtin_exercises
from formcheck.landmarks import PoseFrame
from formcheck.live import capture, session
from formcheck.live.capture import LatestFrameGrabber
from formcheck.live.keys import Action
from formcheck.live.session import FLOOR_HINT, LiveSession, SessionOutcome
from formcheck.live.sets import set_progress
from formcheck.live.sound import Cue, CuePlayer
from formcheck.live.window import NullDisplay, WindowDisplay
from formcheck.report import validate_report
from formcheck.sources import Frame, StreamStatus, VideoFileSource, VideoInfo

REPO = Path(__file__).resolve().parents[2]
BRIDGE_CLIP = REPO / "sample_videos" / "bridge_side_left_01.mp4"
SIZE = (160, 120)


class Recorder:
    """A sound backend that only remembers what it was asked to say."""

    name = "recorder"

    def __init__(self) -> None:
        self.heard: list[Cue] = []

    def play(self, cue: Cue) -> None:
        self.heard.append(cue)


class ScriptedDisplay(NullDisplay):
    """No window; presses the given keys when the n-th frame is shown."""

    def __init__(self, keys: dict[int, str] | None = None) -> None:
        self.keys = keys or {}
        self.shown = 0
        self.images: list[np.ndarray] = []

    def show(self, image: np.ndarray) -> int:
        self.shown += 1
        if self.shown % 10 == 0:
            self.images.append(image.copy())
        key = self.keys.get(self.shown)
        return ord(key) if key else -1


class Nobody:
    """An estimator that never finds a person (fast; no model)."""

    def estimate(self, frame: Frame) -> PoseFrame:
        return PoseFrame.missing(frame.index, frame.t_ms, SIZE[0], SIZE[1])

    def close(self) -> None:
        pass


def blank_frames(n: int, fps: float = 30.0) -> list[Frame]:
    return [Frame(i, i * 1000.0 / fps, np.zeros((SIZE[1], SIZE[0], 3), np.uint8)) for i in range(n)]


def make_session(display: NullDisplay, exercise: str = "bridge", **kw: object) -> LiveSession:
    specs = list(builtin_exercises().values())
    start = [s.id for s in specs].index(exercise)
    return LiveSession(
        specs,
        start,
        "auto",
        Nobody(),
        display=display,
        cues=CuePlayer(Recorder()),
        source_name="test",
        fps=30.0,
        **kw,  # type: ignore[arg-type]
    )


def run(
    sess: LiveSession, frames: list[Frame] | Iterator[Frame], status: StreamStatus | None = None, camera: bool = False
) -> SessionOutcome:
    with LatestFrameGrabber(frames, lossless=True) as grabber:
        return sess.run(grabber, status, camera=camera)


@pytest.mark.skipif(not BRIDGE_CLIP.is_file(), reason=f"sample clip missing: {BRIDGE_CLIP}")
def test_bridge_clip_counts_five_reps_with_every_other_frame_dropped() -> None:
    """The real model on the sample clip, at half its frame rate (as a slow machine would drop)."""
    from formcheck.pose.estimator import MediaPipePoseEstimator

    spec = get_exercise("bridge")
    source = VideoFileSource(BRIDGE_CLIP)
    recorder = Recorder()
    cues = CuePlayer(recorder)
    display = ScriptedDisplay()
    try:
        with MediaPipePoseEstimator() as estimator:
            sess = LiveSession(
                [spec],
                0,
                "auto",
                estimator,
                display=display,
                cues=cues,
                source_name=str(BRIDGE_CLIP),
                fps=source.info.fps,
            )
            half = (f for f in source if f.index % 2 == 0)
            outcome = run(sess, half, source.status)
        deadline = time.monotonic() + 2.0  # cues play on a worker thread: let it finish
        while sum(c.kind == "rep" for c in recorder.heard) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        source.close()
        cues.close()
    report = outcome.report
    assert validate_report(report) == []
    assert outcome.ended_by == "end_of_stream"
    assert report["reps"] == 5
    assert report["complete"] is True
    assert report["frames"] == 315
    assert report["session"]["frames_shown"] == 315
    assert report["sets"] == 3 and report["sets_done"] == 0
    json.dumps(report, allow_nan=False)  # strict JSON: no NaN from missing stats
    spoken = [c.text for c in recorder.heard if c.kind == "rep"]
    assert spoken == ["1", "2", "3", "4", "5"]
    assert display.shown == 315


def test_pause_stops_analysis_and_resume_continues() -> None:
    display = ScriptedDisplay({5: " ", 15: " "})
    sess = make_session(display)
    outcome = run(sess, blank_frames(30))
    # Frames 6..15 were shown paused, not analysed.
    assert outcome.report["frames"] == 20
    assert outcome.report["session"]["frames_shown"] == 30
    assert outcome.report["session"]["paused_s"] >= 0.0


def test_quit_ends_a_complete_session() -> None:
    outcome = run(make_session(ScriptedDisplay({12: "q"})), blank_frames(100))
    assert outcome.ended_by == "quit"
    assert outcome.report["complete"] is True
    assert outcome.report["frames"] == 12


def test_next_and_previous_switch_exercises_and_report_each() -> None:
    sess = make_session(ScriptedDisplay({10: "n", 20: "p"}), exercise="bridge")
    outcome = run(sess, blank_frames(30))
    report = outcome.report
    assert report["exercise"] == "bridge"  # the top level is the exercise the session started with
    done = [(r["exercise"], r["frames"]) for r in report["session"]["exercises"]]
    assert done == [("bridge", 20), ("nerve_glide", 10)]


PARTIAL_CLIP = REPO / "sample_videos" / "bridge_partial_02.mp4"


def _stored_track(clip: Path):  # type: ignore[no-untyped-def]
    """The committed landmark fixture of a sample clip (no model run), or skip."""
    from formcheck.landmark_cache import track_paths
    from formcheck.pose.model import resolve_model
    from formcheck.pose.track import LandmarkTrack

    fixture = track_paths(clip, resolve_model())[0]
    if not fixture.is_file():
        pytest.skip(f"no committed landmark fixture for {clip.name}")
    return LandmarkTrack.load(fixture)


@pytest.mark.parametrize(("away_frames", "kept"), [(0, (3, 2)), (10, (3, 2)), (30, (2, 2))])
def test_switching_away_and_back_mid_rep_keeps_the_other_reps(away_frames: int, kept: tuple[int, int]) -> None:
    """bridge_partial_02 (3 reps, 2 partial): n at the top of the first rep, p some frames later.

    Away for less than the counter's 1 s gap, nothing is lost; away longer,
    the rep under way is not counted (its end was not seen) and every other
    rep and partial rep is. Before the fix the counter re-learnt "rest" from
    the top of the rep it saw on coming back, and the session reported 2 reps
    and 0 partial.
    """
    from formcheck.pose.track import ReplayEstimator

    track = _stored_track(PARTIAL_CLIP)
    keys = {90: "n", 90 + away_frames: "p"} if away_frames else {}  # frame 89: 3.0 s, at the top
    specs = list(builtin_exercises().values())
    sess = LiveSession(
        specs,
        [s.id for s in specs].index("bridge"),
        "auto",
        ReplayEstimator(track),
        display=ScriptedDisplay(keys),
        cues=CuePlayer(Recorder()),
        source_name="test",
        fps=track.fps,
    )
    frames = [Frame(i, float(track.t_ms[i]), np.zeros((SIZE[1], SIZE[0], 3), np.uint8)) for i in range(len(track))]
    bridge = run(sess, frames).report["session"]["exercises"][0]
    assert bridge["exercise"] == "bridge"
    assert (bridge["reps"], bridge["partial_reps"]) == kept


def test_reset_starts_the_counts_over() -> None:
    outcome = run(make_session(ScriptedDisplay({25: "r"})), blank_frames(40))
    assert outcome.report["frames"] == 15


def test_setup_card_guides_a_person_who_cannot_be_found() -> None:
    sess = make_session(NullDisplay(), exercise="bridge")
    frames = blank_frames(120)  # 4 s of nobody
    for f in frames:
        sess.process(f)
    run_ = sess.current
    assert run_.stage == "setup"
    info = sess._info(run_, run_.last_result, frames[-1].t_ms / 1000.0)  # type: ignore[arg-type]
    assert info.stage == "setup"
    assert info.setup_hint == FLOOR_HINT  # lying down: sit or stand in view first
    assert info.setup_message and "step into" in info.setup_message.lower()
    assert info.safety  # the safety note is on the first card of the session
    sess.handle(Action.MUTE, 4.0)
    assert sess.cues.muted


def test_sets_follow_the_dose() -> None:
    bridge = get_exercise("bridge")  # 3 x 10
    assert (set_progress(bridge, 0).set_no, set_progress(bridge, 0).left_in_set) == (1, 10)
    p = set_progress(bridge, 13)
    assert (p.set_no, p.done_in_set, p.sets_done) == (2, 3, 1)
    assert set_progress(bridge, 30).dose_done
    calf = get_exercise("calf_stretch")  # 3 x 30 s each side: a set is one hold per side
    p = set_progress(calf, 3)
    assert (p.unit, p.per_set, p.set_no, p.done_in_set) == ("holds", 2, 2, 1)


def dying_camera(n: int, status: StreamStatus) -> Iterator[Frame]:
    yield from blank_frames(n)
    status.ended_early = True
    status.message = f"the camera stopped delivering images after {n} frames"


def test_camera_loss_mid_session_keeps_what_was_done(tmp_path: Path) -> None:
    status = StreamStatus()
    record = tmp_path / "session.mp4"
    sess = make_session(NullDisplay(), record=record)
    outcome = run(sess, dying_camera(45, status), status, camera=True)
    assert outcome.ended_by == "camera_lost"
    report = outcome.report
    assert report["complete"] is False
    assert "stopped delivering images" in report["stopped_reason"]
    assert report["frames"] == 45
    cap = cv2.VideoCapture(str(record))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 45
    assert int(cap.get(cv2.CAP_PROP_FOURCC)).to_bytes(4, "little") == b"h264"  # the recording plays in browsers
    cap.release()


def test_a_camera_that_stalls_is_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "STALL_S", 0.3)
    release = threading.Event()

    def stalls() -> Iterator[Frame]:
        yield from blank_frames(10)
        release.wait(0.6)  # longer than STALL_S below, short enough to end the test quickly

    outcome = run(make_session(NullDisplay()), stalls(), camera=True)
    release.set()
    assert outcome.ended_by == "camera_lost"
    assert "no image" in outcome.report["stopped_reason"]


class DyingCamera:
    """Looks like a CameraSource; stops after a few frames like an unplugged webcam."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.status = StreamStatus()
        self.info = VideoInfo(source="camera:0", width=SIZE[0], height=SIZE[1], fps=30.0, frame_count=None)

    def __iter__(self) -> Iterator[Frame]:
        return dying_camera(self.n, self.status)

    def close(self) -> None:
        pass


def test_cli_camera_loss_is_one_line_and_saves_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capture, "open_camera", lambda spec: (DyingCamera(20), False))
    report = tmp_path / "r.json"
    code = main(["live", "--exercise", "bridge", "--no-window", "--mute", "--report", str(report), "--stats"])
    out, err = capsys.readouterr()
    assert code == 2
    # (MediaPipe's own native log lines may precede ours; they are not formcheck's.)
    lines = [ln for ln in err.strip().splitlines() if ln.startswith("formcheck")]
    assert len(lines) == 1 and "camera lost" in lines[0] and str(report) in lines[0]
    saved = json.loads(report.read_text())
    assert saved["complete"] is False
    # A camera is not paced: frames that arrive while the model works are dropped.
    assert saved["frames"] >= 1 and saved["frames"] + saved["session"]["frames_dropped"] == 20
    assert "live: " in out  # --stats


def test_no_display_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from formcheck.live import window

    monkeypatch.setattr(window.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(OutputError, match="--no-window"):
        WindowDisplay()


def test_stats_are_finite_once_warmed_up() -> None:
    outcome = run(make_session(NullDisplay()), blank_frames(40))
    stats = outcome.report["session"]
    assert stats["latency_ms"]["p50"] is not None and stats["latency_ms"]["p50"] >= 0
    assert stats["fps_shown"] is not None and stats["fps_shown"] > 0
    assert math.isfinite(outcome.stats.latency_p95_ms)


def test_summary_stays_on_one_screen_after_many_exercises() -> None:
    outcome = run(make_session(ScriptedDisplay({5: "n", 10: "n", 15: "n", 20: "n"})), blank_frames(25))
    assert len(outcome.report["session"]["exercises"]) == 5
    assert len(outcome.summary.rows) <= 10  # one line per exercise


def test_holds_reaching_the_dose_count_towards_sets_and_are_announced() -> None:
    from dataclasses import replace

    from formcheck.live.session import idle_result

    recorder = Recorder()
    sess = make_session(NullDisplay(), exercise="knee_to_chest")  # 3 x 30 s each side
    sess.cues = CuePlayer(recorder)
    run_ = sess.current
    frame = blank_frames(1)[0]
    base = replace(idle_result(frame, run_), status="ok", phase="hold")
    t = 0.0
    for hold in range(2):  # two holds of 31 s, with a rest between
        for s in np.arange(0.0, 31.0, 0.5):
            sess._advance(run_, replace(base, holding=True, hold_s=float(s)), t)
            t += 0.5
        for _ in range(6):
            sess._advance(run_, replace(base, holding=False, hold_s=0.0), t)
            t += 0.5
        assert run_.holds_done == hold + 1
    deadline = time.monotonic() + 2.0
    while len(recorder.heard) < 2 and time.monotonic() < deadline:  # cues play on a worker thread
        time.sleep(0.01)
    sess.cues.close()
    kinds = [c.kind for c in recorder.heard]
    assert kinds.count("hold_done") == 1  # the second hold completed the set: that is announced instead
    assert kinds.count("set_done") == 1
    assert run_.progress().set_no == 2


def test_cli_without_a_display_says_so_before_opening_anything(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from formcheck.live import window

    monkeypatch.setattr(window.sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    code = main(["live", "--exercise", "bridge", "--camera", "does-not-matter.mp4"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == "formcheck: error: no display to open a window on (DISPLAY is not set); use --no-window"


def test_summary_lists_partial_reps_and_speed_only_with_stats() -> None:
    plain = run(make_session(NullDisplay()), blank_frames(40))
    rows = dict(plain.summary.rows)
    assert rows["Reps"] == "0 complete, 0 partial"
    assert "Speed" not in rows
    with_stats = run(make_session(NullDisplay(), show_stats=True), blank_frames(40))
    assert "Speed" in dict(with_stats.summary.rows)


def test_side_bend_says_which_way_to_bend_and_the_help_says_where_n_p_are() -> None:
    specs = list(builtin_exercises().values())
    ids = [s.id for s in specs]
    sess = LiveSession(
        specs, ids.index("side_bend"), "left", Nobody(), display=NullDisplay(), cues=CuePlayer(Recorder()),
        source_name="test", fps=30.0,
    )  # fmt: skip
    frame = blank_frames(1)[0]
    sess.process(frame)
    info = sess._last_info
    assert "Bend to your right (painful side: left)" in info.setup_lines
    assert f"n/p exercise ({ids.index('side_bend') + 1} of {len(ids)})" in info.help
    assert math.isnan(info.fps)  # no speed on screen without --stats
