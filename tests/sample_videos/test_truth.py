"""The committed sample clips and their truth files agree with each other and with the schedule.

Needs only numpy, opencv and jsonschema (no rendering, no model)."""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
from clip_files import assert_video_matches_truth, load

FOLDER = Path(__file__).resolve().parents[2] / "sample_videos"
TRUTHS = sorted(p for p in FOLDER.glob("*.json") if p.name != "truth.schema.json")
IDS = [p.stem for p in TRUTHS]

# progress thresholds on the primary metric, 0 = rest, 1 = target
START, END, COMPLETE = 0.20, 0.10, 0.75
# the labelled exercise's target, to check a wrong-exercise clip never reaches it
LABELLED_TARGET = {"knee_to_chest": ("pulled_hip_angle", "<=", 90.0)}


@pytest.fixture(scope="module")
def schema() -> dict:
    return load(FOLDER / "truth.schema.json")


def test_there_are_clips():
    assert TRUTHS, f"no truth files in {FOLDER}"


@pytest.mark.parametrize("path", TRUTHS, ids=IDS)
def test_schema(path: Path, schema: dict):
    jsonschema.validate(load(path), schema)


@pytest.mark.parametrize("path", TRUTHS, ids=IDS)
def test_video_matches_truth(path: Path):
    t = load(path)
    video = FOLDER / t["clip"]
    assert_video_matches_truth(video, t)
    assert 8.0 <= t["duration_s"] <= 25.0
    assert len(t["person_in_frame"]) == t["frames"]
    for name, series in t["metrics"].items():
        assert len(series) == t["frames"], name
    pts = np.load(FOLDER / t["generator"]["points_file"])
    assert pts["xyz"].shape == (t["frames"], 33, 3)
    assert pts["px"].shape == (t["frames"], 33, 3)
    assert video.stat().st_size < 2.0e6


