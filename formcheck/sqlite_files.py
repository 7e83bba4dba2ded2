"""What formcheck's two SQLite files (the history, the results table) do alike: each is an
owner-only WAL database that names itself (``application_id``), carries its schema version
(``user_version``) and moves forward one migration script at a time, each in one transaction."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


@dataclass(frozen=True)
class Header:
    version: int  # PRAGMA user_version: the schema the file was last migrated to
    app_id: int  # PRAGMA application_id: which formcheck file it is (0: a new or foreign file)
    tables: int


def read_header(conn: sqlite3.Connection) -> Header:
    """Raises sqlite3.DatabaseError on a damaged file (the caller words it)."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    tables = int(conn.execute("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").fetchone()[0])
    return Header(version, app_id, tables)


def use_wal(conn: sqlite3.Connection) -> str:
    """Foreign keys on, write-ahead logging, and every commit synced (a committed record survives a
    power cut). Returns the journal mode SQLite granted: anything but "wal" means the file cannot
    be shared safely (a network drive). Raises sqlite3 errors for the caller to word."""
    conn.execute("PRAGMA foreign_keys = ON")
    mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
    conn.execute("PRAGMA synchronous = FULL")
    return mode


def statements(script: str) -> list[str]:
    """A migration script split into statements (sqlite3 runs one at a time inside our transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One unit of work, all of it or none (BEGIN IMMEDIATE: the write lock is taken up front)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        rollback(conn)
        raise
    conn.execute("COMMIT")


def migrate(
    conn: sqlite3.Connection,
    version: int,
    migrations: Sequence[str],
    app_id: int,
    error: Callable[[int, sqlite3.Error], Exception],
) -> None:
    """Run ``migrations[version:]``, each script with its new ``user_version`` in one transaction, so a
    crash leaves the file at the last whole schema. ``error(number, exc)`` words a failure."""
    for number in range(version, len(migrations)):
        try:
            with transaction(conn):
                for statement in statements(migrations[number]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {app_id}")
                conn.execute(f"PRAGMA user_version = {number + 1}")
        except sqlite3.Error as exc:
            raise error(number + 1, exc) from None


def make_private(p: Path) -> None:
    """Owner-only, the database and the -wal/-shm files SQLite makes beside it."""
    for f in (p, Path(f"{p}-wal"), Path(f"{p}-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            os.chmod(f, 0o600)
