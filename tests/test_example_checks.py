"""The example exercise files' check recordings (examples/check/): rendered clips with exact
truth, scored with the file each truth names (``exercise_file``), replayed from committed
landmarks (no model run). The bar: every example file counts exactly on its check recordings.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from formcheck.landmark_cache import track_paths
from formcheck.pose.model import resolve_model
from formcheck.regress import truth_files, truth_spec

sys.path.insert(0, str(Path(__file__).parent))
from clip_files import (
    assert_counts_and_holds_match,
    assert_truth_counts_its_events,
    assert_video_matches_truth,
    load,
    result,
    strict_xfail_params,
)

REPO = Path(__file__).resolve().parents[1]
FOLDER = REPO / "examples" / "check"
EXAMPLES = REPO / "examples" / "exercises"
REAL = REPO / "real_videos"
CLIPS = truth_files(FOLDER) if FOLDER.is_dir() else []
IDS = [p.stem for p in CLIPS]

MAX_CLIP_BYTES = 1_500_000
RECORDINGS_PER_FILE = 2

# clip stem -> why formcheck's count differs from the truth (a strict xfail: when the clip starts
# passing, the test says so and the entry goes).
KNOWN: dict[str, str] = {}


def test_every_example_file_has_its_check_recordings():
    """Rendered here, or licensed real footage in real_videos/ (squat, push-up, jumping jacks)."""
    named = [(FOLDER / load(p)["exercise_file"]).resolve() for p in CLIPS]
    real = [(REAL / load(p)["exercise_file"]).resolve() for p in truth_files(REAL) if load(p).get("exercise_file")]
    for example in sorted(EXAMPLES.glob("*.toml")):
        rendered = named.count(example.resolve())
        assert rendered >= RECORDINGS_PER_FILE or (rendered == 0 and example.resolve() in real), example.name


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_truth_follows_schema_and_names_an_example_file(path: Path):
    truth = load(path)
    jsonschema.validate(truth, load(FOLDER / "truth.schema.json"))
    assert (FOLDER / truth["exercise_file"]).resolve().parent == EXAMPLES.resolve()
    assert truth_spec(path, truth).id == truth["exercise"]
    assert_truth_counts_its_events(truth)


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_video_matches_truth_and_is_small(path: Path):
    truth = load(path)
    video = FOLDER / truth["clip"]
    assert_video_matches_truth(video, truth)
    assert video.stat().st_size < MAX_CLIP_BYTES


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_landmarks_are_committed(path: Path):
    """Replaying committed landmarks keeps this suite off the model (and its speed)."""
    assert track_paths(FOLDER / load(path)["clip"], resolve_model())[0].is_file()


@pytest.mark.parametrize("truth_path", strict_xfail_params(CLIPS, KNOWN))
def test_counts_exactly(truth_path: Path):
    assert_counts_and_holds_match(result(truth_path))


def test_known_failures_name_existing_clips():
    assert set(KNOWN) <= set(IDS)


BAND = 6.0  # tools/synth/README.md: no commanded value within 6 deg of a threshold it is judged against


def truth_peaks(truth: dict, primary: str, direction: int) -> tuple[list[float], float, float]:
    """Each rep event's peak and the rest in the file's primary metric, with the no-truth band
    in its units. The schedule (and ``peak_value``) is in the movement's metric
    (``performed_primary_metric``); a file counted on another metric (the seated knee
    extension's hip-ankle line, which moves half as far as the knee) is judged on that metric's
    truth at each event, with the 6-degree band scaled by how far it moves per schedule degree."""
    rest = truth["generator"]["performed_rest"]
    events = truth["rep_events"]
    schedule_metric = truth["generator"]["performed_primary_metric"]
    if primary == schedule_metric:
        return [e["peak_value"] for e in events], rest, BAND
    values = np.array([np.nan if v is None else v for v in truth["metrics"][primary]], float)
    on_schedule = np.array([np.nan if v is None else v for v in truth["metrics"][schedule_metric]], float)
    fps = truth["fps"]

    def window(e: dict) -> np.ndarray:
        return values[int(e["start_s"] * fps) : int(e["end_s"] * fps) + 1]

    peaks = [float(direction * np.nanmax(direction * window(e))) for e in events]
    scale = np.ptp(values[np.isfinite(values)]) / np.ptp(on_schedule[np.isfinite(on_schedule)])
    return peaks, float(values[0]), BAND * float(scale)


@pytest.mark.parametrize("path", CLIPS, ids=IDS)
def test_truth_peaks_are_clear_of_the_files_thresholds(path: Path):
    """A truth is a fact only where a peak is clear of the thresholds it is judged against: a full
    rep >= 6 deg past the file's target, a partial >= 6 short of it and >= 6 past where a movement
    starts (the rest plus start_delta)."""
    truth = load(path)
    spec = truth_spec(path, truth)
    rule = spec.rep
    if rule is None:
        return
    d = rule.direction
    peaks, rest, band = truth_peaks(truth, spec.primary, d)
    for event, value in zip(truth["rep_events"], peaks, strict=True):
        peak = d * value
        if event["complete"]:
            assert peak >= d * rule.target + band, (event, value)
        else:
            assert d * rule.target - band >= peak >= d * rest + rule.start_delta + band, (event, value)
