"""Keyboard controls as a pure mapping from waitKeyEx codes to actions."""

from __future__ import annotations

import pytest

from formcheck.live.keys import HELP_LINE, Action, action_for_key


@pytest.mark.parametrize(
    ("code", "action"),
    [
        (ord(" "), Action.PAUSE),
        (ord("r"), Action.RESET),
        (ord("R"), Action.RESET),
        (ord("n"), Action.NEXT),
        (ord("p"), Action.PREVIOUS),
        (ord("m"), Action.MUTE),
        (ord("f"), Action.FULLSCREEN),
        (ord("q"), Action.QUIT),
        (ord("Q"), Action.QUIT),
        (27, Action.QUIT),  # Esc
        (0xFF53, Action.NEXT),  # X11 Right arrow
        (0xFF51, Action.PREVIOUS),  # X11 Left arrow
        (0x1000014, Action.NEXT),  # Qt Right arrow
        (0x1000012, Action.PREVIOUS),  # Qt Left arrow
        (0x270000, Action.NEXT),  # Windows Right arrow
        (0x100000 | ord("q"), Action.QUIT),  # GTK with Num Lock on
    ],
)
def test_keys_map_to_actions(code: int, action: Action) -> None:
    assert action_for_key(code) is action


@pytest.mark.parametrize("code", [-1, ord("x"), ord("1"), 13, 0xFFBE, 0x7FFFFFFF])
def test_other_keys_do_nothing(code: int) -> None:
    assert action_for_key(code) is None


def test_help_line_names_every_letter_key() -> None:
    for word in ("space", "r ", "n/p", "m ", "f ", "q "):
        assert word in HELP_LINE
