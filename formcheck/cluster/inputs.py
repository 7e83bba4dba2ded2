"""The command line's inputs for a cluster run: local paths, or fsspec URLs (files or folders)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from formcheck.batch import VIDEO_SUFFIXES, expand_inputs
from formcheck.cluster.worker import is_url
from formcheck.errors import InputError


def expand_cluster_inputs(specs: Sequence[str]) -> tuple[list[Path], list[str | None]]:
    """(names, urls): a URL to a folder stands for the videos in it (listed here, through fsspec).

    ``names[i]`` is a local path, or for a URL its name as a path (output files
    are named from it); ``urls[i]`` is the URL, or None for a local path.
    """
    names: list[Path] = []
    urls: list[str | None] = []
    for spec in specs:
        if not is_url(spec):
            local, _ = expand_inputs([spec])
            names.extend(local)
            urls.extend([None] * len(local))
            continue
        for url in _list_url(spec):
            names.append(Path(url.rsplit("/", 1)[-1]))
            urls.append(url)
    return names, urls


def _list_url(spec: str) -> list[str]:
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(spec)
        if not fs.isdir(path):
            return [spec]
        found = sorted(p for p in fs.ls(path, detail=False) if str(p).lower().endswith(VIDEO_SUFFIXES) and fs.isfile(p))
    except ImportError as exc:  # e.g. s3:// without s3fs
        raise InputError(f"{spec}: {exc}") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot list {spec}: {exc}") from None
    if not found:
        raise InputError(f"no video files in {spec}")
    return [str(fs.unstrip_protocol(p)) for p in found]
