"""Keyboard controls: a key code from the window becomes an action, nothing more.

A pure function so the controls can be tested without a window, and so every
GUI backend's codes for the same key end up as the same action.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    PAUSE = "pause"  # toggle
    RESET = "reset"
    NEXT = "next"
    PREVIOUS = "previous"
    MUTE = "mute"  # toggle
    FULLSCREEN = "fullscreen"  # toggle
    QUIT = "quit"


HELP_LINE = "space pause   r reset   n/p exercise   m mute   f full screen   q quit"

_CHARS = {
    " ": Action.PAUSE,
    "r": Action.RESET,
    "n": Action.NEXT,
    "p": Action.PREVIOUS,
    "m": Action.MUTE,
    "f": Action.FULLSCREEN,
    "q": Action.QUIT,
}

ESC = 27
# Arrow keys as waitKeyEx reports them: X11/GTK keysyms, Qt key codes, Windows scan codes.
_SPECIAL = {
    0xFF53: Action.NEXT,  # X11 Right
    0xFF51: Action.PREVIOUS,  # X11 Left
    0x1000014: Action.NEXT,  # Qt::Key_Right
    0x1000012: Action.PREVIOUS,  # Qt::Key_Left
    0x270000: Action.NEXT,  # Windows Right
    0x250000: Action.PREVIOUS,  # Windows Left
}


def action_for_key(code: int) -> Action | None:
    """The action for a ``cv2.waitKeyEx`` code (-1 = no key), or None if the key means nothing."""
    if code < 0:
        return None
    if code in _SPECIAL:
        return _SPECIAL[code]
    base = code & 0xFFFF  # GTK adds modifier bits (Num Lock, Shift) above the keysym
    if base in _SPECIAL:
        return _SPECIAL[base]
    if base == ESC:
        return Action.QUIT
    if base < 256:
        return _CHARS.get(chr(base).lower())
    return None
