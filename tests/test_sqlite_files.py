"""The SQLite pieces the history and the results table share."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from formcheck.sqlite_files import migrate, read_header, statements


def test_a_script_splits_into_whole_statements_even_with_semicolons_in_strings():
    script = "CREATE TABLE t (a TEXT DEFAULT ';');\nINSERT INTO t VALUES ('x;y');\nCREATE INDEX i ON t (a)"
    assert statements(script) == [
        "CREATE TABLE t (a TEXT DEFAULT ';');",
        "INSERT INTO t VALUES ('x;y');",
        "CREATE INDEX i ON t (a)",
    ]


class MigrationBrokeError(Exception):
    pass


@pytest.mark.parametrize("fail_at", [None, 1])
def test_a_migration_that_fails_leaves_the_file_at_the_last_whole_schema(tmp_path: Path, fail_at: int | None):
    """Each script and its user_version are one transaction: a failing second script leaves schema 1,
    with none of the second script's statements applied."""
    conn = sqlite3.connect(tmp_path / "x.sqlite", isolation_level=None)
    second = "CREATE TABLE b (x);\nCREATE TABLE a (x);" if fail_at == 1 else "CREATE TABLE b (x);"
    scripts = ("CREATE TABLE a (x);", second)
    if fail_at is None:
        migrate(conn, 0, scripts, 42, lambda n, exc: MigrationBrokeError(f"{n}: {exc}"))
        assert read_header(conn).version == 2
    else:
        with pytest.raises(MigrationBrokeError, match=r"^2: table a already exists"):
            migrate(conn, 0, scripts, 42, lambda n, exc: MigrationBrokeError(f"{n}: {exc}"))
        header = read_header(conn)
        assert (header.version, header.app_id, header.tables) == (1, 42, 1)  # no table b
