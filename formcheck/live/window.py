"""The live window: the only module that calls OpenCV's GUI (imshow, waitKey, windows).

Keeping every GUI call here means the rest of live mode runs, and is tested,
with no display at all (``NullDisplay``), and a headless machine fails with
one clear line instead of a Qt abort.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Protocol

import cv2
import numpy as np
from numpy.typing import NDArray

from formcheck.errors import OutputError

Image = NDArray[np.uint8]

WINDOW_TITLE = "formcheck live"
MAX_INITIAL_SCALE = 1.5  # start larger than the camera picture, so it reads from a distance


class Display(Protocol):
    def show(self, image: Image) -> int:
        """Show ``image``; returns the key pressed meanwhile (a ``waitKeyEx`` code) or -1."""
        ...

    def wait_key(self, timeout_s: float | None) -> int:
        """Keep the last image up until a key (its code), the window closes or the timeout (-1)."""
        ...

    def closed(self) -> bool: ...

    def toggle_fullscreen(self) -> None: ...

    def close(self) -> None: ...


class NullDisplay:
    """No window (``--no-window``, tests): shows nothing and never reports a key."""

    def show(self, image: Image) -> int:
        return -1

    def wait_key(self, timeout_s: float | None) -> int:
        return -1

    def closed(self) -> bool:
        return False

    def toggle_fullscreen(self) -> None:
        pass

    def close(self) -> None:
        pass


def has_display() -> bool:
    """Can a window be opened? Only X11/Wayland need an environment variable to say so."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class WindowDisplay:
    """A resizable window that keeps the picture's aspect ratio."""

    def __init__(self, title: str = WINDOW_TITLE, frame_size: tuple[int, int] = (640, 480)) -> None:
        if not has_display():
            raise OutputError("no display to open a window on (DISPLAY is not set); use --no-window")
        self.title = title
        flags = cv2.WINDOW_NORMAL | cv2.WINDOW_KEEPRATIO | cv2.WINDOW_GUI_NORMAL
        try:
            cv2.namedWindow(title, flags)
        except cv2.error as exc:
            raise OutputError(f"cannot open a window ({exc.err or exc}); use --no-window") from None
        w, h = frame_size
        cv2.resizeWindow(title, round(w * MAX_INITIAL_SCALE), round(h * MAX_INITIAL_SCALE))
        self._shown = False
        self._fullscreen = False

    def show(self, image: Image) -> int:
        cv2.imshow(self.title, image)
        self._shown = True
        return int(cv2.waitKeyEx(1))

    def wait_key(self, timeout_s: float | None) -> int:
        end = None if timeout_s is None else time.monotonic() + timeout_s
        while end is None or time.monotonic() < end:
            key = int(cv2.waitKeyEx(50))
            if key >= 0:
                return key
            if self.closed():
                break
        return -1

    def closed(self) -> bool:
        """The user closed the window (its close button), which ends the session like q."""
        if not self._shown:
            return False
        try:
            return cv2.getWindowProperty(self.title, cv2.WND_PROP_VISIBLE) < 1
        except cv2.error:
            return True

    def toggle_fullscreen(self) -> None:
        self._fullscreen = not self._fullscreen
        mode = cv2.WINDOW_FULLSCREEN if self._fullscreen else cv2.WINDOW_NORMAL
        cv2.setWindowProperty(self.title, cv2.WND_PROP_FULLSCREEN, mode)

    def close(self) -> None:
        try:
            cv2.destroyWindow(self.title)
            cv2.waitKey(1)
        except cv2.error:
            pass
