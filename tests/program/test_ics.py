"""The program's schedule as iCalendar, checked by parsing it back with the same library."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest
from icalendar import Calendar

from formcheck.program import default_program_path, load_program
from formcheck.program.ics import build_calendar, write_ics
from formcheck.program.load import parse_program
from formcheck.program.show import format_program, session_minutes

PROGRAM = """
name = "Knee program"
patient = "patient 17"
frequency = "{freq}"
start = 2026-12-02  # a Wednesday
{extra}
[[exercises]]
exercise = "bridge"
sets = 3
reps = 12
rest_s = 45
notes = "Squeeze first"
"""


def _program(freq: str = "daily", extra: str = ""):  # type: ignore[no-untyped-def]
    return parse_program(tomllib.loads(PROGRAM.format(freq=freq, extra=extra)), "knee.toml")


def _event(lp) -> Calendar:  # type: ignore[no-untyped-def]
    cal = Calendar.from_ical(build_calendar(lp).to_ical())
    [event] = list(cal.walk("VEVENT"))
    return event


@pytest.mark.parametrize(
    ("freq", "extra", "rule", "first"),
    [
        ("daily", "", {"FREQ": ["DAILY"]}, dt.date(2026, 12, 2)),
        ("3x/week", "", {"FREQ": ["WEEKLY"], "BYDAY": ["MO", "WE", "FR"]}, dt.date(2026, 12, 2)),
        ("2x/week", 'days = ["tue", "sat"]', {"FREQ": ["WEEKLY"], "BYDAY": ["TU", "SA"]}, dt.date(2026, 12, 5)),
        ("1x/week", "", {"FREQ": ["WEEKLY"], "BYDAY": ["MO"]}, dt.date(2026, 12, 7)),
    ],
)
def test_recurrence_follows_the_frequency(freq: str, extra: str, rule: dict[str, list[str]], first: dt.date):
    ev = _event(_program(freq, extra))
    got = {k: [str(v) for v in vals] for k, vals in ev["RRULE"].items()}
    assert got == rule
    start = ev.decoded("DTSTART")
    assert start.date() == first  # DTSTART is itself a scheduled day
    assert start.time() == dt.time(9, 0) and start.tzinfo is None  # floating local time


def test_event_has_alarm_duration_end_and_the_plan():
    lp = _program("daily", "end = 2027-01-31\ntime = 07:30:00")
    ev = _event(lp)
    assert ev.decoded("DTSTART") == dt.datetime(2026, 12, 2, 7, 30)
    assert ev["RRULE"]["UNTIL"][0] == dt.datetime(2027, 1, 31, 23, 59, 59)
    assert ev.decoded("DURATION") == dt.timedelta(minutes=session_minutes(lp))
    assert "patient 17" in str(ev["SUMMARY"])
    assert "3 x 12 reps; rest 45 s between sets" in str(ev["DESCRIPTION"])
    [alarm] = list(ev.walk("VALARM"))
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == dt.timedelta(0)


def test_write_ics_of_the_bundled_program(tmp_path: Path):
    out = write_ics(load_program(default_program_path()), tmp_path / "plan.ics")
    cal = Calendar.from_ical(out.read_bytes())
    assert len(list(cal.walk("VEVENT"))) == 1
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_plan_text_lists_each_exercise_with_dose_side_and_notes():
    text = format_program(load_program(default_program_path()))
    assert "1. Pelvic tilt (pelvic_tilt)" in text
    assert "8. Standing lumbar side bending (side_bend) - painful side: right" in text
    assert "Dose: 3 x 30 s hold each side; rest 30 s between sets" in text
    assert "Note: Perform" not in text and "20 repetitions (seed 004)" in text
    assert "not medical advice" in text
