"""Fault messages on good form, and the jitter of the analyzer's metrics, per sample clip.

    python -m tools.false_alarms [SAMPLES_DIR] [--jitter]

Replays each clip's committed landmark fixture through the analyzer (as
``formcheck regress`` does) and prints, per clip:

- the seconds of good form: the clip less each truth form break and partial rep,
  widened by a second either side (a wrong-exercise clip has none);
- the fault messages given in them (form faults; setup messages apart), by code;
- whether each truth form break got its own fault within a second of it.

With ``--jitter``, per metric: the robust sd and the 99th percentile of the
analyzer's smoothed metric about its 1 s running median, over the frames where
the truth's primary metric moves less than 0.5 degrees in a second (still
stretches). That is the measurement's own noise that a fault's entry margin
(formcheck.analysis.analyzer.FAULT_MARGIN_DEG) must clear.

A clip's truth may omit deliberate deviations that are not form breaks (the
generator's notes say "a first pull that stops at hip ~100"): read the codes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from formcheck.analysis import Analyzer, FrameResult
from formcheck.exercises import get_exercise
from formcheck.landmark_cache import cached_track
from formcheck.pipeline import run
from formcheck.pose.track import ReplayEstimator
from formcheck.regress import load_truth, truth_files
from formcheck.sources import Frame

SETUP_CODES = {"no_person", "not_visible", "wrong_view", "too_far"}
MARGIN_S = 1.0  # a fault within this of a form break belongs to it
STILL_HALF = 15  # frames either side (~0.5 s at 30 fps)


def _jitter(results: list[FrameResult], truth_primary: np.ndarray) -> dict[str, tuple[float, float]]:
    n = min(len(results), len(truth_primary))
    still = np.zeros(n, bool)
    for i in range(STILL_HALF, n - STILL_HALF):
        w = truth_primary[i - STILL_HALF : i + STILL_HALF + 1]
        still[i] = bool(np.all(np.isfinite(w)) and np.ptp(w) < 0.5)
    out: dict[str, tuple[float, float]] = {}
    names = sorted({m for r in results for m in r.metrics})
    for m in names:
        y = np.array([r.metrics.get(m, np.nan) for r in results[:n]])
        dev = [
            y[i] - np.median(w)
            for i in np.flatnonzero(still)
            if np.all(np.isfinite(w := y[i - STILL_HALF : i + STILL_HALF + 1]))
        ]
        if len(dev) > 30:
            a = np.abs(np.array(dev))
            out[m] = (float(1.4826 * np.median(a)), float(np.percentile(a, 99)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("samples", nargs="?", default="sample_videos", type=Path)
    ap.add_argument("--jitter", action="store_true", help="also the metrics' jitter on still stretches")
    args = ap.parse_args(argv)
    total_alarms = 0
    total_good_s = 0.0
    found = []
    for path in truth_files(args.samples):
        truth = load_truth(path)
        spec = get_exercise(truth["exercise"])
        track, _ = cached_track(path.parent / truth["clip"], None)
        analyzer = Analyzer(spec, truth.get("side") or "auto")
        results: list[FrameResult] = []

        def keep(_frame: Frame, result: FrameResult, into: list[FrameResult] = results) -> None:
            into.append(result)

        summary = run(track.frames(), ReplayEstimator(track), analyzer, on_result=keep, read_ahead=0).summary
        duration = float(truth["duration_s"])
        bad = [(b["start_s"], b["end_s"]) for b in truth.get("form_breaks", [])]
        bad += [(e["start_s"], e["end_s"]) for e in truth.get("rep_events", []) if not e["complete"]]
        if truth.get("performed", truth["exercise"]) != truth["exercise"]:
            bad = [(0.0, duration)]
        covered = sum(min(e + MARGIN_S, duration) - max(s - MARGIN_S, 0.0) for s, e in bad)
        good_s = max(duration - covered, 0.0)
        alarms = [
            f
            for f in summary.faults
            if f.code not in SETUP_CODES and not any(s - MARGIN_S <= f.t_s <= e + MARGIN_S for s, e in bad)
        ]
        setup = sorted({f.code for f in summary.faults if f.code in SETUP_CODES})
        total_alarms += len(alarms)
        total_good_s += good_s
        codes = sorted({f.code for f in alarms})
        print(f"{truth['clip']:46s} good {good_s:5.1f} s  faults {len(alarms):2d} {codes}  setup {setup}")
        for b in truth.get("form_breaks", []):
            hit = any(
                f.code == b["code"] and b["start_s"] - MARGIN_S <= f.t_s <= b["end_s"] + MARGIN_S
                for f in summary.faults
            )
            found.append(hit)
            print(f"{'':46s} form break {b['code']} {b['start_s']}-{b['end_s']} s: {'found' if hit else 'MISSED'}")
        if args.jitter:
            key = truth.get("primary_metric") or spec.primary
            primary = np.array([np.nan if v is None else v for v in truth["metrics"].get(key, [])], float)
            for m, (sd, p99) in _jitter(results, primary).items():
                print(f"{'':46s} jitter {m:22s} sd {sd:5.2f}  p99 {p99:5.2f} deg")
    per_min = total_alarms / (total_good_s / 60.0) if total_good_s > 0 else float("nan")
    print(f"good form {total_good_s / 60.0:.2f} min: {total_alarms} fault messages ({per_min:.1f} per minute)")
    print(f"form breaks found: {sum(found)} of {len(found)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
