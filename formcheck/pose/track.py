"""A whole clip's landmarks as arrays, cached on disk and replayed without the model.

Running BlazePose costs ~15 ms a frame; the regression suite replays cached
landmarks instead. The cache key is the clip's bytes and the model's bytes, so
a changed clip or model can never be answered from a stale cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from formcheck.landmarks import NUM_LANDMARKS, PoseFrame
from formcheck.sources import Frame

FloatArray = NDArray[np.float64]

CACHE_FORMAT = 1


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True, eq=False)
class LandmarkTrack:
    """Per-frame landmarks of a clip: (N,), (N,33,3), (N,33,3), (N,33)."""

    t_ms: FloatArray
    image: FloatArray
    world: FloatArray
    visibility: FloatArray
    width: int
    height: int
    fps: float

    def __post_init__(self) -> None:
        n = self.t_ms.shape[0]
        shapes = {
            "image": (self.image.shape, (n, NUM_LANDMARKS, 3)),
            "world": (self.world.shape, (n, NUM_LANDMARKS, 3)),
            "visibility": (self.visibility.shape, (n, NUM_LANDMARKS)),
        }
        for name, (got, want) in shapes.items():
            if got != want:
                raise ValueError(f"LandmarkTrack.{name} has shape {got}, expected {want}")

    def __len__(self) -> int:
        return int(self.t_ms.shape[0])

    @classmethod
    def from_poses(cls, poses: list[PoseFrame], fps: float) -> LandmarkTrack:
        if not poses:
            raise ValueError("no frames")
        return cls(
            t_ms=np.array([p.t_ms for p in poses], dtype=np.float64),
            image=np.stack([p.image for p in poses]),
            world=np.stack([p.world for p in poses]),
            visibility=np.stack([p.visibility for p in poses]),
            width=poses[0].width,
            height=poses[0].height,
            fps=float(fps),
        )

    def pose(self, i: int) -> PoseFrame:
        return PoseFrame(
            index=i,
            t_ms=float(self.t_ms[i]),
            image=self.image[i],
            world=self.world[i],
            visibility=self.visibility[i],
            width=self.width,
            height=self.height,
        )

    def poses(self) -> Iterator[PoseFrame]:
        for i in range(len(self)):
            yield self.pose(i)

    def frames(self) -> Iterator[Frame]:
        """Image-less frames with the clip's timestamps, to drive a replay pipeline."""
        for i in range(len(self)):
            yield Frame(index=i, t_ms=float(self.t_ms[i]), image=None)

    def save(self, path: str | Path) -> None:
        """Atomic write: a crash mid-save never leaves a half cache behind."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        os.close(fd)
        try:
            with open(tmp, "wb") as fh:
                np.savez_compressed(
                    fh,
                    format=np.array(CACHE_FORMAT),
                    t_ms=self.t_ms,
                    image=self.image.astype(np.float32),
                    world=self.world.astype(np.float32),
                    visibility=self.visibility.astype(np.float32),
                    size=np.array([self.width, self.height]),
                    fps=np.array(self.fps),
                )
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: str | Path) -> LandmarkTrack:
        with np.load(path) as data:
            if int(data["format"]) != CACHE_FORMAT:
                raise ValueError(f"{path}: cache format {int(data['format'])}, expected {CACHE_FORMAT}")
            return cls(
                t_ms=data["t_ms"].astype(np.float64),
                image=data["image"].astype(np.float64),
                world=data["world"].astype(np.float64),
                visibility=data["visibility"].astype(np.float64),
                width=int(data["size"][0]),
                height=int(data["size"][1]),
                fps=float(data["fps"]),
            )


class ReplayEstimator:
    """Answers ``estimate(frame)`` from a track, by frame index (no model run)."""

    def __init__(self, track: LandmarkTrack) -> None:
        self.track = track

    def estimate(self, frame: Frame) -> PoseFrame:
        return self.track.pose(frame.index)

    def close(self) -> None:
        pass


def cache_key(clip: str | Path, model: str | Path) -> str:
    return f"{file_sha256(clip)[:16]}-{file_sha256(model)[:16]}"
