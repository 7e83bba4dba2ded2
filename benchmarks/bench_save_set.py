"""What saving a finished set costs, and what the live frame loop pays for it.

A guided session commits every set the moment it ends (``synchronous = FULL``:
it survives a power cut), so the commit waits for the disk. The frame loop
does not: it hands the set to ``SetWriter`` (a queue put) and goes on. This
times both on a fresh database in the chosen folder (default: a temporary
folder next to this repository, i.e. on the same disk as the user's data
would usually be, not a RAM disk):

    (a) save_finished_set, called directly (what the loop would pay inline)
    (b) SetWriter.put (what the loop pays), while the writer thread commits

A set is 10 bridge reps (tempo, faults) and 3 feedback events, or one hold.
Issue 14's bar: saving never stalls the video; the write is off the frame loop,
or it costs under 5 ms.

    python benchmarks/bench_save_set.py [--sets 200] [--dir PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from formcheck.analysis.results import FaultEvent  # noqa: E402
from formcheck.counting import HoldEvent, RepEvent  # noqa: E402
from formcheck.exercises import get_exercise  # noqa: E402
from formcheck.history.live import save_finished_set  # noqa: E402
from formcheck.history.records import ExerciseRecord, SessionEnd, SessionInfo  # noqa: E402
from formcheck.history.store import HistoryStore, now  # noqa: E402
from formcheck.live.setwriter import FinishedSet, SetWriter  # noqa: E402


def _reps(n: int) -> tuple[RepEvent, ...]:
    return tuple(
        RepEvent(start_s=4.0 * i, peak_s=4.0 * i + 1.2, end_s=4.0 * i + 3.7, complete=True, peak_value=176.5,
                 rest_value=120.0, up_s=1.2, top_s=0.5, down_s=2.0, side=None,
                 faults=("hips_sag",) if i % 3 == 0 else ())
        for i in range(n)
    )  # fmt: skip


FAULTS = tuple(FaultEvent(t_s=3.0 * i, code="hips_sag", message="Hips sag: lift them level") for i in range(3))
HOLD = (HoldEvent(start_s=1.0, end_s=32.0, duration_s=30.0, side="right", faults=("back_arch",)),)


def _pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def _stats(ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(_pct(ms, 0.95), 3),
        "max_ms": round(max(ms), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", type=int, default=200)
    ap.add_argument("--dir", type=Path, default=None, help="folder for the test database (default: beside the repo)")
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "bench_save_set.json")
    args = ap.parse_args()
    base = args.dir or ROOT
    spec = get_exercise("bridge")
    reps = _reps(10)
    results: dict[str, object] = {
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        "sets": args.sets,
        "load_before": os.getloadavg()[0],
    }
    with tempfile.TemporaryDirectory(dir=base, prefix=".bench_save_set-") as tmp:
        db = Path(tmp) / "h.sqlite3"
        info = SessionInfo(kind="live", started_at=now(), program_name="bench")
        with HistoryStore.open(db) as store, store.begin_session(info) as rec:
            row = rec.add_exercise(ExerciseRecord.from_spec(spec, None, sets=args.sets, reps=10))
            direct = []
            for n in range(1, args.sets + 1):
                t0 = time.perf_counter()
                save_finished_set(rec, row, n, started_at=now(), reps=reps, faults=FAULTS)
                direct.append((time.perf_counter() - t0) * 1000.0)
            row2 = rec.add_exercise(ExerciseRecord.from_spec(spec, None, sets=args.sets, reps=10))
            writer = SetWriter(rec)
            put = []
            t_all = time.perf_counter()
            for n in range(1, args.sets + 1):
                item = FinishedSet(row2, n, now(), now(), reps, (), FAULTS)
                t0 = time.perf_counter()
                writer.put(item)
                put.append((time.perf_counter() - t0) * 1000.0)
                time.sleep(0.002)  # the frame loop's own work between sets (frames are ~33 ms apart)
            writer.close()
            drained_s = time.perf_counter() - t_all
            assert len(writer.saved) == args.sets and not writer.errors, writer.errors
            rec.finish(SessionEnd("completed"))
    results["save_finished_set_inline"] = _stats(direct)
    results["setwriter_put_on_frame_loop"] = _stats(put)
    results["writer_drained_s"] = round(drained_s, 2)
    results["load_after"] = os.getloadavg()[0]
    print(f"{'what (per set of 10 reps, 3 faults)':44} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for key, label in (
        ("save_finished_set_inline", "(a) save_finished_set, inline commit"),
        ("setwriter_put_on_frame_loop", "(b) SetWriter.put, on the frame loop"),
    ):
        st = results[key]
        assert isinstance(st, dict)
        print(f"{label:44} {st['median_ms']:>10.3f} {st['p95_ms']:>8.3f} {st['max_ms']:>8.3f}")
    print(f"load average {results['load_before']:.1f} -> {results['load_after']:.1f}; {args.sets} sets each")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
