"""Clip descriptions: every module here exposes ``CLIPS: list[Clip]``; ``all_clips()`` collects them.

These are the sample clips (``sample_videos/``); the example exercise files' check recordings
are described in ``tools.synth.check_clips`` (``examples/check/``)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable

from tools.synth.spec import Clip


def collect(package: str, path: Iterable[str]) -> list[Clip]:
    """Every ``CLIPS`` of the modules of ``package``; clip names must be unique."""
    clips: list[Clip] = []
    for mod in sorted(pkgutil.iter_modules(path), key=lambda m: m.name):
        clips += importlib.import_module(f"{package}.{mod.name}").CLIPS
    names = [c.name for c in clips]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"duplicate clip names: {sorted(dup)}")
    return clips


def all_clips() -> list[Clip]:
    return collect(__name__, __path__)
