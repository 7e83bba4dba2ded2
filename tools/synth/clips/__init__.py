"""Clip descriptions: every module here exposes ``CLIPS: list[Clip]``; ``all_clips()`` collects them."""

from __future__ import annotations

import importlib
import pkgutil

from tools.synth.spec import Clip


def all_clips() -> list[Clip]:
    clips: list[Clip] = []
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        clips += importlib.import_module(f"{__name__}.{mod.name}").CLIPS
    names = [c.name for c in clips]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"duplicate clip names: {sorted(dup)}")
    return clips
