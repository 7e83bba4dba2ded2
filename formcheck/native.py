"""Helpers for native libraries (MediaPipe's C++ runtime, FFmpeg inside OpenCV)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

NATIVE_STDERR_FD = 2
"""Where C and C++ code writes its logs: the process's descriptor 2, whatever
``sys.stderr`` is at the moment."""


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Silence the C++ runtime's chatter (TFLite/LiteRT/absl INFO and W lines).

    It is written straight to file descriptor 2, below Python, so only a
    descriptor-level redirect hides it; Python-level errors still surface
    because exceptions are raised after the descriptor is restored. The
    descriptor is redirected even when ``sys.stderr`` has been replaced by an
    object without one (pytest's capture, a notebook, a wrapper): the native
    libraries write to descriptor 2 regardless, so asking ``sys.stderr`` which
    descriptor to silence let their output through in exactly those cases.
    """
    try:
        saved = os.dup(NATIVE_STDERR_FD)
    except OSError:  # descriptor 2 is closed: nothing can be printed anyway
        yield
        return
    with contextlib.suppress(AttributeError, OSError, ValueError):
        if sys.stderr is not None:
            sys.stderr.flush()  # what Python already buffered goes out before the redirect
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), NATIVE_STDERR_FD)
            try:
                yield
            finally:
                os.dup2(saved, NATIVE_STDERR_FD)
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
