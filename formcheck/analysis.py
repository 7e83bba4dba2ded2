"""From poses to coaching: the per-frame analyzer and its summary.

``Analyzer(spec).step(pose)`` smooths the landmarks, checks the person and the
view, measures the exercise's metrics, drives the rep counter / hold timer and
fault debouncers, and picks the one feedback line to show. It holds all the
state of a session and nothing else does: live and offline analysis feed it the
same ``PoseFrame``s and get the same ``FrameResult``s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.counting import FaultDebouncer, HoldEvent, HoldTimer, Phase, RepCounter, RepEvent
from formcheck.exercises.spec import ExerciseSpec, View
from formcheck.filters import OneEuroFilter
from formcheck.landmarks import Landmark, PoseFrame, sided
from formcheck.metrics import compute_metrics

VISIBILITY_MIN = 0.5  # MediaPipe's own default presence threshold
# Shoulder (or hip) width over trunk length: ~0.75 for an adult seen square-on,
# falling with the cosine of the turn. Side-on means within ~40 degrees of
# profile (ratio below 0.5); front-on within ~48 degrees of square (above 0.5).
SIDE_VIEW_MAX_RATIO = 0.5
FRONT_VIEW_MIN_RATIO = 0.5
SETUP_DEBOUNCE_S = 1.0  # setup problems must persist this long before we speak
MESSAGE_MIN_S = 1.5  # a feedback line stays at least this long (no flicker)

SETUP_MESSAGES = {
    "no_person": "No one in view: step into the camera's view",
    "not_visible": "Move so your whole body is in view",
    "wrong_view_side": "Turn side-on to the camera",
    "wrong_view_front": "Face the camera",
}


@dataclass(frozen=True)
class FaultEvent:
    t_s: float
    code: str
    message: str


@dataclass(frozen=True, eq=False)
class FrameResult:
    """Everything the overlay and the sinks need to know about one frame."""

    index: int
    t_ms: float
    pose: PoseFrame  # smoothed
    status: str  # "ok", "no_person", "not_visible", "wrong_view"
    side: str | None
    metrics: dict[str, float]
    primary: float
    phase: str
    reps: int
    partial_reps: int
    progress: float  # 0 at rest .. 1 at the target (NaN when unknown)
    hold_s: float
    holding: bool
    hold_paused: bool
    feedback: str | None
    active_faults: tuple[str, ...]
    rep_event: RepEvent | None = None
    hold_event: HoldEvent | None = None
    new_faults: tuple[FaultEvent, ...] = ()


@dataclass
class AnalysisSummary:
    exercise: str
    side: str | None
    frames: int = 0
    detected_frames: int = 0
    first_t_ms: float = math.nan
    last_t_ms: float = math.nan
    reps: int = 0
    partial_reps: int = 0
    rep_events: list[RepEvent] = field(default_factory=list)
    holds: list[HoldEvent] = field(default_factory=list)
    faults: list[FaultEvent] = field(default_factory=list)


class PoseSmoother:
    """One-Euro smoothing of image landmarks (in frame heights) and world landmarks."""

    def __init__(self) -> None:
        self._image = OneEuroFilter(min_cutoff_hz=1.5, beta=0.5)
        self._world = OneEuroFilter(min_cutoff_hz=1.5, beta=0.5)

    def reset(self) -> None:
        self._image.reset()
        self._world.reset()

    def __call__(self, pose: PoseFrame) -> PoseFrame:
        if not pose.detected:
            return pose
        t_s = pose.t_ms / 1000.0
        scale = float(pose.height)
        image = self._image(pose.image / scale, t_s) * scale
        world = self._world(pose.world, t_s)
        return PoseFrame(
            index=pose.index,
            t_ms=pose.t_ms,
            image=image,
            world=world,
            visibility=pose.visibility,
            width=pose.width,
            height=pose.height,
        )


class SideResolver:
    """Which body side faces the camera, and which way the person's left points.

    The lateral direction in a side view is read from the knees: a knee only
    bends backwards, so the turn from thigh to shank in the image tells which
    side of the body the camera sees, whatever the model's left/right labels
    say. With straight knees it falls back on the model's depth estimate.
    Evidence is averaged over time, so a one-frame left/right swap is ignored.
    """

    def __init__(self, tau_s: float = 2.0) -> None:
        self.tau_s = tau_s
        self.reset()

    def reset(self) -> None:
        self._knee_vote = 0.0
        self._depth_vote = 0.0
        self._last_t = math.nan

    def update(self, pose: PoseFrame) -> None:
        if not pose.detected:
            return
        t = pose.t_ms / 1000.0
        dt = t - self._last_t if math.isfinite(self._last_t) else self.tau_s
        self._last_t = t
        k = math.exp(-max(dt, 0.0) / self.tau_s)
        vote = 0.0
        for s in ("left", "right"):
            hip, knee, ankle = (pose.image[sided(s, j), :2] for j in ("hip", "knee", "ankle"))
            u, v = hip - knee, ankle - knee
            nu, nv = float(np.hypot(*u)), float(np.hypot(*v))
            if nu > 0 and nv > 0 and np.isfinite(nu + nv):
                vote += float(u[0] * v[1] - u[1] * v[0]) / (nu * nv)  # sin of the turn
        self._knee_vote = k * self._knee_vote + (1 - k) * vote
        dz = pose.world[Landmark.LEFT_HIP, 2] - pose.world[Landmark.RIGHT_HIP, 2]
        if np.isfinite(dz):
            self._depth_vote = k * self._depth_vote + (1 - k) * float(np.sign(dz))

    @property
    def lateral_z(self) -> float:
        """+1 when the person's left points away from the camera (right side near)."""
        if abs(self._knee_vote) > 0.15:  # knees bent by roughly 10 degrees or more
            return -1.0 if self._knee_vote > 0 else 1.0
        return 1.0 if self._depth_vote >= 0 else -1.0

    @property
    def near_side(self) -> str:
        return "right" if self.lateral_z > 0 else "left"


