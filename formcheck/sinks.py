"""Where frames go: an annotated video file (the live window lives in live/window.py).

A sink receives every frame with its analysis; writing happens on a worker
thread so encoding overlaps the next frame's inference. Files appear under
their final name only when complete (written to a temporary name, then renamed),
so an interrupted run leaves a playable video, never a half-written one posing
as finished.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import threading
from pathlib import Path
from typing import Protocol

import av
import numpy as np
from numpy.typing import NDArray

from formcheck.analysis import FrameResult
from formcheck.errors import OutputError
from formcheck.render import Overlay
from formcheck.sources import Frame
from formcheck.timing import StageTimer
from formcheck.video_writer import H264Writer

# What a full disk (or a quota, or a file size limit) makes a write fail with.
_DISK_FULL = frozenset((errno.ENOSPC, errno.EFBIG, errno.EDQUOT))


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
    try:
        with av.open(str(path)) as container:
            found = container.streams.video[0].frames
    except (av.error.FFmpegError, IndexError):
        return "the file cannot be read back"
    if found < frames:
        return f"it holds {found} of the {frames} frames written"
    return None


def _write_failure(path: Path, exc: BaseException) -> OutputError:
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        return OutputError(f"{path}: the video could not be written ({exc.strerror}); is the disk full?")
    return OutputError(f"{path}: writing failed ({exc})")


class VideoFileSink:
    """Annotated video, H.264 in MP4 (formcheck.video_writer: plays in browsers and on phones).

    Frames are placed at the nominal rate, or with ``source_times`` at the
    frames' own timestamps (a variable-frame-rate recording, frames thinned by
    ``--max-fps``), so the video plays in the time it was filmed. A failed
    write (a full disk) stops the encoding but not the analysis: ``close``
    reports it, and the report is still written.
    """

    def __init__(
        self,
        path: str | Path,
        fps: float,
        size: tuple[int, int],
        overlay: Overlay,
        timer: StageTimer | None = None,
        *,
        source_times: bool = False,
    ) -> None:
        self.path = Path(path)
        self.overlay = overlay
        self.timer = timer  # benchmarks: overlay (this thread) and encode (the worker) per frame
        self.source_times = source_times
        self._tmp = self.path.with_name(f".{self.path.stem}.partial{self.path.suffix or '.mp4'}")
        try:
            self._writer = H264Writer(self._tmp, fps, size)
        except (av.error.FFmpegError, OSError, ValueError) as exc:
            self._tmp.unlink(missing_ok=True)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise OutputError(f"{self.path}: cannot open a video writer here ({reason})") from None
        self._queue: queue.Queue[tuple[NDArray[np.uint8], float] | None] = queue.Queue(maxsize=16)
        self._error: BaseException | None = None
        self._aborted = threading.Event()
        self._thread = threading.Thread(target=self._run, name="formcheck-encode", daemon=True)
        self._thread.start()
        self.frames_written = 0

    def write(self, frame: Frame, result: FrameResult) -> None:
        if frame.image is None:
            raise ValueError("annotated video needs decoded frames")
        if self._error is not None:
            return  # the video is lost (close says why); the analysis goes on

        # Draw on the analysis thread (cheap), encode on the worker (costly); on a
        # copy, as the frame is the caller's.
        def draw(picture: NDArray[np.uint8]) -> NDArray[np.uint8]:
            return self.overlay.draw(picture.copy(), result)

        image = draw(frame.image) if self.timer is None else self.timer.call("overlay", draw, frame.image)
        self._queue.put((image, frame.t_ms))

    def _encode(self, item: tuple[NDArray[np.uint8], float]) -> None:
        image, t_ms = item
        self._writer.write(image, t_ms if self.source_times else None)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._aborted.is_set() or self._error is not None:
                continue  # drain the queue without encoding
            try:
                if self.timer is None:
                    self._encode(item)
                else:
                    self.timer.call("encode", self._encode, item)
                self.frames_written += 1
            except Exception as exc:  # reported by close()
                self._error = exc

    def abort(self) -> None:
        self._aborted.set()
        with contextlib.suppress(queue.Full):
            self._queue.put(None, timeout=1.0)  # the worker drains fast once aborted
        self._thread.join(timeout=2.0)
        # Gone first: then the writer's index rewrite (faststart) fails at once
        # instead of copying the whole file.
        self._tmp.unlink(missing_ok=True)
        if not self._thread.is_alive():  # else the writer is still in use; the process is ending
            self._writer.discard()

    def close(self) -> None:
        try:
            self._close()
        except BaseException:  # failed, or interrupted by a second Ctrl-C: no unfinished file
            self._tmp.unlink(missing_ok=True)
            raise

    def _close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            self._writer.discard()
            raise _write_failure(self.path, self._error)
        if self.frames_written == 0:
            self._writer.discard()
            self._tmp.unlink(missing_ok=True)
            return
        try:
            self._writer.close()  # the encoder's last frames, the index, the faststart rewrite
        except Exception as exc:
            raise _write_failure(self.path, exc) from None
        # Writes can be lost without an error reaching the writer (network file
        # systems report at close, if at all): read the file back before calling it saved.
        problem = _unreadable(self._tmp, self.frames_written)
        if problem is not None:  # close() removes the unplayable file: the space is the report's
            raise OutputError(f"{self.path}: the video could not be written ({problem}); is the disk full?")
        try:
            os.replace(self._tmp, self.path)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot save the video ({exc.strerror})") from None
