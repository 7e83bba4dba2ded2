"""The local history database: one SQLite file, owner-only, never sent anywhere.

Opening checks the file before touching it: a file from a newer formcheck is
refused (never downgraded), a damaged one is reported with what to do and left
as it is, an older one is migrated (``migrations.py``). WAL mode lets the report
and ``formcheck history`` read while a session writes; each set is its own
transaction, so a crash or a full disk loses at most the set being saved.

One session records into a database at a time: ``SessionLock`` (a lock file
beside the database holding the recording process's id) makes a second one
wait a few seconds, then say which process holds it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from dataclasses import astuple
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from formcheck import __version__
from formcheck.errors import FormcheckError
from formcheck.history.migrations import MIGRATIONS, SCHEMA_VERSION
from formcheck.history.records import END_REASONS, ExerciseRecord, SessionEnd, SessionInfo, SetRecord
from formcheck.sqlite_files import SQLITE_MAGIC, make_private, migrate, read_header, transaction, use_wal

ENV_VAR = "FORMCHECK_DB"
DB_NAME = "history.sqlite3"
# PRAGMA application_id: tells a formcheck history from any other SQLite file ("FmCk").
APPLICATION_ID = 0x466D436B
LOCK_WAIT_S = 5.0  # a second session waits this long for the first to finish saving
BUSY_TIMEOUT_S = 5.0


class HistoryError(FormcheckError):
    """The history database cannot be used as asked."""


class SetNotSavedError(HistoryError):
    """One set could not be written (full disk, I/O error); earlier sets are intact."""


def default_db_path() -> Path:
    """The platform's per-user data folder (``platformdirs``), e.g. ~/.local/share/formcheck/."""
    import platformdirs

    return platformdirs.user_data_path("formcheck", appauthor=False) / DB_NAME


def resolve_db_path(arg: str | os.PathLike[str] | None) -> Path:
    """``--db`` first, then ``$FORMCHECK_DB``, then the platform's data folder."""
    if arg:
        return Path(arg)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else default_db_path()


def now() -> datetime:
    """Local time with its UTC offset: sessions keep the day the patient lived them."""
    return datetime.now().astimezone()


def _iso(t: datetime) -> str:
    return (t if t.tzinfo is not None else t.astimezone()).isoformat(timespec="seconds")


def damaged_message(path: Path, detail: str) -> str:
    return (
        f"{path}: the history database is damaged ({detail}); nothing was changed. "
        f"Run `formcheck history repair --db {path}` (it keeps a backup copy first), "
        "or move the file away to start a new history"
    )


