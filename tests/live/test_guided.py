"""`formcheck live --program`: a whole program through a clip played as the camera, with no window.

The program (tests/live/data/guided_short.toml) is a glute bridge, 2 sets of 2
reps, then the hip flexor stretch, 2 sets of one 2 s hold, 1 s rests; the
camera is the bridge clip followed by the hip flexor clip, and the pose comes
from their committed landmarks (no model run). Keys are scripted (``--keys``),
check-in answers given by flags, as a headless run would.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from formcheck.cli import main
from formcheck.history.queries import session_detail
from formcheck.history.store import HistoryStore
from formcheck.live import guided
from formcheck.live.window import NullDisplay

sys.path.insert(0, str(Path(__file__).resolve().parent))
import guided_clips

pytestmark = pytest.mark.skipif(
    not all(c.is_file() for c in guided_clips.CLIPS), reason="sample clips missing: sample_videos/"
)

# Frames of the joined clip (30 fps): the bridge's reps end at 5.2, 8.9, 12.6, 16.3 and 20.0 s,
# so set 1 is saved at frame ~267 and set 2 is under way at frame 390 (its first rep done).
QUIT_IN_SET_2 = 390


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("guided") / "bridge_then_hip_flexor.mp4"
    guided_clips.write_joined_clip(out)
    return out


@pytest.fixture(scope="module")
def track() -> Any:
    return guided_clips.joined_track()


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch, track: Any) -> Iterator[None]:
    monkeypatch.setattr(guided, "MediaPipePoseEstimator", guided_clips.replay_factory(track))
    monkeypatch.setattr(guided, "PACE_FILES", False)
    yield


def live(clip: Path, db: Path, *extra: str) -> int:
    argv = ["live", "--program", str(guided_clips.PROGRAM), "--camera", str(clip), "--no-window", "--mute"]
    return main([*argv, "--db", str(db), *extra])


def sessions(db: Path) -> list[dict[str, Any]]:
    with HistoryStore.open(db, create=False) as store:
        ids = [r[0] for r in store.conn.execute("SELECT id FROM sessions ORDER BY id")]
        return [d for i in ids if (d := session_detail(store, i)) is not None]


def done_sets(session: dict[str, Any]) -> list[tuple[str, int, bool]]:
    return [(ex["exercise_id"], s["set_no"], s["complete"]) for ex in session["exercises"] for s in ex["sets"]]


@pytest.mark.usefixtures("replay")
def test_a_whole_program_is_recorded_set_by_set(clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    code = live(clip, db, "--pain-before", "3", "--pain-after", "4", "--answers", "no,no")
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("stop if pain spreads further down the leg") == 1  # the safety text, once
    assert "Program done" in out and "Glute bridge: 2 of 2 sets" in out and "hip flexor stretch: 2 of 2 sets" in out

    (s,) = sessions(db)
    assert (s["end_reason"], s["pain_before"], s["pain_after"]) == ("completed", 3, 4)
    assert s["program_name"].startswith("Test program") and s["ended_at"] >= s["started_at"]
    assert [q["answer"] for q in s["stop_answers"]] == ["no", "no"]
    bridge, hip = s["exercises"]
    assert (bridge["exercise_id"], bridge["prescribed_sets"], bridge["prescribed_reps"]) == ("bridge", 2, 2)
    assert (hip["exercise_id"], hip["prescribed_sets"], hip["prescribed_hold_s"], hip["side"]) == (
        "hip_flexor_stretch", 2, 2.0, "right",
    )  # fmt: skip
    assert done_sets(s) == [("bridge", 1, True), ("bridge", 2, True), ("hip_flexor_stretch", 1, True),
                            ("hip_flexor_stretch", 2, True)]  # fmt: skip
    for st in bridge["sets"]:
        assert st["reps"] == 2 and len(st["rep_events"]) == 2
        for rep in st["rep_events"]:
            assert rep["complete"] and rep["peak_value"] > 150  # the bridge's hip angle at the top (its ROM)
            assert rep["up_s"] > 0 and rep["down_s"] > 0  # tempo
    for st in hip["sets"]:
        (hold,) = st["holds"]
        assert hold["duration_s"] >= 2.0 and hold["paused_s"] >= 0 and hold["side"] == "right"


@pytest.mark.usefixtures("replay")
@pytest.mark.parametrize(
    ("flags", "stop"),
    [
        (["--pain-before", "3", "--pain-after", "5", "--answers", "no,no"], True),  # up 2 points
        (["--pain-before", "3", "--pain-after", "4", "--answers", "no,no"], False),  # up 1 point
        (["--pain-before", "3", "--pain-after", "2", "--answers", "yes,no"], True),  # pain spread further
        (["--pain-before", "3", "--pain-after", "3", "--answers", "no,yes"], True),  # numbness or weakness worse
    ],
)
def test_the_stop_rule_shows_and_records_the_stop_advice(
    clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], stop: bool
) -> None:
    db = tmp_path / "h.sqlite3"
    code = live(clip, db, *flags)
    out = capsys.readouterr().out
    (s,) = sessions(db)
    questions = {a["question"]: a["answer"] for a in s["stop_answers"]}
    if stop:
        assert code == 1 and "STOP: Please stop these exercises" in out
        assert s["end_reason"] == "stop_answer" and "Stop advice shown" in questions
    else:
        assert code == 0 and "STOP" not in out
        assert s["end_reason"] == "completed" and "Stop advice shown" not in questions
    assert questions["Has your pain spread further down your leg?"] == flags[-1].split(",")[0]
    assert len(done_sets(s)) == 4  # the sets are kept either way


@pytest.mark.usefixtures("replay")
def test_quit_keeps_finished_sets_and_the_same_day_resumes_from_the_first_unfinished(
    clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.sqlite3"
    assert live(clip, db, "--pain-before", "2", "--keys", f"{QUIT_IN_SET_2}:q") == 1
    (s,) = sessions(db)
    assert s["end_reason"] == "stopped" and s["pain_before"] == 2
    # Set 1 finished; set 2 had begun (one rep), kept as short of its dose.
    assert done_sets(s) == [("bridge", 1, True), ("bridge", 2, False)]
    capsys.readouterr()

    assert live(clip, db, "--resume", "yes", "--pain-after", "2", "--answers", "no,no") == 0
    out = capsys.readouterr().out
    assert "resuming today's session from Glute bridge, set 2" in out
    (s,) = sessions(db)  # the same session, carried on
    assert s["end_reason"] == "completed" and (s["pain_before"], s["pain_after"]) == (2, 2)
    assert done_sets(s) == [("bridge", 1, True), ("bridge", 2, True), ("hip_flexor_stretch", 1, True),
                            ("hip_flexor_stretch", 2, True)]  # fmt: skip


@pytest.mark.usefixtures("replay")
@pytest.mark.parametrize("resume", [["--resume", "no"], []])
def test_declining_the_resume_starts_a_new_session(
    clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], resume: list[str]
) -> None:
    db = tmp_path / "h.sqlite3"
    live(clip, db, "--keys", f"{QUIT_IN_SET_2}:q")
    capsys.readouterr()
    assert live(clip, db, *resume, "--pain-after", "1", "--answers", "no,no") == 0
    out = capsys.readouterr().out
    assert ("use --resume yes" in out) == (not resume)  # headless with no answer: said, not assumed
    first, second = sessions(db)
    assert first["end_reason"] == "stopped" and second["end_reason"] == "completed"
    assert len(done_sets(second)) == 4


@pytest.mark.usefixtures("replay")
def test_n_skips_the_rest_and_moves_on_early(clip: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite3"
    # Frame 30: bridge set 1 has no rep yet -> n moves on to the hip flexor stretch (nothing to keep).
    assert live(clip, db, "--keys", "30:n", "--pain-after", "0", "--answers", "no,no") == 0
    (s,) = sessions(db)
    assert done_sets(s) == [("hip_flexor_stretch", 1, True), ("hip_flexor_stretch", 2, True)]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--exercise", "bridge"], "--program gives each exercise and its side; leave out --exercise"),
        (["--side", "left"], "leave out --side"),
        (["--answers", "no"], "--answers: give 2 answers"),
        (["--answers", "no,maybe"], "'maybe' is not yes or no"),
        (["--pain-before", "11"], "pain is a whole number from 0 (none) to 10"),
        (["--keys", "q"], "--keys: 'q' is not FRAME:KEY"),
    ],
)
def test_bad_guided_flags_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = ["live", "--program", str(guided_clips.PROGRAM), "--no-window", "--db", str(tmp_path / "h.sqlite3")]
    assert main([*argv, *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("formcheck: error: ") and message in err[0]
    assert not (tmp_path / "h.sqlite3").exists()  # nothing recorded


def test_guided_flags_need_a_program(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["live", "--exercise", "bridge", "--no-window", "--pain-before", "3"]) == 2
    assert "--pain-before is for a guided session" in capsys.readouterr().err
    assert main(["live", "--no-window"]) == 2
    assert "give --exercise ID" in capsys.readouterr().err


def _saved_sets(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as c:
            return int(c.execute("SELECT count(*) FROM sets WHERE complete = 1").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX")
@pytest.mark.parametrize(
    ("sig", "code", "reason"),
    [("SIGKILL", -9, "in_progress"), ("SIGINT", 130, "interrupted")],  # kill -9; Ctrl-C
)
def test_killed_or_interrupted_mid_set_keeps_the_finished_sets(
    clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, track: Any, sig: str, code: int, reason: str
) -> None:
    """The clip plays in real time in a child process, killed (or Ctrl-C) while set 2 is under way."""
    db = tmp_path / "h.sqlite3"
    argv = ["live", "--program", str(guided_clips.PROGRAM), "--camera", str(clip), "--no-window", "--mute"]
    child = subprocess.Popen(
        [sys.executable, str(Path(guided_clips.__file__)), *argv, "--db", str(db), "--pain-before", "4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while _saved_sets(db) < 1:
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "no set saved within a minute"
            time.sleep(0.1)
        time.sleep(1.5)  # into set 2: its first rep is under way, nothing of it saved yet
        before = _saved_sets(db)
        child.send_signal(getattr(signal, sig))
        child.wait(20)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == code
    with HistoryStore.open(db, create=False) as store:  # quick_check passes, or open raises
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    (s,) = sessions(db)
    assert s["end_reason"] == reason and (s["ended_at"] is None) == (sig == "SIGKILL") and s["pain_before"] == 4
    assert before >= 1 and done_sets(s)[:before] == [("bridge", n, True) for n in range(1, before + 1)]
    assert len([d for d in done_sets(s) if d[2]]) >= before  # nothing that was saved is gone

    # Run again the same day: the killed session resumes where it stopped and completes.
    monkeypatch.setattr(guided, "MediaPipePoseEstimator", guided_clips.replay_factory(track))
    monkeypatch.setattr(guided, "PACE_FILES", False)
    assert live(clip, db, "--resume", "yes", "--pain-after", "4", "--answers", "no,no") == 0
    (s,) = sessions(db)
    assert s["end_reason"] == "completed" and len(done_sets(s)) == 4 and all(d[2] for d in done_sets(s))


class Header(NullDisplay):
    """Reads what the header says each frame (the session's LiveInfo), and the rest card's presence."""

    def __init__(self) -> None:
        self.session: guided.GuidedSession | None = None
        self.lines: list[str | None] = []
        self.rests: list[str] = []

    def show(self, image: Any) -> int:
        assert self.session is not None
        info = self.session._last_info
        self.lines.append(f"Set {info.set_no} of {info.sets}: {info.dose_line}" if info.dose_line else None)
        if self.session.rest is not None:
            self.rests.append(self.session.rest.next_words)
        return -1


def test_the_header_says_the_dose_as_the_patient_reads_it(track: Any) -> None:
    import numpy as np

    from formcheck.live.capture import LatestFrameGrabber
    from formcheck.live.sound import CuePlayer
    from formcheck.program import load_program
    from formcheck.sources import Frame

    plan = load_program(guided_clips.PROGRAM).exercises
    display = Header()

    class Silent:
        name = "silent"

        def play(self, cue: object) -> None:
            pass

    session = guided.GuidedSession(
        plan, guided_clips.replay_factory(track)(), writer=None, exercise_rows=[1, 2], display=display,
        cues=CuePlayer(Silent()), source_name="test", fps=track.fps,
    )  # fmt: skip
    display.session = session
    blank = np.zeros((track.height, track.width, 3), np.uint8)
    frames = [Frame(i, float(track.t_ms[i]), blank) for i in range(len(track))]
    with LatestFrameGrabber(frames, lossless=True) as grabber:
        outcome = session.run(grabber, camera=False)
    assert outcome.ended_by == "completed"
    seen = list(dict.fromkeys(line for line in display.lines if line))
    for want in ("Set 1 of 2: 0 of 2 reps", "Set 1 of 2: 1 of 2 reps", "Set 2 of 2: 1 of 2 reps",
                 "Set 1 of 2: 0 of 2 s", "Set 1 of 2: 1 of 2 s", "Set 2 of 2: 2 of 2 s"):  # fmt: skip
        assert want in seen, seen
    assert list(dict.fromkeys(display.rests)) == [
        "Glute bridge, set 2 of 2", "Supine hip flexor stretch (2 x 2 s hold)", "Supine hip flexor stretch, set 2 of 2",
    ]  # fmt: skip


def test_a_camera_that_cannot_open_records_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    code = live(tmp_path / "no_such_clip.mp4", db, "--pain-before", "3")
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("formcheck: error: ")
    assert not db.exists()
