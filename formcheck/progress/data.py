"""The numbers of the progress report, read from the history in a few bulk queries.

Everything the charts and tables show is computed here, as plain frozen
dataclasses, so the HTML layer only draws and the tests can check the numbers
without rendering anything.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from formcheck.history.queries import SessionSummary, list_sessions
from formcheck.history.store import HistoryStore
from formcheck.program.load import LoadedProgram


@dataclass(frozen=True)
class WeekAdherence:
    week_start: dt.date  # Monday
    sessions_done: int
    sessions_prescribed: int | None  # None: no program to compare with
    sets_done: int
    sets_prescribed: int | None


@dataclass(frozen=True)
class SessionStat:
    """One session's values for one exercise: the median and range over its reps or holds."""

    started_at: dt.datetime
    median: float
    low: float
    high: float
    n: int


@dataclass(frozen=True)
class ExerciseSeries:
    exercise_id: str
    exercise_name: str
    metric: str  # the primary metric (reps) or "hold"
    unit: str
    target: float | None
    points: tuple[SessionStat, ...]


@dataclass(frozen=True)
class PainPoint:
    started_at: dt.datetime
    before: int | None
    after: int | None
    stop_answers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FaultCount:
    code: str
    message: str
    count: int
    exercises: tuple[str, ...]


