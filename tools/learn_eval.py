"""How well files learnt from one demonstration count other recordings of the same exercise.

For every exercise with several recordings with known truth, each recording that
is a good demonstration (:func:`is_demonstration`) is given to
``formcheck exercises learn`` (the same :func:`formcheck.exercises.learn.learn`),
and the learnt file counts every OTHER recording of that exercise, as
``formcheck analyze --exercise-file`` would with ``--side auto``: the learnt
file measures the side that moves (``side = "moving"``), whereas a built-in's
``--side`` names the leg its handout means (for a hip flexor stretch, the leg
that is NOT pulled), which a learnt file cannot know. A pair passes (:func:`pair_ok`) when the reps are
within 1 of the truth or, for a hold exercise, when every hold is found and
timed within 0.5 s (the regression bar).

Recordings: the development set is the sweep's seed-1 clips plus the sample
clips (``sample_videos/``) and the real footage (``real_videos/``); the seed-2
sweep is a holdout, counted with files learnt from development demonstrations
and reported as a total only. Landmarks come from the landmark cache (committed
fixtures, then the user cache); a clip without cached landmarks is skipped,
never sent through the model.

    python -m tools.learn_eval                # per exercise, overall, same-view pairs, holdout total
    python -m tools.learn_eval --misses       # and every failing pair
    python -m tools.learn_eval --json out.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SWEEP = Path.home() / ".cache" / "formcheck" / "sweep"
HOLD_TOLERANCE_S = 0.5  # formcheck.regress.HOLD_TOLERANCE_S, the regression bar for a hold's length
REP_TOLERANCE = 1  # the bar: counts within 1 of the truth
EDGE_FEATURES = {"start_mid", "end_at_rep", "end_at_release"}  # a sweep clip cut mid-movement


@dataclass(frozen=True)
class Recording:
    name: str
    source: str  # "sweep1", "sample", "real", "sweep2"
    exercise: str
    view: str  # as the truth says: side, front, oblique, feet_end
    near_side: str | None  # the side facing the camera (side views)
    truth: dict[str, Any] = field(repr=False, compare=False, hash=False)
    poses: tuple[Any, ...] = field(repr=False, compare=False, hash=False)

    @property
    def camera(self) -> tuple[str, str | None]:
        return (self.view, self.near_side)


def is_hold_exercise(truths: Iterable[dict[str, Any]]) -> bool:
    """An exercise is scored on holds when any of its recordings has a hold in the truth."""
    return any(t.get("holds") for t in truths)


def is_demonstration(truth: dict[str, Any], hold: bool) -> bool:
    """What a therapist would record for ``learn``: good form only, starting and ending at rest.

    Reps: at least two full reps and no partial ones. Holds: exactly one hold
    (no partial reps). Both: no form break (a short attempt is one) and not cut
    mid-movement (the sweep's start_mid / end_at_rep / end_at_release clips).
    """
    if truth.get("performed", truth["exercise"]) != truth["exercise"]:
        return False
    if truth.get("form_breaks") or int(truth.get("partial_reps", 0)) != 0:
        return False
    features = set(truth.get("generator", {}).get("sweep", {}).get("features", []))
    if features & EDGE_FEATURES:
        return False
    if hold:
        return len(truth.get("holds", [])) == 1
    return int(truth["reps"]) >= 2


@dataclass(frozen=True)
class Counted:
    reps: int
    partial: int
    holds: tuple[float, ...]


def pair_ok(truth: dict[str, Any], got: Counted | None, hold: bool) -> bool:
    """The bar for one recording counted with a learnt file (``None``: the demonstration was refused)."""
    if got is None:
        return False
    if hold:
        want = [float(h["duration_s"]) for h in truth.get("holds", [])]
        return len(got.holds) == len(want) and all(
            abs(a - b) <= HOLD_TOLERANCE_S for a, b in zip(got.holds, want, strict=True)
        )
    return abs(got.reps - int(truth["reps"])) <= REP_TOLERANCE


def count_exact(truth: dict[str, Any], got: Counted | None, hold: bool) -> bool:
    """For a hold exercise, the weaker question a patient's log asks: as many holds found as done,
    whatever their times (for a rep exercise the same as :func:`pair_ok`)."""
    if got is None:
        return False
    if hold:
        return len(got.holds) == len(truth.get("holds", []))
    return pair_ok(truth, got, hold)


@dataclass(frozen=True)
class Pair:
    exercise: str
    demo: str
    other: str
    holdout: bool
    same_view: bool
    hold: bool
    ok: bool
    got: Counted | None
    want: str
    learnt: str  # learn's one-line summary, or why it refused
    other_breaks: bool = False  # the other recording's truth has form breaks (a hold's time excludes them)
    count_ok: bool = False  # count_exact: holds found as many as done (times not judged)


def _truth_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if p.name not in {"truth.schema.json", "sweep.json"})


def load_recordings(folder: Path, source: str) -> tuple[list[Recording], list[str]]:
    """The folder's clips with truth and cached landmarks; and the names skipped (no cached landmarks)."""
    from formcheck.landmark_cache import track_paths
    from formcheck.pose.model import resolve_model
    from formcheck.pose.track import LandmarkTrack

    model = resolve_model(None)
    out, skipped = [], []
    for path in _truth_files(folder):
        truth = json.loads(path.read_text())
        if "schema_version" not in truth or "clip" not in truth:
            continue
        if truth.get("performed", truth["exercise"]) != truth["exercise"]:
            continue  # a wrong-exercise clip: its truth counts another exercise than the one performed
        clip = folder / str(truth["clip"])
        stored = [p for p in track_paths(clip, model) if p.is_file()] if clip.is_file() else []
        if not stored:
            skipped.append(path.stem)
            continue
        poses = tuple(LandmarkTrack.load(stored[0]).poses())
        out.append(
            Recording(
                path.stem, source, str(truth["exercise"]), str(truth.get("view")), truth.get("near_side"), truth, poses
            )
        )
    return out, skipped


def filmed_as_measured(rec: Recording) -> bool:
    """A recording in a view its exercise is measured from. A built-in exercise refuses other views
    (the lower trunk rotation's feet-end and oblique sample clips: "Turn side-on to the camera"),
    so a file learnt for it is not asked to count them either; an example file's recordings (no
    built-in) all count."""
    from formcheck.exercises.registry import builtin_exercises
    from formcheck.exercises.spec import View

    spec = builtin_exercises().get(rec.exercise)
    if spec is None:
        return True
    allowed = {str(v) for v in spec.allowed_views}
    return str(View.ANY) in allowed or rec.view in allowed


def count_with(text: str, rec: Recording) -> Counted:
    """Count a recording with an exercise file's text, as ``formcheck analyze --exercise-file`` would."""
    from formcheck.analysis import Analyzer
    from formcheck.exercises.custom import parse_exercise

    spec = parse_exercise(tomllib.loads(text), "learnt.toml")
    analyzer = Analyzer(spec, "auto")
    for pose in rec.poses:
        analyzer.step(pose)
    s = analyzer.finish()
    return Counted(s.reps, s.partial_reps, tuple(round(h.duration_s, 2) for h in s.holds))


def _want(truth: dict[str, Any], hold: bool) -> str:
    if hold:
        return "holds " + ",".join(f"{float(h['duration_s']):.2f}" for h in truth.get("holds", []))
    return f"reps {truth['reps']}"


def evaluate(dev: Sequence[Recording], holdout: Sequence[Recording] = ()) -> list[Pair]:
    """Every (demonstration, other recording) pair of each exercise."""
    from formcheck.errors import InputError
    from formcheck.exercises.learn import learn

    by_ex: dict[str, list[Recording]] = defaultdict(list)
    for r in dev:
        by_ex[r.exercise].append(r)
    held: dict[str, list[Recording]] = defaultdict(list)
    for r in holdout:
        held[r.exercise].append(r)
    pairs = []
    for exercise, recs in sorted(by_ex.items()):
        if len(recs) < 2:
            continue
        hold = is_hold_exercise(r.truth for r in recs)
        for demo in recs:
            if not is_demonstration(demo.truth, hold):
                continue
            try:
                learnt = learn(list(demo.poses), exercise.replace("_", " "), "learnt", label=demo.name)
                text, summary = learnt.text, learnt.summary
            except InputError as exc:
                text, summary = None, f"refused: {exc}"
            others = [(o, False) for o in recs if o is not demo] + [(o, True) for o in held.get(exercise, [])]
            for other, is_holdout in others:
                got = count_with(text, other) if text is not None else None
                pairs.append(
                    Pair(
                        exercise,
                        demo.name,
                        other.name,
                        is_holdout,
                        demo.camera == other.camera,
                        hold,
                        pair_ok(other.truth, got, hold),
                        got,
                        _want(other.truth, hold),
                        summary,
                        bool(other.truth.get("form_breaks")),
                        count_exact(other.truth, got, hold),
                    )
                )
    return pairs


def _rate(ps: Sequence[Pair]) -> str:
    n = sum(p.ok for p in ps)
    return f"{n}/{len(ps)} ({100 * n / len(ps):.0f}%)" if ps else "-"


def table(pairs: Sequence[Pair]) -> str:
    """Per exercise: demonstrations, pairs within the bar (all, same view); overall; holdout total."""
    dev = [p for p in pairs if not p.holdout]
    lines = [
        "| exercise | scored on | demos | pairs within the bar | same-view pairs |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    by_ex: dict[str, list[Pair]] = defaultdict(list)
    for p in dev:
        by_ex[p.exercise].append(p)
    for ex, ps in sorted(by_ex.items()):
        demos = len({p.demo for p in ps})
        what = "holds (+-0.5 s)" if ps[0].hold else "reps (+-1)"
        lines.append(f"| {ex} | {what} | {demos} | {_rate(ps)} | {_rate([p for p in ps if p.same_view])} |")
    lines.append(
        f"| **all** | | {len({(p.exercise, p.demo) for p in dev})} | **{_rate(dev)}** "
        f"| **{_rate([p for p in dev if p.same_view])}** |"
    )
    reps, holds = [p for p in dev if not p.hold], [p for p in dev if p.hold]
    lines.append(f"\nRep exercises: {_rate(reps)}; hold exercises: {_rate(holds)}")
    n_count = sum(p.count_ok for p in holds)
    if holds:
        lines.append(
            f"Hold exercises, number of holds exact (times not judged): {n_count}/{len(holds)} "
            f"({100 * n_count / len(holds):.0f}%)"
        )
    clean = [p for p in dev if not p.other_breaks]
    lines.append(
        f"On recordings with no form break in their truth (a learnt file has no faults, and a truth hold's "
        f"time leaves a break out): {_rate(clean)}"
    )
    held = [p for p in pairs if p.holdout]
    if held:
        lines.append(f"\nHoldout (sweep seed 2, learnt from the demonstrations above): {_rate(held)} within the bar")
    return "\n".join(lines)


def misses(pairs: Sequence[Pair]) -> str:
    rows = []
    for p in pairs:
        if p.ok or p.holdout:
            continue
        got = "refused" if p.got is None else f"reps {p.got.reps} partial {p.got.partial} holds {list(p.got.holds)}"
        rows.append(f"MISS {p.exercise}: {p.demo} -> {p.other}: {got}; truth {p.want}  [{p.learnt}]")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.learn_eval", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sweep", type=Path, default=SWEEP, help="the sweep cache (seed folders 1 and 2)")
    ap.add_argument("--misses", action="store_true", help="list every failing development pair")
    ap.add_argument("--exercise", help="only this exercise")
    ap.add_argument("--json", type=Path, help="write every pair here")
    args = ap.parse_args(argv)
    dev, skipped = [], []
    for folder, source in [
        (args.sweep / "1", "sweep1"),
        (REPO / "sample_videos", "sample"),
        (REPO / "real_videos", "real"),
    ]:
        recs, skip = load_recordings(folder, source)
        dev += recs
        skipped += skip
    holdout, skip = load_recordings(args.sweep / "2", "sweep2")
    skipped += skip
    refused = sorted(r.name for r in (*dev, *holdout) if not filmed_as_measured(r))
    dev = [r for r in dev if filmed_as_measured(r)]
    holdout = [r for r in holdout if filmed_as_measured(r)]
    if args.exercise:
        dev = [r for r in dev if r.exercise == args.exercise]
        holdout = [r for r in holdout if r.exercise == args.exercise]
    pairs = evaluate(dev, holdout)
    print(table(pairs))
    singles = sorted({r.exercise for r in dev} - {p.exercise for p in pairs})
    if singles:
        print(f"\nNo pairs (one recording, or no demonstration): {', '.join(singles)}")
    if skipped:
        print(f"Skipped (no cached landmarks): {', '.join(skipped)}")
    if refused:
        print(f"Left out (filmed from a view the exercise refuses): {', '.join(refused)}")
    if args.misses:
        print("\n" + misses(pairs))
    if args.json:
        args.json.write_text(json.dumps([asdict(p) for p in pairs], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
