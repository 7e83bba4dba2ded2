"""Tests for finding and checking the bundled pose landmarker model."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import mediapipe as mp  # type: ignore[import-untyped]
import numpy as np
import pytest
from mediapipe.tasks.python import BaseOptions, vision  # type: ignore[import-untyped]

from formcheck.errors import ModelError
from formcheck.pose import model
from formcheck.pose.model import (
    MODEL_FILENAME,
    MODEL_SHA256,
    default_model_path,
    resolve_model,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
POSE_LANDMARK_COUNT = 33  # BlazePose topology


def _raises_model_error(path: str | Path | None, *needles: str) -> str:
    """Call resolve_model, expect a one-line ModelError naming every needle."""
    with pytest.raises(ModelError) as info:
        resolve_model(path)
    message = str(info.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, f"{needle!r} not in {message!r}"
    return message


def _use_default_candidates(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make the default-model lookup search ``paths`` instead of the real places."""
    monkeypatch.setattr(model, "_candidate_paths", lambda: paths)


def _modified_copy(dest: Path) -> Path:
    """Copy the real bundle and flip one byte inside a member: still a valid zip."""
    shutil.copyfile(default_model_path(), dest)
    data = bytearray(dest.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dest.write_bytes(bytes(data))
    return dest


# --- the default model -------------------------------------------------------


def test_default_model_is_found_in_checkout() -> None:
    import formcheck

    path = default_model_path()
    assert path.name == MODEL_FILENAME
    assert path.is_file()
    # The copy inside the installed package (a wheel install), else the source tree's models/.
    package = Path(formcheck.__file__).resolve().parent
    assert path.resolve() in {
        (package / "models" / MODEL_FILENAME).resolve(),
        (REPO_ROOT / "models" / MODEL_FILENAME).resolve(),
    }


def test_default_model_resolves_and_hashes_right() -> None:
    path = resolve_model()
    assert path == default_model_path().resolve()
    assert path.is_absolute()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == MODEL_SHA256
    with zipfile.ZipFile(path) as bundle:
        assert set(bundle.namelist()) == {
            "pose_detector.tflite",
            "pose_landmarks_detector.tflite",
        }


def test_packaged_copy_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged, checkout = (
        tmp_path / "pkg" / MODEL_FILENAME,
        tmp_path / "repo" / MODEL_FILENAME,
    )
    _use_default_candidates(monkeypatch, packaged, checkout)
    assert default_model_path() == packaged  # neither exists: the packaged path
    checkout.parent.mkdir()
    shutil.copyfile(REPO_ROOT / "models" / MODEL_FILENAME, checkout)
    assert default_model_path() == checkout
    assert resolve_model() == checkout.resolve()
    packaged.parent.mkdir()
    shutil.copyfile(checkout, packaged)
    assert default_model_path() == packaged


def test_user_model_path_is_accepted(tmp_path: Path) -> None:
    copy = tmp_path / "mine.task"
    shutil.copyfile(default_model_path(), copy)
    assert resolve_model(copy) == copy.resolve()
    assert resolve_model(str(copy)) == copy.resolve()


def test_modified_user_model_need_not_match_sha(tmp_path: Path) -> None:
    copy = _modified_copy(tmp_path / "tweaked.task")
    assert resolve_model(copy) == copy.resolve()


# --- bad files ---------------------------------------------------------------


def test_missing_user_model(tmp_path: Path) -> None:
    missing = tmp_path / "nope.task"
    _raises_model_error(missing, "not found", str(missing))


def test_missing_default_model_says_where_it_looked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packaged, checkout = (
        tmp_path / "pkg" / MODEL_FILENAME,
        tmp_path / "repo" / MODEL_FILENAME,
    )
    _use_default_candidates(monkeypatch, packaged, checkout)
    _raises_model_error(None, "not found", str(packaged), str(checkout), "build_pose_model.py")


def test_directory_instead_of_model(tmp_path: Path) -> None:
    _raises_model_error(tmp_path, "not a file")


def test_empty_model(tmp_path: Path) -> None:
    empty = tmp_path / "empty.task"
    empty.write_bytes(b"")
    _raises_model_error(empty, "empty", str(empty))


def test_git_lfs_pointer(tmp_path: Path) -> None:
    pointer = tmp_path / MODEL_FILENAME
    pointer.write_bytes(
        b"version https://git-lfs.github.com/spec/v1\noid sha256:" + MODEL_SHA256.encode() + b"\nsize 9397814\n"
    )
    _raises_model_error(pointer, "Git LFS pointer", "git lfs pull")


def test_git_lfs_pointer_as_default_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pointer = tmp_path / MODEL_FILENAME
    pointer.write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n")
    _use_default_candidates(monkeypatch, pointer, tmp_path / "other" / MODEL_FILENAME)
    _raises_model_error(None, "Git LFS pointer", "git lfs pull")


def test_random_bytes(tmp_path: Path) -> None:
    junk = tmp_path / "junk.task"
    junk.write_bytes(np.random.default_rng(0).bytes(4096))
    _raises_model_error(junk, "not a MediaPipe .task bundle", "not a zip")


def test_zip_without_pose_members(tmp_path: Path) -> None:
    other = tmp_path / "hand_landmarker.task"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hand_detector.tflite", b"x" * 16)
        zf.writestr("hand_landmarks_detector.tflite", b"x" * 16)
    message = _raises_model_error(other, "not a pose landmarker bundle", "pose_detector.tflite")
    assert "pose_landmarks_detector.tflite" in message


def test_zip_with_only_one_member(tmp_path: Path) -> None:
    half = tmp_path / "half.task"
    with zipfile.ZipFile(half, "w") as zf:
        zf.writestr("pose_detector.tflite", b"x" * 16)
    message = _raises_model_error(half, "missing pose_landmarks_detector.tflite")
    assert "missing pose_detector.tflite" not in message


def test_modified_default_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tweaked = _modified_copy(tmp_path / MODEL_FILENAME)
    _use_default_candidates(monkeypatch, tweaked, tmp_path / "other" / MODEL_FILENAME)
    _raises_model_error(None, "corrupt or modified", "sha256", "tools/build_pose_model.py")


def test_truncated_default_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    truncated = tmp_path / MODEL_FILENAME
    truncated.write_bytes(default_model_path().read_bytes()[:100_000])
    _use_default_candidates(monkeypatch, truncated, tmp_path / "other" / MODEL_FILENAME)
    _raises_model_error(None, "not a zip")


# --- it really runs ----------------------------------------------------------


def test_bundle_runs_in_mediapipe_video_mode() -> None:
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(resolve_model())),
        running_mode=vision.RunningMode.VIDEO,
    )
    # A smooth gradient with a blob: no person, but real pixels through the graph.
    yy, xx = np.mgrid[0:240, 0:320]
    frame = np.stack([xx * 255 // 319, yy * 255 // 239, np.full_like(xx, 128)], axis=-1).astype(np.uint8)
    frame[80:200, 140:180] = 220
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for timestamp_ms in (0, 33, 66):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frame))
            result = landmarker.detect_for_video(image, timestamp_ms)
            assert isinstance(result.pose_landmarks, list)
            assert isinstance(result.pose_world_landmarks, list)
            for pose in result.pose_landmarks:
                assert len(pose) == POSE_LANDMARK_COUNT
