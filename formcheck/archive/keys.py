"""What makes two analyses the same: the video's bytes, formcheck's version, and the settings.

A result key is the sha256 of the video's content (not its name: a renamed or
copied file is the same video), formcheck's version (a new release may count
differently) and a fingerprint of every setting that changes the report: the
exercise (a built-in id, or the content of an exercise file), the side,
``--max-fps`` and the pose model's content. Where the report or annotated video
is written does not change the result, so it is not part of the key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from formcheck import __version__
from formcheck.batch import Job

CHUNK = 1 << 20


def content_sha256(path: str | Path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB blocks (a video never sits in memory whole)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def settings(job: Job, sha256: Callable[[Path], str]) -> dict[str, object]:
    """The job's settings that change its report, as plain JSON-able data.

    ``sha256`` hashes an exercise or model file (the store's cached hash). The
    bundled model is named by the sha256 it is checked against when it loads,
    so it is not read here.
    """
    from formcheck.pose.model import MODEL_SHA256

    return {
        "exercise": job.exercise,
        "exercise_file_sha256": sha256(Path(job.exercise_file)) if job.exercise_file else None,
        "side": job.side,
        "max_fps": job.max_fps,
        "model_sha256": sha256(Path(job.model)) if job.model else MODEL_SHA256,
    }


def settings_json(values: dict[str, object]) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"))


def result_key(video_sha256: str, settings_text: str, version: str = __version__) -> str:
    """Same key, same report: the video's content, formcheck's version and the settings' JSON."""
    return hashlib.sha256(f"{video_sha256}\n{version}\n{settings_text}".encode()).hexdigest()
