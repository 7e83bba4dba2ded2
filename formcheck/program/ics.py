"""The program's schedule as an iCalendar file, so the patient's own calendar reminds them.

One recurring event (RRULE) with an alarm at its start: calendars expand the
recurrence themselves, and editing the program means importing one event, not
hundreds. Times are floating local times (no time zone): 09:00 stays 09:00
wherever the patient is, which is what a home program means.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from icalendar import Alarm, Calendar, Event, vRecur

from formcheck import __version__
from formcheck.errors import OutputError
from formcheck.program.load import LoadedProgram
from formcheck.program.show import format_program, session_minutes

DEFAULT_TIME = dt.time(9, 0)  # when the program names no reminder time
_BYDAY = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}
_PY_WEEKDAY = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def first_session(lp: LoadedProgram) -> dt.date:
    """The first scheduled day on or after the start (RFC 5545: DTSTART should match the rule)."""
    days = {_PY_WEEKDAY[d] for d in lp.program.weekdays}
    day = lp.program.start
    while day.weekday() not in days:
        day += dt.timedelta(days=1)
    return day


def build_calendar(lp: LoadedProgram, *, stamp: dt.datetime | None = None) -> Calendar:
    p = lp.program
    cal = Calendar()
    cal.add("prodid", f"-//formcheck//formcheck {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", p.name)
    start = dt.datetime.combine(first_session(lp), p.time or DEFAULT_TIME)
    minutes = session_minutes(lp)
    ev = Event()
    digest = hashlib.sha256(f"{p.model_dump_json()}".encode()).hexdigest()[:24]
    ev.add("uid", f"{digest}@formcheck")
    ev.add("dtstamp", stamp or dt.datetime.now(dt.UTC))
    ev.add("dtstart", start)
    ev.add("duration", dt.timedelta(minutes=minutes))
    summary = p.name + (f" ({p.patient})" if p.patient else "")
    ev.add("summary", summary)
    ev.add("description", format_program(lp))
    rule: dict[str, object] = {"freq": "daily"} if p.frequency == "daily" else {
        "freq": "weekly", "byday": [_BYDAY[d] for d in p.weekdays],
    }  # fmt: skip
    if p.end is not None:
        # UNTIL in the same (floating) form as DTSTART, at the end of the last day.
        rule["until"] = dt.datetime.combine(p.end, dt.time(23, 59, 59))
    ev.add("rrule", vRecur(rule))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Time for your exercises: {p.name}")
    alarm.add("trigger", dt.timedelta(0))
    ev.add_component(alarm)
    cal.add_component(ev)
    return cal


def write_ics(lp: LoadedProgram, out: Path) -> Path:
    """Write the calendar, read it back (a file a calendar cannot import is an error here), then rename."""
    data = build_calendar(lp).to_ical()
    parsed = Calendar.from_ical(data)
    events = list(parsed.walk("VEVENT"))
    if len(events) != 1 or "RRULE" not in events[0]:
        raise OutputError(f"{out}: the calendar did not read back as one recurring event")
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{out}: cannot write the calendar ({exc.strerror or exc})") from None
    return out
