"""tools/learn_eval's scoring: which recordings are demonstrations, when a pair meets the bar."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools.learn_eval import (  # noqa: E402
    Counted,
    Pair,
    count_exact,
    is_demonstration,
    is_hold_exercise,
    pair_ok,
    table,
)


def truth(reps: int = 0, partial: int = 0, holds: tuple[float, ...] = (), **extra: Any) -> dict[str, Any]:
    t: dict[str, Any] = {"exercise": "bridge", "reps": reps, "partial_reps": partial, "form_breaks": []}
    t["holds"] = [{"duration_s": h} for h in holds]
    t.update(extra)
    return t


@pytest.mark.parametrize(
    ("t", "hold", "expected"),
    [
        (truth(reps=2), False, True),
        (truth(reps=1), False, False),  # one rep shows no rhythm
        (truth(reps=3, partial=1), False, False),  # a partial rep is not a good demonstration
        (truth(reps=3, form_breaks=[{"code": "x"}]), False, False),
        (truth(reps=3, generator={"sweep": {"features": ["start_mid"]}}), False, False),  # not from rest
        (truth(reps=3, generator={"sweep": {"features": ["dim", "end_at_rep"]}}), False, False),
        (truth(reps=3, generator={"sweep": {"features": ["dim"]}}), False, True),
        (truth(reps=2, performed="squat"), False, False),  # another exercise performed
        (truth(holds=(5.0,)), True, True),
        (truth(reps=1, holds=(5.0,)), True, True),  # a hold that also counts as a rep
        (truth(holds=(5.0, 5.0)), True, False),  # one hold, not two
        (truth(holds=(5.0,), generator={"sweep": {"features": ["end_at_release"]}}), True, False),
    ],
)
def test_demonstrations(t: dict[str, Any], hold: bool, expected: bool) -> None:
    assert is_demonstration(t, hold) is expected


def test_an_exercise_with_a_hold_anywhere_is_scored_on_holds() -> None:
    assert is_hold_exercise([truth(reps=1), truth(holds=(3.0,))])
    assert not is_hold_exercise([truth(reps=1), truth(reps=2)])


@pytest.mark.parametrize(
    ("t", "got", "hold", "expected"),
    [
        (truth(reps=3), Counted(3, 0, ()), False, True),
        (truth(reps=3), Counted(2, 1, ()), False, True),  # within one
        (truth(reps=3), Counted(4, 0, ()), False, True),
        (truth(reps=3), Counted(1, 2, ()), False, False),
        (truth(reps=3), Counted(5, 0, ()), False, False),
        (truth(reps=3), None, False, False),  # the demonstration was refused
        (truth(holds=(5.0,)), Counted(0, 0, (5.4,)), True, True),
        (truth(holds=(5.0,)), Counted(0, 0, (5.6,)), True, False),  # more than 0.5 s off
        (truth(holds=(5.0,)), Counted(0, 0, ()), True, False),
        (truth(holds=(5.0,)), Counted(0, 0, (2.5, 2.5)), True, False),  # split in two
        (truth(holds=(5.0, 3.0)), Counted(0, 0, (4.8, 3.3)), True, True),
    ],
)
def test_pair_bar(t: dict[str, Any], got: Counted | None, hold: bool, expected: bool) -> None:
    assert pair_ok(t, got, hold) is expected


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (Counted(0, 0, (12.0,)), True),  # one hold found for one done, however long
        (Counted(0, 0, ()), False),
        (Counted(0, 0, (5.0, 5.0)), False),
        (None, False),
    ],
)
def test_hold_count_ignores_times_but_not_the_number(got: Counted | None, expected: bool) -> None:
    truth = {"reps": 0, "holds": [{"duration_s": 5.0}]}
    assert count_exact(truth, got, hold=True) is expected
    assert not pair_ok(truth, Counted(0, 0, (12.0,)), hold=True)  # the time bar is the stricter one


def test_table_counts_all_and_same_view_pairs_and_the_holdout_apart() -> None:
    def pair(ex: str, demo: str, ok: bool, same: bool, holdout: bool = False) -> Pair:
        return Pair(ex, demo, "o", holdout, same, False, ok, None, "reps 2", "")

    pairs = [
        pair("bridge", "a", True, True),
        pair("bridge", "a", False, False),
        pair("bridge", "b", True, False),
        pair("side_bend", "c", True, True),
        pair("bridge", "a", False, True, holdout=True),
    ]
    text = table(pairs)
    assert "| bridge | reps (+-1) | 2 | 2/3 (67%) | 1/1 (100%) |" in text
    assert "| **all** | | 3 | **3/4 (75%)** | **2/2 (100%)** |" in text
    assert "0/1 (0%) within the bar" in text


@pytest.mark.parametrize(
    ("exercise", "view", "used"),
    [
        ("lower_trunk_rotation", "side", True),
        ("lower_trunk_rotation", "feet_end", False),  # the built-in refuses it: "Turn side-on"
        ("lower_trunk_rotation", "oblique", False),
        ("side_bend", "front", True),
        ("squat", "side", True),  # an example file's recording: no built-in to refuse it
    ],
)
def test_only_recordings_in_a_view_the_exercise_is_measured_from_are_counted(
    exercise: str, view: str, used: bool
) -> None:
    from tools.learn_eval import Recording, filmed_as_measured

    assert filmed_as_measured(Recording("clip", "sample", exercise, view, None, {}, ())) is used
