"""The randomised sweep: clip descriptions drawn from a seeded RNG, for footage nobody tuned for.

``draw(per_exercise, seed)`` returns ``SweepClip``s: a ``Clip`` (body, camera, lighting,
schedule, options) plus what the camera does to the pixels (sensor noise, JPEG compression)
and a list of the features drawn (for reading failures). Pure: no torch, no anny, no GL.

Truth stays exact because every value a schedule commands sits outside a **no-truth band**
around each threshold the checker applies to it (``BAND_DEG`` either side): a full rep's peak
is at least a band past the target, a partial rep's peak at least a band short of it and a band
past where a movement starts, a held position a band inside the hold threshold, a stop short of
it a band outside. Inside the band the measurement noise (the MAE bar of ``regress``) could put
the reading either side, so the truth there would be a coin toss, not a fact.

Clip seeds are >= ``SEED_BASE`` (1e6): disjoint from every seed in ``tools/synth/clips/``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from tools.synth.spec import (
    SKIN_TONES,
    Body,
    Camera,
    Clip,
    Lighting,
    Segment,
    form_break,
    hold,
    move,
    partial,
    rep,
    rep_break,
    rest,
    stop_short,
    wrong_rep,
)

if TYPE_CHECKING:
    from formcheck.counting import RepRule

SEED_BASE = 1_000_000
MIN_S, MAX_S = 8.0, 15.0  # clip length: short clips keep a sweep affordable
# The regress metric bar (formcheck.regress.METRIC_MAE_MAX_DEG): the measurement noise a
# threshold must be clear of. side_bend: 6 would leave no room between where a bend starts (8)
# and the target (20); it is measured from world landmarks facing the camera, where the sample
# clips' error is 2-4 deg (regress), so 4.
BAND_DEG = 6.0
BAND_OVERRIDE = {"side_bend": 4.0}
# pelvic_tilt reps are holds: >= 5 s held is a rep, the checker accepts >= 4.5 (its 0.5 s timer
# tolerance); a hold is drawn clear of [4.0, 5.5] so neither timer error flips it.
TILT_REP_HOLD = (5.6, 7.0)
TILT_PARTIAL_HOLD = (2.0, 3.4)

EXERCISES = (
    "bridge",
    "calf_stretch",
    "childs_pose",
    "half_kneel_hip_stretch",
    "hip_flexor_stretch",
    "knee_to_chest",
    "lower_trunk_rotation",
    "nerve_glide",
    "pelvic_tilt",
    "side_bend",
)


@dataclass(frozen=True)
class SweepClip:
    clip: Clip
    noise: float  # sensor noise: sigma of added Gaussian noise, 8-bit levels
    jpeg_quality: int  # every frame JPEG round-tripped at this quality (100 = none)
    features: tuple[str, ...] = ()  # what was drawn, for reading failures
    checks: tuple[tuple[str, float, float, float], ...] = field(default=(), compare=False)
    # (what, commanded value, threshold, band): every commanded value near a threshold, for the tests


def band(exercise: str) -> float:
    return BAND_OVERRIDE.get(exercise, BAND_DEG)


class _Draw:
    """One clip's random draws, with helpers; records the features and threshold checks."""

    def __init__(self, rng: np.random.Generator, exercise: str):
        self.rng, self.ex = rng, exercise
        self.features: list[str] = []
        self.checks: list[tuple[str, float, float, float]] = []
        self.band = band(exercise)
        self.start_value: float | None = None  # the value at the first frame, when not at rest

    def u(self, lo: float, hi: float, nd: int = 2) -> float:
        return round(float(self.rng.uniform(lo, hi)), nd)

    def p(self, prob: float) -> bool:
        return bool(self.rng.random() < prob)

    def pick(self, options):
        return options[int(self.rng.integers(len(options)))]

    def clear(self, what: str, lo: float, hi: float, thresholds: tuple[float, ...]) -> float:
        """A value in [lo, hi] that is a band clear of every threshold (checked, recorded)."""
        b = self.band
        for _ in range(200):
            v = self.u(lo, hi, 1)
            if all(abs(v - t) > b for t in thresholds):
                for t in thresholds:
                    self.checks.append((what, v, t, b))
                return v
        raise ValueError(f"{self.ex}: no value in [{lo}, {hi}] clear of {thresholds} by {b}")


