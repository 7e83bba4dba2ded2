"""How live the live mode is: end-to-end latency and the frame rate actually shown.

Latency is measured from when a frame was captured (a file's frame: when it
was due) to when the window had it on screen, so decoding, pose, analysis,
drawing and display are all inside it. The first frames are left out of the
session figures: the model's first inferences include its start-up.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

WARMUP_FRAMES = 10
ROLLING = 30  # frames in the on-screen readout (about a second)
MAX_SAMPLES = 100_000  # hours at 30 fps; older samples are dropped beyond that


@dataclass(frozen=True)
class StatsSummary:
    frames_shown: int
    latency_p50_ms: float
    latency_p95_ms: float
    fps: float  # frames shown per second, over the measured part of the session

    def describe(self) -> str:
        if not math.isfinite(self.latency_p50_ms):
            return f"{self.frames_shown} frames shown (too few to measure latency)"
        return f"latency p50 {self.latency_p50_ms:.0f} ms, p95 {self.latency_p95_ms:.0f} ms; {self.fps:.1f} fps shown"


class LiveStats:
    def __init__(self, warmup: int = WARMUP_FRAMES) -> None:
        self.warmup = warmup
        self.frames = 0
        self._latency: deque[float] = deque(maxlen=MAX_SAMPLES)
        self._first_t = math.nan
        self._last_t = math.nan
        self._measured = 0
        self._recent_t: deque[float] = deque(maxlen=ROLLING)
        self._recent_latency: deque[float] = deque(maxlen=ROLLING)

    def add(self, captured_at: float, shown_at: float) -> None:
        """One frame on screen; both times in the same clock's seconds."""
        self.frames += 1
        latency = (shown_at - captured_at) * 1000.0
        self._recent_t.append(shown_at)
        self._recent_latency.append(latency)
        if self.frames <= self.warmup:
            return
        if not math.isfinite(self._first_t):
            self._first_t = shown_at
        self._last_t = shown_at
        self._measured += 1
        self._latency.append(latency)

    @property
    def rolling_fps(self) -> float:
        if len(self._recent_t) < 2:
            return math.nan
        span = self._recent_t[-1] - self._recent_t[0]
        return (len(self._recent_t) - 1) / span if span > 0 else math.nan

    @property
    def rolling_latency_ms(self) -> float:
        return float(np.median(self._recent_latency)) if self._recent_latency else math.nan

    def summary(self) -> StatsSummary:
        if not self._latency:
            return StatsSummary(self.frames, math.nan, math.nan, math.nan)
        lat = np.asarray(self._latency)
        span = self._last_t - self._first_t
        fps = (self._measured - 1) / span if span > 0 else math.nan
        return StatsSummary(
            frames_shown=self.frames,
            latency_p50_ms=float(np.percentile(lat, 50)),
            latency_p95_ms=float(np.percentile(lat, 95)),
            fps=fps,
        )