class HistoryStore:
    """An open history database. Use ``HistoryStore.open``; close it (or use ``with``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> HistoryStore:
        """Open (and, with ``create``, make) the database; every problem is one HistoryError line."""
        p = Path(path)
        if p.is_dir():
            raise HistoryError(f"{p}: is a folder; --db names the history database file")
        exists = p.is_file() and p.stat().st_size > 0
        if not exists and not create:
            raise HistoryError(f"{p}: no history yet (nothing has been recorded into this database)")
        if exists:
            _check_header(p)
        else:
            _create_private(p)
        try:
            conn = sqlite3.connect(p, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise HistoryError(f"{p}: cannot open the history database ({exc})") from None
        try:
            store = cls(conn, p)
            store._prepare(exists)
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self, existed: bool) -> None:
        conn, p = self.conn, self.path
        try:
            version, app_id, tables = astuple(read_header(conn))
        except sqlite3.DatabaseError as exc:
            raise HistoryError(damaged_message(p, str(exc))) from None
        if existed and tables and app_id != APPLICATION_ID:
            raise HistoryError(f"{p}: is an SQLite file but not a formcheck history; use --db to name another file")
        if version > SCHEMA_VERSION:
            raise HistoryError(
                f"{p}: was written by a newer formcheck (history schema {version}; this formcheck "
                f"{__version__} knows up to {SCHEMA_VERSION}); upgrade formcheck to use it. "
                "The file was not changed"
            )
        if existed:
            try:
                problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            except sqlite3.DatabaseError as exc:
                raise HistoryError(damaged_message(p, str(exc))) from None
            if problems != ["ok"]:
                raise HistoryError(damaged_message(p, problems[0]))
        try:
            mode = use_wal(conn)
        except sqlite3.OperationalError as exc:
            raise HistoryError(f"{p}: cannot use the history database ({exc})") from None
        if mode.lower() != "wal":
            raise HistoryError(f"{p}: the history database cannot use WAL mode (got {mode}); is it on a network drive?")
        migrate(
            conn,
            version,
            MIGRATIONS,
            APPLICATION_ID,
            lambda n, exc: HistoryError(f"{p}: cannot update the history database to schema {n} ({exc})"),
        )
        make_private(p)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- writing --------------------------------------------------------------------------
    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One unit of work (a set, a session's start or end): all of it or none."""
        return transaction(self.conn)

    def begin_session(self, info: SessionInfo, *, lock_wait_s: float = LOCK_WAIT_S) -> SessionRecorder:
        """Start recording a session (takes the database's session lock until ``finish``)."""
        lock = SessionLock(self.path, what=f"formcheck {info.kind} session")
        lock.acquire(lock_wait_s)
        try:
            return SessionRecorder(self, info, lock)
        except BaseException:
            lock.release()
            raise

    def resume_session(self, session_id: int, *, lock_wait_s: float = LOCK_WAIT_S) -> SessionRecorder:
        """Record into an unfinished session again (a guided session resumed the same day).

        Its sets that did not reach their dose are deleted: the resumed session
        starts that set over, and the redone set takes its number.
        """
        lock = SessionLock(self.path, what="formcheck live session (resumed)")
        lock.acquire(lock_wait_s)
        try:
            return SessionRecorder.reopen(self, session_id, lock)
        except BaseException:
            lock.release()
            raise

    def delete_session(self, session_id: int) -> bool:
        with self.transaction() as c:
            return c.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0

    def forget_everything(self) -> int:
        """Delete every session, then VACUUM so the deleted rows leave the file too."""
        with self.transaction() as c:
            n = int(c.execute("SELECT count(*) FROM sessions").fetchone()[0])
            c.execute("DELETE FROM sessions")
        self.conn.execute("VACUUM")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return n


