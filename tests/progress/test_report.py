"""The progress report: its numbers, and one self-contained HTML page that renders in a real browser."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tomllib
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.history.store import HistoryStore
from formcheck.program import default_program_path
from formcheck.program.load import LoadedProgram, parse_program
from formcheck.progress.data import ProgressData, collect
from formcheck.progress.html import CSP, write_report

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
from browser import chromium, render
from synthetic_history import fill

DAYS = 28


def _program(start: dt.date) -> LoadedProgram:
    data = tomllib.loads(default_program_path().read_text())
    data["start"] = start
    return parse_program(data, str(default_program_path()), default_program_path().parent)


@pytest.fixture(scope="module")
def progress(tmp_path_factory: pytest.TempPathFactory) -> tuple[ProgressData, LoadedProgram, Path]:
    db = tmp_path_factory.mktemp("h") / "h.db"
    program = _program(dt.date.today() - dt.timedelta(days=DAYS))
    with HistoryStore.open(db) as store:
        fill(store, program, DAYS)
        data = collect(store, None, program)
    return data, program, db


def test_adherence_counts_sessions_and_sets_against_the_program(progress):  # type: ignore[no-untyped-def]
    data, program, db = progress
    assert sum(w.sessions_done for w in data.weeks) == len(data.sessions)
    with HistoryStore.open(db) as store:
        sets = store.conn.execute("SELECT count(*) FROM sets").fetchone()[0]
    assert sum(w.sets_done for w in data.weeks) == sets
    per_session = sum(e.sets for e in program.exercises)
    assert per_session == 24
    for w in data.weeks:
        assert w.sets_prescribed == (w.sessions_prescribed or 0) * per_session
    # Daily from the start up to today: every covered day is one prescribed session.
    assert sum(w.sessions_prescribed or 0 for w in data.weeks) == DAYS + 1


def test_series_have_targets_and_one_point_per_session(progress):  # type: ignore[no-untyped-def]
    data, _program, _db = progress
    rom = {s.exercise_id: s for s in data.rom}
    assert set(rom) == {"bridge", "side_bend", "nerve_glide", "lower_trunk_rotation"}
    assert rom["bridge"].target == 165.0 and rom["bridge"].unit == "deg"
    assert len(rom["bridge"].points) == len(data.sessions)
    assert all(p.low <= p.median <= p.high for p in rom["bridge"].points)
    holds = {s.exercise_id: s for s in data.holds}
    assert holds["childs_pose"].target == 30.0
    assert data.faults and data.faults[0].count >= data.faults[-1].count


@pytest.fixture(scope="module")
def page(progress, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    return write_report(progress[0], tmp_path_factory.mktemp("report") / "report.html")


def test_html_is_self_contained(progress, page: Path):  # type: ignore[no-untyped-def]
    data, _program, _db = progress
    text = page.read_text()
    assert f'content="{CSP}"' in text
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", text)
    assert text.count("<svg") == 1 + len(data.rom) + len(data.holds) + 1 + 1  # adherence, series, pain, faults
    for section in ("adherence", "rom", "holds", "pain", "faults", "sessions"):
        assert f'<section id="{section}">' in text
    assert "@media print" in text and "@page" in text
    assert "<text" not in text  # text drawn as paths: the page needs no font to look the same everywhere


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_report_renders_in_a_real_browser(page: Path, tmp_path: Path):
    result = render(page, tmp_path)
    assert result.console == []
    assert result.page_requests == []
    img = cv2.imread(str(result.screenshot))
    assert img is not None and img.shape[1] == 1200
    assert img.std() > 20  # not a blank page
    blue = np.all(np.abs(img.astype(int) - (180, 119, 31)) < 12, axis=2)  # the charts' data colour (BGR)
    red = np.all(np.abs(img.astype(int) - (40, 39, 214)) < 12, axis=2)  # the target lines
    assert blue.sum() > 5000, blue.sum()
    assert red.sum() > 500, red.sum()
    # The charts fill the page from the top: data colour in each third of the first screenful.
    rows = np.flatnonzero(blue.any(axis=1))
    assert rows.min() < 600 and rows.max() > 3000
    keep = os.environ.get("FORMCHECK_KEEP_SCREENSHOT")  # to look at it: a path for the PNG
    if keep:
        Path(keep).write_bytes(result.screenshot.read_bytes())


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_the_browser_check_catches_requests_and_console_errors(tmp_path: Path):
    """The check above can fail: a page that fetches and logs an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><body><p>x</p><img src="http://example.invalid/a.png">'
        '<script>console.error("broken chart")</script></body></html>'
    )
    result = render(page, tmp_path)
    assert result.page_requests == ["http://example.invalid/a.png"]
    assert any("broken chart" in line for line in result.console)


@pytest.mark.skipif(chromium() is None, reason="chromium is not installed (apt-get install -y chromium)")
def test_pdf_is_the_html_printed(page: Path, tmp_path: Path):
    from formcheck.progress.pdf import print_pdf

    pdf = print_pdf(page, tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3  # A4 pages: charts, feedback, sessions
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_pdf_without_a_browser_says_so(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from formcheck.errors import OutputError
    from formcheck.progress import pdf

    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    with pytest.raises(OutputError, match="--pdf needs Chromium"):
        pdf.print_pdf(page, tmp_path / "report.pdf")
    assert not (tmp_path / "report.pdf").exists()


def test_json_twin_has_every_number(progress):  # type: ignore[no-untyped-def]
    import json

    from formcheck.progress.data import to_json

    data, _program, _db = progress
    twin = json.loads(json.dumps(to_json(data)))
    assert len(twin["sessions"]) == len(data.sessions)
    assert [w["sets_done"] for w in twin["weeks"]] == [w.sets_done for w in data.weeks]
    bridge = next(s for s in twin["rom"] if s["exercise_id"] == "bridge")
    assert bridge["target"] == 165.0 and len(bridge["points"]) == len(data.sessions)
    first = next(s for s in data.rom if s.exercise_id == "bridge").points[0]
    assert dt.datetime.fromisoformat(bridge["points"][0]["started_at"]) == first.started_at
