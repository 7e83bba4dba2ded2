"""The history database: schema, privacy, one transaction per set, and every way it can go wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from formcheck.analysis.results import FaultEvent
from formcheck.counting import HoldEvent, RepEvent
from formcheck.exercises import get_exercise
from formcheck.history.live import save_finished_set
from formcheck.history.migrations import SCHEMA_VERSION
from formcheck.history.queries import export_csv, export_json, list_sessions, session_detail
from formcheck.history.records import (
    ExerciseRecord,
    HoldRecord,
    RepRecord,
    SessionEnd,
    SessionInfo,
    SetRecord,
    StopAnswer,
)
from formcheck.history.store import (
    APPLICATION_ID,
    ENV_VAR,
    HistoryError,
    HistoryStore,
    SessionRecorder,
    SetNotSavedError,
    repair,
    resolve_db_path,
)

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def _rep(i: int, peak: float = 168.0, complete: bool = True) -> RepRecord:
    t = 4.0 * i
    return RepRecord(t, t + 1.0, t + 3.0, complete, peak, 120.0, 1.0, 0.5, 1.5, "left", ())


def _set(n: int, reps: int = 10) -> SetRecord:
    start = T0 + dt.timedelta(minutes=n)
    return SetRecord(n, start, start + dt.timedelta(seconds=40), tuple(_rep(i) for i in range(reps)))


def _session(store: HistoryStore, **kw: object) -> SessionRecorder:
    return store.begin_session(SessionInfo("live", T0, "Home program", **kw))  # type: ignore[arg-type]


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "history.sqlite3"


def test_new_database_is_private_wal_and_current(db: Path):
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        with _session(store) as rec:
            rec.save_set(rec.add_exercise(ExerciseRecord.from_spec(get_exercise("bridge"), "left")), _set(1))
            rec.finish(SessionEnd("completed"))
        for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_db_path_from_flag_then_environment_then_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_db_path("flag.db") == Path("flag.db")
    assert resolve_db_path(None) == tmp_path / "env.db"
    monkeypatch.delenv(ENV_VAR)
    assert resolve_db_path(None).name == "history.sqlite3"
    assert "formcheck" in resolve_db_path(None).parts


def test_session_round_trip(db: Path):
    spec = get_exercise("bridge")
    with HistoryStore.open(db) as store:
        with _session(store, pain_before=4) as rec:
            row = rec.add_exercise(ExerciseRecord.from_spec(spec, "left", "working"))
            rec.save_set(row, _set(1))
            partial = SetRecord(2, T0, T0, (_rep(0), _rep(1, 140.0, complete=False)),
                                (HoldRecord(0.0, 12.0, 9.5, "left", ("hips_low",)),), complete=False)  # fmt: skip
            rec.save_set(row, partial)
            rec.finish(SessionEnd("stop_answer", 6, (StopAnswer("Does pain spread down the leg?", "yes"),)))
        [summary] = list_sessions(store)
        assert (summary.sets, summary.reps, summary.holds, summary.pain_before, summary.pain_after) == (2, 11, 1, 4, 6)
        d = session_detail(store, summary.id)
        assert d is not None
        assert d["end_reason"] == "stop_answer"
        assert d["stop_answers"] == [{"question": "Does pain spread down the leg?", "answer": "yes"}]
        [ex] = d["exercises"]
        assert (ex["exercise_id"], ex["side"], ex["side_is"], ex["target"], ex["unit"]) == (
            "bridge", "left", "working", 165.0, "deg",
        )  # fmt: skip
        s2 = ex["sets"][1]
        assert (s2["reps"], s2["partial_reps"], s2["complete"]) == (1, 1, False)
        assert s2["holds"][0]["paused_s"] == pytest.approx(2.5)
        assert s2["holds"][0]["faults"] == ["hips_low"]
        assert '"stop_answer"' in export_json(store)
        lines = export_csv(store).splitlines()
        assert len(lines) == 1 + 10 + 2 + 1  # header, reps, hold


def test_live_session_saves_counter_events_set_by_set(db: Path):
    """The live session's one call per set takes the counters' own events."""
    spec = get_exercise("knee_to_chest")
    with HistoryStore.open(db) as store, _session(store) as rec:
        row = rec.add_exercise(ExerciseRecord.from_spec(spec, "right", "painful"))
        for n in (1, 2):
            save_finished_set(
                rec, row, n, started_at=T0,
                holds=[HoldEvent(0.0, 33.0, 30.0, "left", ("other_leg_lifts",))],
                faults=[FaultEvent(12.0, "other_leg_lifts", "Keep the other leg down")],
                reps=[RepEvent(0.0, 1.0, 2.0, False, float("nan"), 90.0, 1.0, 0.0, 1.0)],
            )  # fmt: skip
            # Committed at once: another connection sees the set before the session ends.
            other = sqlite3.connect(db)
            assert other.execute("SELECT count(*) FROM sets").fetchone()[0] == n
            other.close()
        rec.finish(SessionEnd("completed"))
        d = session_detail(store, rec.session_id)
    assert d is not None
    rep = d["exercises"][0]["sets"][0]["rep_events"][0]
    assert rep["peak_value"] is None  # NaN is unknown, never 0


def test_leaving_without_finish_marks_the_session_interrupted(db: Path):
    with HistoryStore.open(db) as store:
        with pytest.raises(KeyboardInterrupt), _session(store) as rec:
            rec.save_set(rec.add_exercise(ExerciseRecord.from_spec(get_exercise("bridge"), None)), _set(1))
            raise KeyboardInterrupt
        [s] = list_sessions(store)
        assert (s.end_reason, s.sets) == ("interrupted", 1)


def test_newer_database_is_refused_and_left_alone(db: Path):
    HistoryStore.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = _sha(db)
    with pytest.raises(HistoryError, match=r"written by a newer formcheck .*upgrade formcheck.*not changed"):
        HistoryStore.open(db)
    assert _sha(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_older_database_is_migrated(db: Path):
    """A file at schema 0 (made, never migrated) gets every migration in order."""
    db.parent.mkdir(parents=True)
    sqlite3.connect(db).execute("CREATE TABLE IF NOT EXISTS t (x)").connection.close()
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE t")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    with HistoryStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_foreign_sqlite_file_is_refused(db: Path):
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.close()
    with pytest.raises(HistoryError, match="not a formcheck history"):
        HistoryStore.open(db)


def _filled(db: Path, sessions: int = 3) -> None:
    with HistoryStore.open(db) as store:
        for _ in range(sessions):
            with _session(store) as rec:
                row = rec.add_exercise(ExerciseRecord.from_spec(get_exercise("bridge"), None))
                for n in (1, 2, 3):
                    rec.save_set(row, _set(n, reps=30))
                rec.finish(SessionEnd("completed"))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_corrupt_header_is_reported_with_what_to_do_and_repair_keeps_a_backup(db: Path):
    _filled(db)
    data = bytearray(db.read_bytes())
    data[:16] = b"garbage garbage!"
    db.write_bytes(bytes(data))
    with pytest.raises(HistoryError, match=r"damaged .*nothing was changed.*formcheck history repair"):
        HistoryStore.open(db)
    assert db.read_bytes() == bytes(data)  # reporting changes nothing
    backup, counts = repair(db)
    assert backup.read_bytes() == bytes(data)  # the damaged original, byte for byte
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert counts["sessions"] == 0  # nothing readable without a header
    with HistoryStore.open(db) as store:
        assert list_sessions(store) == []


def test_corrupt_pages_are_detected_and_repair_recovers_what_it_can(db: Path):
    _filled(db, sessions=6)
    size = db.stat().st_size
    page = 4096
    data = bytearray(db.read_bytes())
    # Scribble over the last pages (rep rows), keeping the header and schema page.
    for i in range(size - 2 * page, size):
        data[i] = 0x5A
    db.write_bytes(bytes(data))
    with pytest.raises(HistoryError, match="damaged"):
        HistoryStore.open(db)
    backup, counts = repair(db)
    assert backup.exists()
    assert counts["sessions"] == 6
    with HistoryStore.open(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert len(list_sessions(store)) == 6


_HOLDER = textwrap.dedent(
    """
    import sys, datetime as dt
    from formcheck.history.store import HistoryStore
    from formcheck.history.records import SessionInfo, SessionEnd
    store = HistoryStore.open(sys.argv[1])
    rec = store.begin_session(SessionInfo("live", dt.datetime.now().astimezone()))
    print("recording", flush=True)
    sys.stdin.read()
    rec.finish(SessionEnd("completed"))
    """
)


def test_second_session_names_the_process_that_holds_the_database(db: Path):
    HistoryStore.open(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "recording"
        with HistoryStore.open(db) as store:
            with pytest.raises(HistoryError, match=rf"another session is recording .*process {holder.pid}, "):
                store.begin_session(SessionInfo("live", T0), lock_wait_s=0.3)
            assert len(list_sessions(store)) == 1  # reading is never blocked (WAL)
    finally:
        holder.communicate("", timeout=30)
    assert holder.returncode == 0


def test_second_session_waits_briefly_for_the_first(db: Path):
    with HistoryStore.open(db) as store:
        first = _session(store)
        threading.Timer(0.3, first.finish, args=(SessionEnd("completed"),)).start()
        t0 = time.monotonic()
        with HistoryStore.open(db) as other, other.begin_session(SessionInfo("live", T0), lock_wait_s=5.0) as second:
            waited = time.monotonic() - t0
            second.finish(SessionEnd("completed"))
        assert waited >= 0.2  # it waited for the first instead of failing
        assert len(list_sessions(store)) == 2


def test_full_disk_reports_the_set_and_keeps_earlier_sets(db: Path):
    """SQLITE_FULL (what a full disk gives) while saving set 3: sets 1-2 stay, set 3 is named."""
    with HistoryStore.open(db) as store:
        rec = _session(store)
        row = rec.add_exercise(ExerciseRecord.from_spec(get_exercise("bridge"), None))
        rec.save_set(row, _set(1))
        rec.save_set(row, _set(2))
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")  # the "disk" is now full
        with pytest.raises(SetNotSavedError, match=r"set 3 of Glute bridge could not be saved \(the disk is full\); "
                                                   r"the 2 earlier set\(s\) are saved"):  # fmt: skip
            rec.save_set(row, _set(3, reps=400))
        store.conn.execute("PRAGMA max_page_count = 1073741823")
        rec.finish(SessionEnd("completed"))
    with HistoryStore.open(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        [s] = list_sessions(store)
        assert (s.sets, s.reps) == (2, 20)


_FILL_UNTIL_FULL = textwrap.dedent(
    """
    import resource, signal, sys, datetime as dt
    from formcheck.exercises import get_exercise
    from formcheck.history.store import HistoryStore, SetNotSavedError
    from formcheck.history.records import ExerciseRecord, RepRecord, SessionInfo, SetRecord
    store = HistoryStore.open(sys.argv[1])
    rec = store.begin_session(SessionInfo("live", dt.datetime.now().astimezone()))
    row = rec.add_exercise(ExerciseRecord.from_spec(get_exercise("bridge"), None))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
    now = dt.datetime.now().astimezone()
    for n in range(1, 1000):
        reps = tuple(RepRecord(i, i, i, True, 160.0 + i % 7, 120.0, 1, 1, 1, None, ("x" * 50,)) for i in range(50))
        try:
            rec.save_set(row, SetRecord(n, now, now, reps))
        except SetNotSavedError as exc:
            print(exc)
            break
    """
)


def test_file_size_limit_while_saving_a_set_keeps_every_earlier_set(db: Path):
    """A real write failure (RLIMIT_FSIZE, as a full disk): the failing set is named, the rest intact."""
    HistoryStore.open(db).close()
    proc = subprocess.run([sys.executable, "-c", _FILL_UNTIL_FULL, str(db)], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    message = proc.stdout.strip()
    assert "could not be saved" in message, message
    failed = int(message.split("set ")[1].split(" ")[0])
    assert failed > 1
    with HistoryStore.open(db) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sets = [r[0] for r in store.conn.execute("SELECT set_no FROM sets ORDER BY set_no")]
        assert sets == list(range(1, failed))
        assert store.conn.execute("SELECT count(*) FROM reps").fetchone()[0] == 50 * (failed - 1)


def test_delete_cascades_and_forget_empties_the_file(db: Path):
    _filled(db, sessions=2)
    with HistoryStore.open(db) as store:
        first = list_sessions(store)[0].id
        assert store.delete_session(first)
        assert not store.delete_session(first)
        assert store.conn.execute("SELECT count(*) FROM reps").fetchone()[0] == 3 * 30
        assert store.forget_everything() == 1
        for table in ("sessions", "exercises", "sets", "reps", "holds", "faults"):
            assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert b"Home program" not in db.read_bytes()  # VACUUM: deleted rows are gone from the file too


def test_pain_outside_the_scale_is_refused(db: Path):
    with HistoryStore.open(db) as store, pytest.raises(HistoryError, match=r"0 \(none\) to 10"):
        _session(store, pain_before=11)


def test_missing_database_is_not_created_by_readers(tmp_path: Path):
    with pytest.raises(HistoryError, match="no history yet"):
        HistoryStore.open(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()
    assert os.listdir(tmp_path) == []
