"""Error types the command line turns into one-line messages.

Everything a user can cause (a bad file, a bad option, a broken model) raises a
subclass of ``FormcheckError``; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import difflib


class FormcheckError(Exception):
    """A problem the user can fix; ``str(err)`` is the whole message shown."""

    exit_code: int = 2


class InputError(FormcheckError):
    """The video, image folder or camera cannot be read as asked."""


class ModelError(FormcheckError):
    """The pose model file is missing, corrupt or not a pose landmarker bundle."""


class ConfigError(FormcheckError):
    """An option, exercise id, exercise file or program file is invalid."""


class OutputError(FormcheckError):
    """A report or video cannot be written where the user asked."""


class UsageError(FormcheckError):
    """The command line itself is wrong: an unknown flag or command, a missing argument."""


def did_you_mean(word: str, choices: list[str], n: int = 3) -> str:
    """``"did you mean x? "`` naming the closest choices (up to ``n``), or ``""``."""
    close = difflib.get_close_matches(word, choices, n=n, cutoff=0.6)
    return f"did you mean {' or '.join(close)}? " if close else ""