# ---------------------------------------------------------------------------- body, scene, camera
def _color(d: _Draw, lo: int = 20, hi: int = 235) -> tuple[int, int, int]:
    """Any colour (clothes, mats)."""
    r, g, b = (int(x) for x in d.rng.integers(lo, hi, 3))
    return r, g, b


def _muted(d: _Draw, lo: int, hi: int, tint: int = 14) -> tuple[int, int, int]:
    """A grey between lo and hi with a slight tint (walls, floors): rooms are not saturated."""
    v = int(d.rng.integers(lo, hi))
    r, g, b = (int(np.clip(v + x, 0, 255)) for x in d.rng.integers(-tint, tint + 1, 3))
    return r, g, b


HAIR = ((20, 16, 14), (40, 30, 25), (70, 45, 25), (120, 80, 40), (160, 110, 60), (150, 145, 140), (90, 85, 80))


def _body(d: _Draw) -> Body:
    sex = d.pick(("male", "female"))
    return Body(
        sex=sex,
        age=d.u(0.6, 0.92),
        muscle=d.u(0.3, 0.7),
        weight=d.u(0.3, 0.8),
        height=d.u(0.3, 0.65),
        proportions=d.u(0.4, 0.6),
        skin=d.pick(tuple(SKIN_TONES)),
        hair=d.pick(HAIR),
        shirt=_color(d),
        sleeves=d.pick(("short", "long", "short", "long", "none")),
        bottoms=_color(d, 20, 160),
        bottoms_style=d.pick(("shorts", "trousers", "leggings")),
        feet=d.pick(("bare", "socks", "shoes")),
        feet_color=_color(d),
    )


def _lighting(d: _Draw) -> tuple[Lighting, bool]:
    dim = d.p(0.3)
    if dim:
        d.features.append("dim")
    lighting = Lighting(
        key_azimuth=d.u(-45, 45, 1),
        key_elevation=d.u(42, 68, 1),
        key=d.u(0.55, 0.95) if dim else d.u(1.5, 2.3),
        fill=d.u(0.12, 0.3) if dim else d.u(0.35, 0.75),
        ambient=d.u(0.06, 0.15) if dim else d.u(0.22, 0.38),
        wall=_muted(d, 170, 235),
        floor=(lambda v: (v[0], int(v[1] * 0.85), int(v[2] * 0.7)))(_muted(d, 80, 175)),  # wood to grey
        mat=_color(d, 30, 170),
    )
    return lighting, dim


# camera by posture: distance, height, fov ranges; yaw within the exercise's view
_LYING = {"distance": (2.2, 3.0), "height": (0.3, 0.7), "fov": (38, 48)}
_KNEELING = {"distance": (2.3, 3.0), "height": (0.4, 0.95), "fov": (40, 48)}
_STANDING = {"distance": (2.7, 3.3), "height": (0.8, 1.3), "fov": (42, 50)}
SIDE_YAW = 20.0  # the setup check admits ~40 deg off profile; 20 is a camera put "to the side"
FRONT_YAW = 20.0


def _camera(d: _Draw, posture: dict, yaw: float) -> Camera:
    return Camera(
        distance=d.u(*posture["distance"]),
        height=d.u(*posture["height"]),
        yaw=yaw,
        fov=d.u(*posture["fov"], 1),
    )


def _side_view(d: _Draw, max_yaw: float = SIDE_YAW) -> tuple[str, str, float]:
    near = d.pick(("left", "right"))
    return "side", near, d.u(-SIDE_YAW, max_yaw, 1)


# Facing a wall (calf stretch), + yaw turns the camera towards the wall: past ~8 deg at 3 m the
# camera stands beyond the wall's plane and sees its back (sweep 1: two clips of only wall).
WALL_MAX_YAW = 6.0


# ---------------------------------------------------------------------------- schedules
@dataclass(frozen=True)
class RepPlan:
    rest: float  # primary metric at rest (truth domain)
    start: float  # the checker's movement start threshold (absolute, same sign as target)
    target: float  # the checker's rep target
    full: tuple[float, float]  # full rep peaks: distance from rest
    partial: tuple[float, float]  # partial rep peaks: distance from rest (clipped to clear the bands)
    up: tuple[float, float]
    top: tuple[float, float]
    down: tuple[float, float]
    gap: tuple[float, float]  # rest between reps
    p_partial: float = 0.3
    extra: tuple[float, ...] = ()  # other thresholds a peak must be clear of (e.g. over-arching)


