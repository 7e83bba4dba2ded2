"""Finding today's unfinished run of a program, so a guided session can offer to resume it."""

from __future__ import annotations

from dataclasses import dataclass

from formcheck.history.store import HistoryStore

# How a session can end and still be worth resuming: not completed, and not stopped
# by the safety questions (those say not to go on today).
RESUMABLE = ("in_progress", "interrupted", "stopped")


@dataclass(frozen=True)
class Resumable:
    session_id: int
    started_at: str
    exercise_rows: tuple[int, ...]  # by program position (1-based position - 1)
    complete_sets: tuple[int, ...]  # sets that reached their dose, per exercise

    def first_unfinished(self, prescribed_sets: tuple[int, ...]) -> tuple[int, int] | None:
        """(exercise index, set number) to start from, or None if everything was done."""
        for i, (done, sets) in enumerate(zip(self.complete_sets, prescribed_sets, strict=False)):
            if done < sets:
                return i, done + 1
        return None


def find_resumable(store: HistoryStore, program_path: str, day: str, n_exercises: int) -> Resumable | None:
    """The latest unfinished live session of this program on ``day`` with the program's exercises."""
    marks = ", ".join("?" * len(RESUMABLE))
    row = store.conn.execute(
        f"SELECT id, started_at FROM sessions WHERE kind = 'live' AND program_path = ? AND day = ?"
        f" AND end_reason IN ({marks}) ORDER BY started_at DESC, id DESC LIMIT 1",
        (program_path, day, *RESUMABLE),
    ).fetchone()
    if row is None:
        return None
    exercises = store.conn.execute(
        "SELECT e.id, (SELECT count(*) FROM sets s WHERE s.exercise_row = e.id AND s.complete = 1)"
        " FROM exercises e WHERE e.session_id = ? ORDER BY e.position",
        (row[0],),
    ).fetchall()
    if len(exercises) != n_exercises:
        return None  # the program file changed since: start afresh
    return Resumable(int(row[0]), str(row[1]), tuple(int(e[0]) for e in exercises), tuple(int(e[1]) for e in exercises))
