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
def python_stderr_apart() -> Iterator[None]:
    """Give Python's own ``sys.stderr`` a descriptor of its own while the block runs.

    The pose model logs (rarely, and at any frame: LiteRT's "Input tensor
    memory is not aligned") straight to descriptor 2, so every inference runs
    inside :func:`quiet_native_stderr`. That redirect is process-wide; on the
    model's thread it would also swallow what the other threads print to
    ``sys.stderr`` meanwhile (the progress bar, a warning). With ``sys.stderr``
    writing to a duplicate of descriptor 2, only native output is silenced.
    Nothing changes when ``sys.stderr`` is not descriptor 2 already (pytest's
    capture, a notebook): it does not write there then.
    """
    stream = sys.stderr
    try:
        is_fd2 = stream is not None and stream.fileno() == NATIVE_STDERR_FD
    except (AttributeError, OSError, ValueError):
        is_fd2 = False
    if not is_fd2:
        yield
        return
    stream.flush()
    apart = open(  # noqa: SIM115 - closed in the finally below
        os.dup(NATIVE_STDERR_FD),
        "w",
        encoding=stream.encoding,
        errors=stream.errors,
        buffering=1,
    )
    sys.stderr = apart
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            apart.flush()
        sys.stderr = stream
        apart.close()


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
