"""Rebuild ``models/pose_landmarker_full.task`` offline from mediapipe 0.10.21.

Why this exists
---------------
formcheck runs MediaPipe's Tasks API ``PoseLandmarker``, which wants a
``pose_landmarker_full.task`` bundle that is normally downloaded from Google's
model storage. That download is not reachable from our machines, but the
``mediapipe==0.10.21`` wheel on PyPI ships the very same BlazePose networks
(Apache-2.0) as bare TFLite files:

* ``mediapipe/modules/pose_detection/pose_detection.tflite`` (person detector)
* ``mediapipe/modules/pose_landmark/pose_landmark_full.tflite`` (full landmark model)

The Tasks API refuses bare float models ("Input tensor has type float32: it
requires specifying NormalizationOptions metadata"), so this script adds TFLite
image-input metadata to each (detector: mean 127.5 / std 127.5, i.e. input in
[-1, 1]; landmark model: mean 0 / std 255, i.e. input in [0, 1]) with
MediaPipe's own metadata writer, and zips them into a model asset bundle with
the member names the PoseLandmarker graph looks for (``pose_detector.tflite``,
``pose_landmarks_detector.tflite``). Later mediapipe wheels (1.x) ship no
.tflite files and their metadata writer lacks its compiled module, hence the
pinned old version.

The output is byte-reproducible: fixed member order, fixed 1980-01-01 zip
timestamps and permissions, no compression, MediaPipe's 4-byte alignment. The
inputs are checked against pinned sha256 digests, so the same wheel always gives
the same bundle (sha256 recorded in ``models/README.md`` and
``formcheck/pose/model.py``).

How to run
----------
Use a throwaway virtualenv *outside* the repo (mediapipe 0.10.21 needs
numpy<2 and must not go into the project's dev venv)::

    python3.11 -m venv /work/mp-old-venv
    /work/mp-old-venv/bin/pip install "mediapipe==0.10.21" "numpy<2"
    cd /work/main
    /work/mp-old-venv/bin/python tools/build_pose_model.py
    # or: ... tools/build_pose_model.py --output /tmp/pose.task

It prints the sha256 of what it wrote; if you rebuilt on purpose, copy it into
``MODEL_SHA256`` in ``formcheck/pose/model.py`` and into ``models/README.md``.
Pass ``--check`` to rebuild into a temporary file and only compare it with the
committed bundle (exit status 1 if they differ).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import zipfile
from pathlib import Path

MEDIAPIPE_VERSION = "0.10.21"

#: (path inside the installed mediapipe package, sha256 of that file in the wheel)
DETECTOR_SOURCE = (
    "modules/pose_detection/pose_detection.tflite",
    "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
)
LANDMARKS_SOURCE = (
    "modules/pose_landmark/pose_landmark_full.tflite",
    "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
)

#: Member names the Tasks PoseLandmarker graph expects inside the bundle.
DETECTOR_MEMBER = "pose_detector.tflite"
LANDMARKS_MEMBER = "pose_landmarks_detector.tflite"

#: A fixed timestamp (the earliest a zip can hold) so the bundle's bytes never
#: depend on when it was built.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO_ROOT / "models" / "pose_landmarker_full.task"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_source(mp_dir: Path, source: tuple[str, str]) -> bytes:
    """Read one .tflite from the installed wheel, refusing anything unexpected.

    The digest check is what makes the build reproducible: a different wheel
    (or a patched install) would silently give a different bundle.
    """
    rel_path, expected = source
    path = mp_dir / rel_path
    if not path.is_file():
        sys.exit(f"error: {path} not found; is mediapipe=={MEDIAPIPE_VERSION} installed?")
    data = path.read_bytes()
    if _sha256(data) != expected:
        sys.exit(f"error: {path} has sha256 {_sha256(data)}, expected {expected}")
    return data


def _add_image_metadata(model: bytes, name: str, description: str, mean: float, std: float) -> bytes:
    """Return ``model`` with TFLite metadata describing its float image input.

    The Tasks API reads ``NormalizationOptions`` from this metadata to turn
    8-bit RGB pixels into the float range the network was trained on; without
    it the model is rejected outright.
    """
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer  # type: ignore[import-untyped]

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, description)
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    tflite, _json = writer.populate()
    return bytes(tflite)


def build_members() -> dict[str, bytes]:
    """Build the two bundle members, in the order they are written."""
    import mediapipe  # type: ignore[import-untyped]

    if mediapipe.__version__ != MEDIAPIPE_VERSION:
        sys.exit(
            f"error: this needs mediapipe=={MEDIAPIPE_VERSION}, "
            f"found {mediapipe.__version__} (run it with the throwaway venv "
            f"described at the top of {Path(__file__).name})"
        )
    mp_dir = Path(mediapipe.__file__).resolve().parent
    detector = _add_image_metadata(
        _read_source(mp_dir, DETECTOR_SOURCE),
        name="BlazePose detector",
        description=("Person detector from mediapipe 0.10.21 pose_detection.tflite; input RGB in [-1, 1]."),
        mean=127.5,
        std=127.5,
    )
    landmarks = _add_image_metadata(
        _read_source(mp_dir, LANDMARKS_SOURCE),
        name="BlazePose GHUM 3D full",
        description=("Pose landmark model from mediapipe 0.10.21 pose_landmark_full.tflite; input RGB in [0, 1]."),
        mean=0.0,
        std=255.0,
    )
    return {DETECTOR_MEMBER: detector, LANDMARKS_MEMBER: landmarks}


def write_bundle(members: dict[str, bytes], output: Path) -> None:
    """Write the bundle atomically with fixed zip metadata.

    Uses MediaPipe's ``AlignZipFile`` (what ``create_model_asset_bundle`` uses,
    so members stay 4-byte aligned for mmap) but with our own ``ZipInfo``:
    ``create_model_asset_bundle`` stamps members with the current time, which
    would change the sha256 on every build.
    """
    from mediapipe.tasks.python.metadata.metadata_writers import (
        model_asset_bundle_utils,
    )

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".pose-model-", suffix=".tmp", dir=output.parent)
    os.close(fd)
    try:
        with model_asset_bundle_utils.AlignZipFile(tmp_name, mode="w", alignment=4) as zf:
            for name in sorted(members):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
                info.compress_type = zipfile.ZIP_STORED
                info.create_system = 3  # Unix, whatever OS builds it
                info.external_attr = 0o100644 << 16  # regular file, rw-r--r--
                zf.writestr(info, members[name])
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, output)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="where to write the bundle (default: models/pose_landmarker_full.task)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="build into a temporary file and compare with --output; overwrite nothing",
    )
    args = parser.parse_args(argv)

    members = build_members()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "pose_landmarker_full.task"
            write_bundle(members, fresh)
            new = _sha256(fresh.read_bytes())
        old = _sha256(args.output.read_bytes()) if args.output.is_file() else "(missing)"
        print(f"rebuilt   {new}\ncommitted {old}  {args.output}")
        return 0 if new == old else 1

    write_bundle(members, args.output)
    data = args.output.read_bytes()
    print(f"{_sha256(data)}  {args.output}  ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
