"""Where frames go: an annotated video file (the live window lives in live.py).

A sink receives every frame with its analysis; writing happens on a worker
thread so encoding overlaps the next frame's inference. Files appear under
their final name only when complete (written to a temporary name, then renamed),
so an interrupted run leaves a playable video, never a half-written one posing
as finished.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from pathlib import Path
from typing import Protocol, cast

import cv2
import numpy as np
from numpy.typing import NDArray

from formcheck.analysis import FrameResult
from formcheck.errors import OutputError
from formcheck.native import quiet_native_stderr
from formcheck.render import Overlay
from formcheck.sources import Frame
from formcheck.timing import StageTimer


class Sink(Protocol):
    def write(self, frame: Frame, result: FrameResult) -> None: ...

    def close(self) -> None:
        """Finish and save what was written."""

    def abort(self) -> None:
        """Stop at once (a second Ctrl-C): save nothing and leave no unfinished file."""


def check_output_path(out: Path, inputs: list[Path]) -> None:
    """Refuse to overwrite an input, and fail early on an unwritable folder."""
    for src in inputs:
        if src.exists() and out.exists() and os.path.samefile(src, out):
            raise OutputError(f"{out}: output path is the input file; choose another name")
        if out.resolve() == src.resolve():
            raise OutputError(f"{out}: output path is the input file; choose another name")
    folder = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name")
    for part in (folder, *folder.parents):
        if part.exists() and not part.is_dir():  # fails even for root, unlike permissions
            raise OutputError(f"{part}: is a file, not a folder; cannot write {out} inside it")
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{folder}: cannot create output folder ({exc.strerror})") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: output folder is not writable")


def _unreadable(path: Path, frames: int) -> str | None:
    """Why the video at ``path`` is not the ``frames`` frames written to it, or None."""
    with quiet_native_stderr():  # FFmpeg describes a broken file at length on stderr
        capture = cv2.VideoCapture(str(path))
    try:
        if not capture.isOpened():
            return "the file cannot be read back"
        found = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        if found < frames:
            return f"it holds {found} of the {frames} frames written"
    finally:
        capture.release()
    return None


class VideoFileSink:
    """Annotated MP4 (mp4v: the codec OpenCV's wheels can always write)."""

    def __init__(
        self,
        path: str | Path,
        fps: float,
        size: tuple[int, int],
        overlay: Overlay,
        timer: StageTimer | None = None,
    ) -> None:
        self.path = Path(path)
        self.overlay = overlay
        self.timer = timer  # benchmarks: overlay (this thread) and encode (the worker) per frame
        self._tmp = self.path.with_name(f".{self.path.stem}.partial{self.path.suffix or '.mp4'}")
        self._writer = cv2.VideoWriter(str(self._tmp), cv2.VideoWriter.fourcc(*"mp4v"), float(fps), size)
        if not self._writer.isOpened():
            raise OutputError(f"{self.path}: cannot open a video writer here")
        self._size = size
        self._queue: queue.Queue[NDArray[np.uint8] | None] = queue.Queue(maxsize=16)
        self._error: BaseException | None = None
        self._aborted = threading.Event()
        self._thread = threading.Thread(target=self._run, name="formcheck-encode", daemon=True)
        self._thread.start()
        self.frames_written = 0

    def write(self, frame: Frame, result: FrameResult) -> None:
        if frame.image is None:
            raise ValueError("annotated video needs decoded frames")
        if self._error is not None:
            raise OutputError(f"{self.path}: writing failed ({self._error})")

        # Draw on the analysis thread (cheap), encode on the worker (costly); on a
        # copy, as the frame is the caller's.
        def draw(picture: NDArray[np.uint8]) -> NDArray[np.uint8]:
            return self.overlay.draw(picture.copy(), result)

        self._queue.put(draw(frame.image) if self.timer is None else self.timer.call("overlay", draw, frame.image))

    def _run(self) -> None:
        while True:
            image = self._queue.get()
            if image is None:
                return
            if self._aborted.is_set():
                continue  # drain the queue without encoding
            try:
                if (image.shape[1], image.shape[0]) != self._size:
                    image = cast(NDArray[np.uint8], cv2.resize(image, self._size))
                if self.timer is None:
                    self._writer.write(image)
                else:
                    self.timer.call("encode", self._writer.write, image)
                self.frames_written += 1
            except Exception as exc:  # surfaced on the next write / close
                self._error = exc

    def abort(self) -> None:
        self._aborted.set()
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=1.0)  # the worker drains fast once aborted
        self._thread.join(timeout=2.0)
        self._writer.release()
        self._tmp.unlink(missing_ok=True)

    def close(self) -> None:
        try:
            self._close()
        except BaseException:  # failed, or interrupted by a second Ctrl-C: no unfinished file
            self._tmp.unlink(missing_ok=True)
            raise

    def _close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._writer.release()
        if self._error is not None:
            raise OutputError(f"{self.path}: writing failed ({self._error})")
        if self.frames_written == 0:
            self._tmp.unlink(missing_ok=True)
            return
        # OpenCV's writer reports no errors: on a full disk it prints a warning per
        # frame and leaves an MP4 without its index, which no player opens. So read
        # the file back before calling it saved.
        problem = _unreadable(self._tmp, self.frames_written)
        if problem is not None:  # close() removes the unplayable file: the space is the report's
            raise OutputError(f"{self.path}: the video could not be written ({problem}); is the disk full?")
        try:
            os.replace(self._tmp, self.path)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot save the video ({exc.strerror})") from None
