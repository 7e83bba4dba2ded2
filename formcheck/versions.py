"""Which versions of its dependencies formcheck was tested with, and which differ here.

The bounds in pyproject.toml let pip pick newer releases inside the tested line
(a new mediapipe 1.2.x, say); CI installs the newest allowed. Such a difference
is not an error, but it must be visible: a new MediaPipe can move landmarks
while the regression suite, which replays committed landmarks, stays green.
``python -m formcheck.versions`` prints the comparison (always exit 0); the
test session prints it in its header.

Standard library only, so it also runs from a source checkout before
formcheck's dependencies are installed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

TESTED_FILE = Path(__file__).with_name("tested_versions.txt")
"""A pip constraints file: one ``name==version`` a line, ``#`` comments."""

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def canonical(name: str) -> str:
    """PEP 503 normalised name: ``OpenCV_Contrib.Python`` and ``opencv-contrib-python`` match."""
    return re.sub(r"[-_.]+", "-", name).lower()


def tested_versions(path: Path = TESTED_FILE, *, optional: bool = True) -> dict[str, str]:
    """The pins; ``optional=False`` leaves out those below the ``# optional`` line (extras)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() == "# optional" and not optional:
            break
        match = _PIN.match(line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def installed_versions(names: Sequence[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def differences(tested: Mapping[str, str], found: Mapping[str, str | None]) -> list[str]:
    """``name found (tested X)`` for each package whose version is not the tested one."""
    out = []
    for name, want in tested.items():
        have = found.get(name)
        if have is None:
            out.append(f"{name} not installed (tested {want})")
        elif have != want:
            out.append(f"{name} {have} (tested {want})")
    return out


def drift_note(found: Mapping[str, str | None] | None = None, path: Path = TESTED_FILE) -> str:
    """One line: the installed versions are the tested ones, or which are not."""
    tested = tested_versions(path)
    found = installed_versions(list(tested)) if found is None else found
    required = tested_versions(path, optional=False)
    tested = {n: v for n, v in tested.items() if n in required or found.get(n) is not None}  # extras if installed
    diff = differences(tested, found)
    if not diff:
        return f"dependencies: the tested versions ({', '.join(f'{n} {v}' for n, v in tested.items())})"
    return (
        f"dependencies: NOT the tested versions: {'; '.join(diff)} "
        "(a note, not a failure: see formcheck/tested_versions.txt; "
        "after a mediapipe or opencv change run `formcheck regress --rerun-model`)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m formcheck.versions",
        description="Compare installed dependency versions with the tested ones (a note; always exits 0).",
    )
    p.parse_args(argv)
    print(drift_note())
    return 0


if __name__ == "__main__":
    sys.exit(main())
