"""Frame sources: a video file, a camera, or a folder of images, as one iterable.

Each frame carries its index and a timestamp in milliseconds taken from the
container (or the capture clock of a camera), never from the wall clock of the
analysing machine, so hold timers mean the same thing offline and live.

Files stream: one frame is decoded at a time, so an hour of video costs the
memory of a frame. ``max_fps`` thins a long recording by timestamp
(``FrameSelector``); the frames it skips are demuxed but never converted to
images, and the ones it keeps carry their own index and container time.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

import cv2
import numpy as np
from numpy.typing import NDArray

from formcheck.errors import InputError
from formcheck.native import quiet_native_stderr

Image = NDArray[np.uint8]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff")

# Frame rates outside this range are container errors, not real cameras.
_MIN_FPS, _MAX_FPS = 1.0, 480.0
FALLBACK_FPS = 30.0
# Containers round timestamps (often to whole milliseconds): a frame this close
# before a slot boundary still opens the slot.
SLOT_TOLERANCE_MS = 1.0
# Below this many pixels on the short side a person is a few pixels tall.
MIN_USEFUL_SIDE = 64


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded frame. ``image`` is BGR uint8 (OpenCV's order), or None in replays."""

    index: int
    t_ms: float
    image: Image | None


@dataclass(frozen=True)
class VideoInfo:
    source: str
    width: int
    height: int
    fps: float
    frame_count: int | None  # None when the container does not say (cameras, some streams)

    @property
    def duration_s(self) -> float | None:
        if self.frame_count is None:
            return None
        return self.frame_count / self.fps


@dataclass
class StreamStatus:
    """How a source's iteration ended; filled in as frames are read.

    Mutable on purpose: the source writes it and the report reads it after the
    loop, so a truncated file is reported instead of silently looking complete.
    """

    frames_read: int = 0
    ended_early: bool = False
    message: str = ""
    warnings: list[str] = field(default_factory=list)