@dataclass(frozen=True)
class ProgressData:
    db: str
    since: dt.date | None
    until: dt.date
    program_name: str | None
    sessions: tuple[SessionSummary, ...]
    weeks: tuple[WeekAdherence, ...]
    rom: tuple[ExerciseSeries, ...]
    holds: tuple[ExerciseSeries, ...]
    pain: tuple[PainPoint, ...]
    faults: tuple[FaultCount, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def _ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _stat(t: dt.datetime, values: list[float]) -> SessionStat:
    return SessionStat(t, float(statistics.median(values)), min(values), max(values), len(values))


def collect(
    store: HistoryStore,
    since: dt.date | None = None,
    program: LoadedProgram | None = None,
    today: dt.date | None = None,
) -> ProgressData:
    since_s = since.isoformat() if since else None
    sessions = tuple(list_sessions(store, since_s))
    until = today or dt.date.today()
    notes: list[str] = []

    # -- adherence per week -------------------------------------------------------------
    by_week_sessions: Counter[dt.date] = Counter()
    by_week_sets: Counter[dt.date] = Counter()
    for s in sessions:
        wk = _monday(dt.date.fromisoformat(s.day))
        by_week_sessions[wk] += 1
        by_week_sets[wk] += s.sets
    first = since or (min(by_week_sessions) if by_week_sessions else _monday(until))
    if program is not None and since is None:
        first = min(first, program.program.start)
    weeks = []
    wk = _monday(first)
    per_week = program.program.sessions_per_week if program else None
    sets_per_session = sum(e.sets for e in program.exercises) if program else None
    while wk <= until:
        prescribed = sets = None
        if program is not None and per_week is not None and sets_per_session is not None:
            p = program.program
            # Days of this week inside the program's span: a first or last partial week prescribes less.
            days = [wk + dt.timedelta(days=i) for i in range(7)]
            active = [d for d in days if d >= p.start and (p.end is None or d <= p.end) and d <= until]
            scheduled = {("mon", "tue", "wed", "thu", "fri", "sat", "sun")[d.weekday()] for d in active}
            prescribed = len(scheduled & set(p.weekdays))
            sets = prescribed * sets_per_session
        weeks.append(WeekAdherence(wk, by_week_sessions[wk], prescribed, by_week_sets[wk], sets))
        wk += dt.timedelta(days=7)
    if program is None:
        notes.append("No program given (--program): adherence shows what was done, without the prescription.")

    # -- range of motion and holds per exercise -------------------------------------------
    rom_rows = store.conn.execute(
        """
        SELECT e.exercise_id, e.exercise_name, e.primary_metric, e.unit, e.target, s.started_at, r.peak_value
        FROM reps r JOIN sets st ON r.set_id = st.id JOIN exercises e ON st.exercise_row = e.id
        JOIN sessions s ON e.session_id = s.id
        WHERE r.complete = 1 AND r.peak_value IS NOT NULL AND (:since IS NULL OR s.day >= :since)
        ORDER BY s.started_at
        """,
        {"since": since_s},
    ).fetchall()
    hold_rows = store.conn.execute(
        """
        SELECT e.exercise_id, e.exercise_name, 'hold', 's', e.prescribed_hold_s, s.started_at, h.duration_s
        FROM holds h JOIN sets st ON h.set_id = st.id JOIN exercises e ON st.exercise_row = e.id
        JOIN sessions s ON e.session_id = s.id
        WHERE e.kind = 'hold' AND (:since IS NULL OR s.day >= :since)
        ORDER BY s.started_at
        """,
        {"since": since_s},
    ).fetchall()
    hold_targets: dict[str, float] = {}
    if program is not None:
        hold_targets = {e.spec.id: e.hold_s for e in program.exercises if e.hold_s}
    rom = _series(rom_rows, {})
    holds = _series(hold_rows, hold_targets)

    # -- pain and stop answers ---------------------------------------------------------------
    pain_rows = store.conn.execute(
        "SELECT started_at, pain_before, pain_after, stop_answers FROM sessions"
        " WHERE (:since IS NULL OR day >= :since) AND (pain_before IS NOT NULL OR pain_after IS NOT NULL"
        " OR stop_answers IS NOT NULL) ORDER BY started_at",
        {"since": since_s},
    ).fetchall()
    pain = tuple(
        PainPoint(_ts(t), b, a, tuple((str(x["question"]), str(x["answer"])) for x in (json.loads(sa) if sa else [])))
        for t, b, a, sa in pain_rows
    )

    # -- most frequent feedback -----------------------------------------------------------
    fault_rows = store.conn.execute(
        """
        SELECT f.code, f.message, e.exercise_id, count(*)
        FROM faults f JOIN sets st ON f.set_id = st.id JOIN exercises e ON st.exercise_row = e.id
        JOIN sessions s ON e.session_id = s.id
        WHERE (:since IS NULL OR s.day >= :since)
        GROUP BY f.code, f.message, e.exercise_id
        """,
        {"since": since_s},
    ).fetchall()
    counts: Counter[str] = Counter()
    messages: dict[str, str] = {}
    where: dict[str, set[str]] = defaultdict(set)
    for code, message, ex, n in fault_rows:
        counts[code] += n
        messages.setdefault(code, message)
        where[code].add(ex)
    faults = tuple(FaultCount(c, messages[c], n, tuple(sorted(where[c]))) for c, n in counts.most_common(10))

    return ProgressData(
        db=str(store.path),
        since=since,
        until=until,
        program_name=program.program.name if program else None,
        sessions=sessions,
        weeks=tuple(weeks),
        rom=rom,
        holds=holds,
        pain=pain,
        faults=faults,
        notes=tuple(notes),
    )


def _series(
    rows: list[tuple[str, str, str, str, float | None, str, float]], targets: dict[str, float]
) -> tuple[ExerciseSeries, ...]:
    grouped: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    meta: dict[str, tuple[str, str, str, float | None]] = {}
    for ex_id, name, metric, unit, target, started, value in rows:
        grouped[ex_id][started].append(float(value))
        meta[ex_id] = (name, metric, unit, targets.get(ex_id, target))  # the latest prescription wins
    out = []
    for ex_id, per_session in grouped.items():
        name, metric, unit, target = meta[ex_id]
        points = tuple(_stat(_ts(t), v) for t, v in per_session.items())
        out.append(ExerciseSeries(ex_id, name, metric, unit, target, points))
    return tuple(sorted(out, key=lambda s: s.exercise_name))


def to_json(data: ProgressData) -> dict[str, Any]:
    """Every number the report shows, for tools (the report's JSON twin, like coverage.py's)."""

    def plain(value: object) -> object:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    out = plain(asdict(data))
    assert isinstance(out, dict)
    return {"format": "formcheck-progress", "version": 1, **out}
