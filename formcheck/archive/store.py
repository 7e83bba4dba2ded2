"""The results table: one SQLite file beside the reports, written as each file finishes.

It is opened, checked and migrated as the history database is (WAL, so pandas,
DuckDB or ``sqlite3`` can read it while a batch writes; ``PRAGMA user_version``
migrations; a file from a newer formcheck is refused). Only the process that
runs the batch writes it, one transaction per finished file: a crash, Ctrl-C
or a lost head node loses at most the files in flight, never a half-written row.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from formcheck import __version__
from formcheck.archive.keys import content_sha256, result_key, settings, settings_json
from formcheck.archive.schema import MIGRATIONS, SCHEMA_VERSION
from formcheck.batch import Job, Outcome
from formcheck.errors import FormcheckError
from formcheck.sqlite_files import SQLITE_MAGIC, make_private, migrate, read_header, transaction, use_wal

RESULTS_NAME = "results.sqlite"
# PRAGMA application_id: tells a formcheck results table from any other SQLite file ("FmCR").
APPLICATION_ID = 0x466D4352
BUSY_TIMEOUT_S = 10.0
# A file is analysed at most this many times while it keeps failing; then it is
# reported as failed for good (with its last reason) until its row is deleted.
MAX_ATTEMPTS = 3
HASH_COMMIT_S = 2.0  # hashes found while planning are saved at least this often


class ResultsError(FormcheckError):
    """The results table cannot be used as asked."""


@dataclass(frozen=True)
class Entry:
    """A job with what its result key is made of, as far as known when the batch was planned."""

    job: Job
    settings: str
    version: str
    size: int
    mtime_ns: int
    # None: not read yet (no recorded video has its size, so it cannot be one done
    # before); the batch's process hashes it when its analysis has finished.
    video_sha256: str | None

    @property
    def key(self) -> str:
        if self.video_sha256 is None:
            raise ValueError(f"{self.job.video}: not hashed yet")
        return result_key(self.video_sha256, self.settings, self.version)


@dataclass
class Plan:
    """Which of a batch's jobs to run, and why the others are not run."""

    run: list[Job] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)  # done before, outputs in place
    given_up: list[Outcome] = field(default_factory=list)  # failed MAX_ATTEMPTS times
    entries: dict[str, Entry] = field(default_factory=dict)  # by str(job.video)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class RunLock:
    """``<table>.lock``, held while a batch writes the table: a second batch on it stops at once.

    Two batches over one table would analyse the same files twice (each plans
    before the other records); the lock names the holder instead. It is an
    advisory ``flock``, released by the kernel when the holder dies (even by
    SIGKILL), so a crashed run never leaves a stale lock.
    """

    def __init__(self, table: Path) -> None:
        self.path = Path(f"{table}.lock")
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        import fcntl

        try:
            fh = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), "r+", encoding="utf-8")
        except OSError as exc:
            raise ResultsError(f"{self.path}: cannot create the results table's lock ({exc.strerror})") from None
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = fh.read().strip() or "another process"
            fh.close()
            raise ResultsError(
                f"{self.path.with_suffix('')}: another formcheck analyze is using this results table ({holder}); "
                "wait until it ends, or use --results for another table"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"process {os.getpid()} on {socket.gethostname()}, since {_now()}")
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.seek(0)
                self._fh.truncate()  # no holder named once it is free
            self._fh.close()  # closing the descriptor releases the flock
            self._fh = None


