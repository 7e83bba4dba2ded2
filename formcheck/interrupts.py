"""Ctrl-C and SIGTERM: finish the current frame, save, and stop; twice: stop now.

A KeyboardInterrupt can land between any two bytecodes, e.g. after a frame was
counted but before it was written to the video. Instead, the first signal only
sets a flag that the pipeline checks between frames, so what is reported is
exactly what was written. A second signal raises at once, for a user who does
not want to wait for the files to be finalised.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any


class AbortNow(KeyboardInterrupt):
    """The second interrupt: stop immediately, without finalising anything."""


class GracefulStop:
    """Context manager: SIGINT/SIGTERM request a stop; ``requested()`` polls it."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self._event = threading.Event()
        self._previous: dict[int, Any] = {}

    def requested(self) -> bool:
        return self._event.is_set()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._event.is_set():
            raise AbortNow
        self._event.set()

    def __enter__(self) -> GracefulStop:
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                # An ignored signal stays ignored: batch workers ignore Ctrl-C (the
                # parent sends them one SIGTERM), so it must not count as a first stop.
                if signal.getsignal(sig) is not signal.SIG_IGN:
                    self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()