def _plan_from_rest(rule: RepRule, rest_v: float, reach: float, **timing: Any) -> RepPlan:
    """A plan for a rule that starts a movement ``start_delta`` past the person's rest and counts it at
    an absolute ``target`` (the bridge, the nerve glide): full reps from a band past the target up to
    ``reach`` (the furthest the body goes), partial reps a band clear of both thresholds."""
    return RepPlan(
        rest=rest_v,
        start=rest_v + rule.start_delta,
        target=rule.target,
        full=(rule.target - rest_v + BAND_DEG + 0.5, reach - rest_v),
        partial=(rule.start_delta + BAND_DEG + 0.5, rule.target - rest_v - BAND_DEG - 0.5),
        **timing,
    )


def _reps(d: _Draw, plan: RepPlan, signs: Callable[[int], float], rep_side: Callable[[float], str | None]) -> list:
    """Reps and partial reps until the clip is long enough; peaks clear of the bands."""
    target_len = d.u(MIN_S, MAX_S - 1.0, 1)
    segs: list[Segment] = []
    mag = lambda v: abs(v - plan.rest)  # noqa: E731
    thresholds = (mag(plan.start), mag(plan.target), *(mag(x) for x in plan.extra))
    if d.p(0.25):  # start mid-movement: on the way back from a movement the clip did not see
        d.features.append("start_mid")
        sgn = signs(0)
        d.start_value = round(plan.rest + sgn * d.u(0.4, 0.8) * mag(plan.target), 1)
        segs.append(move(plan.rest, d.u(0.8, 1.4)))
    segs.append(rest(d.u(0.0, 1.2) if not segs else d.u(0.2, 0.8)))
    end_at_rep = d.p(0.4)
    tail = 0.0 if end_at_rep else d.u(0.4, 1.0)
    if end_at_rep:
        d.features.append("end_at_rep")
    i = 0
    while True:
        sgn = signs(i)
        is_partial = d.p(plan.p_partial) and mag(plan.start) + d.band < mag(plan.target) - d.band
        if is_partial:
            lo = max(plan.partial[0], mag(plan.start) + d.band + 0.2)
            hi = min(plan.partial[1], mag(plan.target) - d.band - 0.2)
            m = d.clear("partial peak", lo, hi, thresholds)
            peak = round(plan.rest + sgn * m, 1)
            seg = partial(peak, up=d.u(0.7, 1.2), top=d.u(0.2, 0.8), down=d.u(0.8, 1.4), side=rep_side(sgn))
        else:
            m = d.clear("rep peak", *plan.full, thresholds)
            peak = round(plan.rest + sgn * m, 1)
            seg = rep(peak, up=d.u(*plan.up), top=d.u(*plan.top), down=d.u(*plan.down), side=rep_side(sgn))
        block = [rest(d.u(*plan.gap)), seg] if i else [seg]
        used = sum(s.duration for s in segs) + sum(s.duration for s in block)
        if i >= 2 and used + tail > MAX_S:
            break
        if is_partial:
            d.features.append("partial")
        segs += block
        i += 1
        if used + tail >= target_len and i >= 2:
            break
    if tail:
        segs.append(rest(tail))
    short = MIN_S - sum(s.duration for s in segs)
    if short > 0:  # pad at the start (keeps "ends right after the last rep" true)
        i0 = 1 if "start_mid" in d.features else 0
        segs[i0] = rest(round(segs[i0].duration + short + 0.05, 2))
    return segs