class ResultsStore:
    """An open results table. Use ``ResultsStore.open``; close it (or use ``with``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, lock: RunLock | None = None) -> None:
        self.conn = conn
        self.path = path
        self._lock = lock

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, lock: bool = True) -> ResultsStore:
        """Open (creating it if need be) and, with ``lock``, hold it for this batch alone."""
        p = Path(path)
        if p.is_dir():
            raise ResultsError(f"{p}: is a folder; --results names the results table's file")
        if p.parent.exists() and not p.parent.is_dir():
            raise ResultsError(f"{p.parent}: is a file, not a folder; cannot keep the results table inside it")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ResultsError(f"{p}: cannot create the results table's folder ({exc.strerror})") from None
        run_lock = RunLock(p) if lock else None
        if run_lock is not None:
            run_lock.acquire()
        try:
            return cls._open(p, run_lock)
        except BaseException:
            if run_lock is not None:
                run_lock.release()
            raise

    @classmethod
    def _open(cls, p: Path, run_lock: RunLock | None) -> ResultsStore:
        exists = p.is_file() and p.stat().st_size > 0
        try:
            if exists:
                with p.open("rb") as fh:
                    if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                        raise ResultsError(f"{p}: is not a formcheck results table (not an SQLite file)")
            else:
                os.close(os.open(p, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(p, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise ResultsError(
                f"{p}: cannot open the results table ({getattr(exc, 'strerror', None) or exc})"
            ) from None
        store = cls(conn, p, run_lock)
        try:
            store._prepare(exists)
        except BaseException:
            conn.close()
            raise
        return store

    def _prepare(self, existed: bool) -> None:
        conn, p = self.conn, self.path
        try:
            version, app_id, tables = astuple(read_header(conn))
            if existed and tables and app_id != APPLICATION_ID:
                raise ResultsError(f"{p}: is an SQLite file but not a formcheck results table; use --results")
            if version > SCHEMA_VERSION:
                raise ResultsError(
                    f"{p}: was written by a newer formcheck (results schema {version}; this formcheck "
                    f"{__version__} knows up to {SCHEMA_VERSION}); upgrade formcheck, or use --results"
                )
            mode = use_wal(conn)
        except sqlite3.DatabaseError as exc:
            raise ResultsError(f"{p}: the results table is damaged or unreadable ({exc}); move it away") from None
        if mode.lower() != "wal":
            raise ResultsError(f"{p}: the results table cannot use WAL mode (got {mode}); is it on a network drive?")
        migrate(
            conn,
            version,
            MIGRATIONS,
            APPLICATION_ID,
            lambda n, exc: ResultsError(f"{p}: cannot update the results table to schema {n} ({exc})"),
        )
        make_private(p)

    def close(self) -> None:
        self.conn.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One file's record: all of it or none."""
        return transaction(self.conn)

    # -- keys ------------------------------------------------------------------------------
    def _cached(self, path: Path, st: os.stat_result) -> str | None:
        row = self.conn.execute(
            "SELECT sha256 FROM hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
            (str(path.resolve()), st.st_size, st.st_mtime_ns),
        ).fetchone()
        return None if row is None else str(row[0])

    def _remember(self, path: Path, size: int, mtime_ns: int, digest: str) -> None:
        self.conn.execute(
            "INSERT INTO hashes (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE"
            " SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
            (str(path.resolve()), size, mtime_ns, digest),
        )

    def cached_sha256(self, path: Path) -> str:
        """The file's content hash, read again only if its size or modification time changed.

        Call inside a transaction to save many at once (``plan`` does).
        """
        st = path.stat()
        digest = self._cached(path, st)
        if digest is None:
            digest = content_sha256(path)
            self._remember(path, st.st_size, st.st_mtime_ns, digest)
        return digest

    def entry(self, job: Job, version: str = __version__, *, read: bool = True) -> Entry:
        """The job's key parts; without ``read``, a video not hashed before is left unread.

        OSError if the video (or an exercise or model file) cannot be read.
        """
        st = job.video.stat()
        text = settings_json(settings(job, self.cached_sha256))
        digest = self._cached(job.video, st)
        if digest is None and read:
            digest = content_sha256(job.video)
            self._remember(job.video, st.st_size, st.st_mtime_ns, digest)
        return Entry(job, text, version, st.st_size, st.st_mtime_ns, digest)

    # -- planning ---------------------------------------------------------------------------
    def plan(self, jobs: Sequence[Job], *, max_attempts: int = MAX_ATTEMPTS, version: str = __version__) -> Plan:
        """Split ``jobs`` into those to run, those done before and those that failed for good.

        Only a video that may have been recorded before is read here: one whose
        hash is cached (same path, size and modification time: no read), or one
        with the size of a recorded video (a renamed or copied one, perhaps).
        Any other is new and is hashed when its analysis has finished, so the
        first run over an archive does not read every video before the first
        analysis starts. A job whose video cannot be read here is run anyway,
        unrecorded: the analysis then fails with its usual one-line reason.
        """
        plan = Plan()
        known_sizes = {int(r[0]) for r in self.conn.execute("SELECT DISTINCT size FROM files")}
        last_commit = time.monotonic()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for job in jobs:
                try:
                    entry = self.entry(job, version, read=False)
                    if entry.video_sha256 is None and entry.size in known_sizes:
                        entry = self.entry(job, version)
                except OSError:
                    plan.run.append(job)
                    continue
                plan.entries[str(job.video)] = entry
                if entry.video_sha256 is None:
                    plan.run.append(job)
                    continue
                row = self.conn.execute(
                    "SELECT status, reason, attempts FROM files WHERE key = ?", (entry.key,)
                ).fetchone()
                if row is None:
                    plan.run.append(job)
                elif row[0] != "failed":
                    outputs = [p for p in (job.report, job.out) if p is not None]
                    (plan.skipped if all(p.is_file() for p in outputs) else plan.run).append(job)
                elif int(row[2]) >= max_attempts:
                    why = f"{row[1]} (failed {row[2]} times; not tried again)"
                    plan.given_up.append(Outcome(str(job.video), "failed", why))
                else:
                    plan.run.append(job)
                if time.monotonic() - last_commit > HASH_COMMIT_S:
                    self.conn.execute("COMMIT")
                    self.conn.execute("BEGIN IMMEDIATE")
                    last_commit = time.monotonic()
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
        return plan

    # -- recording --------------------------------------------------------------------------
    def record(self, entry: Entry, outcome: Outcome) -> bool:
        """Save one finished file and its reps in one transaction; False for an interrupted one."""
        if outcome.status == "interrupted":
            return False  # not finished: it runs again next time
        digest = self._hash_after(entry)
        key = result_key(digest, entry.settings, entry.version)
        r: dict[str, Any] = outcome.report
        status = outcome.status if outcome.status in ("done", "incomplete") else "failed"
        try:
            with self.transaction() as c:
                if entry.video_sha256 is None:
                    self._remember(entry.job.video, entry.size, entry.mtime_ns, digest)
                row = c.execute("SELECT status, attempts FROM files WHERE key = ?", (key,)).fetchone()
                attempts = int(row[1]) + 1 if row and row[0] == "failed" else 1  # the tries it took
                c.execute("DELETE FROM reps WHERE file_key = ?", (key,))
                c.execute("DELETE FROM files WHERE key = ?", (key,))
                c.execute(
                    "INSERT INTO files (key, video_sha256, formcheck_version, settings, path, size, status, reason,"
                    " exercise, side, frames, duration_s, pose_detected_ratio, reps, partial_reps, holds, faults,"
                    " report, analysis_s, finished_at, worker, attempts)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        key, digest, entry.version, entry.settings,
                        str(entry.job.video.absolute()), entry.size, status, outcome.error, r.get("exercise"),
                        r.get("side"),
                        r.get("frames"), r.get("duration_s"), r.get("pose_detected_ratio"), r.get("reps"),
                        r.get("partial_reps"), len(r["holds"]) if r else None, len(r["faults"]) if r else None,
                        str(entry.job.report.absolute()) if r and entry.job.report else None, outcome.seconds, _now(),
                        outcome.worker, attempts,
                    ),
                )  # fmt: skip
                c.executemany(
                    "INSERT INTO reps (file_key, kind, idx, start_s, peak_s, end_s, complete, side, peak_value,"
                    " duration_s, faults) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _rep_rows(key, r),
                )
        except sqlite3.Error as exc:
            why = "the disk is full" if "full" in str(exc) else str(exc)
            raise ResultsError(f"{self.path}: cannot record {entry.job.video} ({why})") from None
        return True

    def _hash_after(self, entry: Entry) -> str:
        """The video's hash once its analysis has finished, if it is still the video planned.

        A new video is read now (while the workers go on); a known one is not read again.
        """
        path = entry.job.video
        try:
            st = path.stat()
            if (st.st_size, st.st_mtime_ns) != (entry.size, entry.mtime_ns):
                raise ResultsError(f"{path}: changed while it was analysed; not recorded")
            return entry.video_sha256 or content_sha256(path)
        except OSError as exc:
            raise ResultsError(f"{path}: cannot read it to record it ({exc.strerror})") from None


def _rep_rows(key: str, report: dict[str, Any]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for i, e in enumerate(report.get("rep_events", []), start=1):
        rows.append(
            (key, "rep", i, e["start_s"], e["peak_s"], e["end_s"], int(bool(e["complete"])), e.get("side"),
             e.get("peak_value"), round(e["end_s"] - e["start_s"], 3), ",".join(e.get("faults", ()))),
        )  # fmt: skip
    for i, h in enumerate(report.get("holds", []), start=1):
        rows.append((key, "hold", i, h["start_s"], None, h["end_s"], 1, h.get("side"), None, h["duration_s"], ""))
    return rows


def default_results_path(report_dir: Path | None, results: str | None) -> Path | None:
    """``--results`` if given, else ``<report dir>/results.sqlite``; None (no table) without either."""
    if results:
        return Path(results)
    return report_dir / RESULTS_NAME if report_dir is not None else None