class SessionRecorder:
    """Writes one session as it happens: the session row at once, then each set when it ends.

    The live session calls ``add_exercise`` when an exercise starts, ``save_set``
    (or ``formcheck.history.live.save_finished_set``) after every set, and
    ``finish`` at the end; leaving the ``with`` block without ``finish`` marks
    the session ``interrupted``. Each call is one committed transaction.
    """

    def __init__(self, store: HistoryStore, info: SessionInfo, lock: SessionLock) -> None:
        self.store = store
        self._lock = lock
        self._names: dict[int, str] = {}
        self._positions = 0
        self.saved_sets = 0
        self.finished = False
        try:
            with store.transaction() as c:
                cur = c.execute(
                    "INSERT INTO sessions (kind, program_name, program_path, patient, source, started_at, day,"
                    " pain_before, formcheck_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        info.kind, info.program_name, info.program_path, info.patient, info.source,
                        _iso(info.started_at), info.started_at.date().isoformat(), _pain(info.pain_before),
                        __version__,
                    ),
                )  # fmt: skip
                self.session_id = int(cur.lastrowid or 0)
        except sqlite3.Error as exc:
            raise HistoryError(f"{store.path}: cannot start recording the session ({exc})") from None
        for ex in info.exercises:
            self.add_exercise(ex)

    @classmethod
    def reopen(cls, store: HistoryStore, session_id: int, lock: SessionLock) -> SessionRecorder:
        self = cls.__new__(cls)
        self.store, self._lock, self.session_id = store, lock, session_id
        self.saved_sets, self.finished = 0, False
        try:
            with store.transaction() as c:
                rows = c.execute(
                    "SELECT id, position, exercise_name FROM exercises WHERE session_id = ?", (session_id,)
                ).fetchall()
                c.execute(
                    "DELETE FROM sets WHERE complete = 0 AND exercise_row IN"
                    " (SELECT id FROM exercises WHERE session_id = ?)",
                    (session_id,),
                )
                c.execute("UPDATE sessions SET ended_at = NULL, end_reason = 'in_progress' WHERE id = ?", (session_id,))
        except sqlite3.Error as exc:
            raise HistoryError(f"{store.path}: cannot resume session {session_id} ({exc})") from None
        self._names = {int(r[0]): str(r[2]) for r in rows}
        self._positions = max((int(r[1]) for r in rows), default=0)
        return self

    def add_exercise(self, ex: ExerciseRecord) -> int:
        """Record that an exercise started; returns the row its sets belong to."""
        self._positions += 1
        try:
            with self.store.transaction() as c:
                cur = c.execute(
                    "INSERT INTO exercises (session_id, position, exercise_id, exercise_name, kind, side, side_is,"
                    " primary_metric, unit, target, prescribed_sets, prescribed_reps, prescribed_hold_s, per_side)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        self.session_id, self._positions, ex.exercise_id, ex.exercise_name, ex.kind, ex.side,
                        ex.side_is, ex.primary_metric, ex.unit, ex.target, ex.sets, ex.reps, ex.hold_s,
                        int(ex.per_side),
                    ),
                )  # fmt: skip
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.store.path}: cannot record the exercise {ex.exercise_name} ({exc})") from None
        row = int(cur.lastrowid or 0)
        self._names[row] = ex.exercise_name
        return row

    def save_set(self, exercise_row: int, s: SetRecord) -> int:
        """Commit one finished set with its reps, holds and faults; SetNotSavedError names it if it cannot be."""
        try:
            with self.store.transaction() as c:
                cur = c.execute(
                    "INSERT INTO sets (exercise_row, set_no, started_at, ended_at, reps, partial_reps, complete)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (exercise_row, s.set_no, _iso(s.started_at), _iso(s.ended_at), s.rep_count, s.partial_reps,
                     int(s.complete)),
                )  # fmt: skip
                set_id = int(cur.lastrowid or 0)
                c.executemany(
                    "INSERT INTO reps (set_id, rep_no, start_s, peak_s, end_s, complete, peak_value, rest_value,"
                    " up_s, top_s, down_s, side, faults) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (set_id, i, r.start_s, r.peak_s, r.end_s, int(r.complete), r.peak_value, r.rest_value,
                         r.up_s, r.top_s, r.down_s, r.side, ",".join(r.faults))
                        for i, r in enumerate(s.reps, 1)
                    ],
                )  # fmt: skip
                c.executemany(
                    "INSERT INTO holds (set_id, hold_no, start_s, end_s, duration_s, paused_s, side, faults)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (set_id, i, h.start_s, h.end_s, h.duration_s, h.paused_s, h.side, ",".join(h.faults))
                        for i, h in enumerate(s.holds, 1)
                    ],
                )
                c.executemany(
                    "INSERT INTO faults (set_id, t_s, code, message) VALUES (?, ?, ?, ?)",
                    [(set_id, f.t_s, f.code, f.message) for f in s.faults],
                )
        except sqlite3.Error as exc:
            name = self._names.get(exercise_row, f"exercise row {exercise_row}")
            earlier = f"the {self.saved_sets} earlier set(s) are saved" if self.saved_sets else "no earlier set"
            raise SetNotSavedError(
                f"{self.store.path}: set {s.set_no} of {name} could not be saved ({_why(exc)}); {earlier}"
            ) from None
        self.saved_sets += 1
        return set_id

    def finish(self, end: SessionEnd) -> None:
        """Record how the session ended (pain after, the stop answers) and release the lock."""
        if end.reason not in END_REASONS:
            raise ValueError(f"unknown end reason {end.reason!r}")
        import json

        answers = json.dumps([{"question": a.question, "answer": a.answer} for a in end.stop_answers])
        try:
            with self.store.transaction() as c:
                c.execute(
                    "UPDATE sessions SET ended_at = ?, end_reason = ?, pain_after = ?, stop_answers = ? WHERE id = ?",
                    (_iso(end.ended_at or now()), end.reason, _pain(end.pain_after),
                     answers if end.stop_answers else None, self.session_id),
                )  # fmt: skip
        except sqlite3.Error as exc:
            raise HistoryError(f"{self.store.path}: cannot record the end of the session ({_why(exc)})") from None
        finally:
            self.finished = True
            self._lock.release()

    def __enter__(self) -> SessionRecorder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.finished:
            with contextlib.suppress(HistoryError):
                self.finish(SessionEnd("interrupted"))


def _pain(value: int | None) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= 10:
        raise HistoryError(f"pain {value}: must be 0 (none) to 10 (worst imaginable)")
    return int(value)


def _why(exc: sqlite3.Error) -> str:
    text = str(exc)
    return "the disk is full" if "full" in text else text


