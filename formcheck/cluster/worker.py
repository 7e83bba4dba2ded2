"""What runs on a Dask worker: the model loaded once per worker, and one video per task."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from formcheck.batch import Job, Outcome
from formcheck.pose.estimator import EstimatorFactory, LoadedPoseModel

PLUGIN_NAME = "formcheck-pose-model"

ClusterWork = Callable[[Job, EstimatorFactory | None], Outcome]
"""One video's analysis on a worker (``batch.analyze_job``; tests pass stand-ins)."""


def _plugin_base() -> type:
    from distributed import WorkerPlugin

    return WorkerPlugin


class PoseModelPlugin(_plugin_base()):  # type: ignore[misc]
    """Installed on every worker (also on workers that join or replace a dead one).

    ``setup`` finds, checks and reads the pose model once for the worker's
    lifetime; each task then builds its landmarker from those bytes
    (LoadedPoseModel says why a landmarker is not shared between videos).
    """

    def __init__(self, model: str | None, *, ignore_interrupt: bool = False) -> None:
        self.model_arg = model
        self.ignore_interrupt = ignore_interrupt
        self.model: LoadedPoseModel | None = None
        self.loads = 0

    def setup(self, worker: Any) -> None:
        if self.ignore_interrupt:
            # A local cluster's workers share the terminal: Ctrl-C reaches them too, and
            # each would print a traceback. The head decides: it cancels and closes them.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        self.model = LoadedPoseModel(self.model_arg)
        self.loads += 1


def _worker_model() -> LoadedPoseModel | None:
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN_NAME)
    return plugin.model if isinstance(plugin, PoseModelPlugin) else None


@dataclass(frozen=True)
class ClusterTask:
    """One video for a worker: ``job`` (paths as the worker sees them) and, for a URL, where it lives."""

    job: Job
    url: str | None = None


def is_url(spec: str) -> bool:
    """An fsspec URL (``s3://``, ``gs://``, ``file://``, ...), read through fsspec rather than as a path."""
    return "://" in spec


@contextlib.contextmanager
def local_copy(url: str) -> Iterator[Path]:
    """The file at an fsspec URL, fetched to a temporary file on this worker (deleted after)."""
    import fsspec

    folder = tempfile.mkdtemp(prefix="formcheck-")
    try:
        name = Path(url.rstrip("/").rsplit("/", 1)[-1]).name or "video"
        path = Path(folder) / name
        with fsspec.open(url, "rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_task(task: ClusterTask, work: ClusterWork) -> Outcome:
    """In a worker: analyse one video with the worker's model; a problem is this file's Outcome."""
    model = _worker_model()
    factory = model.estimator if model is not None else None
    if task.url is None:
        return work(task.job, factory)
    try:
        with local_copy(task.url) as path:
            outcome = work(replace(task.job, video=path), factory)
    except Exception as exc:  # not found, no permission, no credentials: this file's failure
        return Outcome(task.url, "failed", f"cannot fetch {task.url}: {type(exc).__name__}: {exc}")
    outcome.video = task.url
    if outcome.report:
        outcome.report["source"] = task.url  # where the video is, not the worker's temporary copy
    return outcome


def unreadable(paths: list[str]) -> dict[str, str]:
    """On a worker: the local paths it cannot read, each with the reason."""
    bad: dict[str, str] = {}
    for path in paths:
        if not os.path.isfile(path):
            bad[path] = "no such file" if not os.path.exists(path) else "not a file"
        elif not os.access(path, os.R_OK):
            bad[path] = "permission denied"
    return bad
