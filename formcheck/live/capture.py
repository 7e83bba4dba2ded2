"""Latest-frame capture on its own thread: the live loop always gets the newest picture.

A camera delivers frames at its own pace whether or not we keep up. Queueing
them would make the coach fall further and further behind the person, so the
grabber keeps a single slot: a new frame replaces one that was not taken yet
(counted as dropped) and the loop is never more than one frame late.

A video file played "as a camera" is released at its own timestamps, in real
time from the moment capture starts, so live mode can be exercised and
measured without a camera. Its frames' ``captured_at`` is when they were due,
not when they happened to be decoded: a slow decoder shows up as latency
instead of being hidden.

Frame timestamps (``Frame.t_ms``) are never touched here: for a camera they are
its capture clock, for a file the file's own times, so counters and hold
timers mean the same thing live and offline.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from formcheck.errors import InputError
from formcheck.native import quiet_native_stderr
from formcheck.sources import CameraSource, Frame, VideoFileSource

Clock = Callable[[], float]

DEFAULT_PERIOD_S = 1.0 / 30.0


@dataclass(frozen=True)
class Captured:
    """A frame and when it was captured, in ``clock`` seconds (for latency)."""

    frame: Frame
    captured_at: float


@dataclass
class CaptureCounts:
    delivered: int = 0  # frames put in the slot
    taken: int = 0  # frames the loop took
    dropped: int = 0  # frames replaced before being taken, or skipped as already stale


class LatestFrameGrabber:
    """Reads ``frames`` on a worker thread and hands out only the newest one.

    ``realtime``: release each frame at its timestamp (a file played as a camera);
    otherwise frames are released as fast as the source yields them (a camera
    paces itself). ``lossless``: the worker waits for each frame to be taken
    instead of replacing it (tests and offline replays; not for cameras).
    """

    def __init__(
        self,
        frames: Iterable[Frame],
        *,
        realtime: bool = False,
        lossless: bool = False,
        clock: Clock = time.monotonic,
        name: str = "formcheck-capture",
    ) -> None:
        self._frames = frames
        self.realtime = realtime
        self.lossless = lossless
        self._clock = clock
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._slot: Captured | None = None
        self._done = False
        self.error: BaseException | None = None
        self.counts = CaptureCounts()
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)

    # -- consumer side ----------------------------------------------------------
    def start(self) -> LatestFrameGrabber:
        self._thread.start()
        return self

    def get(self, timeout: float | None = None) -> Captured | None:
        """The newest frame not taken yet, waiting up to ``timeout`` seconds.

        None means either the stream is over (``finished`` is True; ``error``
        says if it failed) or nothing new arrived in time (a stalled camera).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._slot is None and not self._done:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
            item = self._slot
            if item is None:
                return None
            self._slot = None
            self.counts.taken += 1
            self._cond.notify_all()
            return item

    @property
    def finished(self) -> bool:
        """The source is exhausted (or failed) and its last frame was taken."""
        with self._cond:
            return self._done and self._slot is None

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the worker to stop; True when it did (False: stuck in a blocking read)."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def __enter__(self) -> LatestFrameGrabber:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- worker side ------------------------------------------------------------
    def _work(self) -> None:
        start_wall: float | None = None
        start_ms = 0.0
        last_ms: float | None = None
        period = DEFAULT_PERIOD_S
        try:
            for frame in self._frames:
                if self._stop.is_set():
                    break
                if self.realtime:
                    if start_wall is None:
                        start_wall, start_ms = self._clock(), frame.t_ms
                    if last_ms is not None and frame.t_ms > last_ms:
                        period = (frame.t_ms - last_ms) / 1000.0
                    last_ms = frame.t_ms
                    due = start_wall + (frame.t_ms - start_ms) / 1000.0
                    wait = due - self._clock()
                    if wait > 0 and self._stop.wait(wait):
                        break
                    if self._clock() >= due + period:
                        # The decoder fell behind: the next frame is already due,
                        # so a camera would have replaced this one. Skip it.
                        with self._cond:
                            self.counts.dropped += 1
                        continue
                    captured_at = due
                else:
                    captured_at = self._clock()
                self._put(Captured(frame, captured_at))
        except BaseException as exc:  # handed to the consumer through ``error``
            self.error = exc
        finally:
            with self._cond:
                self._done = True
                self._cond.notify_all()

    def _put(self, item: Captured) -> None:
        with self._cond:
            if self.lossless:
                while self._slot is not None and not self._stop.is_set():
                    self._cond.wait(0.1)
            if self._slot is not None:
                self.counts.dropped += 1
            self._slot = item
            self.counts.delivered += 1
            self._cond.notify_all()


def _video_devices() -> list[Path]:
    return sorted(Path("/dev").glob("video*"))


def check_camera(index: int) -> None:
    """Fail with the reason a user can act on before OpenCV's generic 'cannot open'.

    Only Linux exposes cameras as files we can inspect; elsewhere OpenCV's own
    open failure is all there is to go on.
    """
    if not sys.platform.startswith("linux"):
        return
    devices = _video_devices()
    if not devices:
        raise InputError(
            "no camera found (no /dev/video* device): connect a webcam, or play a video with --camera PATH"
        )
    dev = Path(f"/dev/video{index}")
    if not dev.exists():
        found = ", ".join(d.name for d in devices)
        raise InputError(f"camera {index}: no such camera (found {found}); choose one with --camera N")
    if not os.access(dev, os.R_OK | os.W_OK):
        raise InputError(f"camera {index}: permission denied on {dev} (add your user to the 'video' group)")


def parse_camera(spec: str) -> int | Path:
    """``--camera N|PATH``: a number is a camera index, anything else a video file."""
    s = spec.strip()
    return int(s) if s.isdigit() else Path(s)


def open_camera(spec: str) -> tuple[CameraSource | VideoFileSource, bool]:
    """The source for ``--camera`` and whether it must be paced (a file) or paces itself."""
    target = parse_camera(spec)
    if isinstance(target, int):
        check_camera(target)
        with quiet_native_stderr():  # OpenCV prints its own V4L2 warnings; ours is one line
            return CameraSource(target), False
    return VideoFileSource(target), True
