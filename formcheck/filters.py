"""Landmark smoothing with explicit state.

MediaPipe's Tasks API dropped the old solution's ``smooth_landmarks`` and raw
landmarks jitter by a few pixels a frame. A One-Euro filter (Casiez et al.,
CHI 2012) is the usual answer: a low-pass whose cut-off rises with speed, so a
still pose is steady and a moving limb is followed with little lag. Time comes
from frame timestamps, so a dropped frame is handled as a longer step.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def _alpha(cutoff_hz: FloatArray | float, dt_s: FloatArray | float) -> FloatArray:
    """Smoothing factor of a first-order low-pass with this cut-off over steps dt."""
    tau = 1.0 / (2.0 * math.pi * np.asarray(cutoff_hz, dtype=np.float64))
    return 1.0 / (1.0 + tau / dt_s)


class OneEuroFilter:
    """Element-wise One-Euro filter over arrays of any fixed shape.

    NaN elements (a landmark the model lost) pass through as NaN and leave that
    element's state untouched; after ``reset_after_s`` without a value an element
    restarts from its next measurement instead of gliding in from a stale place.
    """

    def __init__(
        self,
        min_cutoff_hz: float = 1.5,
        beta: float = 0.05,
        d_cutoff_hz: float = 1.0,
        reset_after_s: float = 0.5,
    ) -> None:
        if min_cutoff_hz <= 0 or d_cutoff_hz <= 0 or beta < 0:
            raise ValueError("cut-offs must be positive and beta non-negative")
        self.min_cutoff_hz = min_cutoff_hz
        self.beta = beta
        self.d_cutoff_hz = d_cutoff_hz
        self.reset_after_s = reset_after_s
        self.reset()

    def reset(self) -> None:
        self._x: FloatArray | None = None
        self._dx: FloatArray | None = None
        self._t_last: FloatArray | None = None  # per element: time of its last value, s
        # Set while every element was last seen at this one time (the usual
        # case): the next frame can then skip the per-element bookkeeping.
        self._t_all: float | None = None

    def __call__(self, value: NDArray[np.floating], t_s: float) -> FloatArray:
        x = np.asarray(value, dtype=np.float64)
        if self._t_all is not None and self._x is not None and self._x.shape == x.shape:
            dt = t_s - self._t_all
            if 0.0 < dt <= self.reset_after_s and np.isfinite(x).all():
                return self._step_all(x, t_s, dt)
        if self._x is None or self._x.shape != x.shape:
            self._x = np.full(x.shape, np.nan)
            self._dx = np.zeros(x.shape)
            self._t_last = np.full(x.shape, -np.inf)
        elif self._t_all is not None:
            self._t_last = np.full(x.shape, self._t_all)
        self._t_all = None
        assert self._dx is not None and self._t_last is not None
        have = np.isfinite(x)
        dt_each = t_s - self._t_last
        fresh = have & (~np.isfinite(self._x) | (dt_each > self.reset_after_s) | (dt_each <= 0))
        step = have & ~fresh
        out = np.where(have, x, np.nan)
        if step.any():
            dts = dt_each[step]
            prev = self._x[step]
            dx = (x[step] - prev) / dts
            a_d = _alpha(self.d_cutoff_hz, dts)
            dx_hat = a_d * dx + (1.0 - a_d) * self._dx[step]
            cutoff = self.min_cutoff_hz + self.beta * np.abs(dx_hat)
            a = _alpha(cutoff, dts)
            out[step] = a * x[step] + (1.0 - a) * prev
            self._dx[step] = dx_hat
        if fresh.any():
            self._dx[fresh] = 0.0
        self._x = np.where(have, out, self._x)
        self._t_last = np.where(have, t_s, self._t_last)
        if have.all():
            self._t_all = t_s
        return out

    def _step_all(self, x: FloatArray, t_s: float, dt: float) -> FloatArray:
        """Every element seen now and at the one previous time: the same arithmetic
        as the masked path on whole arrays, without its gathers and scatters."""
        assert self._x is not None and self._dx is not None
        a_d = _alpha(self.d_cutoff_hz, dt)
        dx_hat = a_d * ((x - self._x) / dt) + (1.0 - a_d) * self._dx
        a = _alpha(self.min_cutoff_hz + self.beta * np.abs(dx_hat), dt)
        out = a * x + (1.0 - a) * self._x
        self._dx = dx_hat
        self._x = out.copy()  # the caller owns ``out``
        self._t_all = t_s
        return out
