"""``formcheck analyze --log``: a recording's report into the same history as live sessions.

The per-video JSON report (``formcheck.report.build_report``) is the input, so a
therapist reviewing uploaded videos sees them beside the live sessions. A
recording has no set boundaries of its own: reps (or holds) are grouped into
sets by the prescribed dose, the same arithmetic the live session's set
counter uses (``formcheck.live.sets.units_per_set``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from formcheck.exercises.spec import ExerciseSpec
from formcheck.history.records import (
    EndReason,
    ExerciseRecord,
    FaultRecord,
    HoldRecord,
    RepRecord,
    SessionEnd,
    SessionInfo,
    SetRecord,
    SideIs,
)
from formcheck.history.store import HistoryStore
from formcheck.live.sets import units_per_set


@dataclass(frozen=True)
class _Span:
    reps: list[RepRecord]
    holds: list[HoldRecord]

    def start(self) -> float:
        return min([r.start_s for r in self.reps] + [h.start_s for h in self.holds], default=0.0)

    def end(self) -> float:
        return max([r.end_s for r in self.reps] + [h.end_s for h in self.holds], default=0.0)


def _add(span: _Span, item: RepRecord | HoldRecord) -> None:
    if isinstance(item, HoldRecord):
        span.holds.append(item)
    else:
        span.reps.append(item)


def recording_start(video: Path, duration_s: float) -> datetime:
    """When the recording began: the file's modification time (its end) less its duration."""
    try:
        end = datetime.fromtimestamp(os.stat(video).st_mtime).astimezone()
    except OSError:
        end = datetime.now().astimezone()
    return end - timedelta(seconds=duration_s)


def split_sets(report: Mapping[str, Any], spec: ExerciseSpec, per_set: int | None = None) -> list[SetRecord]:
    """The report's reps, holds and feedback as sets of the dose's size (the last may be short)."""
    reps = [RepRecord.from_report(e) for e in report.get("rep_events", [])]
    holds = [HoldRecord.from_report(h) for h in report.get("holds", [])]
    faults = [FaultRecord(float(f["t_s"]), str(f["code"]), str(f["message"])) for f in report.get("faults", [])]
    size, _unit = units_per_set(spec)
    size = per_set or size
    by_holds = spec.kind == "hold"
    spans: list[_Span] = []
    current = _Span([], [])
    counted = 0
    # Walk the counted units in time order; the other kind of event joins the set it falls in.
    units: Sequence[RepRecord | HoldRecord] = holds if by_holds else reps
    others: Sequence[RepRecord | HoldRecord] = reps if by_holds else holds
    for u in sorted(units, key=lambda x: x.start_s):
        _add(current, u)
        if isinstance(u, HoldRecord) or u.complete:
            counted += 1
        if size > 0 and counted >= size:
            spans.append(current)
            current, counted = _Span([], []), 0
    if current.reps or current.holds or not spans:
        spans.append(current)
    for o in others:
        target = next((s for s in spans if o.start_s <= s.end()), spans[-1])
        _add(target, o)
    start = recording_start(Path(str(report["source"])), float(report.get("duration_s", 0.0)))
    sets = []
    for i, span in enumerate(spans):
        lo, hi = span.start(), span.end()
        last = i == len(spans) - 1
        in_set = [f for f in faults if (i == 0 or f.t_s >= lo) and (last or f.t_s < spans[i + 1].start())]
        done = sum(1 for h in span.holds) if by_holds else sum(1 for r in span.reps if r.complete)
        sets.append(
            SetRecord(
                set_no=i + 1,
                started_at=start + timedelta(seconds=lo),
                ended_at=start + timedelta(seconds=hi),
                reps=tuple(sorted(span.reps, key=lambda r: r.start_s)),
                holds=tuple(sorted(span.holds, key=lambda h: h.start_s)),
                faults=tuple(in_set),
                complete=size > 0 and done >= size,
            )
        )
    return sets


def log_report(
    store: HistoryStore,
    report: Mapping[str, Any],
    spec: ExerciseSpec,
    *,
    side_is: SideIs | None = None,
    pain_before: int | None = None,
    pain_after: int | None = None,
    program_name: str | None = None,
    program_path: str | None = None,
    patient: str | None = None,
) -> int:
    """Record one analysed video as a session; returns its id."""
    source = Path(str(report["source"]))
    start = recording_start(source, float(report.get("duration_s", 0.0)))
    sets = split_sets(report, spec)
    info = SessionInfo(
        kind="video",
        started_at=start,
        program_name=program_name,
        program_path=program_path,
        patient=patient,
        source=str(source.resolve()),
        pain_before=pain_before,
    )
    with store.begin_session(info) as rec:
        row = rec.add_exercise(ExerciseRecord.from_spec(spec, report.get("side"), side_is))
        for s in sets:
            rec.save_set(row, s)
        reason: EndReason = "recording" if report.get("complete", True) else "interrupted"
        rec.finish(SessionEnd(reason, pain_after=pain_after, ended_at=start + timedelta(seconds=report["duration_s"])))
    return rec.session_id
