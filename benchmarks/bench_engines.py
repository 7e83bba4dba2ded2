"""Dask distributed against Ray, engine alone: start a local cluster of 2 worker processes, run 200
no-op tasks, then 20 tasks that each sleep 50 ms (the wall time the engine adds around real work).

    python benchmarks/bench_engines.py dask|ray

Run it in an environment with that engine installed (Ray is not a formcheck
dependency: ``python3.11 -m venv /tmp/rayvenv && /tmp/rayvenv/bin/pip install ray``).
Prints one JSON line: import, start-up, shutdown and per-task times; docs/cluster.md quotes them.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

N_NOOP, N_SLEEP, SLEEP_S = 200, 20, 0.05


def noop(i: int) -> int:
    return i


def nap(i: int) -> int:
    time.sleep(SLEEP_S)
    return i


def bench_dask() -> dict[str, Any]:
    t0 = time.perf_counter()
    import logging

    from distributed import Client, LocalCluster

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    )
    client = Client(cluster)
    client.submit(noop, -1).result()  # first task: the workers are up
    t_start = time.perf_counter() - t0
    t0 = time.perf_counter()
    client.gather(client.map(noop, range(N_NOOP)))
    t_noop = time.perf_counter() - t0
    t0 = time.perf_counter()
    client.gather(client.map(nap, range(N_SLEEP)))
    t_sleep = time.perf_counter() - t0
    t0 = time.perf_counter()
    client.close()
    cluster.close()
    return summary("dask", t_import, t_start, t_noop, t_sleep, time.perf_counter() - t0)


def bench_ray() -> dict[str, Any]:
    t0 = time.perf_counter()
    import ray

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    r_noop, r_nap = ray.remote(noop), ray.remote(nap)
    ray.get(r_noop.remote(-1))
    t_start = time.perf_counter() - t0
    t0 = time.perf_counter()
    ray.get([r_noop.remote(i) for i in range(N_NOOP)])
    t_noop = time.perf_counter() - t0
    t0 = time.perf_counter()
    ray.get([r_nap.remote(i) for i in range(N_SLEEP)])
    t_sleep = time.perf_counter() - t0
    t0 = time.perf_counter()
    ray.shutdown()
    return summary("ray", t_import, t_start, t_noop, t_sleep, time.perf_counter() - t0)


def summary(
    engine: str, t_import: float, t_start: float, t_noop: float, t_sleep: float, t_stop: float
) -> dict[str, Any]:
    ideal = N_SLEEP * SLEEP_S / 2
    return {
        "engine": engine,
        "import_s": round(t_import, 3),
        "start_s": round(t_start, 3),
        "noop_ms_per_task": round(1e3 * t_noop / N_NOOP, 3),
        "sleep_overhead_ms_per_task": round(1e3 * (t_sleep - ideal) / N_SLEEP, 2),
        "shutdown_s": round(t_stop, 3),
    }


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "dask"
    print(json.dumps(bench_dask() if which == "dask" else bench_ray()))
