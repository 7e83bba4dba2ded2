"""Schedule -> per-frame commands, and the event truth (reps, holds, form breaks)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.synth.exercises.base import Command
from tools.synth.spec import Clip, Segment


def ease(x: np.ndarray | float) -> np.ndarray:
    """Smooth 0->1 (cosine), zero speed at both ends."""
    x = np.clip(x, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * x)


@dataclass
class Placed:
    seg: Segment
    start: float
    end: float
    v0: float  # value when the segment starts


@dataclass
class Timeline:
    t: np.ndarray  # (N,) seconds
    commands: list[Command]
    placed: list[Placed]

    @property
    def values(self) -> np.ndarray:
        return np.array([c.value for c in self.commands])


def n_frames(clip: Clip) -> int:
    return round(clip.duration * clip.fps)


def build(clip: Clip, rest_value: float) -> Timeline:
    placed: list[Placed] = []
    # ``options["start"]``: the value at the first frame (a clip that starts mid-movement); else rest
    t0, v = 0.0, float(clip.options.get("start", rest_value))
    for seg in clip.schedule:
        placed.append(Placed(seg, t0, t0 + seg.duration, v))
        if seg.kind in ("rep", "partial", "rest", "enter", "wrong_rep"):
            v = rest_value
        elif seg.kind == "move":
            v = float(seg.peak)
        t0 += seg.duration
    N = n_frames(clip)
    t = np.arange(N) / clip.fps
    cmds = []
    k = 0
    for ti in t:
        while k < len(placed) - 1 and ti >= placed[k].end - 1e-9:
            k += 1
        p = placed[k]
        s, u = p.seg, ti - p.start
        fault, amount = None, 0.0
        if s.kind in ("rest", "enter"):
            val = rest_value
        elif s.kind in ("rep", "partial", "wrong_rep"):
            if u < s.up:
                val = p.v0 + (s.peak - p.v0) * ease(u / s.up)
            elif u < s.up + s.top:
                val = s.peak
            else:
                val = s.peak + (rest_value - s.peak) * ease((u - s.up - s.top) / max(s.down, 1e-6))
        elif s.kind == "move":
            val = p.v0 + (s.peak - p.v0) * ease(u / s.duration)
        elif s.kind in ("hold", "short"):
            val = p.v0
        elif s.kind == "break":
            val = p.v0
            fault = s.code
            ramp_in = ease(u / max(s.up, 1e-6))
            ramp_out = ease((s.duration - u) / max(s.down, 1e-6))
            amount = s.amount * min(ramp_in, ramp_out)
        else:
            raise ValueError(f"unknown segment kind {s.kind!r}")
        if s.kind == "rep" and s.code and s.up <= u < s.up + s.top:  # rep_break: form breaks in the pause
            w = min(0.6, s.top / 3)
            fault, amount = s.code, s.amount * float(min(ease((u - s.up) / w), ease((s.up + s.top - u) / w)))
        cmds.append(Command(float(ti), float(val), fault, float(amount), s.side or clip.side))
    return Timeline(t=t, commands=cmds, placed=placed)


def events(clip: Clip, tl: Timeline, primary: np.ndarray) -> dict:
    """reps / partial reps / holds / form breaks from the schedule; peaks measured on ``primary``."""
    r3 = lambda x: round(float(x), 3)  # noqa: E731
    rep_events, holds, breaks = [], [], []
    labelled_done = not clip.wrong_exercise
    run: list[Placed] = []

    def close_hold():
        if run and any(p.seg.kind == "hold" for p in run):
            held = sum(p.seg.duration for p in run if p.seg.kind == "hold")
            holds.append(
                {
                    "start_s": r3(run[0].start),
                    "end_s": r3(run[-1].end),
                    "duration_s": r3(held),
                    "side": run[0].seg.side or clip.side,
                }
            )
        run.clear()

    for p in tl.placed:
        s = p.seg
        if s.kind == "break":
            breaks.append({"start_s": r3(p.start), "end_s": r3(p.end), "code": s.code})
        if s.kind in ("hold", "break") and (run or s.kind == "hold"):
            run.append(p)
            continue
        close_hold()
        if s.kind == "short":
            breaks.append({"start_s": r3(p.start), "end_s": r3(p.end), "code": s.code})
        if s.kind == "wrong_rep":
            breaks.append({"start_s": r3(p.start), "end_s": r3(p.end), "code": "wrong_side"})
        if s.kind in ("rep", "partial", "wrong_rep"):
            sel = (tl.t >= p.start - 1e-9) & (tl.t < p.end - 1e-9)
            seg_vals = primary[sel]
            direction = np.sign(s.peak - p.v0) or 1.0
            i = int(np.nanargmax(direction * seg_vals))
            rep_events.append(
                {
                    "start_s": r3(p.start),
                    "peak_s": r3(tl.t[sel][i]),
                    "end_s": r3(p.end),
                    "complete": s.kind == "rep",
                    "peak_value": round(float(seg_vals[i]), 2),
                    "side": s.side or clip.side,
                    **({"wrong_side": True} if s.kind == "wrong_rep" else {}),
                }
            )
            if s.kind == "rep" and s.code:  # rep_break: the form break spans the pause at the peak
                breaks.append({"start_s": r3(p.start + s.up), "end_s": r3(p.start + s.up + s.top), "code": s.code})
    close_hold()
    if not labelled_done:
        rep_events, holds = [], []
    return {
        "reps": sum(1 for e in rep_events if e["complete"]),
        "partial_reps": sum(1 for e in rep_events if not e["complete"] and not e.get("wrong_side")),
        "rep_events": rep_events,
        "holds": holds,
        "form_breaks": breaks if labelled_done else [],
    }


def reps_from_holds(truth: dict, tl: Timeline, primary: np.ndarray, min_hold_s: float) -> None:
    """For exercises whose rep IS a hold (pelvic tilt: "hold 5 s per rep"): make every hold of
    ``truth`` a rep event too -- complete when it was held ``min_hold_s`` or more, else a partial
    rep -- spanning the way in (the ``move`` just before the hold) and the way out (the ``move``
    just after); the peak is the primary metric's extreme over the hold's ``hold`` segments.
    Updates ``rep_events`` (kept in time order), ``reps`` and ``partial_reps`` in place."""
    if truth["exercise"] != truth["performed"]:
        return
    r3 = lambda x: round(float(x), 3)  # noqa: E731
    placed = tl.placed
    new = []
    for h in truth["holds"]:
        i0 = next(i for i, p in enumerate(placed) if abs(p.start - h["start_s"]) < 1e-3)
        i1 = next(i for i, p in enumerate(placed) if abs(p.end - h["end_s"]) < 1e-3)
        start = placed[i0 - 1].start if i0 > 0 and placed[i0 - 1].seg.kind == "move" else placed[i0].start
        end = placed[i1 + 1].end if i1 + 1 < len(placed) and placed[i1 + 1].seg.kind == "move" else placed[i1].end
        held = np.zeros(len(tl.t), bool)
        for p in placed[i0 : i1 + 1]:
            if p.seg.kind == "hold":
                held |= (tl.t >= p.start - 1e-9) & (tl.t < p.end - 1e-9)
        base = primary[int(np.argmin(np.abs(tl.t - start)))]
        direction = np.sign(np.nanmean(primary[held]) - base) or 1.0
        idx = np.where(held)[0]
        i = idx[int(np.nanargmax(direction * primary[held]))]
        new.append(
            {
                "start_s": r3(start),
                "peak_s": r3(tl.t[i]),
                "end_s": r3(end),
                "complete": bool(h["duration_s"] >= min_hold_s - 1e-6),
                "peak_value": round(float(primary[i]), 2),
                "side": h["side"],
            }
        )
    events = sorted(truth["rep_events"] + new, key=lambda e: e["start_s"])
    truth["rep_events"] = events
    truth["reps"] = sum(1 for e in events if e["complete"])
    truth["partial_reps"] = sum(1 for e in events if not e["complete"] and not e.get("wrong_side"))