def _bridge(d: _Draw, k: int) -> dict:
    from formcheck.exercises.bridge import BRIDGE

    r = BRIDGE.rep
    assert r is not None
    rest_v = d.u(126.0, 136.0, 1)
    plan = _plan_from_rest(
        r,
        rest_v,
        186.0,
        # the handout: pause at the top, lower slowly (the checker: >= 0.8 s top, >= 0.6 s down)
        up=(0.8, 1.6),
        top=(1.1, 2.0),
        down=(1.5, 2.3),
        gap=(0.0, 0.8),
        extra=(195.0,),  # over-arching
    )
    view, near, yaw = _side_view(d)
    opts = {"rest": rest_v, "feet_apart": d.u(0.0, 0.08), "arm_spread": d.u(5.0, 30.0, 1)}
    return {
        "side": None,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": _LYING,
        "schedule": _reps(d, plan, lambda i: 1.0, lambda s: None),
        "options": opts,
    }


def _nerve_glide(d: _Draw, k: int) -> dict:
    from formcheck.exercises.nerve_glide import NERVE_GLIDE

    r = NERVE_GLIDE.rep
    assert r is not None
    rest_v = d.u(86.0, 95.0, 1)
    plan = _plan_from_rest(
        r,
        rest_v,
        166.0,
        # smooth, no hold; the checker flags a rep under 1.5 s or a return under 0.4 s measured
        up=(1.0, 2.0),
        top=(0.1, 0.5),
        down=(1.0, 2.0),
        gap=(0.2, 0.8),
    )
    view, near, yaw = _side_view(d)
    side = d.pick(("left", "right"))
    d.features.append("working_leg_near" if side == near else "working_leg_far")
    opts = {"rest": rest_v, "hip": d.u(85.0, 95.0, 1)}
    return {
        "side": side,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": _LYING,
        "schedule": _reps(d, plan, lambda i: 1.0, lambda s: None),
        "options": opts,
    }


def _side_bend(d: _Draw, k: int) -> dict:
    from formcheck.exercises.side_bend import SIDE_BEND

    r = SIDE_BEND.rep
    assert r is not None
    side = d.pick(("left", "right"))  # symptomatic side: bend away from it
    away = 1.0 if side == "right" else -1.0
    plan = RepPlan(
        rest=0.0,
        start=r.start_delta,
        target=r.target,
        full=(r.target + d.band + 0.5, 33.0),
        partial=(r.start_delta + d.band, r.target - d.band),
        up=(0.8, 1.5),
        top=(0.3, 1.0),
        down=(0.9, 1.6),
        gap=(0.0, 0.6),
    )
    way = lambda s: "left" if s > 0 else "right"  # noqa: E731
    segs = _reps(d, plan, lambda i: away, way)
    reps_at = [i for i, s in enumerate(segs) if s.kind == "rep"]
    if d.p(0.3) and reps_at:  # one bend towards the symptoms: a wrong_side form break, never counted
        i = reps_at[int(d.rng.integers(len(reps_at)))]
        m = d.clear("wrong-side peak", *plan.full, (plan.start, plan.target))
        segs[i] = wrong_rep(-away * m, up=segs[i].up, top=segs[i].top, down=segs[i].down, side=way(-away))
        d.features.append("break:wrong_side")
    d.features.append("variant:feet_width")
    return {
        "side": side,
        "near_side": None,
        "view": "front",
        "yaw": d.u(-FRONT_YAW, FRONT_YAW, 1),
        "posture": _STANDING,
        "schedule": segs,
        "options": {"feet_width": d.u(0.08, 0.16)},
    }


def _lower_trunk_rotation(d: _Draw, k: int) -> dict:
    from formcheck.exercises.lower_trunk_rotation import LOWER_TRUNK_ROTATION

    r = LOWER_TRUNK_ROTATION.rep
    assert r is not None
    plan = RepPlan(
        rest=0.0,
        start=r.start_delta,
        target=r.target,
        full=(r.target + BAND_DEG + 0.5, 55.0),
        partial=(r.start_delta + BAND_DEG, r.target - BAND_DEG),
        up=(0.9, 1.4),
        top=(3.2, 4.6),  # the handout: hold 3-5 s (the checker: >= 2.5 s)
        down=(0.9, 1.4),
        gap=(0.0, 0.6),
    )
    first = d.pick((1.0, -1.0))
    way = lambda s: "left" if s > 0 else "right"  # noqa: E731
    segs = _reps(d, plan, lambda i: first * (1 if i % 2 == 0 else -1), way)
    opts: dict = {"arm_spread": d.u(35.0, 70.0, 1), "knee_angle": d.u(80.0, 100.0, 1)}
    reps_at = [i for i, s in enumerate(segs) if s.kind == "rep"]
    if d.p(0.4) and reps_at:  # knees come apart in one hold
        i = reps_at[int(d.rng.integers(len(reps_at)))]
        s = segs[i]
        segs[i] = rep_break(s.peak, "knees_apart", up=s.up, top=s.top, down=s.down, side=s.side)
        opts["apart_deg"] = d.u(17.0, 20.0, 1)
        d.features.append("break:knees_apart")
    # The checker measures it side-on only (formcheck.exercises.lower_trunk_rotation): the camera
    # beside the mat, as for the other supine exercises.
    view, near, yaw = _side_view(d)
    cam = _LYING
    d.features.append(f"view:{view}")
    return {
        "side": None,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": cam,
        "schedule": segs,
        "options": opts,
    }