def _check_header(p: Path) -> None:
    try:
        with p.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise HistoryError(f"{p}: cannot read the history database ({exc.strerror})") from None
    if head != SQLITE_MAGIC:
        raise HistoryError(damaged_message(p, "not an SQLite database"))


def _create_private(p: Path) -> None:
    """The folder and file exist, owner-only, before SQLite (and its -wal/-shm files, which copy the mode) does."""
    try:
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise HistoryError(f"{p}: cannot create the history database ({exc.strerror or exc})") from None
    make_private(p)


class SessionLock:
    """An advisory lock file (``<db>.lock``) held while a session records; it names its holder."""

    def __init__(self, db: Path, what: str) -> None:
        self.path = Path(f"{db}.lock")
        self.what = what
        self._fh: IO[str] | None = None

    def acquire(self, wait_s: float) -> None:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fh = os.fdopen(fd, "r+", encoding="utf-8")
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = fh.read().strip() or "another process"
                    fh.close()
                    raise HistoryError(
                        f"{self.path.with_suffix('')}: another session is recording into this history ({holder}); "
                        "wait until it ends, or use --db for a separate history"
                    ) from None
                time.sleep(0.1)
        fh.seek(0)
        fh.truncate()
        fh.write(f"process {os.getpid()}, {self.what}, since {_iso(now())}")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is None:
            return
        import fcntl

        with contextlib.suppress(OSError):
            self._fh.seek(0)
            self._fh.truncate()
            fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()
        self._fh = None


def backup_copy(p: Path) -> Path:
    """Copy the database (and its WAL) aside, untouched, before anything repairs it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = p.with_name(f"{p.name}.backup-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = p.with_name(f"{p.name}.backup-{stamp}-{n}")
    shutil.copy2(p, backup)
    os.chmod(backup, 0o600)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{p}{suffix}")
        if extra.exists():
            shutil.copy2(extra, Path(f"{backup}{suffix}"))
            os.chmod(Path(f"{backup}{suffix}"), 0o600)
    return backup


def repair(path: str | os.PathLike[str]) -> tuple[Path, dict[str, int]]:
    """Back the damaged file up, then rebuild it from every row that can still be read.

    Returns the backup's path and the rows recovered per table. Rows whose pages
    are unreadable are lost from the new file but stay in the backup.
    """
    p = Path(path)
    if not p.is_file():
        raise HistoryError(f"{p}: no such history database")
    backup = backup_copy(p)
    tables = ("sessions", "exercises", "sets", "reps", "holds", "faults")
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in tables}
    try:
        old = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    except sqlite3.Error:
        old = None
    if old is not None:
        for t in tables:
            try:
                for row in old.execute(f"SELECT * FROM {t} ORDER BY id"):  # fixed table names, no user text
                    rows[t].append(tuple(row))
            except sqlite3.DatabaseError:
                continue  # keep what was read before the damage
        old.close()
    fresh = p.with_name(f".{p.name}.repair")
    for f in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        f.unlink(missing_ok=True)
    store = HistoryStore.open(fresh)
    counts: dict[str, int] = {}
    try:
        store.conn.execute("PRAGMA foreign_keys = OFF")  # parents may be the lost rows
        with store.transaction() as c:
            for t in tables:
                if not rows[t]:
                    counts[t] = 0
                    continue
                cols = [r[1] for r in c.execute(f"PRAGMA table_info({t})")]
                usable = [r for r in rows[t] if len(r) == len(cols)]
                marks = ", ".join("?" * len(cols))
                c.executemany(f"INSERT OR IGNORE INTO {t} VALUES ({marks})", usable)
                counts[t] = len(usable)
            # Children whose parent was lost cannot be shown; drop them rather than keep orphans.
            c.execute("DELETE FROM exercises WHERE session_id NOT IN (SELECT id FROM sessions)")
            c.execute("DELETE FROM sets WHERE exercise_row NOT IN (SELECT id FROM exercises)")
            for t in ("reps", "holds", "faults"):
                c.execute(f"DELETE FROM {t} WHERE set_id NOT IN (SELECT id FROM sets)")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{p}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, p)
    for suffix in ("-wal", "-shm"):
        Path(f"{fresh}{suffix}").unlink(missing_ok=True)
    return backup, counts
