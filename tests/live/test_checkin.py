"""The pain check-in's keys, the stop rule and the scripted answers."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.live.checkin import (
    STOP_QUESTIONS,
    PainEntry,
    ask_pain,
    ask_yes_no,
    parse_answers,
    stop_needed,
)
from formcheck.live.window import NullDisplay

ENTER = 13


@pytest.mark.parametrize(
    ("keys", "value"),
    [
        ("7", 7),
        ("10", 10),
        ("0", 0),
        ("15", 5),  # 15 is off the scale: the 5 starts the entry again
        ("3\b5", 5),  # Backspace corrects
        ("007", 7),
    ],
)
def test_pain_is_typed_then_confirmed(keys: str, value: int) -> None:
    entry = PainEntry()
    assert not any(entry.key(ord(c)) for c in keys)
    assert entry.key(ENTER) and entry.value == value


def test_enter_alone_confirms_nothing() -> None:
    entry = PainEntry()
    assert not entry.key(ENTER) and entry.value is None


@pytest.mark.parametrize(
    ("before", "after", "answers", "stop"),
    [
        (3, 5, (False, False), True),
        (3, 4, (False, False), False),
        (5, 3, (False, False), False),
        (0, 0, (True, False), True),
        (0, 0, (False, True), True),
        (None, 9, (False, False), False),  # no "before": no rise can be measured; the questions still count
        (None, None, (None, True), True),
    ],
)
def test_stop_rule(before: int | None, after: int | None, answers: tuple[bool | None, ...], stop: bool) -> None:
    assert stop_needed(before, after, answers) is stop


def test_answers_parse_one_per_question() -> None:
    assert parse_answers("yes, n") == (True, False)
    assert len(STOP_QUESTIONS) == 2
    with pytest.raises(ValueError, match="give 2 answers"):
        parse_answers("no")


class Keys(NullDisplay):
    def __init__(self, keys: str) -> None:
        self.keys = [ord(c) if c != "\n" else ENTER for c in keys]
        self.images: list[np.ndarray] = []

    def show(self, image: np.ndarray) -> int:
        self.images.append(image)
        return -1

    def wait_key(self, timeout_s: float | None) -> int:
        return self.keys.pop(0) if self.keys else 27  # then Esc


def test_the_screens_read_the_keys() -> None:
    display = Keys("x4\n")
    assert ask_pain(display, "before") == 4
    assert display.images and display.images[0].shape == (480, 640, 3)
    assert ask_yes_no(Keys("ky"), "Has your pain spread further down your leg?") is True
    assert ask_pain(Keys(""), "before") is None  # Esc skips
