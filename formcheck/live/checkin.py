"""The pain check-in before and after a guided session, and the stop rule.

Pain is the 0-10 numeric rating scale (0 no pain, 10 the worst imaginable),
typed on the keyboard: digits, Enter to confirm (so 10 is "1", "0", Enter).
After the session two yes/no questions ask about the warning signs the
handouts name (seed 000, EXERCISES.md's safety line): pain spreading further
down the leg, and numbness or weakness getting worse. A "yes", or pain up by
``PAIN_RISE_STOP`` points or more, shows the stop advice and is recorded.

The answers are pure state (``PainEntry``, ``stop_needed``); ``ask_*`` only
loop over a display's keys and draw the question with the overlay's text
primitives, so the window stays the only GUI caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from formcheck.live.window import Display, Image
from formcheck.render import GOOD, MUTED, WARN, WHITE, centered, shade, wrap

# Two points on the 0-10 scale is the smallest change patients with low back pain
# report as meaningful (the usual minimal clinically important difference for the
# NRS); a rise that large after exercising is worth stopping for and asking about.
PAIN_RISE_STOP = 2

STOP_QUESTIONS: tuple[str, ...] = (
    "Has your pain spread further down your leg?",
    "Is numbness or weakness in your leg worse than before?",
)

STOP_ADVICE = (
    "Please stop these exercises for now. Pain reaching further down the leg, or numbness or "
    "weakness getting worse, is the sign the handouts give for stopping. Tell your physical "
    "therapist or doctor before you exercise again. Get urgent care if you lose control of your "
    "bladder or bowels, or feel numb between the legs."
)

ENTER = (10, 13, 0xFF0D, 0xFF8D)  # Return / keypad Enter as waitKeyEx reports them
BACKSPACE = (8, 0xFF08, 127)
ESC = 27
T = TypeVar("T")
ASK_TIMEOUT_S = 600.0  # nobody answers for this long: the question is skipped (recorded as unknown)


@dataclass
class PainEntry:
    """Digits typed so far; ``value`` once the entry is a valid 0-10."""

    typed: str = ""

    def key(self, code: int) -> bool:
        """Apply a key; True when Enter confirms a valid value."""
        base = code & 0xFFFF if code >= 0 else code
        if base in ENTER or code in ENTER:
            return self.value is not None
        if base in BACKSPACE:
            self.typed = self.typed[:-1]
        elif 0 <= base < 256 and chr(base).isdigit():
            candidate = (self.typed + chr(base)).lstrip("0") or "0"
            self.typed = candidate if int(candidate) <= 10 else chr(base)
        return False

    @property
    def value(self) -> int | None:
        return int(self.typed) if self.typed else None


def yes_no(code: int) -> bool | None:
    base = code & 0xFFFF if code >= 0 else code
    if 0 <= base < 256:
        c = chr(base).lower()
        if c == "y":
            return True
        if c == "n":
            return False
    return None


def stop_needed(pain_before: int | None, pain_after: int | None, answers: Sequence[bool | None]) -> bool:
    """The stop rule: any "yes", or pain up by PAIN_RISE_STOP points or more."""
    if any(a is True for a in answers):
        return True
    return pain_before is not None and pain_after is not None and pain_after - pain_before >= PAIN_RISE_STOP


def parse_answers(text: str) -> tuple[bool, ...]:
    """``--answers yes,no`` -> (True, False); ValueError names a bad word."""
    out = []
    for word in (w.strip().lower() for w in text.split(",")):
        if word in ("y", "yes"):
            out.append(True)
        elif word in ("n", "no"):
            out.append(False)
        else:
            raise ValueError(f"{word!r} is not yes or no")
    if len(out) != len(STOP_QUESTIONS):
        raise ValueError(f"give {len(STOP_QUESTIONS)} answers (one per question), got {len(out)}")
    return tuple(out)


# -- screens ------------------------------------------------------------------
SCREEN = (640, 480)


def blank_screen(size: tuple[int, int] = SCREEN) -> Image:
    w, h = size
    return np.full((h, w, 3), 24, np.uint8)


def draw_question(
    title: str, lines: Sequence[str], entry: str, keys: str, size: tuple[int, int] = SCREEN, warn: bool = False
) -> Image:
    """One question on a calm dark screen: title, explanation, the answer so far, the keys."""
    image = blank_screen(size)
    h, w = image.shape[:2]
    k = h / 480.0
    y = int(70 * k)
    for line in wrap(image, title, 1.2, w - int(40 * k)):
        centered(image, line, y, 1.2, WARN if warn else WHITE)
        y += int(40 * k)
    y += int(10 * k)
    for text_line in lines:
        for line in wrap(image, text_line, 0.8, w - int(80 * k)):  # centered() draws bold
            centered(image, line, y, 0.8, MUTED)
            y += int(26 * k)
    if entry:
        shade(image, w // 2 - int(70 * k), y + int(10 * k), w // 2 + int(70 * k), y + int(80 * k), 0.3)
        centered(image, entry, y + int(64 * k), 2.2, GOOD)
    centered(image, keys, h - int(30 * k), 0.8, MUTED)
    return image


PAIN_LINES = ("0 = no pain, 10 = the worst pain you can imagine.",)
PAIN_KEYS = "type 0-10, then Enter   (Backspace: correct, Esc: skip)"


def ask_pain(display: Display, when: str, size: tuple[int, int] = SCREEN) -> int | None:
    """Ask pain 0-10 with the keyboard; None when skipped (Esc) or unanswered."""
    entry = PainEntry()
    title = f"Pain {when}: how much does your back or leg hurt right now?"
    return _loop(
        display,
        lambda: draw_question(title, PAIN_LINES, entry.typed or "_", PAIN_KEYS, size),
        lambda code: (entry.value, True) if entry.key(code) else None,
    )


def ask_yes_no(display: Display, question: str, size: tuple[int, int] = SCREEN, context: str = "") -> bool | None:
    def answer(code: int) -> tuple[bool | None, bool] | None:
        a = yes_no(code)
        return None if a is None else (a, True)

    lines = (context,) if context else ()
    return _loop(display, lambda: draw_question(question, lines, "", "y yes   n no   (Esc: skip)", size), answer)


def show_stop_advice(display: Display, size: tuple[int, int] = SCREEN) -> None:
    display.show(draw_question("Stop for today", (STOP_ADVICE,), "", "press any key", size, warn=True))
    display.wait_key(ASK_TIMEOUT_S)


def _loop(display: Display, draw: Callable[[], Image], apply: Callable[[int], tuple[T, bool] | None]) -> T | None:
    waited = 0.0
    while True:
        code = display.show(draw())
        if code < 0:
            code = display.wait_key(0.25)
        if display.closed():
            return None
        if code < 0:
            waited += 0.25
            if waited >= ASK_TIMEOUT_S:
                return None
            continue
        if (code & 0xFFFF) == ESC:
            return None
        done = apply(code)
        if done is not None:
            return done[0]
