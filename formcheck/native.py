"""Helpers for native libraries (MediaPipe's C++ runtime, FFmpeg inside OpenCV)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence the C++ runtime's start-up chatter (TFLite/absl INFO and W lines).

    It is written straight to file descriptor 2, below Python, so only a
    descriptor-level redirect hides it; Python-level errors still surface
    because exceptions are raised after the descriptor is restored.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            try:
                yield
            finally:
                os.dup2(saved, fd)
    finally:
        os.close(saved)


@contextlib.contextmanager
def opencv_errors_only() -> Iterator[None]:
    """OpenCV logs errors only, for as long as the block runs.

    Its warnings repeat per frame (a full disk: one "Failed to write frame" for
    every frame) and say nothing formcheck's own messages do not.
    """
    import cv2

    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(level)
