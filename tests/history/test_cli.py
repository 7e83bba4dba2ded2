"""``formcheck history``, ``report`` and ``analyze --log`` on the command line."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from formcheck.cli import main
from formcheck.history.migrations import SCHEMA_VERSION
from formcheck.history.store import HistoryStore
from formcheck.program import default_program_path, load_program

sys.path.insert(0, str(Path(__file__).parents[1]))
from synthetic_history import fill

CLIP = Path(__file__).parents[2] / "sample_videos" / "bridge_side_left_01.mp4"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("history") / "h.db"
    with HistoryStore.open(db) as store:
        fill(store, load_program(default_program_path()), 10)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture
def history(filled: Path, tmp_path: Path) -> Path:
    """A fresh copy per test (tests delete and forget)."""
    db = tmp_path / "h.db"
    shutil.copy2(filled, db)
    return db


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("formcheck: error: ")
    return lines[0]


def test_list_show_export_delete(history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["history", "--db", str(history)]) == 0
    out = capsys.readouterr().out.splitlines()
    n = int(out[-1].split()[0])
    assert n == len(out) - 2 and n > 5
    first = int(out[1].split()[0])
    assert main(["history", "show", str(first), "--db", str(history)]) == 0
    shown = capsys.readouterr().out
    assert "Glute bridge (bridge); prescribed 3 x 10 reps" in shown and "set 3:" in shown
    assert main(["history", "--db", str(history), "show", str(first), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == first
    csv_out, json_out = tmp_path / "all.csv", tmp_path / "all.json"
    assert main(["history", "export", "--db", str(history), "--out", str(csv_out)]) == 0
    assert main(["history", "export", "--db", str(history), "--out", str(json_out)]) == 0
    assert csv_out.read_text().startswith("session_id,day,started_at")
    assert len(json.loads(json_out.read_text())["sessions"]) == n
    assert csv_out.stat().st_mode & 0o077 == 0  # health data: owner-only like the database
    assert main(["history", "delete", str(first), "--db", str(history)]) == 0
    capsys.readouterr()
    assert main(["history", "delete", str(first), "--db", str(history)]) == 2
    assert "no session" in _one_error_line(capsys)


def test_forget_asks_first(history: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert main(["history", "forget", "--db", str(history)]) == 1
    assert "nothing deleted" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda prompt: "forget")
    assert main(["history", "forget", "--db", str(history)]) == 0
    assert main(["history", "--db", str(history)]) == 0
    assert "no sessions recorded" in capsys.readouterr().out


def test_forget_without_a_terminal_needs_yes(history: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["history", "forget", "--db", str(history)]) == 2
    assert "--yes" in _one_error_line(capsys)
    assert main(["history", "forget", "--yes", "--db", str(history)]) == 0


def test_environment_variable_names_the_database(history: Path, monkeypatch: pytest.MonkeyPatch, capsys):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FORMCHECK_DB", str(history))
    assert main(["history", "list"]) == 0
    assert "sessions" in capsys.readouterr().out


def test_report_writes_one_html_file(history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "r.html"
    assert main(["report", "--db", str(history), "--out", str(out), "--program", str(default_program_path())]) == 0
    text = out.read_text()
    assert text.count("<svg") >= 8 and "Adherence" in text
    assert main(["report", "--db", str(history), "--out", str(out), "--since", "soon"]) == 2
    assert "--since 'soon': expected a date YYYY-MM-DD" in _one_error_line(capsys)


@pytest.mark.parametrize(
    ("program", "message"),
    [
        ('[[exercises]]\nexercise = "squat"\n', "[[exercises]][0].exercise: unknown exercise"),
        ('[[exercises]]\nfile = "gone.toml"\n', "[[exercises]][0].file: no such exercise file"),
        ('[[exercises]]\nexercise = "bridge"\nreps = -10\n', "[[exercises]][0].reps: must be greater than 0, got -10"),
        ('[[exercises]]\nexercise = "bridge"\nrepz = 10\n', "[[exercises]][0].repz: unknown key"),
    ],
)
def test_bad_program_exits_2_and_nothing_is_recorded_or_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], program: str, message: str
):
    path = tmp_path / "p.toml"
    path.write_text(f'name = "x"\nfrequency = "daily"\nstart = 2026-12-01\n{program}')
    db, out, ics = tmp_path / "h.db", tmp_path / "r.html", tmp_path / "p.ics"
    HistoryStore.open(db).close()
    before = db.read_bytes()
    for argv in (
        ["program", "show", str(path)],
        ["program", "ics", str(path), "--out", str(ics)],
        ["report", "--db", str(db), "--out", str(out), "--program", str(path)],
    ):
        assert main(argv) == 2
        line = _one_error_line(capsys)
        assert f"{path}: " in line and message in line
    assert not out.exists() and not ics.exists()
    assert db.read_bytes() == before


def test_report_on_a_newer_database_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "h.db"
    HistoryStore.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r.html")]) == 2
    assert "written by a newer formcheck" in _one_error_line(capsys)
    assert main(["analyze", str(CLIP), "--exercise", "bridge", "--log", "--db", str(db), "--quiet"]) == 2
    assert "written by a newer formcheck" in _one_error_line(capsys)


def test_log_options_need_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["analyze", str(CLIP), "--exercise", "bridge", "--pain-before", "3"]) == 2
    assert "--pain-before is for --log" in _one_error_line(capsys)


@pytest.mark.skipif(not CLIP.is_file(), reason="sample clip missing")
def test_analyze_log_adds_the_recording_to_the_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db = tmp_path / "h.db"
    report = tmp_path / "r.json"
    argv = ["analyze", str(CLIP), "--exercise", "bridge", "--report", str(report), "--quiet", "--log", "--db", str(db)]
    assert main([*argv, "--pain-before", "4", "--pain-after", "3"]) == 0
    assert "logged: session 1" in capsys.readouterr().out
    data = json.loads(report.read_text())
    with HistoryStore.open(db) as store:
        reps = [r[0] for r in store.conn.execute("SELECT peak_value FROM reps ORDER BY set_id, rep_no")]
        row = store.conn.execute("SELECT kind, source, pain_before, pain_after, end_reason FROM sessions").fetchone()
    assert reps == [e["peak_value"] for e in data["rep_events"]]
    assert row == ("video", str(CLIP.resolve()), 4, 3, "recording")
