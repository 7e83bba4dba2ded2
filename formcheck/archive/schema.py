"""The results table's schema, as numbered migrations (as the history's: ``PRAGMA user_version``).

A new schema change is a new entry at the end of ``MIGRATIONS``, never an edit
of an old one: tables in the field already ran those.
"""

from __future__ import annotations

# One row per result key: a video's bytes analysed by one formcheck version with
# one set of settings. ``status`` is the last attempt's: done (report complete),
# incomplete (a report, but the analysis stopped early: see ``reason``), failed
# (no report; ``reason`` says why). ``attempts``: the analyses it took to reach this status
# (the failed ones before it, in a row, and this one).
# Times are ISO 8601 UTC; seconds inside a video (start_s, ...) are from its start.
_V1 = """
CREATE TABLE files (
    key TEXT PRIMARY KEY,
    video_sha256 TEXT NOT NULL,
    formcheck_version TEXT NOT NULL,
    settings TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'incomplete', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    exercise TEXT,
    side TEXT,
    frames INTEGER,
    duration_s REAL,
    pose_detected_ratio REAL,
    reps INTEGER,
    partial_reps INTEGER,
    holds INTEGER,
    faults INTEGER,
    report TEXT,
    analysis_s REAL NOT NULL,
    finished_at TEXT NOT NULL,
    worker TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL CHECK (attempts >= 1)
);
CREATE INDEX files_status ON files (status);

CREATE TABLE reps (
    file_key TEXT NOT NULL REFERENCES files (key) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('rep', 'hold')),
    idx INTEGER NOT NULL,
    start_s REAL NOT NULL,
    peak_s REAL,
    end_s REAL NOT NULL,
    complete INTEGER NOT NULL,
    side TEXT,
    peak_value REAL,
    duration_s REAL,
    faults TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (file_key, kind, idx)
);

CREATE TABLE hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""

MIGRATIONS: tuple[str, ...] = (_V1,)
SCHEMA_VERSION = len(MIGRATIONS)
