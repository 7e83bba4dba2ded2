"""What the results table costs a batch: hashing the videos, planning, recording each file.

    python benchmarks/bench_archive.py [--files 1000] [--hash-mb 512] [--dir PATH] [--json PATH]

(a) sha256 of a video-sized file, streamed (``archive.keys.content_sha256``):
    MB/s, the file just written (in the page cache: the hashing's CPU cost; a
    cold read is bounded by the disk instead);
(b) ``ResultsStore.plan`` over ``--files`` small files (4 KiB each): a fresh
    table (no video is read: new ones are hashed as they finish), and after
    all are recorded (hashes cached: size and mtime unchanged, no read);
(c) ``ResultsStore.record`` of a finished file with a 10-rep report, one
    transaction each with ``synchronous = FULL``, including the hashing of the
    (4 KiB) file after its analysis: what the batch's process pays per file,
    median, p95 and max ms;
(d) a whole batch of instant analyses (``run_batch`` in one process) without
    a table, with a fresh one, and run again (all skipped): ms per file.

Default folder: a temporary folder next to this repository (the disk reports
would be written to, not a RAM disk).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from formcheck.archive.keys import content_sha256
from formcheck.archive.run import OnDone, run_archived
from formcheck.archive.store import ResultsStore
from formcheck.batch import Job, Outcome, run_batch

ROOT = Path(__file__).resolve().parents[1]


def report(reps: int = 10) -> dict[str, object]:
    events = [
        {"start_s": 2.0 * i, "peak_s": 2.0 * i + 0.8, "end_s": 2.0 * i + 1.6, "complete": True, "peak_value": 20.0,
         "side": "left", "faults": ["hips_sag"]}
        for i in range(reps)
    ]  # fmt: skip
    return {
        "formcheck_version": "bench", "exercise": "bridge", "side": "left", "frames": 600, "duration_s": 20.0,
        "pose_detected_ratio": 1.0, "reps": reps, "partial_reps": 0, "rep_events": events, "holds": [],
        "faults": [], "complete": True,
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--hash-mb", type=int, default=512)
    ap.add_argument("--dir", type=Path, default=ROOT.parent)
    ap.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "bench_archive.json")
    args = ap.parse_args()
    out: dict[str, object] = {"machine": platform.platform(), "load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-archive-") as tmp:
        folder = Path(tmp)
        big = folder / "big.mp4"
        block = os.urandom(1 << 20)
        with big.open("wb") as fh:
            for _ in range(args.hash_mb):
                fh.write(block)
        rates = []
        for _ in range(3):
            t0 = time.perf_counter()
            content_sha256(big)
            rates.append(args.hash_mb / (time.perf_counter() - t0))
        big.unlink()
        out["hash_MB_per_s"] = {"median": statistics.median(rates), "runs": rates}
        out["hash_s_per_GB"] = 1024 / statistics.median(rates)

        videos = folder / "v"
        videos.mkdir()
        jobs = []
        for i in range(args.files):
            path = videos / f"{i:05d}.mp4"
            path.write_bytes(os.urandom(4096))
            jobs.append(Job(path, "bridge", None, "auto", None, None, None, None))
        with ResultsStore.open(folder / "results.sqlite") as store:
            t0 = time.perf_counter()
            plan = store.plan(jobs)
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            store.plan(jobs)
            again = time.perf_counter() - t0
            out["plan_ms_per_file"] = {"fresh_table": 1000 * first / args.files, "again": 1000 * again / args.files}
            times = []
            rep = report()
            for job in jobs:
                outcome = Outcome(str(job.video), "done", "", 1.0, rep, "bench:1")
                t0 = time.perf_counter()
                store.record(plan.entries[str(job.video)], outcome)
                times.append(1000 * (time.perf_counter() - t0))
            times.sort()
            out["record_ms"] = {
                "median": statistics.median(times),
                "p95": times[int(0.95 * (len(times) - 1))],
                "max": times[-1],
            }
            t0 = time.perf_counter()
            plan = store.plan(jobs)
            out["plan_ms_per_file_all_done"] = 1000 * (time.perf_counter() - t0) / args.files
            assert len(plan.skipped) == args.files
        out["table_bytes_per_file"] = (folder / "results.sqlite").stat().st_size / args.files

        # (d) a whole batch of instant "analyses" (run_batch in one process) with and without
        # a fresh table: what the table adds per file, end to end.
        rep = report()

        def instant(job: Job) -> Outcome:
            return Outcome(str(job.video), "done", "", 0.0, rep, "bench:1")

        def execute(j: list[Job], n: int, cb: OnDone | None) -> tuple[list[Outcome], bool]:
            return run_batch(j, n, cb, work=instant)

        t0 = time.perf_counter()
        run_batch(jobs, 1, None, work=instant)
        bare = time.perf_counter() - t0
        t0 = time.perf_counter()
        with ResultsStore.open(folder / "fresh.sqlite") as store:
            run_archived(jobs, 1, store, execute=execute)
        archived = time.perf_counter() - t0
        t0 = time.perf_counter()
        with ResultsStore.open(folder / "fresh.sqlite") as store:
            assert run_archived(jobs, 1, store, execute=execute).skipped == args.files
        rerun = time.perf_counter() - t0
        out["batch_ms_per_file"] = {
            "run_batch": 1000 * bare / args.files,
            "with_table": 1000 * archived / args.files,
            "rerun_all_skipped": 1000 * rerun / args.files,
        }
    out["load_after"] = os.getloadavg()[0]
    print(json.dumps(out, indent=2))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
