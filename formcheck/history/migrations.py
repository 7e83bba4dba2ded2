"""The history database's schema, as numbered migrations.

``PRAGMA user_version`` is the number of migrations applied. Opening an older
file applies the missing ones in one transaction each; a file with a higher
number was written by a newer formcheck and is refused, never downgraded. A new
schema change is a new entry at the end of ``MIGRATIONS``, never an edit of an
old one (files in the field already ran those).
"""

from __future__ import annotations

# Times are ISO 8601 with the local UTC offset ("2026-12-01T08:30:00+01:00"), so a
# session keeps the calendar day the patient did it on; ``day`` is that local date.
# Seconds inside a set (start_s, peak_s, ...) are from the start of the recording or
# live session, as the counters measured them (frame timestamps).
_V1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('live', 'video')),
    program_name TEXT,
    program_path TEXT,
    patient TEXT,
    source TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    day TEXT NOT NULL,
    end_reason TEXT NOT NULL DEFAULT 'in_progress',
    pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    stop_answers TEXT,
    formcheck_version TEXT NOT NULL
);
CREATE INDEX sessions_day ON sessions (day);

CREATE TABLE exercises (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    exercise_id TEXT NOT NULL,
    exercise_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reps', 'hold')),
    side TEXT,
    side_is TEXT CHECK (side_is IN ('working', 'painful')),
    primary_metric TEXT NOT NULL,
    unit TEXT NOT NULL,
    target REAL,
    prescribed_sets INTEGER,
    prescribed_reps INTEGER,
    prescribed_hold_s REAL,
    per_side INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX exercises_session ON exercises (session_id);

CREATE TABLE sets (
    id INTEGER PRIMARY KEY,
    exercise_row INTEGER NOT NULL REFERENCES exercises (id) ON DELETE CASCADE,
    set_no INTEGER NOT NULL CHECK (set_no >= 1),
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    reps INTEGER NOT NULL,
    partial_reps INTEGER NOT NULL,
    complete INTEGER NOT NULL,
    UNIQUE (exercise_row, set_no)
);

CREATE TABLE reps (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets (id) ON DELETE CASCADE,
    rep_no INTEGER NOT NULL,
    start_s REAL NOT NULL,
    peak_s REAL NOT NULL,
    end_s REAL NOT NULL,
    complete INTEGER NOT NULL,
    peak_value REAL,
    rest_value REAL,
    up_s REAL,
    top_s REAL,
    down_s REAL,
    side TEXT,
    faults TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reps_set ON reps (set_id);

CREATE TABLE holds (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets (id) ON DELETE CASCADE,
    hold_no INTEGER NOT NULL,
    start_s REAL NOT NULL,
    end_s REAL NOT NULL,
    duration_s REAL NOT NULL,
    paused_s REAL NOT NULL,
    side TEXT,
    faults TEXT NOT NULL DEFAULT ''
);
CREATE INDEX holds_set ON holds (set_id);

CREATE TABLE faults (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets (id) ON DELETE CASCADE,
    t_s REAL NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX faults_set ON faults (set_id);
"""

MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)
