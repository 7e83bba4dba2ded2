"""Per-stage timing of the pipeline, for benchmarks; off unless a timer is passed in.

A ``StageTimer`` records, for every frame and stage, the wall time and the CPU
time of the thread that did the work. On a shared machine wall time includes
waiting for a core; thread CPU time is what the stage itself costs, so the two
together tell "slow" from "starved". Stages run on different threads (decode
ahead, encode behind), each appending to its own array, so no lock is needed.
"""

from __future__ import annotations

import math
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

STAGES = ("decode", "pose", "analysis", "overlay", "encode")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (NaN when empty)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


class StageTimer:
    """Wall and thread-CPU seconds per frame for each named stage."""

    def __init__(self, stages: Iterable[str] = STAGES) -> None:
        self.wall: dict[str, array[float]] = {s: array("d") for s in stages}
        self.cpu: dict[str, array[float]] = {s: array("d") for s in self.wall}

    def record(self, stage: str, wall_s: float, cpu_s: float) -> None:
        self.wall[stage].append(wall_s)
        self.cpu[stage].append(cpu_s)

    def call(self, stage: str, fn: Callable[[T], R], arg: T) -> R:
        """``fn(arg)``, timed as one frame of ``stage``."""
        w0, c0 = time.perf_counter(), time.thread_time()
        out = fn(arg)
        self.record(stage, time.perf_counter() - w0, time.thread_time() - c0)
        return out

    def iterate(self, stage: str, items: Iterable[T]) -> Iterator[T]:
        """``items``, each ``next`` timed as one frame of ``stage`` (on whichever thread pulls)."""
        it = iter(items)
        while True:
            w0, c0 = time.perf_counter(), time.thread_time()
            try:
                item = next(it)
            except StopIteration:
                return
            self.record(stage, time.perf_counter() - w0, time.thread_time() - c0)
            yield item

    def summary(self) -> dict[str, dict[str, float]]:
        """Per stage: frames, and median / p95 / mean of wall and CPU time in milliseconds."""
        out: dict[str, dict[str, float]] = {}
        for stage, wall in self.wall.items():
            if not wall:
                continue
            row: dict[str, float] = {"frames": float(len(wall))}
            for kind, values in (("wall", wall), ("cpu", self.cpu[stage])):
                ms = sorted(1000.0 * v for v in values)
                row[f"{kind}_median_ms"] = percentile(ms, 50)
                row[f"{kind}_p95_ms"] = percentile(ms, 95)
                row[f"{kind}_mean_ms"] = sum(ms) / len(ms)
            out[stage] = row
        return out
