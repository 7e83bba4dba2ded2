"""HeldLevel: a metric's own level in a held position."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.analysis.levels import HeldLevel


def test_no_reading_no_level() -> None:
    level = HeldLevel()
    assert math.isnan(level.value)
    assert math.isnan(level.update(math.nan, learn=True))
    assert math.isnan(level.update(5.0, learn=False))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_noisy_flat_foot_reads_at_its_middle_not_its_lowest_dips(seed: int) -> None:
    """A foot line that jitters 0-14 deg about 7 (a far-side foot seen from a high oblique):
    the level is its middle, so a reading of 14 is 7 above it, not 14 above the lowest dip."""
    rng = np.random.default_rng(seed)
    level = HeldLevel()
    for v in rng.uniform(0.0, 14.0, 300):
        level.update(float(v), learn=True)
    assert level.value == pytest.approx(7.0, abs=1.0)


def test_readings_with_the_form_off_are_left_out_and_reset_starts_again() -> None:
    level = HeldLevel()
    for v in (9.0, 10.0, 11.0):
        level.update(v, learn=True)
    for _ in range(50):  # a lifted heel, coached: not the level
        level.update(25.0, learn=False)
    assert level.value == 10.0
    level.reset()
    assert math.isnan(level.value)
    assert level.update(3.0, learn=True) == 3.0
