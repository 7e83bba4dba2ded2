"""The local session history (SQLite): what was done, set by set, and reading it back."""

from formcheck.history.records import ExerciseRecord, SessionEnd, SessionInfo, SetRecord
from formcheck.history.store import HistoryError, HistoryStore, SetNotSavedError, resolve_db_path

__all__ = [
    "ExerciseRecord",
    "HistoryError",
    "HistoryStore",
    "SessionEnd",
    "SessionInfo",
    "SetNotSavedError",
    "SetRecord",
    "resolve_db_path",
]