class FrameSource(Protocol):
    info: VideoInfo
    status: StreamStatus

    def __iter__(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...


def sane_fps(fps: float) -> bool:
    return math.isfinite(fps) and _MIN_FPS <= fps <= _MAX_FPS


def check_max_fps(max_fps: float | None) -> None:
    if max_fps is not None and not (math.isfinite(max_fps) and max_fps > 0):
        raise InputError(f"--max-fps {max_fps}: must be a positive number of frames per second")


class FrameSelector:
    """Keeps at most ``max_fps`` frames per second of video time, chosen by timestamp.

    Video time from the first frame is cut into slots of ``1 / max_fps``; the
    first frame in each slot is kept. The kept frames' own timestamps are used
    downstream, so a 29.97 fps file thinned to 10 fps keeps every third frame and,
    once every 33 s, the second (2.997 frames per slot), and timing stays exact.
    ``max_fps`` at or above the video's rate keeps every frame.
    """

    def __init__(self, max_fps: float) -> None:
        check_max_fps(max_fps)
        self.period_ms = 1000.0 / max_fps
        self._t0 = math.nan
        self._last_slot = -1

    def __call__(self, t_ms: float) -> bool:
        if math.isnan(self._t0):
            self._t0 = t_ms
        slot = math.floor((t_ms - self._t0 + SLOT_TOLERANCE_MS) / self.period_ms)
        if slot <= self._last_slot:
            return False
        self._last_slot = slot
        return True


def check_readable_file(path: Path) -> None:
    """Fail early, with the reason, on paths OpenCV would only call 'unreadable'."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a video file")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: permission denied")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty (0 bytes)")


class VideoFileSource:
    """Decodes a video file with OpenCV, timestamps from the container.

    OpenCV's frame times equal the container's as PyAV reads them, to the
    microsecond, on every sample clip and on H.264 with B-frames at variable
    rates (benchmarks/bench_timestamps.py), and it decodes to BGR for less CPU,
    so reading stays with OpenCV; writing is PyAV's (formcheck.video_writer).
    """

    def __init__(self, path: str | Path, max_fps: float | None = None) -> None:
        self.path = Path(path)
        check_max_fps(max_fps)
        self.max_fps = max_fps
        check_readable_file(self.path)
        # FFmpeg reports a broken container on fd 2 itself ("moov atom not
        # found"); our one-line error says the same thing in words a user can act on.
        if cv2.haveImageReader(str(self.path)):
            # FFmpeg would play a PNG or JPEG (whatever its name) as a one-frame video.
            raise InputError(
                f"{self.path}: a still image, not a video; to analyse images, put them in a folder and pass the folder"
            )
        with quiet_native_stderr():
            cap = cv2.VideoCapture(str(self.path))
            if cap.isOpened():
                # Phone videos store portrait as landscape plus a rotation; decode upright.
                cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
            ok, first = cap.read() if cap.isOpened() else (False, None)
        if not cap.isOpened():
            raise InputError(f"{self.path}: not a video file OpenCV can decode")
        if not ok or first is None:
            cap.release()
            raise InputError(f"{self.path}: not a video file (no frame could be decoded)")
        self._cap = cap
        self._first: Image | None = cast(Image, first)
        self._first_t_ms = float(cap.get(cv2.CAP_PROP_POS_MSEC))
        raw_fps = float(cap.get(cv2.CAP_PROP_FPS))
        self.status = StreamStatus()
        fps = raw_fps
        # A container whose rate is implausible has timestamps in the same broken
        # time base (a 1e6 fps header puts a minute of video in 2 ms): use the
        # nominal fallback rate for every frame's time instead.
        self._nominal_time = not sane_fps(raw_fps)
        if self._nominal_time:
            fps = FALLBACK_FPS
            self.status.warnings.append(
                f"container frame rate {raw_fps!r} is not plausible; timing assumes {FALLBACK_FPS} fps"
            )
        if min(first.shape[:2]) < MIN_USEFUL_SIDE:
            self.status.warnings.append(
                f"video is only {first.shape[1]}x{first.shape[0]} pixels: too small to find a person reliably "
                f"(at least {MIN_USEFUL_SIDE} pixels on the short side needed)"
            )
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        self.info = VideoInfo(
            source=str(self.path),
            width=int(first.shape[1]),
            height=int(first.shape[0]),
            fps=fps,
            frame_count=count if count > 0 else None,
        )

    def __iter__(self) -> Iterator[Frame]:
        cap = self._cap
        period = 1000.0 / self.info.fps
        keep = FrameSelector(self.max_fps) if self.max_fps is not None else None
        last_t = -math.inf
        index = 0
        image, t_ms = self._first, self._first_t_ms
        self._first = None
        grabbed = image is not None
        while grabbed:
            # Container timestamps are the truth, but some files report 0 or jump
            # backwards; then the nominal frame period keeps time monotonic.
            if self._nominal_time:
                t_ms = index * period
            elif not math.isfinite(t_ms) or t_ms <= last_t or (index > 0 and t_ms == 0.0):
                t_ms = index * period if last_t < index * period else last_t + period
            if keep is None or keep(t_ms):
                if image is None:  # grabbed, not yet converted to an image
                    ok, nxt = cap.retrieve()
                    if not ok or nxt is None:
                        break
                    image = cast(Image, nxt)
                yield Frame(index=index, t_ms=t_ms, image=image)
            last_t = t_ms
            index += 1
            self.status.frames_read = index
            # grab() demuxes and decodes; retrieve() (above, only for kept frames)
            # converts to BGR, the larger part of the cost at these sizes.
            grabbed = cap.grab()
            image, t_ms = None, float(cap.get(cv2.CAP_PROP_POS_MSEC))
        expected = self.info.frame_count
        # Containers over-count by a frame or two routinely; more than that is a
        # stream that stopped decoding part-way (a truncated or damaged file).
        if expected is not None and index < expected - max(2, int(0.01 * expected)):
            self.status.ended_early = True
            self.status.message = (
                f"decoding stopped at frame {index} of {expected} "
                f"({index * period / 1000.0:.1f} s); the file looks truncated or damaged"
            )

    def close(self) -> None:
        self._cap.release()


class CameraSource:
    """A live camera (by index) read as fast as it delivers; times from its clock."""

    def __init__(self, index: int, width: int = 640, height: int = 480) -> None:
        cap = cv2.VideoCapture(index)
        if not cap.isOpened():
            raise InputError(
                f"camera {index}: cannot be opened (not connected, in use by another program, or permission denied)"
            )
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        ok, first = cap.read()
        if not ok or first is None:
            cap.release()
            raise InputError(f"camera {index}: opened but delivered no image")
        fps = float(cap.get(cv2.CAP_PROP_FPS))
        self._cap = cap
        self._first: Image | None = cast(Image, first)
        self.status = StreamStatus()
        self.info = VideoInfo(
            source=f"camera:{index}",
            width=int(first.shape[1]),
            height=int(first.shape[0]),
            fps=fps if sane_fps(fps) else FALLBACK_FPS,
            frame_count=None,
        )

    def __iter__(self) -> Iterator[Frame]:
        # A monotonic capture clock is the camera's own timeline here; OpenCV's
        # POS_MSEC is unreliable for most webcam backends.
        t0 = time.monotonic()
        index = 0
        image = self._first
        self._first = None
        while image is not None:
            yield Frame(index=index, t_ms=(time.monotonic() - t0) * 1000.0, image=image)
            index += 1
            self.status.frames_read = index
            ok, nxt = self._cap.read()
            if not ok or nxt is None:
                self.status.ended_early = True
                self.status.message = f"the camera stopped delivering images after {index} frames"
                break
            image = cast(Image, nxt)

    def close(self) -> None:
        self._cap.release()


class ImageFolderSource:
    """Images in name order, as frames at a nominal rate (for stills and exports)."""

    def __init__(self, folder: str | Path, fps: float = FALLBACK_FPS, max_fps: float | None = None) -> None:
        self.folder = Path(folder)
        check_max_fps(max_fps)
        self.max_fps = max_fps
        if not self.folder.is_dir():
            raise InputError(f"{self.folder}: no such folder")
        self._files = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._files:
            raise InputError(f"{self.folder}: contains no images ({', '.join(IMAGE_SUFFIXES)})")
        if not sane_fps(fps):
            raise InputError(f"frame rate {fps} must be between {_MIN_FPS} and {_MAX_FPS}")
        first = cv2.imread(str(self._files[0]))
        if first is None:
            raise InputError(f"{self._files[0]}: cannot be decoded as an image")
        self.status = StreamStatus()
        self.info = VideoInfo(
            source=str(self.folder),
            width=int(first.shape[1]),
            height=int(first.shape[0]),
            fps=float(fps),
            frame_count=len(self._files),
        )

    def __iter__(self) -> Iterator[Frame]:
        period = 1000.0 / self.info.fps
        keep = FrameSelector(self.max_fps) if self.max_fps is not None else None
        for index, path in enumerate(self._files):
            if keep is not None and not keep(index * period):
                continue
            image = cv2.imread(str(path))
            if image is None:
                self.status.warnings.append(f"{path.name}: skipped, cannot be decoded")
                continue
            if image.shape[:2] != (self.info.height, self.info.width):
                image = cv2.resize(image, (self.info.width, self.info.height))
            self.status.frames_read += 1
            yield Frame(index=index, t_ms=index * period, image=cast(Image, image))

    def close(self) -> None:
        pass


def open_source(spec: str | Path, max_fps: float | None = None) -> VideoFileSource | ImageFolderSource:
    """A file or image folder from a path given on the command line."""
    path = Path(spec)
    if path.is_dir():
        return ImageFolderSource(path, max_fps=max_fps)
    return VideoFileSource(path, max_fps=max_fps)
