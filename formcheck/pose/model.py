"""Find and sanity-check the pose landmarker model bundle.

formcheck ships its own ``pose_landmarker_full.task`` (MediaPipe BlazePose,
rebuilt offline by ``tools/build_pose_model.py``, see ``models/README.md``)
because the usual download from Google is not reachable everywhere it runs.
MediaPipe's own errors for a bad model file are long C++ status dumps that
rarely say what to do, so every problem a user can cause (missing file, Git LFS
pointer instead of the real file, wrong file, corrupt download) is caught here
first and turned into a one-line :class:`~formcheck.errors.ModelError`.
"""

from __future__ import annotations

import hashlib
import struct
import zipfile
from pathlib import Path

from formcheck.errors import ModelError

MODEL_FILENAME = "pose_landmarker_full.task"
"""File name of the bundled model, both in the wheel and in the source checkout."""

MODEL_SHA256 = "f98790aac728355e7ecbc01b3dc924afb40a81c63cb18927e3f7b418d73ae3e9"
"""sha256 of the committed ``models/pose_landmarker_full.task``.

The build is byte-reproducible, so this only changes if the bundle is rebuilt
on purpose (from a different mediapipe wheel or with different metadata).
"""

REQUIRED_MEMBERS = ("pose_detector.tflite", "pose_landmarks_detector.tflite")
"""Members the Tasks ``PoseLandmarker`` graph loads from a ``.task`` zip."""

_LFS_POINTER_PREFIX = b"version https://git-lfs"
_HASH_CHUNK_BYTES = 1 << 20
_USER_HINT = f"pass a pose landmarker .task bundle such as {MODEL_FILENAME}"
_REBUILD_HINT = "rebuild it with tools/build_pose_model.py (see models/README.md) or reinstall formcheck"


def _candidate_paths() -> tuple[Path, Path]:
    """Where the default model may live, in order of preference.

    First the copy force-included into the installed wheel, next to the package
    (``Path(formcheck.__file__).parent / "models"``; computed from this file so
    it also works while ``formcheck`` is a namespace package), then the
    top-level ``models/`` folder of a source checkout, for running from the repo
    without installing.
    """
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "models" / MODEL_FILENAME
    checkout = here.parents[2] / "models" / MODEL_FILENAME
    return packaged, checkout


def default_model_path() -> Path:
    """Return the bundled model's path: the first candidate that exists.

    If neither exists the packaged path is returned, since that is where an
    installed formcheck should have it; :func:`resolve_model` then reports both
    places it looked.
    """
    candidates = _candidate_paths()
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return candidates[0]


def _sha256_of(path: Path) -> str:
    """Hash in chunks so checking the ~9 MB model never holds it all in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _check_bundle(path: Path, hint: str) -> None:
    """Raise :class:`ModelError` unless ``path`` looks like a pose landmarker bundle.

    Only cheap checks: size, the first bytes and the zip's central directory.
    ``hint`` ends the message: how to get a good file (rebuild the default
    model, or pass a proper bundle).
    Member contents are not read; a corrupt default model is caught by its
    sha256, and a corrupt user model by MediaPipe when it loads it.
    """
    size = path.stat().st_size
    if size == 0:
        raise ModelError(f"pose model {path} is empty (0 bytes); {hint}")
    with path.open("rb") as fh:
        head = fh.read(len(_LFS_POINTER_PREFIX))
    if head == _LFS_POINTER_PREFIX:
        raise ModelError(
            f"pose model {path} is a Git LFS pointer, not the model itself; run `git lfs pull` to fetch it"
        )
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
    # Damaged zips surface as any of these, not just BadZipFile (e.g. a flipped
    # byte in the central directory gives NotImplementedError "zip file version").
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        NotImplementedError,
        struct.error,
    ):
        raise ModelError(f"pose model {path} is not a MediaPipe .task bundle (not a zip file); {hint}") from None
    missing = [name for name in REQUIRED_MEMBERS if name not in names]
    if missing:
        raise ModelError(
            f"pose model {path} is not a pose landmarker bundle: "
            f"missing {', '.join(missing)} inside the .task zip; {hint}"
        )


def resolve_model(path: str | Path | None = None) -> Path:
    """Return the absolute path of a usable pose landmarker bundle.

    ``None`` means the bundled default model, which must also match
    :data:`MODEL_SHA256`: it is ours, so any difference means a truncated copy,
    a bad checkout or a local edit, and silently analysing with a different
    model would change every result. A user-supplied path (``--model``) may be
    any pose landmarker bundle, e.g. a newer or ``heavy`` variant, so it is only
    checked for being one.

    Raises:
        ModelError: with a one-line message saying what is wrong and how to fix it.
    """
    if path is None:
        model = default_model_path()
        if not model.is_file():
            looked = " and ".join(str(p) for p in _candidate_paths())
            raise ModelError(f"pose model {MODEL_FILENAME} not found; looked in {looked}; {_REBUILD_HINT}")
    else:
        model = Path(path).expanduser()
        if not model.exists():
            raise ModelError(f"pose model not found: {model}")
        if not model.is_file():
            raise ModelError(f"pose model {model} is not a file")

    try:
        _check_bundle(model, _REBUILD_HINT if path is None else _USER_HINT)
        if path is None:
            actual = _sha256_of(model)
            if actual != MODEL_SHA256:
                raise ModelError(
                    f"pose model {model} is corrupt or modified "
                    f"(sha256 {actual[:12]}..., expected {MODEL_SHA256[:12]}...); "
                    f"{_REBUILD_HINT}"
                )
    except OSError as err:
        raise ModelError(f"cannot read pose model {model}: {err.strerror or err}") from None
    return model.resolve()