@dataclass(frozen=True)
class HoldPlan:
    rest: float
    held: tuple[float, float]  # held values (truth domain)
    threshold: float  # the checker's hold threshold on the primary metric
    short: tuple[float, float] | None = None  # a stop short of the position (coached)
    short_thresholds: tuple[float, ...] = ()
    faults: tuple[str, ...] = ()
    into: tuple[float, float] = (1.5, 2.6)  # moving into / out of the position
    hold_s: tuple[float, float] = (3.5, 7.5)
    p_short: float = 0.35
    p_fault: float = 0.4
    release: float | None = None  # value moved to on the way out (default rest)


def _holds(d: _Draw, plan: HoldPlan) -> tuple[list, dict]:
    """[lead] [stop short] move in, hold [form break, hold], move out [tail]."""
    opts: dict = {}
    segs: list[Segment] = []
    out = plan.release if plan.release is not None else plan.rest
    held = d.clear("held value", *plan.held, (plan.threshold,))
    if d.p(0.25):
        d.features.append("start_mid")
        opts["start"] = round(plan.rest + d.u(0.3, 0.6) * (held - plan.rest), 1)
    else:
        segs.append(rest(d.u(0.3, 1.2)))
        if plan.short is not None and d.p(plan.p_short):
            v = d.clear("stop short", *plan.short, (plan.threshold, *plan.short_thresholds))
            segs += [move(v, d.u(1.2, 1.8)), stop_short(d.u(1.6, 2.4)), move(out, d.u(1.2, 1.8)), rest(d.u(0.4, 0.8))]
            d.features.append("short_attempt")
    segs.append(move(held, d.u(*plan.into)))
    used = sum(s.duration for s in segs)
    end_at = d.p(0.4)
    out_s = d.u(*plan.into)
    tail = 0.0 if end_at else d.u(0.3, 0.9)
    if end_at:
        d.features.append("end_at_release")
    room = MAX_S - used - out_s - tail
    total_hold = min(d.u(*plan.hold_s), room)
    if plan.faults and d.p(plan.p_fault) and total_hold >= 4.0:
        code = d.pick(plan.faults)
        brk = d.u(1.2, 2.0)
        a = d.u(1.5, max(1.6, total_hold - brk - 1.2))
        b = max(1.0, round(total_hold - brk - a, 2))
        segs += [hold(a), form_break(brk, code, ramp=d.u(0.25, 0.45)), hold(b)]
        d.features.append(f"break:{code}")
    else:
        segs.append(hold(total_hold))
    segs.append(move(out, out_s))
    if tail:
        segs.append(rest(tail))
    short = MIN_S - sum(s.duration for s in segs)
    if short > 0:
        if segs[0].kind == "rest":
            segs[0] = rest(round(segs[0].duration + short + 0.05, 2))
        else:
            segs.insert(1, hold(round(short + 0.05, 2)))  # a longer hold: started mid-movement
    return segs, opts


