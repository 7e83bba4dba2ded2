"""Opening the results table: created owner-only, refused (one line, unchanged) when it is not ours."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from formcheck.archive.schema import SCHEMA_VERSION
from formcheck.archive.store import ResultsError, ResultsStore
from formcheck.cli import main


def test_a_new_table_is_private_in_wal_mode_at_the_current_schema(tmp_path: Path):
    db = tmp_path / "deep" / "results.sqlite"
    with ResultsStore.open(db) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    with ResultsStore.open(db) as store:  # reopening changes nothing
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
    assert tables == {"files", "reps", "hashes"}


def test_not_sqlite_another_apps_database_and_a_newer_schema_are_refused(tmp_path: Path):
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database\n" * 20)
    with pytest.raises(ResultsError, match="not a formcheck results table"):
        ResultsStore.open(text)
    assert text.read_text() == "not a database\n" * 20
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE t (x)")
    with pytest.raises(ResultsError, match="not a formcheck results table; use --results"):
        ResultsStore.open(other)
    newer = tmp_path / "newer.sqlite"
    ResultsStore.open(newer).close()
    with sqlite3.connect(newer) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ResultsError, match="written by a newer formcheck"):
        ResultsStore.open(newer)
    with pytest.raises(ResultsError, match="is a folder"):
        ResultsStore.open(tmp_path)


def test_a_second_batch_on_the_same_table_is_stopped_and_names_the_first(tmp_path: Path):
    db = tmp_path / "results.sqlite"
    with ResultsStore.open(db):
        with pytest.raises(ResultsError, match=r"another formcheck analyze is using this results table \(process"):
            ResultsStore.open(db)
        ResultsStore.open(db, lock=False).close()  # readers need no lock
    ResultsStore.open(db).close()  # free again once the first closes


def test_a_bad_results_path_is_one_line_and_exit_2(tmp_path: Path, make_video, capsys):
    video = make_video("a.mp4")
    (tmp_path / "plain").write_text("x")
    code = main(["analyze", str(video), "--exercise", "bridge", "--results", str(tmp_path / "plain" / "r.sqlite")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [f"formcheck: error: {tmp_path / 'plain'}: is a file, not a folder; "
                                        "cannot keep the results table inside it"]  # fmt: skip
