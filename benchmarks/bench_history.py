"""History and progress report at a year of daily sessions.

Generates a year of the bundled lumbar radiculopathy program done daily (about
1 day in 8 missed; 10 exercises, 24 sets a session) into a fresh database, then
times the commands a user runs, each in a fresh process, wall clock including
Python start-up and imports:

    formcheck history                (the session list)
    formcheck history show ID
    formcheck history export --format csv
    formcheck report --program FILE --out report.html

Targets (issue 14): history under 1 s, report under 10 s on 2 cores.

    python benchmarks/bench_history.py [--days 365] [--repeats 5] [--db PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from synthetic_history import fill  # noqa: E402

from formcheck.history.store import HistoryStore  # noqa: E402
from formcheck.program import default_program_path  # noqa: E402
from formcheck.program.load import parse_program  # noqa: E402


def _generate(db: Path, program_file: Path, days: int) -> dict[str, int]:
    data = tomllib.loads(default_program_path().read_text())
    data["start"] = dt.date.today() - dt.timedelta(days=days)
    text = default_program_path().read_text().replace("start = 2026-12-01", f"start = {data['start']}")
    program_file.write_text(text)
    program = parse_program(data, str(program_file))
    t0 = time.perf_counter()
    with HistoryStore.open(db) as store:
        # Generation only: the product commits each set with synchronous=FULL; a year of
        # fsyncs would time the disk, not formcheck.
        store.conn.execute("PRAGMA synchronous = OFF")
        fill(store, program, days)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = {t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
                  ("sessions", "exercises", "sets", "reps", "holds", "faults")}  # fmt: skip
    counts["generate_s"] = round(time.perf_counter() - t0, 1)
    counts["db_bytes"] = db.stat().st_size
    return counts


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds (user + system) of the child: what the command itself costs,
    apart from waiting for a core on a loaded machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "results" / "bench_history.json"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="formcheck-bench-history-"))
    db, program_file, out = work / "history.sqlite3", work / "program.toml", work / "report.html"
    counts = _generate(db, program_file, args.days)
    print(f"generated {counts['sessions']} sessions, {counts['sets']} sets, {counts['reps']} reps, "
          f"{counts['holds']} holds in {counts['generate_s']} s ({counts['db_bytes'] / 1e6:.1f} MB)")  # fmt: skip
    fc = [sys.executable, "-m", "formcheck"]
    env = {**os.environ, "FORMCHECK_DB": str(db)}
    commands = {
        "history": [*fc, "history"],
        "history show": [*fc, "history", "show", "100"],
        "history export csv": [*fc, "history", "export", "--format", "csv", "--out", str(work / "all.csv")],
        "report": [*fc, "report", "--program", str(program_file), "--out", str(out)],
    }
    _time([*fc, "--version"], env)  # warm the file cache once
    commands["(formcheck --version)"] = [*fc, "--version"]  # Python start-up and the CLI's imports alone
    wall: dict[str, list[float]] = {k: [] for k in commands}
    cpu: dict[str, list[float]] = {k: [] for k in commands}
    loads = []
    for r in range(args.repeats):
        order = list(commands)
        order = order[r % len(order) :] + order[: r % len(order)]  # rotate: load bursts hit all alike
        for name in order:
            loads.append(os.getloadavg()[0])
            w, c = _time(commands[name], env)
            wall[name].append(w)
            cpu[name].append(c)
    print(f"\n{'command':22s} {'wall median':>11s} {'(min-max)':>13s} {'CPU median':>11s} {'(min-max)':>13s}")
    for name in commands:
        ws, cs = wall[name], cpu[name]
        print(f"{name:22s} {statistics.median(ws):10.2f}s {min(ws):5.2f}-{max(ws):5.2f}s "
              f"{statistics.median(cs):10.2f}s {min(cs):5.2f}-{max(cs):5.2f}s")  # fmt: skip
    print(f"\nreport: {out.stat().st_size / 1e6:.2f} MB; 1-min load average during the runs: "
          f"{min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} cores")  # fmt: skip
    result = {
        "days": args.days, "repeats": args.repeats, "counts": counts, "cpu_count": os.cpu_count(),
        "python": platform.python_version(), "load_avg_range": [min(loads), max(loads)],
        "wall_s": {k: {"median": statistics.median(v), "min": min(v), "max": max(v), "all": v}
                   for k, v in wall.items()},
        "cpu_s": {k: {"median": statistics.median(v), "min": min(v), "max": max(v), "all": v}
                  for k, v in cpu.items()},
        "report_bytes": out.stat().st_size,
    }  # fmt: skip
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {args.json}; work files in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
