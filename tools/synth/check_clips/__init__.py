"""Check recordings of the example exercise files (``examples/exercises/``): every module here
exposes ``CLIPS: list[Clip]`` labelled with an ``exercise_file``; rendered into
``examples/check/`` by ``python -m tools.synth render --set checks``."""

from __future__ import annotations

from tools.synth.clips import collect
from tools.synth.spec import Clip


def all_clips() -> list[Clip]:
    return collect(__name__, __path__)