def view_ratio(pose: PoseFrame) -> float:
    """Larger of shoulder and hip width over trunk length, in the image."""
    img = pose.image[:, :2]
    ls, rs = img[Landmark.LEFT_SHOULDER], img[Landmark.RIGHT_SHOULDER]
    lh, rh = img[Landmark.LEFT_HIP], img[Landmark.RIGHT_HIP]
    trunk = float(np.linalg.norm((ls + rs) / 2 - (lh + rh) / 2))
    width = max(float(np.linalg.norm(ls - rs)), float(np.linalg.norm(lh - rh)))
    if not math.isfinite(trunk + width) or trunk <= 1e-6:
        return math.nan
    return width / trunk


class Analyzer:
    """One exercise, one person, one session."""

    def __init__(self, spec: ExerciseSpec, side: str | None = None) -> None:
        if side not in (None, "auto", "left", "right"):
            raise ValueError(f"side must be left, right or auto, not {side!r}")
        self.spec = spec
        self.requested_side = None if side == "auto" else side
        self.smoother = PoseSmoother()
        self.sides = SideResolver()
        self.counter = RepCounter(spec.rep) if spec.rep else None
        self.hold_timer = HoldTimer(spec.hold) if spec.hold_position else None
        self.form = FaultDebouncer(on_s=0.3, off_s=0.5)
        self.setup = FaultDebouncer(on_s=SETUP_DEBOUNCE_S, off_s=0.5)
        self.reset()

    def reset(self) -> None:
        """Start a new session with the same exercise and side (live 'r' key)."""
        self.smoother.reset()
        self.sides.reset()
        if self.counter is not None:
            self.counter.reset()
        if self.hold_timer is not None:
            self.hold_timer.reset()
        self.form.reset()
        self.setup.reset()
        self.summary = AnalysisSummary(exercise=self.spec.id, side=self.requested_side)
        self._rep_faults: set[str] = set()
        self._message: str | None = None
        self._message_t = -math.inf
        self._message_priority = 0
        self._notice: tuple[str, float] | None = None  # (message, shown until t)

    # -- per frame ------------------------------------------------------------
    def step(self, raw: PoseFrame) -> FrameResult:
        spec = self.spec
        t_s = raw.t_ms / 1000.0
        pose = self.smoother(raw)
        s = self.summary
        s.frames += 1
        s.detected_frames += int(raw.detected)
        if not math.isfinite(s.first_t_ms):
            s.first_t_ms = raw.t_ms
        s.last_t_ms = raw.t_ms

        self.sides.update(pose)
        side = self._measured_side()
        status = self._status(pose, side)
        setup_on = {
            "no_person": status == "no_person",
            "not_visible": status == "not_visible",
            "wrong_view": status == "wrong_view",
        }
        new_faults = [self._fault(t_s, code, self._setup_message(code)) for code in self.setup.update(t_s, setup_on)]

        metrics = self._metrics(pose, side) if status == "ok" else {}
        primary = metrics.get(spec.primary, math.nan)

        rep_event: RepEvent | None = None
        phase = Phase.REST.value
        if self.counter is not None:
            rep_event = self.counter.update(t_s, primary)
            phase = self.counter.phase.value

        in_rep = self.counter is not None and self.counter.phase is not Phase.REST
        at_top = self.counter is not None and self.counter.phase is Phase.TOP
        holding = self.hold_timer is not None and self.hold_timer.state.holding
        conditions: dict[str, bool] = {}
        for rule in spec.faults:
            relevant = {
                "any": True,
                "rest": not in_rep and not holding,
                "active": in_rep,
                "top": at_top,
                "hold": holding,
            }[rule.during]
            conditions[rule.code] = bool(relevant and rule.when.test(metrics))
        for code in self.form.update(t_s, conditions):
            rule = next(r for r in spec.faults if r.code == code)
            new_faults.append(self._fault(t_s, code, rule.message))
        active = tuple(self.form.active())
        if in_rep:
            self._rep_faults.update(active)

        hold_event: HoldEvent | None = None
        if self.hold_timer is not None:
            tests = [c.test(metrics) for c in spec.hold_position]
            in_position = None if any(x is None for x in tests) else all(tests)
            hold_event = self.hold_timer.update(t_s, in_position, form_ok=not active)
            if hold_event is not None:
                hold_event = HoldEvent(
                    hold_event.start_s, hold_event.end_s, hold_event.duration_s, side=self._event_side(side)
                )
                s.holds.append(hold_event)

        if rep_event is not None:
            rep_event = self._judge_rep(rep_event, side, new_faults, t_s)

        feedback = self._feedback(t_s, status, active)
        hs = self.hold_timer.state if self.hold_timer else None
        return FrameResult(
            index=raw.index,
            t_ms=raw.t_ms,
            pose=pose,
            status=status,
            side=side,
            metrics=metrics,
            primary=primary,
            phase="hold" if hs is not None and hs.holding else phase,
            reps=self.counter.reps if self.counter else len(s.holds),
            partial_reps=self.counter.partial_reps if self.counter else 0,
            progress=self.counter.progress if self.counter else math.nan,
            hold_s=hs.seconds if hs else 0.0,
            holding=bool(hs and hs.holding),
            hold_paused=bool(hs and hs.holding and hs.paused),
            feedback=feedback,
            active_faults=active,
            rep_event=rep_event,
            hold_event=hold_event,
            new_faults=tuple(new_faults),
        )

    def finish(self) -> AnalysisSummary:
        """Close what is still open at the end of the stream and return the summary."""
        if self.hold_timer is not None:
            ev = self.hold_timer.flush()
            if ev is not None:
                self.summary.holds.append(ev)
        if self.counter is not None:
            self.summary.reps = self.counter.reps
            self.summary.partial_reps = self.counter.partial_reps
        else:
            self.summary.reps = len(self.summary.holds)
        self.summary.side = self._measured_side() if not self.spec.bilateral else self.summary.side
        return self.summary

    # -- pieces ---------------------------------------------------------------
    def _measured_side(self) -> str:
        if self.requested_side is not None:
            return self.requested_side
        return self.sides.near_side

    def _event_side(self, side: str) -> str | None:
        return None if self.spec.bilateral else side

    def _status(self, pose: PoseFrame, side: str) -> str:
        if not pose.detected:
            return "no_person"
        idx = [sided(side, j) for j in self.spec.required]
        vis = pose.visibility[idx]
        xy = pose.image[idx, :2]
        margin = 0.02
        inside = (
            (xy[:, 0] >= -margin * pose.width)
            & (xy[:, 0] <= (1 + margin) * pose.width)
            & (xy[:, 1] >= -margin * pose.height)
            & (xy[:, 1] <= (1 + margin) * pose.height)
        )
        if not bool(np.all((vis >= VISIBILITY_MIN) & inside)):
            return "not_visible"
        ratio = view_ratio(pose)
        if self.spec.view is View.SIDE and ratio > SIDE_VIEW_MAX_RATIO:
            return "wrong_view"
        if self.spec.view is View.FRONT and ratio < FRONT_VIEW_MIN_RATIO:
            return "wrong_view"
        return "ok"

    def _metrics(self, pose: PoseFrame, side: str) -> dict[str, float]:
        spec = self.spec
        if spec.view in (View.SIDE, View.FRONT):
            pts = pose.image.copy()
            pts[:, 2] = 0.0  # image-plane angles: the model's depth is its noisiest output
            lateral = (0.0, 0.0, self.sides.lateral_z) if spec.view is View.SIDE else None
        else:
            pts, lateral = pose.world, None
        values = compute_metrics(spec.metrics, pts[None], side, lateral=lateral)
        return {name: float(v[0]) for name, v in values.items()}

    def _setup_message(self, code: str) -> str:
        if code == "wrong_view":
            return SETUP_MESSAGES["wrong_view_front" if self.spec.view is View.FRONT else "wrong_view_side"]
        return SETUP_MESSAGES[code]

    def _fault(self, t_s: float, code: str, message: str) -> FaultEvent:
        ev = FaultEvent(t_s=t_s, code=code, message=message)
        self.summary.faults.append(ev)
        return ev

    def _judge_rep(self, ev: RepEvent, side: str, new_faults: list[FaultEvent], t_s: float) -> RepEvent:
        spec = self.spec
        codes = set(self._rep_faults)
        self._rep_faults.clear()
        if not ev.complete:
            codes.add(spec.partial_code)
            new_faults.append(self._fault(t_s, spec.partial_code, spec.partial_message))
            self._notice = (spec.partial_message, t_s + 2.5)
        else:
            tm = spec.timing
            if tm.min_top_s is not None and ev.top_s < tm.min_top_s:
                codes.add(tm.no_pause_code)
                new_faults.append(self._fault(t_s, tm.no_pause_code, tm.no_pause_message))
                self._notice = (tm.no_pause_message, t_s + 2.5)
            if tm.min_down_s is not None and ev.down_s < tm.min_down_s:
                codes.add(tm.fast_down_code)
                new_faults.append(self._fault(t_s, tm.fast_down_code, tm.fast_down_message))
                self._notice = (tm.fast_down_message, t_s + 2.5)
        judged = replace(ev, side=self._event_side(side), faults=tuple(sorted(codes)))
        self.summary.rep_events.append(judged)
        return judged

    def _feedback(self, t_s: float, status: str, active: tuple[str, ...]) -> str | None:
        """One line at a time: setup problems, then live faults, then rep notices."""
        candidates: list[tuple[int, str]] = []
        setup_active = self.setup.active()
        if setup_active:
            candidates.append((3, self._setup_message(setup_active[0])))
        for rule in self.spec.faults:
            if rule.code in active:
                candidates.append((2, rule.message))
                break
        if self._notice is not None and t_s <= self._notice[1]:
            candidates.append((1, self._notice[0]))
        best = max(candidates, default=None)
        held = t_s - self._message_t < MESSAGE_MIN_S and self._message is not None
        if best is None:
            if held:
                return self._message
            self._message, self._message_priority = None, 0
            return None
        priority, message = best
        if message != self._message and (not held or priority > self._message_priority):
            self._message, self._message_t, self._message_priority = message, t_s, priority
        return self._message
