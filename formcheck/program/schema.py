"""The program file's JSON Schema, generated from the same models that validate it."""

from __future__ import annotations

from typing import Any

from formcheck.program.model import Program

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def program_json_schema() -> dict[str, Any]:
    """For editors (e.g. Taplo / Even Better TOML) and other tools; the loader is the same pydantic model."""
    schema = Program.model_json_schema()
    return {"$schema": SCHEMA_DRAFT, **schema}