def excursions(progress: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, peak, end) frame indices of each excursion of ``progress`` past START."""
    out, i, n = [], 0, len(progress)
    while i < n:
        if progress[i] > START:
            j = i
            while j < n and progress[j] > END:
                j += 1
            seg = progress[i:j]
            out.append((i, i + int(np.nanargmax(seg)), j))
            i = j
        else:
            i += 1
    return out


@pytest.mark.parametrize("path", TRUTHS, ids=IDS)
def test_truth_agrees_with_metric(path: Path):
    t = load(path)
    g = t["generator"]
    fps = t["fps"]
    if t["exercise"] != t["performed"]:
        assert t["reps"] == 0 and t["partial_reps"] == 0 and t["rep_events"] == [] and t["holds"] == []
        if t["exercise"] in LABELLED_TARGET:
            name, op, value = LABELLED_TARGET[t["exercise"]]
            m = np.array(t["metrics"][name], dtype=float)
            reached = m <= value if op == "<=" else m >= value
            assert not np.any(reached[np.isfinite(m)]), "the labelled target was reached in a wrong-exercise clip"
        return
    m = np.array(t["metrics"][t["primary_metric"]], dtype=float)
    if "schedule_series" in g:  # the schedule's units are a generator series, not a metric (pelvic tilt)
        m = np.array(g[g["schedule_series"]], dtype=float)
    rest, target = g["performed_rest"], g["performed_target"]
    # A leading ``enter`` segment (the person walks into view) is not exercise time: ignore it.
    i_start = round(_leading_seconds(g["schedule"], "enter") * fps)
    m[:i_start] = np.nan
    assert abs(m[i_start] - rest) < 3.0, "clip should start at rest"
    # A rep done to the wrong side (wrong_side: true) is neither a rep nor a partial rep.
    counted = [ev for ev in t["rep_events"] if not ev.get("wrong_side")]
    for ev in t["rep_events"]:
        if ev.get("wrong_side"):
            assert not ev["complete"]
            assert np.sign(ev["peak_value"] - rest) == -np.sign(target - rest), "a wrong-side rep goes the other way"
            span = m[round(ev["start_s"] * fps) : round(ev["end_s"] * fps)]
            assert abs(np.nanmax(np.abs(span - rest)) - abs(ev["peak_value"] - rest)) < 0.05
    # A signed metric done to both sides of a neutral rest (lower trunk rotation): a rep to the
    # other side moves it the other way, so progress is the distance from rest either way.
    two_way = any(np.sign(ev["peak_value"] - rest) == -np.sign(target - rest) for ev in counted)
    progress = (np.abs(m - rest) if two_way else m - rest) / (abs(target - rest) if two_way else target - rest)

    def toward_target(v: float) -> float:  # a peak on the other side, mirrored onto the target's side
        return rest + abs(v - rest) * np.sign(target - rest) if two_way else v

    held_reps = held_partials = 0
    if g.get("rep_hold_s"):
        # Reps that ARE holds (pelvic tilt: "hold 5 s per rep"): one rep event per hold, complete
        # when held rep_hold_s or more; the hold checks below check the holds themselves.
        done = [h["duration_s"] >= g["rep_hold_s"] - 1e-6 for h in t["holds"]]
        assert [e["complete"] for e in counted] == done
        for ev, h in zip(counted, t["holds"], strict=False):
            assert ev["start_s"] <= h["start_s"] and h["end_s"] <= ev["end_s"]
        held_reps, held_partials, counted = sum(done), len(done) - sum(done), []
    ex = excursions(progress)
    moves = [e for e in ex if not _inside_hold(e, t, fps)]
    if t["holds"] and not counted:
        # A held exercise: a movement outside the holds is an attempt that stops short of the
        # held position (child's pose with the hips high): neither a rep nor a hold.
        for _, p, _ in moves:
            assert abs(m[p] - target) >= 20.0, "a failed attempt must stop clearly short of the target"
        moves = []
    complete = [progress[p] >= COMPLETE for _, p, _ in moves]
    assert sum(complete) + held_reps == t["reps"]
    assert len(complete) - sum(complete) + held_partials == t["partial_reps"]
    assert [e["complete"] for e in counted] == complete
    for (s, p, e), ev in zip(moves, counted, strict=False):
        assert ev["start_s"] - 0.05 <= s / fps and e / fps <= ev["end_s"] + 0.05
        assert abs(m[p] - ev["peak_value"]) < 0.02 or abs(p / fps - ev["peak_s"]) < ev["end_s"] - ev["start_s"]
        if ev["complete"]:
            assert abs(toward_target(ev["peak_value"]) - target) <= 8.0
        else:
            assert abs(toward_target(ev["peak_value"]) - target) >= 20.0, "partials must stop clearly short"
    for h in t["holds"]:
        i0, i1 = round(h["start_s"] * fps), round(h["end_s"] * fps)
        in_target = progress[i0:i1] >= COMPLETE
        broken = np.zeros(i1 - i0, bool)
        for b in t["form_breaks"]:
            broken[max(round(b["start_s"] * fps) - i0, 0) : max(round(b["end_s"] * fps) - i0, 0)] = True
        held = np.sum(in_target & ~broken) / fps
        assert abs(held - h["duration_s"]) <= 0.1 + 2 / fps


def _leading_seconds(schedule: list[dict], kind: str) -> float:
    """Duration of the schedule's leading segments of ``kind``."""
    total = 0.0
    for seg in schedule:
        if seg["kind"] != kind:
            break
        total += seg["duration"]
    return total


def _inside_hold(e, t, fps) -> bool:
    """The excursion is a hold's (it overlaps one: the way in, the hold, the way out)."""
    s, _, end = e
    return any(s <= h["end_s"] * fps + 2 and end >= h["start_s"] * fps - 2 for h in t["holds"])


@pytest.mark.parametrize("path", TRUTHS, ids=IDS)
def test_detection_rate(path: Path):
    t = load(path)
    assert t["detection_rate"] is not None and t["detection_rate"] >= 0.95


def test_readme_lists_every_clip():
    readme = (FOLDER / "README.md").read_text()
    for p in TRUTHS:
        assert f"`{load(p)['clip']}`" in readme
    assert "CC0" in readme and "Apache" in readme
