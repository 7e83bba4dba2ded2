"""CLI: ``python -m tools.synth render [--only NAME ...] [--out sample_videos] [--no-detect]``,
``python -m tools.synth list``, ``python -m tools.synth readme``, ``python -m tools.synth still NAME``,
``python -m tools.synth sweep --per-exercise N --seed S [--exercise ID ...] [--out DIR] [--jobs J]``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.synth", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("render", help="render clips, write .mp4 + truth .json, measure detection")
    r.add_argument("--only", nargs="*", help="clip names (default: all)")
    r.add_argument("--out", type=Path, default=None, help="default: sample_videos/ (--set checks: examples/check/)")
    r.add_argument("--no-detect", action="store_true", help="skip the MediaPipe detection pass")
    sets = ("samples", "checks")
    set_help = "samples: the sample clips (tools/synth/clips); checks: the example files' check recordings"
    r.add_argument("--set", choices=sets, default="samples", help=set_help)
    ls = sub.add_parser("list", help="list the described clips")
    ls.add_argument("--set", choices=sets, default="samples", help=set_help)
    rd = sub.add_parser("readme", help="regenerate the README table from the truth files")
    rd.add_argument("--out", type=Path, default=None, help="default: sample_videos/ (--set checks: examples/check/)")
    rd.add_argument("--set", choices=sets, default="samples", help=set_help)
    st = sub.add_parser("still", help="write PNG stills of a clip (with the truth points) for a look")
    st.add_argument("name")
    st.add_argument("--times", type=float, nargs="*", default=None)
    st.add_argument("--out", type=Path, default=Path("/tmp/synth_stills"))
    sw = sub.add_parser("sweep", help="draw random clips, render them (cached), score them like formcheck regress")
    sw.add_argument("--per-exercise", type=int, default=8, metavar="N", help="clips per exercise (default 8)")
    sw.add_argument("--seed", type=int, default=1, metavar="S", help="sweep seed (default 1)")
    sw.add_argument("--exercise", nargs="*", metavar="ID", help="only these exercises (default: all ten)")
    sw.add_argument("--out", type=Path, default=None, help="default: <formcheck cache>/sweep/<seed>")
    sw.add_argument("--jobs", type=int, default=1, metavar="J", help="clips rendered at once (default 1)")
    sw.add_argument("--model", default=None, help="pose model (default: the bundled one)")
    sw.add_argument("--list", action="store_true", help="print the drawn descriptions; render nothing")
    sw.add_argument("--supersample", type=int, default=1, help="render at this multiple, then downsample (default 1)")
    sw.add_argument("--json", type=Path, default=None, help="default: <out>/sweep.json")
    a = ap.parse_args(argv)
    os.environ.setdefault("ANNY_CACHE_DIR", str(Path.home() / ".cache" / "anny"))
    if a.cmd == "sweep":
        return _sweep(a)

    from tools.synth.check_clips import all_clips as check_clips
    from tools.synth.clips import all_clips

    chosen_set = getattr(a, "set", None)
    clips = check_clips() if chosen_set == "checks" else all_clips() if chosen_set else all_clips() + check_clips()
    if getattr(a, "out", None) is None and chosen_set is not None:
        a.out = REPO / ("examples/check" if chosen_set == "checks" else "sample_videos")
    if a.cmd == "list":
        for c in clips:
            print(f"{c.name:45s} {c.exercise:22s} performed={c.performed:12s} {c.view:8s} {c.duration:5.1f}s")
        return 0
    if a.cmd == "readme":
        from tools.synth.readme import write_readme

        print(write_readme(a.out, checks=chosen_set == "checks"))
        return 0
    if a.cmd == "still":
        from tools.synth.stills import write_stills

        clip = next((c for c in clips if c.name == a.name), None)
        if clip is None:
            print(f"unknown clip {a.name!r}", file=sys.stderr)
            return 2
        for p in write_stills(clip, a.out, a.times):
            print(p)
        return 0
    from tools.synth.engine import render_clip
    from tools.synth.readme import write_readme

    chosen = clips if not a.only else [c for c in clips if c.name in set(a.only)]
    missing = set(a.only or []) - {c.name for c in chosen}
    if missing:
        print(f"unknown clips: {sorted(missing)}", file=sys.stderr)
        return 2
    low = []
    for c in chosen:
        t = render_clip(c, a.out, detect=not a.no_detect)
        if t["detection_rate"] is not None and t["detection_rate"] < 0.95:
            low.append((c.name, t["detection_rate"]))
    from tools.synth.truth_schema import write_schema

    write_schema(a.out)
    print(write_readme(a.out, checks=chosen_set == "checks"))
    if low:
        print(f"detection below 0.95: {low}", file=sys.stderr)
        return 1
    return 0


def _sweep(a: argparse.Namespace) -> int:
    import json

    from formcheck.landmark_cache import cache_dir
    from tools.synth.sweep import draw, seconds
    from tools.synth.sweep_run import format_clips, format_summary, run, summarise

    if a.per_exercise < 1 or a.jobs < 1:
        print("formcheck: error: --per-exercise and --jobs must be at least 1", file=sys.stderr)
        return 2
    try:
        items = draw(a.per_exercise, a.seed, a.exercise)
    except ValueError as exc:
        print(f"formcheck: error: {exc}", file=sys.stderr)
        return 2
    if a.list:
        for it in items:
            c = it.clip
            print(
                f"{c.name:42s} {seconds(it):5.1f}s {c.view:8s} side={c.side} near={c.near_side} "
                f"yaw={c.camera.yaw:g} noise={it.noise:g} jpeg={it.jpeg_quality} [{', '.join(it.features)}]"
            )
        return 0
    out = a.out or cache_dir() / "sweep" / str(a.seed)
    rows = run(items, out, jobs=a.jobs, model=a.model, supersample=a.supersample)
    summary = summarise(rows)
    print(format_clips(rows))
    print()
    print(format_summary(summary))
    path = a.json or out / "sweep.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"seed": a.seed, "per_exercise": a.per_exercise, "summary": summary, "clips": rows}, indent=1)
    )
    tmp.replace(path)
    print(f"clips in {out}; table written to {path}")
    return 0 if not any("error" in r for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
