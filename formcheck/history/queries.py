"""Reading the history back: the session list, one session in full, and exports.

The same nested dictionaries feed ``history show``, the JSON export and the
progress report, so they all say the same thing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from formcheck.history.store import HistoryStore


@dataclass(frozen=True)
class SessionSummary:
    id: int
    kind: str
    day: str
    started_at: str
    ended_at: str | None
    end_reason: str
    program_name: str | None
    source: str | None
    pain_before: int | None
    pain_after: int | None
    exercises: int
    sets: int
    reps: int
    holds: int


_LIST = """
SELECT s.id, s.kind, s.day, s.started_at, s.ended_at, s.end_reason, s.program_name, s.source,
       s.pain_before, s.pain_after,
       (SELECT count(*) FROM exercises e WHERE e.session_id = s.id),
       (SELECT count(*) FROM sets st JOIN exercises e ON st.exercise_row = e.id WHERE e.session_id = s.id),
       (SELECT coalesce(sum(st.reps), 0) FROM sets st JOIN exercises e ON st.exercise_row = e.id
         WHERE e.session_id = s.id),
       (SELECT count(*) FROM holds h JOIN sets st ON h.set_id = st.id JOIN exercises e ON st.exercise_row = e.id
         WHERE e.session_id = s.id)
FROM sessions s
WHERE (:since IS NULL OR s.day >= :since) AND (:until IS NULL OR s.day <= :until)
ORDER BY s.started_at, s.id
"""


def list_sessions(store: HistoryStore, since: str | None = None, until: str | None = None) -> list[SessionSummary]:
    rows = store.conn.execute(_LIST, {"since": since, "until": until}).fetchall()
    return [SessionSummary(*r) for r in rows]


def _dicts(store: HistoryStore, sql: str, args: tuple[Any, ...]) -> list[dict[str, Any]]:
    cur = store.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _codes(text: str) -> list[str]:
    return [c for c in text.split(",") if c]


def session_detail(store: HistoryStore, session_id: int) -> dict[str, Any] | None:
    """One session with its exercises, sets, reps, holds and feedback, nested."""
    found = _dicts(store, "SELECT * FROM sessions WHERE id = ?", (session_id,))
    if not found:
        return None
    return _nest(store, found[0])


def _nest(store: HistoryStore, session: dict[str, Any]) -> dict[str, Any]:
    session = dict(session)
    session["stop_answers"] = json.loads(session["stop_answers"]) if session["stop_answers"] else []
    exercises = _dicts(store, "SELECT * FROM exercises WHERE session_id = ? ORDER BY position", (session["id"],))
    for ex in exercises:
        ex["per_side"] = bool(ex["per_side"])
        sets = _dicts(store, "SELECT * FROM sets WHERE exercise_row = ? ORDER BY set_no", (ex["id"],))
        for s in sets:
            s["complete"] = bool(s["complete"])
            s["rep_events"] = _dicts(store, "SELECT * FROM reps WHERE set_id = ? ORDER BY rep_no", (s["id"],))
            for r in s["rep_events"]:
                r["complete"] = bool(r["complete"])
                r["faults"] = _codes(r["faults"])
                del r["set_id"]
            s["holds"] = _dicts(store, "SELECT * FROM holds WHERE set_id = ? ORDER BY hold_no", (s["id"],))
            for h in s["holds"]:
                h["faults"] = _codes(h["faults"])
                del h["set_id"]
            s["faults"] = _dicts(
                store, "SELECT t_s, code, message FROM faults WHERE set_id = ? ORDER BY t_s", (s["id"],)
            )
            del s["exercise_row"]
        ex["sets"] = sets
        del ex["session_id"]
    session["exercises"] = exercises
    return session


def export_json(store: HistoryStore, since: str | None = None) -> str:
    sessions = [session_detail(store, s.id) for s in list_sessions(store, since)]
    return json.dumps({"format": "formcheck-history", "version": 1, "sessions": sessions}, indent=1) + "\n"


CSV_COLUMNS = (
    "session_id", "day", "started_at", "kind", "program", "end_reason", "pain_before", "pain_after",
    "exercise_id", "side", "side_is", "set_no", "item", "item_no", "complete", "peak_value", "unit", "target",
    "duration_s", "paused_s", "up_s", "top_s", "down_s", "faults",
)  # fmt: skip

_CSV_ROWS = """
SELECT s.id, s.day, s.started_at, s.kind, s.program_name, s.end_reason, s.pain_before, s.pain_after,
       e.exercise_id, e.side, e.side_is, st.set_no, 'rep', r.rep_no, r.complete, r.peak_value, e.unit, e.target,
       r.end_s - r.start_s, NULL, r.up_s, r.top_s, r.down_s, r.faults
FROM reps r JOIN sets st ON r.set_id = st.id JOIN exercises e ON st.exercise_row = e.id
     JOIN sessions s ON e.session_id = s.id
WHERE (:since IS NULL OR s.day >= :since)
UNION ALL
SELECT s.id, s.day, s.started_at, s.kind, s.program_name, s.end_reason, s.pain_before, s.pain_after,
       e.exercise_id, e.side, e.side_is, st.set_no, 'hold', h.hold_no, 1, NULL, 's', e.prescribed_hold_s,
       h.duration_s, h.paused_s, NULL, NULL, NULL, h.faults
FROM holds h JOIN sets st ON h.set_id = st.id JOIN exercises e ON st.exercise_row = e.id
     JOIN sessions s ON e.session_id = s.id
WHERE (:since IS NULL OR s.day >= :since)
ORDER BY 3, 1, 9, 12, 13, 14
"""


def csv_rows(store: HistoryStore, since: str | None = None) -> Iterator[tuple[Any, ...]]:
    """One row per rep and per hold: the flat table a spreadsheet wants."""
    yield from store.conn.execute(_CSV_ROWS, {"since": since})


def export_csv(store: HistoryStore, since: str | None = None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for row in csv_rows(store, since):
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()
