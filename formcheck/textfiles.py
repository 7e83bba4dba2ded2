"""Text files a user hands formcheck (TOML) or asks it for (JSON), with one-line errors.

Exercise files and program files are read the same way, and both commands that
print a JSON Schema print or save it the same way; one place says how, so their
messages cannot drift apart.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from formcheck.errors import ConfigError


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


def print_or_write_json(data: dict[str, Any], out: str | None, what: str) -> None:
    """Print ``data`` as JSON, or write it to ``out`` whole (never a half file) and say where."""
    if out:
        from formcheck.report import write_json_atomic  # (the report module imports the exercises)

        write_json_atomic(data, out, what=what)
        print(f"{what}: {out}")
    else:
        print(json.dumps(data, indent=2))