def _childs_pose(d: _Draw, k: int) -> dict:
    # hip angle on hands and knees: the hands are planted where the arms are nearly straight
    # rocked back, so a high start can be out of a short-armed body's reach (sweep 5: 98.5 was)
    rest_v = d.u(94.0, 97.0, 1)
    plan = HoldPlan(
        rest=rest_v,
        held=(37.0, 46.0),
        threshold=65.0,  # hip_angle < 65 (and knee < 60, which follows the rock-back)
        short=(70.0, 80.0),
        short_thresholds=(rest_v - 12.0,),  # hips_high: rocked back >= 12 from the start
    )
    segs, opts = _holds(d, plan)
    view, near, yaw = _side_view(d)
    return {
        "side": None,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": _KNEELING,
        "schedule": segs,
        "options": {"rest": rest_v, "hands_apart": d.u(0.02, 0.08), **opts},
    }


def _calf_stretch(d: _Draw, k: int) -> dict:
    plan = HoldPlan(
        rest=22.0,
        held=(28.0, 30.5),  # front knee well under the 165 in-position bound; lean > 10 throughout
        threshold=10.0,
        faults=("heel_lifted", "back_knee_bent"),
        into=(1.6, 2.4),
    )
    segs, opts = _holds(d, plan)
    view, near, yaw = _side_view(d, WALL_MAX_YAW)
    side = d.pick(("left", "right"))
    return {
        "side": side,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": _STANDING,
        "schedule": segs,
        "options": {
            "rest": 22.0,
            "stance_width": d.u(0.07, 0.13),
            "heel_pitch": d.u(26.0, 32.0, 1),  # heel_lifted: foot pitch well over the 20-deg bound
            "bent_knee": d.u(140.0, 150.0, 1),  # back_knee_bent: well under 165
            **opts,
        },
    }


def _half_kneel(d: _Draw, k: int) -> dict:
    from formcheck.exercises.half_kneel_hip_stretch import HALF_KNEEL_HIP_STRETCH

    rel = HALF_KNEEL_HIP_STRETCH.hold_position[0].value  # 12 deg from the person's start
    rest_v = d.u(171.0, 175.0, 1)
    plan = HoldPlan(
        rest=rest_v,
        held=(rest_v + rel + BAND_DEG + 0.5, rest_v + 27.0),
        threshold=rest_v + rel,
        faults=("leaning_back", "leaning_forward"),
    )
    segs, opts = _holds(d, plan)
    held = max(s.peak for s in segs if s.kind == "move")
    view, near, yaw = _side_view(d)
    side = d.pick(("left", "right"))
    return {
        "side": side,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": _KNEELING,
        "schedule": segs,
        "options": {
            "rest": rest_v,
            "full": held,  # the front foot is planted for a ~88-deg front knee at the held value
            "lean_back": d.u(24.0, 30.0, 1),  # trunk ~25 deg from vertical: well past the 15 bound
            "lean_forward": d.u(24.0, 30.0, 1),
            **opts,
        },
    }


def _pull_knee(d: _Draw, k: int, fault: str, short_p: float) -> dict:
    from formcheck.exercises.pull_knee import LIFTED_DEG, PULLED_HIP_MAX

    plan = HoldPlan(
        rest=178.0,
        held=(47.0, 60.0),
        threshold=PULLED_HIP_MAX,
        short=(85.0, 112.0),
        # "pull closer" coaches a knee stopped between 70 and the thigh 20 deg off its rest (178)
        short_thresholds=(178.0 - LIFTED_DEG,),
        faults=(fault,),
        release=180.0,
        p_short=short_p,
    )
    segs, opts = _holds(d, plan)
    view, near, yaw = _side_view(d)
    side = d.pick(("left", "right"))
    return {
        "side": side,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": _LYING,
        "schedule": segs,
        "options": {"arm_spread": d.u(5.0, 25.0, 1), **opts},
    }


def _knee_to_chest(d: _Draw, k: int) -> dict:
    return _pull_knee(d, k, "other_leg_bent", 0.35)


def _hip_flexor_stretch(d: _Draw, k: int) -> dict:
    return _pull_knee(d, k, "affected_knee_bent", 0.35)


