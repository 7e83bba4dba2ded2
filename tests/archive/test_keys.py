"""Result keys: the video's content, formcheck's version and the settings that change a report."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

import formcheck.archive.store as store_module
from formcheck.archive.keys import content_sha256, result_key
from formcheck.archive.store import ResultsStore
from formcheck.batch import Job


def job(video: Path, **changes: object) -> Job:
    base = Job(video, "bridge", None, "auto", None, None, None, None)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path):
    with ResultsStore.open(tmp_path / "results.sqlite") as s:
        yield s


def test_content_hash_is_the_sha256_of_the_bytes(tmp_path: Path):
    import hashlib

    data = os.urandom(3 << 20)  # more than one read block
    (tmp_path / "v.mp4").write_bytes(data)
    assert content_sha256(tmp_path / "v.mp4") == hashlib.sha256(data).hexdigest()


def test_same_bytes_under_another_name_is_the_same_key(tmp_path: Path, store: ResultsStore):
    (tmp_path / "a.mp4").write_bytes(b"video bytes")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "renamed.mov").write_bytes(b"video bytes")
    (tmp_path / "c.mp4").write_bytes(b"other bytes")
    a, renamed, c = (
        store.entry(job(p)) for p in (tmp_path / "a.mp4", tmp_path / "sub/renamed.mov", tmp_path / "c.mp4")
    )
    assert a.key == renamed.key
    assert a.key != c.key
    # Where the outputs go is not part of the result.
    assert store.entry(job(tmp_path / "a.mp4", report=tmp_path / "x.json", out=tmp_path / "x.mp4")).key == a.key


@pytest.mark.parametrize(
    "change",
    [
        {"exercise": "pelvic_tilt"},
        {"side": "left"},
        {"max_fps": 10.0},
    ],
)
def test_a_setting_that_changes_the_report_changes_the_key(tmp_path: Path, store: ResultsStore, change: dict):
    (tmp_path / "a.mp4").write_bytes(b"video bytes")
    assert store.entry(job(tmp_path / "a.mp4", **change)).key != store.entry(job(tmp_path / "a.mp4")).key


def test_exercise_and_model_files_count_by_content(tmp_path: Path, store: ResultsStore):
    video = tmp_path / "a.mp4"
    video.write_bytes(b"video bytes")
    exercise = tmp_path / "mine.toml"
    exercise.write_text('id = "mine"\n')
    model = tmp_path / "m.task"
    model.write_bytes(b"model one")
    first = store.entry(job(video, exercise=None, exercise_file=str(exercise), model=str(model))).key
    assert store.entry(job(video, exercise=None, exercise_file=str(exercise), model=str(model))).key == first
    exercise.write_text('id = "mine"\nname = "changed"\n')
    second = store.entry(job(video, exercise=None, exercise_file=str(exercise), model=str(model))).key
    assert second != first
    model.write_bytes(b"model two, another size")
    assert store.entry(job(video, exercise=None, exercise_file=str(exercise), model=str(model))).key != second
    # The bundled model is named by its checked sha256, not "no model".
    assert store.entry(job(video)).settings.count('"model_sha256":"f98790aa') == 1


def test_formcheck_version_is_in_the_key(tmp_path: Path, store: ResultsStore):
    (tmp_path / "a.mp4").write_bytes(b"video bytes")
    assert result_key("ab" * 32, "{}", "0.1.0") != result_key("ab" * 32, "{}", "0.2.0")
    assert store.entry(job(tmp_path / "a.mp4"), version="9.9").key != store.entry(job(tmp_path / "a.mp4")).key


def test_an_unchanged_file_is_not_hashed_again(tmp_path: Path, store: ResultsStore, monkeypatch):
    video = tmp_path / "a.mp4"
    video.write_bytes(b"video bytes")
    calls: list[Path] = []

    def counting(path: str | Path) -> str:
        calls.append(Path(path))
        return content_sha256(path)

    monkeypatch.setattr(store_module, "content_sha256", counting)
    first = store.entry(job(video)).key
    assert store.entry(job(video)).key == first
    assert store.entry(job(video), read=False).video_sha256 is not None
    assert calls == [video]
    video.write_bytes(b"video bytes, edited")  # new size and mtime: read again, new key
    assert store.entry(job(video), read=False).video_sha256 is None
    assert store.entry(job(video)).key != first
    assert calls == [video, video]
