"""``analyze --log``: a per-video report becomes sets of the dose's size in the history."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from formcheck.exercises import get_exercise
from formcheck.history.from_report import log_report, split_sets
from formcheck.history.queries import list_sessions, session_detail
from formcheck.history.store import HistoryStore


def _report(source: Path, reps: int = 0, partial_at: tuple[int, ...] = (), holds: int = 0) -> dict[str, Any]:
    events = []
    for i in range(reps):
        t = 5.0 * i
        events.append({
            "start_s": t, "peak_s": t + 1.5, "end_s": t + 4.0, "complete": i not in partial_at,
            "peak_value": 150.0 + i, "rest_value": 120.0, "tempo": {"up_s": 1.5, "top_s": 0.5, "down_s": 2.0},
            "side": "left", "faults": ["fast_down"] if i % 4 == 0 else [],
        })  # fmt: skip
    hold_events = [
        {"start_s": 40.0 * i, "end_s": 40.0 * i + 34.0, "duration_s": 30.0, "side": "left"} for i in range(holds)
    ]
    faults = [{"t_s": e["end_s"], "code": "fast_down", "message": "Lower slowly"} for e in events if e["faults"]]
    end = max([e["end_s"] for e in events] + [h["end_s"] for h in hold_events] + [1.0])
    return {
        "source": str(source), "exercise": "bridge", "side": "left", "duration_s": end, "rep_events": events,
        "holds": hold_events, "faults": faults, "complete": True, "reps": reps - len(partial_at),
    }  # fmt: skip


def test_reps_are_grouped_into_sets_of_the_dose(tmp_path: Path):
    report = _report(tmp_path / "v.mp4", reps=26, partial_at=(3,))
    sets = split_sets(report, get_exercise("bridge"))  # 3 x 10
    assert [s.rep_count for s in sets] == [10, 10, 5]
    assert [s.partial_reps for s in sets] == [1, 0, 0]
    assert [s.complete for s in sets] == [True, True, False]
    assert sum(len(s.faults) for s in sets) == len(report["faults"])
    for s in sets:  # each feedback event lands in the set it happened in
        assert all(s.reps[0].start_s <= f.t_s <= s.reps[-1].end_s for f in s.faults)


def test_holds_are_grouped_per_side(tmp_path: Path):
    sets = split_sets(_report(tmp_path / "v.mp4", holds=5), get_exercise("calf_stretch"))  # per side: 2 holds a set
    assert [len(s.holds) for s in sets] == [2, 2, 1]


def test_log_report_records_a_video_session(tmp_path: Path):
    video = tmp_path / "bridge.mp4"
    video.write_bytes(b"x")
    os.utime(video, (1_790_000_000, 1_790_000_000))
    with HistoryStore.open(tmp_path / "h.db") as store:
        sid = log_report(store, _report(video, reps=12), get_exercise("bridge"), pain_before=3, pain_after=2)
        [s] = list_sessions(store)
        d = session_detail(store, sid)
    assert (s.kind, s.sets, s.reps, s.pain_before, s.pain_after, s.end_reason) == ("video", 2, 12, 3, 2, "recording")
    assert d is not None and d["source"] == str(video.resolve())
    assert d["ended_at"].startswith(
        __import__("datetime").datetime.fromtimestamp(1_790_000_000).astimezone().isoformat()[:16]
    )
    assert d["exercises"][0]["sets"][0]["rep_events"][0]["peak_value"] == 150.0


def test_the_real_report_contract_is_accepted(tmp_path: Path):
    """The golden per-video report of the test suite (build_report output) logs without loss."""
    report = json.loads((Path(__file__).parents[1] / "golden" / "bridge_synthetic_report.json").read_text())
    spec = get_exercise(report["exercise"])
    sets = split_sets(report, spec)
    assert sum(len(s.reps) for s in sets) == len(report["rep_events"])
    assert sum(len(s.holds) for s in sets) == len(report["holds"])