def _pelvic_tilt(d: _Draw, k: int) -> dict:
    segs: list[Segment] = [rest(d.u(0.5, 1.2))]
    opts: dict = {"knee": d.u(85.0, 95.0, 1), "feet_apart": d.u(0.02, 0.07), "lift": d.u(0.05, 0.07)}
    target_len = d.u(MIN_S + 2.0, MAX_S, 1)
    n = 0
    while True:
        tilt = d.u(10.0, 15.0, 1)
        is_partial = d.p(0.3)
        held = d.u(*(TILT_PARTIAL_HOLD if is_partial else TILT_REP_HOLD))
        into, out, gap = d.u(0.8, 1.3), d.u(0.8, 1.3), d.u(0.5, 1.0)
        body: list[Segment]
        if not is_partial and d.p(0.35):
            brk = d.u(1.2, 1.8)
            a = d.u(1.5, held - 1.5)
            body = [hold(a), form_break(brk, "hips_lift"), hold(round(held - a, 2))]
            feature = "break:hips_lift"
        else:
            body, feature = [hold(held)], ("partial" if is_partial else "")
        block = ([rest(gap)] if n else []) + [move(tilt, into), *body, move(0.0, out)]
        used = sum(s.duration for s in segs) + sum(s.duration for s in block)
        if n >= 1 and used > MAX_S:
            break
        segs += block
        n += 1
        if feature:
            d.features.append(feature)
        if used >= target_len:
            break
    if d.p(0.4):
        d.features.append("end_at_release")
    else:
        segs.append(rest(d.u(0.3, 0.8)))
    short = MIN_S - sum(s.duration for s in segs)
    if short > 0:
        segs[0] = rest(round(segs[0].duration + short + 0.05, 2))
    view, near, yaw = _side_view(d)
    return {
        "side": None,
        "near_side": near,
        "view": view,
        "yaw": yaw,
        "posture": _LYING,
        "schedule": segs,
        "options": opts,
    }


_PLANS: dict[str, Callable[[_Draw, int], dict]] = {
    "bridge": _bridge,
    "calf_stretch": _calf_stretch,
    "childs_pose": _childs_pose,
    "half_kneel_hip_stretch": _half_kneel,
    "hip_flexor_stretch": _hip_flexor_stretch,
    "knee_to_chest": _knee_to_chest,
    "lower_trunk_rotation": _lower_trunk_rotation,
    "nerve_glide": _nerve_glide,
    "pelvic_tilt": _pelvic_tilt,
    "side_bend": _side_bend,
}


# ---------------------------------------------------------------------------- the draw
def draw_one(exercise: str, seed: int, k: int) -> SweepClip:
    """Clip ``k`` of ``exercise`` in sweep ``seed``: its own RNG stream, so clips do not shift
    when N or the exercise list changes."""
    idx = EXERCISES.index(exercise)
    rng = np.random.default_rng([seed, idx, k])
    d = _Draw(rng, exercise)
    body = _body(d)
    lighting, dim = _lighting(d)
    spec = _PLANS[exercise](d, k)
    options = dict(spec["options"])
    if d.start_value is not None:
        options["start"] = d.start_value
    clip = Clip(
        name=f"sweep{seed}_{exercise}_{k:02d}",
        exercise=exercise,
        performed=exercise,
        side=spec["side"],
        near_side=spec["near_side"],
        view=spec["view"],
        schedule=tuple(spec["schedule"]),
        body=body,
        camera=_camera(d, spec["posture"], spec["yaw"]),
        lighting=lighting,
        seed=SEED_BASE + int(rng.integers(0, 2**30)),
        options=options,
        notes="randomised sweep; features: " + ", ".join(d.features),
    )
    noise = d.u(4.0, 9.0, 1) if dim else d.u(0.0, 4.0, 1)
    quality = int(rng.integers(30, 91))
    return SweepClip(clip, noise, quality, tuple(d.features), tuple(d.checks))


def draw(per_exercise: int, seed: int, exercises: tuple[str, ...] | list[str] | None = None) -> list[SweepClip]:
    chosen = list(exercises) if exercises else list(EXERCISES)
    unknown = set(chosen) - set(EXERCISES)
    if unknown:
        raise ValueError(f"no sweep plan for {sorted(unknown)}; have: {', '.join(EXERCISES)}")
    return [draw_one(ex, seed, k) for ex in chosen for k in range(per_exercise)]


def with_distance(item: SweepClip, distance: float) -> SweepClip:
    clip = item.clip
    return replace(item, clip=replace(clip, camera=replace(clip.camera, distance=round(distance, 3))))


def seconds(item: SweepClip) -> float:
    return math.fsum(s.duration for s in item.clip.schedule)
