"""Text files a user hands formcheck (TOML) or asks it for (JSON), with one-line errors.

Exercise files and program files are read the same way, and both commands that
print a JSON Schema print or save it the same way; one place says how, so their
messages cannot drift apart.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from formcheck.errors import ConfigError, OutputError


def read_toml(path: Path, label: str, what: str) -> dict[str, Any]:
    """The TOML table in ``path``; every problem a ConfigError naming ``label`` and ``what``
    ("exercise file", "program file")."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{label}: no such {what}") from None
    except IsADirectoryError:
        article = "an" if what[0] in "aeiou" else "a"
        raise ConfigError(f"{label}: is a folder, not {article} {what}") from None
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read the {what}: {exc.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label}: not a text file (UTF-8): byte {exc.start} cannot be read") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: not valid TOML: {exc}") from None


def write_text_atomic(text: str, path: str | Path, what: str) -> None:
    """Write to a temporary file beside ``path``, then rename: never a half file.

    The temporary file is created owner-only (mkstemp) and keeps that mode, so a
    report about a patient is readable by them alone.
    """
    path = Path(path)
    for part in path.parents:
        if part.exists() and not part.is_dir():  # mkdir would say only "File exists"
            raise OutputError(f"{part}: is a file, not a folder; cannot write {path} inside it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the {what} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write the {what} ({exc.strerror or exc})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def print_or_write_json(data: dict[str, Any], out: str | None, what: str) -> None:
    """Print ``data`` as JSON, or write it to ``out`` whole (never a half file) and say where."""
    if out:
        from formcheck.report import write_json_atomic  # (the report module imports the exercises)

        write_json_atomic(data, out, what=what)
        print(f"{what}: {out}")
    else:
        print(json.dumps(data, indent=2))
