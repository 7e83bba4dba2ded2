"""From poses to coaching: the per-frame analyzer.

``Analyzer(spec).step(pose)`` repairs left/right labels, smooths the landmarks,
checks the person and the view, measures the exercise's metrics, drives the rep
counters / hold timer / fault debouncers and picks the one feedback line to
show. It holds all the state of a session and nothing else does: live and
offline analysis feed it the same ``PoseFrame``s and get the same results.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from formcheck.analysis.feedback import FORM, NOTICE, SETUP, FeedbackSelector
from formcheck.analysis.levels import HeldLevel
from formcheck.analysis.neutral import NeutralCosine
from formcheck.analysis.reach import BestReach, StatusClock, primary_target
from formcheck.analysis.results import AnalysisSummary, FaultEvent, FrameResult
from formcheck.analysis.setup import SIDE_VIEW_MAX_RATIO, BodyExtent, check_setup, missing_joints, view_ratio
from formcheck.analysis.sides import (
    FacingSide,
    MovingSideChooser,
    SideResolver,
    WorkingSideChooser,
    facing_camera_labels,
)
from formcheck.analysis.smoothing import PoseSmoother
from formcheck.counting import (
    LEAVE_BAND_DEG,
    STILL_RATE_CAP,
    FaultDebouncer,
    HoldEvent,
    HoldTimer,
    Phase,
    RepCounter,
    RepEvent,
    RestLevel,
    StillnessGate,
)
from formcheck.exercises.spec import ExerciseSpec, View, all_true, leaves
from formcheck.landmarks import PoseFrame, other_side
from formcheck.metrics import metrics_by_side, neutral_cosine, side_view_bias

SETUP_DEBOUNCE_S = 1.0  # setup problems must persist this long before we speak
FORM_DEBOUNCE_S = 0.3  # a form fault must persist this long (one noisy frame is noise)
FORM_CLEAR_S = 0.5  # and be gone this long before it can fire again
NOTICE_S = 2.5  # how long a remark about the finished rep stays up
# Holding still: every metric of the held position changing slower than this.
# Moving into or out of a stretch runs at 15-50 deg/s; a held position drifts
# a few deg/s at most, and measurement noise reads ~2 deg/s (SlopeTracker);
# noisier footage raises the rate to its own jitter (counting.StillnessGate).
SETTLE_DEG_S = 6.0
# A fault enters only this far past its limit, and leaves at the limit itself
# (hysteresis). A measurement within a degree or two of a limit is a coin toss
# of landmark jitter and bias, not a fault: a knee read at 164 against a 165
# limit must not stop the clock on a good hold. 2 degrees is four times the
# largest 99th-percentile jitter of an ordinary joint angle on the fixtures'
# still stretches (0.5 deg, the straight knee; `python -m tools.false_alarms
# --jitter`), and the raw 1-2 degrees of frame-to-frame jitter of a dim room.
FAULT_MARGIN_DEG = 2.0
# How far a timed hold may be off: the settle window and the debounces add up
# to about half a second (the regression bar for hold durations is the same).
HOLD_TOLERANCE_S = 0.5
# A position defined from the person's rest ("hip extended 12 degrees beyond your
# upright kneel") needs that rest, and a recording that starts part-way into the
# movement shows none: the first frames are learnt as rest, too far in, and the
# hold never reaches rest + its displacement. The hold's inputs are therefore kept
# from the start of the stream until the first hold is timed; if before that the
# person settles at a rest clearly lower than any rest those frames were judged
# against (by more than half the smallest displacement asked of that metric, the
# RestLevel's own freeze band: more than sway or jitter about one rest), the kept
# frames are timed again against that rest. Kept for at most this long: a
# recording's first hold starts within a minute of its start (a 30-60 s hold is
# the handouts' longest), and the frames cost ~1 kB a second.
REPLAY_MAX_S = 120.0

SIGN_SIDE = {1: "left", -1: "right"}  # signed metrics: + = towards the person's left


class Analyzer:
    """One exercise, one person, one session."""

    def __init__(self, spec: ExerciseSpec, side: str | None = None) -> None:
        if side not in (None, "auto", "left", "right"):
            raise ValueError(f"side must be left, right or auto, not {side!r}")
        self.spec = spec
        self.requested_side = None if side in (None, "auto") else side
        self.smoother = PoseSmoother()
        self.sides = SideResolver()
        self.facing = FacingSide()
        self.extent = BodyExtent()
        self.chooser: WorkingSideChooser | MovingSideChooser = (
            MovingSideChooser(_units_per_degree(spec))
            if spec.side_choice == "moving"
            else WorkingSideChooser(spec.side_by[1] if spec.side_by else spec.direction)
        )
        # Measured as a side view (image plane, side repair, landmark bias)? For
        # an exercise allowed in several views, decided per frame between reps.
        self._side_on = spec.view is View.SIDE
        # Not side-on, a front view: the person faces the camera (sides.facing_camera_labels).
        self._front = View.FRONT in spec.allowed_views
        self.counters: dict[str | None, RepCounter] = {}
        if spec.rep is not None:
            if spec.both_directions:
                for sign, name in SIGN_SIDE.items():
                    self.counters[name] = RepCounter(replace(spec.rep, direction=sign, target=sign * spec.rep.target))
            else:
                self.counters[None] = RepCounter(spec.rep)
        self.hold_timer = HoldTimer(spec.hold) if spec.hold_position else None
        self.form = FaultDebouncer(on_s=FORM_DEBOUNCE_S, off_s=FORM_CLEAR_S)
        self.setup = FaultDebouncer(on_s=SETUP_DEBOUNCE_S, off_s=FORM_CLEAR_S)
        self.feedback = FeedbackSelector()
        self.reach = BestReach(primary_target(spec))
        self._bias = side_view_bias(spec.metrics)  # declared by each metric's measure, never by its name
        # Side-on, metrics measured as a cos(angle) length: degrees against a learnt neutral.
        self._neutrals = {m: NeutralCosine() for m in neutral_cosine(spec.metrics)}
        self.clock = StatusClock()
        # Faults that pause a hold's clock: those checked while holding.
        self._pausing = frozenset(r.code for r in spec.faults if r.during in ("hold", "any"))
        # Still = slower than SETTLE_DEG_S, raised to the measured jitter of the
        # metric when that is higher (StillnessGate). A position defined by a
        # small change from rest: slower than that change per second, never
        # raised (jitter beyond a pelvic tilt's 1-2 degrees cannot be told from
        # the tilt itself).
        self._still = {
            c.metric: StillnessGate(
                min(SETTLE_DEG_S * c.scale, abs(c.value)), cap=min(SETTLE_DEG_S * c.scale, abs(c.value))
            )
            if c.relative
            else StillnessGate(SETTLE_DEG_S * c.scale, cap=STILL_RATE_CAP * c.scale)
            for c in leaves(spec.hold_position)
        }
        # How far each held metric may stray from its level and still be held
        # (counting.LEAVE_BAND_DEG, in the metric's own units).
        scales = {c.metric: c.scale for c in leaves(spec.hold_position)}
        self._leave_bands = tuple(LEAVE_BAND_DEG * scales[m] for m in self._still)
        # One resting value per metric, frozen beyond the smallest displacement any
        # relative condition on it asks for (the hold position comes first).
        self._rests: dict[str, RestLevel] = {}
        for c in (
            leaves(spec.hold_position)
            + leaves(spec.rep_requires)
            + leaves(tuple(t for r in spec.faults for t in r.when))
        ):
            if not c.relative:
                continue
            level = self._rests.get(c.metric)
            if level is None:
                self._rests[c.metric] = RestLevel(direction=c.rest_direction, freeze_beyond=abs(c.value) / 2)
            else:
                level.freeze_beyond = min(level.freeze_beyond, abs(c.value) / 2)
        # A metric measured from rest only by faults judged in the held position (the calf
        # stretch's heel) is measured from the person's own level in that position (HeldLevel:
        # the median of its readings there while the form is good), learnt afresh at each
        # hold's start: the form the handout asks for is the position itself (heel down), and
        # the level before it (walking in, stepping back) says nothing about how that foot
        # reads in the stance.
        elsewhere = leaves(spec.hold_position) + leaves(spec.rep_requires)
        elsewhere += leaves(tuple(t for r in spec.faults if r.during != "hold" for t in r.when))
        held = {m for m in self._rests} - {c.metric for c in elsewhere if c.relative}
        self._held_levels = {m: HeldLevel() for m in sorted(held)}
        for m in held:
            del self._rests[m]
        self.reset()

    def reset(self) -> None:
        """Start a new session with the same exercise and side (the live 'r' key)."""
        self.smoother.reset()
        self.sides.reset()
        self._side_on = self.spec.view is View.SIDE
        self.facing.reset()
        self.extent.reset()
        self.chooser.reset()
        for counter in self.counters.values():
            counter.reset()
        if self.hold_timer is not None:
            self.hold_timer.reset()
        self.form.reset()
        self.setup.reset()
        self.feedback.reset()
        self.reach.reset()
        self.clock.reset()
        for gate in self._still.values():
            gate.reset()
        for neutral in self._neutrals.values():
            neutral.reset()
        for level in self._rests.values():
            level.reset()
        for held in self._held_levels.values():
            held.reset()
        self._rest_values: dict[str, float] = {}
        self._settled = False
        self._was_holding = False
        # The hold's position reached since the person was last at rest: a place they stop
        # at after that (on the way out, or lying with the knee bent after a knee-to-chest)
        # is not "short of the position".
        self._reached = False
        self.summary = AnalysisSummary(exercise=self.spec.id, side=self.requested_side)
        self._rep_faults: set[str] = set()
        self._notice: tuple[str, float] | None = None  # (message, shown until t)
        self._setup_message: dict[str, str] = {}
        self._hold_side: str | None = None
        self._last_side: str | None = None
        self._positioned = False  # in the hold's position at the last frame
        self._requires_met = False  # spec.rep_requires seen true during the current rep
        # The hold's inputs since the stream began, while no hold has been timed and the
        # position depends on a learnt rest (REPLAY_MAX_S); None once that is over.
        self._replay_metrics = {c.metric for c in leaves(self.spec.hold_position) if c.relative}
        self._replay: list[tuple[float, dict[str, float], bool, bool]] | None = (
            [] if self._replay_metrics and self.hold_timer is not None else None
        )
        self._replay_rest: dict[str, float] = {}  # per metric: the least rested rest those frames saw

    # -- per frame ------------------------------------------------------------
    def step(self, raw: PoseFrame) -> FrameResult:
        spec = self.spec
        t_s = raw.t_ms / 1000.0
        s = self.summary
        s.frames += 1
        s.detected_frames += int(raw.detected)
        if not math.isfinite(s.first_t_ms):
            s.first_t_ms = raw.t_ms
        s.last_t_ms = raw.t_ms

        if len(spec.allowed_views) > 1 and View.SIDE in spec.allowed_views and not self._busy():
            ratio = view_ratio(raw) if raw.detected else math.nan
            if math.isfinite(ratio):
                self._side_on = ratio <= SIDE_VIEW_MAX_RATIO
        if self._side_on:
            self.sides.update(raw)
            raw = self.sides.repair(raw)
        else:
            if self._front:
                raw = facing_camera_labels(raw)
            if not self._busy():  # never switch sides in the middle of a rep or a hold
                self.facing.update(raw)
        pose = self.smoother(raw)

        side = self._measured_side(pose)
        check = check_setup(pose, spec, side, extent=self.extent.update(pose))
        if check.message is not None:
            self._setup_message[check.status] = check.message
        new_faults = [
            self._fault(t_s, code, self._setup_message.get(code, code))
            for code in self.setup.update(t_s, {code: code == check.status for code in _SETUP_CODES})
        ]

        metrics: dict[str, float] = {}
        if check.status == "ok":
            metrics, side = self._measure(pose, side, t_s)
        primary = metrics.get(spec.primary, math.nan)
        # The person's rest is learnt at rest: a hold's own small shifts (a pelvic
        # tilt lowers the hip reading a degree or three) are not a new rest. And
        # while a hold runs, a metric's slope is mostly jitter: that teaches the
        # stillness gates their noise floor.
        in_hold = self.hold_timer is not None and self.hold_timer.state.holding
        if in_hold and not self._was_holding:
            for held in self._held_levels.values():
                held.reset()
        self._was_holding = in_hold
        self._rest_values = {
            m: level.update(t_s, metrics.get(m, math.nan), learn=not in_hold) for m, level in self._rests.items()
        }
        form_ok = not self.form.active()
        for m, held in self._held_levels.items():
            self._rest_values[m] = held.update(metrics.get(m, math.nan), learn=in_hold and form_ok)
        still = [gate.update(t_s, metrics.get(m, math.nan), learn=in_hold) for m, gate in self._still.items()]
        self._settled = all(still)
        self.clock.update(t_s, check.status)
        self.reach.update(metrics, self._rest_values)

        self._last_side = side
        if spec.rep_requires and self._phase() is not Phase.REST:
            self._requires_met = self._requires_met or all_true(spec.rep_requires, metrics, self._rest_values) is True
        rep_event = self._count(t_s, primary, side, new_faults)
        phase = self._phase()
        in_rep = phase in (Phase.ACTIVE, Phase.TOP)
        holding = self.hold_timer is not None and self.hold_timer.state.holding
        self._update_reached(metrics, holding)
        conditions: dict[str, bool] = {}
        during = {
            "any": True,
            "rest": not in_rep and not holding,
            "active": in_rep,
            "top": phase is Phase.TOP,
            # Hold faults are about the held position: once out of it (the exit
            # grace, legs settling after a knee-to-chest) there is nothing to coach.
            "hold": holding and self._in_position(metrics) is True,
        }
        was_active = set(self.form.active())
        for rule in spec.faults:
            relevant = during[rule.during] and (self._settled or not rule.still)
            if rule.still and rule.during == "rest":  # stopped short on the way in only
                relevant = relevant and not self._reached
            margin = 0.0 if rule.code in was_active else FAULT_MARGIN_DEG
            # Several rules may share a code (a band left on either side): any one fires it.
            conditions[rule.code] = conditions.get(rule.code, False) or (
                relevant and rule.test(metrics, self._rest_values, margin)
            )
        for code in self.form.update(t_s, conditions):
            rule = next(r for r in spec.faults if r.code == code)
            new_faults.append(self._fault(t_s, code, rule.message))
        active = tuple(self.form.active())
        if in_rep:
            self._rep_faults.update(active)

        hold_event = self._hold(t_s, metrics, side, active)
        feedback = self._feedback(t_s, active)
        hs = self.hold_timer.state if self.hold_timer else None
        return FrameResult(
            index=raw.index,
            t_ms=raw.t_ms,
            pose=pose,
            status=check.status,
            side=side,
            metrics=metrics,
            primary=primary,
            phase="hold" if hs is not None and hs.holding else phase.value,
            reps=s.reps,
            partial_reps=s.partial_reps,
            progress=self._progress(),
            hold_s=hs.seconds if hs else 0.0,
            holding=bool(hs and hs.holding),
            hold_paused=self._hold_paused(active),
            hold_stopped=bool(hs and hs.holding and hs.paused),
            feedback=feedback,
            active_faults=active,
            rep_event=rep_event,
            hold_event=hold_event,
            new_faults=tuple(new_faults),
            setup_message=check.message,
            pose_side=side,
            primary_rest=self._rest_values.get(spec.primary, math.nan),
        )

    def finish(self) -> AnalysisSummary:
        """Close what is still open at the end of the stream and return the summary.

        A rep whose return to rest was seen counts even when the recording
        stopped before the person had rested ``min_phase_s`` (RepCounter.flush).
        """
        t_end = self.summary.last_t_ms / 1000.0
        for key, counter in self.counters.items():
            rep = counter.flush()
            if rep is not None:
                rep_side = key if key is not None else self._event_side(self._last_side)
                self._judge_rep(rep, rep_side, [], t_end)
        self.summary.status_s = self.clock.totals()
        self.summary.best_primary = self.reach.best
        self.summary.best_primary_by_side = dict(self.reach.best_by_side)
        if self.hold_timer is not None:
            ev = self.hold_timer.flush()
            if ev is not None:
                self._record_hold(replace(ev, side=self._event_side(self._hold_side)))
            elif self._replay is not None and self._rest_fell():
                self._replay_holds(self._last_side)  # (at the end of the stream, settled or not)
        # (Not for signed exercises: there an event's side is the way it went, not a leg.)
        if not self.spec.bilateral and not self.spec.both_directions and self.summary.side is None:
            sides = {e.side for e in self.summary.rep_events} | {h.side for h in self.summary.holds}
            sides.discard(None)
            if len(sides) == 1:
                self.summary.side = sides.pop()
        return self.summary

    # -- measuring ------------------------------------------------------------
    def _labels_trusted(self) -> bool:
        """Can the model's left/right leg labels pick the working leg?

        Not for one-sided exercises seen side-on: with one leg raised or
        pulled, the model cannot tell the near leg from the far one and often
        gives the raised leg the far side's label. There the working leg is
        found by what it does (``WorkingSideChooser``) and named by --side.
        """
        if self.spec.side_choice == "moving" and self.requested_side is None:
            return False  # chosen by what it does, whatever the labels say
        return self.spec.bilateral or self.spec.both_directions or not self._side_on

    def _measured_side(self, pose: PoseFrame) -> str:
        """The landmark set (label) measured: the working leg once it is known.

        Where the labels are not trusted, a leg whose joints cannot be seen is
        never measured while another can be (between reps): a hidden far leg
        is the model's guess, and checking the setup on it would fail for as
        long as it stays hidden, so nothing would ever be measured or counted.

        Before the chooser has chosen (it wants a lead held for a second), an
        exercise whose ``side_by`` posture tells the legs apart at rest as well
        (a nerve glide's thigh held up beside a flat leg) measures the leg that
        leads now: the --side label is no evidence, as the model often puts it
        on the flat leg, and a rep begun there keeps that leg to its end
        (sweep2_nerve_glide_00: a partial and a full glide read off the flat
        leg). Without ``side_by`` the legs differ only in the movement, and a
        lead before it (walking into a calf stretch) is no evidence either.
        """
        if not self._labels_trusted():
            if self._busy() and self._last_side is not None:
                return self._last_side  # never switch legs in the middle of a rep or a hold
            leader = (
                self.chooser.leader
                if self.spec.side_by is not None and isinstance(self.chooser, WorkingSideChooser)
                else None
            )
            side = (
                self.chooser.side
                or leader
                or self.requested_side
                or (self.sides.near_side if self._side_on else self.facing.side)
            )
            if self._hidden(pose, side) and not self._hidden(pose, other_side(side)):
                return other_side(side)
            return side
        if self.requested_side is not None:
            return self.requested_side
        if self._side_on:
            return self.sides.near_side
        return self.facing.side

    def _hidden(self, pose: PoseFrame, side: str) -> bool:
        return bool(missing_joints(pose, tuple(self.spec.required), side))

    def _points(self, pose: PoseFrame) -> tuple[np.ndarray, tuple[float, float, float] | None]:
        """Side views: image-plane points, lateral axis from the knees. Others: world points."""
        if self._side_on:
            pts = pose.image.copy()
            pts[:, 2] = 0.0  # the model's depth is its noisiest output; a side view needs none
            return pts, (0.0, 0.0, self.sides.lateral_z)
        return pose.world, None

    def _measure(self, pose: PoseFrame, side: str, t_s: float) -> tuple[dict[str, float], str]:
        """(metrics, the landmark set measured)."""
        metrics, side = self._measure_raw(pose, side, t_s)
        if self._side_on:
            metrics = {k: v - self._bias.get(k, 0.0) for k, v in metrics.items()}
            for name, neutral in self._neutrals.items():
                metrics[name] = neutral.update(t_s, metrics.get(name, math.nan))
        return metrics, side

    def _measure_raw(self, pose: PoseFrame, side: str, t_s: float) -> tuple[dict[str, float], str]:
        spec = self.spec
        pts, lateral = self._points(pose)
        trusted = self._labels_trusted()
        # One-sided, side-on: measure both legs and follow the one doing the
        # exercise, never switching in the middle of a rep or a hold (then the
        # leg stays and is measured alone). Events are named by --side when
        # given (the user knows which leg is theirs).
        sides = (side,) if trusted or self._busy() else ("left", "right")
        measured = {
            s: {k: float(v[0]) for k, v in values.items()}
            for s, values in metrics_by_side(
                spec.metrics, pts[None], sides, lateral=lateral, side_on=self._side_on
            ).items()
        }
        if trusted:
            return measured[side], side
        if len(sides) == 2:
            # Only a leg the camera sees can be chosen: a hidden leg's angles are
            # the model's guess (often a straighter leg than the real one).
            metric = spec.side_by[0] if spec.side_by else spec.primary
            value = {s: math.nan if self._hidden(pose, s) else measured[s][metric] for s in sides}
            chosen = self.chooser.update(t_s, value["left"], value["right"])
            if chosen is not None and math.isfinite(value[chosen]):
                side = chosen
        # The landmarks measured (the overlay draws there, and the next frame's
        # setup check looks there); events are named by --side when given
        # (_event_side): the user knows which leg is theirs.
        return measured[side], side

    def _busy(self) -> bool:
        if any(c.phase is not Phase.REST for c in self.counters.values()):
            return True
        return self.hold_timer is not None and self.hold_timer.state.holding

    # -- counting -------------------------------------------------------------
    def _phase(self) -> Phase:
        phases = [c.phase for c in self.counters.values()]
        if Phase.TOP in phases:
            return Phase.TOP
        if Phase.ACTIVE in phases:
            return Phase.ACTIVE
        return Phase.REST

    def _progress(self) -> float:
        values = [c.progress for c in self.counters.values() if math.isfinite(c.progress)]
        return max(values) if values else math.nan

    def _count(self, t_s: float, primary: float, side: str, new_faults: list[FaultEvent]) -> RepEvent | None:
        finished: RepEvent | None = None
        for key, counter in self.counters.items():
            ev = counter.update(t_s, primary)
            if ev is not None:
                rep_side = key if key is not None else self._event_side(side)
                finished = self._judge_rep(ev, rep_side, new_faults, t_s)
        return finished

    def _judge_rep(self, ev: RepEvent, side: str | None, new_faults: list[FaultEvent], t_s: float) -> RepEvent:
        spec = self.spec
        codes = set(self._rep_faults)
        self._rep_faults.clear()
        counted = True
        short = spec.rep_requires and ev.complete and not self._requires_met
        if short:
            # The primary metric reached its target, the rest of the movement did not.
            ev = replace(ev, complete=False)
            codes.add(spec.requires_code)
            new_faults.append(self._fault(t_s, spec.requires_code, spec.requires_message))
            self._notice = (spec.requires_message, t_s + NOTICE_S)
        self._requires_met = False
        if spec.direction_rule == "away_from_side" and self.requested_side is not None and side is not None:
            allowed = other_side(self.requested_side)
            if side != allowed:
                counted = False
                message = f"{spec.wrong_side_message}: bend to your {allowed}"
                codes.add("wrong_side")
                new_faults.append(self._fault(t_s, "wrong_side", message))
                self._notice = (message, t_s + NOTICE_S)
        if counted and not ev.complete:
            if not short:
                codes.add(spec.partial_code)
                new_faults.append(self._fault(t_s, spec.partial_code, spec.partial_message))
                self._notice = (spec.partial_message, t_s + NOTICE_S)
        elif counted:
            tm = spec.timing
            if tm.min_top_s is not None and ev.top_s < tm.min_top_s:
                codes.add(tm.no_pause_code)
                new_faults.append(self._fault(t_s, tm.no_pause_code, tm.no_pause_message))
                self._notice = (tm.no_pause_message, t_s + NOTICE_S)
            too_fast = [
                (tm.min_down_s is not None and ev.down_s < tm.min_down_s, tm.fast_down_code, tm.fast_down_message),
                (tm.min_rep_s is not None and ev.duration_s < tm.min_rep_s, tm.fast_rep_code, tm.fast_rep_message),
            ]
            for fired, code, message in too_fast:
                if fired and code not in codes:
                    codes.add(code)
                    new_faults.append(self._fault(t_s, code, message))
                    self._notice = (message, t_s + NOTICE_S)
        judged = replace(ev, complete=ev.complete and counted, side=side, faults=tuple(sorted(codes)))
        if counted and ev.complete:
            self.summary.reps += 1
            _tally(self.summary.reps_by_side, side)
        elif counted:
            self.summary.partial_reps += 1
            _tally(self.summary.partial_reps_by_side, side)
        self.summary.rep_events.append(judged)
        return judged

    def _update_reached(self, metrics: dict[str, float], holding: bool) -> None:
        """Back at rest (the primary metric within its rest's freeze band) clears it; the
        position held or reached sets it. Without a learnt rest of the primary it stays clear."""
        level = self._rests.get(self.spec.primary)
        if level is None:
            return
        v = metrics.get(self.spec.primary, math.nan)
        rest = self._rest_values.get(self.spec.primary, math.nan)
        if math.isfinite(v) and math.isfinite(rest) and abs(v - rest) <= level.freeze_beyond:
            self._reached = False
        if holding or (self.hold_timer is not None and self._in_position(metrics) is True):
            self._reached = True

    def _hold(self, t_s: float, metrics: dict[str, float], side: str, active: tuple[str, ...]) -> HoldEvent | None:
        if self.hold_timer is None:
            return None
        in_position = self._in_position(metrics)
        self._positioned = bool(in_position)
        was_holding = self.hold_timer.state.holding
        form_ok = self._pausing.isdisjoint(active)
        ev = self.hold_timer.update(
            t_s,
            in_position,
            form_ok=form_ok,
            settled=self._settled,
            values=tuple(metrics.get(m, math.nan) for m in self._still),
            bands=self._leave_bands,
        )
        if not was_holding and self.hold_timer.state.holding:
            self._hold_side = side
        if self._replay is not None:
            self._keep_for_replay(t_s, metrics, form_ok)
            if ev is not None or self.hold_timer.state.holding:
                self._replay = None  # a hold was found with the rest as learnt
            elif self._settled and self._rest_fell():
                replayed = self._replay_holds(side)
                if replayed:
                    return replayed[-1]
        if ev is None:
            return None
        ev = replace(ev, side=self._event_side(self._hold_side))
        self._record_hold(ev)
        return ev

    def _keep_for_replay(self, t_s: float, metrics: dict[str, float], form_ok: bool) -> None:
        assert self._replay is not None
        if self._replay and t_s - self._replay[0][0] > REPLAY_MAX_S:
            self._replay = None
            return
        self._replay.append((t_s, dict(metrics), self._settled, form_ok))
        for m in self._replay_metrics:
            level = self._rests[m]
            rest = level.direction * self._rest_values.get(m, math.nan)
            if math.isfinite(rest) and not rest <= self._replay_rest.get(m, -math.inf):
                self._replay_rest[m] = rest

    def _rest_fell(self) -> bool:
        """Is the person resting clearly lower than every rest the kept frames were judged against?"""
        for m in self._replay_metrics:
            level = self._rests[m]
            rest = level.direction * self._rest_values.get(m, math.nan)
            if self._replay_rest.get(m, math.nan) - rest > level.freeze_beyond:
                return True
        return False

    def _replay_holds(self, side: str | None) -> list[HoldEvent]:
        """Time the kept frames again against the rest now known; record and return the holds found."""
        assert self._replay is not None and self.hold_timer is not None
        frames, self._replay = self._replay, None
        rests = dict(self._rest_values)
        timer = HoldTimer(self.hold_timer.rule)
        events: list[HoldEvent] = []
        for t, metrics, settled, form_ok in frames:
            in_position = self._in_position(metrics, rests)
            values = tuple(metrics.get(m, math.nan) for m in self._still)
            ev = timer.update(t, in_position, form_ok, settled, values=values, bands=self._leave_bands)
            if ev is not None:
                events.append(ev)
        last = timer.flush()
        if last is not None:
            events.append(last)
        recorded = []
        for ev in events:
            ev = replace(ev, side=self._event_side(side))
            self._record_hold(ev)
            recorded.append(ev)
        return recorded

    def _in_position(self, metrics: dict[str, float], rests: dict[str, float] | None = None) -> bool | None:
        tests = [c.test(metrics, self._rest_values if rests is None else rests) for c in self.spec.hold_position]
        return None if any(x is None for x in tests) else all(tests)  # (a hold waits for every metric)

    def _record_hold(self, ev: HoldEvent) -> None:
        self.summary.holds.append(ev)
        target = self.spec.dose.hold_s
        if self.spec.holds_count_as_reps and target is not None:
            # A hold within the timer's own accuracy of the prescribed time is a rep.
            if ev.duration_s >= target - HOLD_TOLERANCE_S:
                self.summary.reps += 1
                _tally(self.summary.reps_by_side, ev.side)
            else:
                self.summary.partial_reps += 1
                _tally(self.summary.partial_reps_by_side, ev.side)
                self._fault(ev.end_s, self.spec.partial_code, self.spec.partial_message)
                self._notice = (self.spec.partial_message, ev.end_s + NOTICE_S)

    def _hold_paused(self, active: tuple[str, ...]) -> bool:
        """The hold's clock is stopped by a fault the person should fix now.

        Only a fault (whose own message says what to fix): being still in
        position but moving is also how every hold ends, and leaving the
        position (the timer's exit grace) is the person relaxing as told, so
        neither is shown as "paused". Nor is a hold that has lasted the
        prescribed time: it is done, whatever follows.
        """
        if self.hold_timer is None:
            return False
        hs = self.hold_timer.state
        done = self.spec.dose.hold_s is not None and hs.seconds >= self.spec.dose.hold_s
        fault = not self._pausing.isdisjoint(active)
        return hs.holding and hs.paused and self._positioned and fault and not done

    # -- talking --------------------------------------------------------------
    def _event_side(self, side: str | None) -> str | None:
        if self.spec.bilateral:
            return None
        if not self._labels_trusted() and self.requested_side is not None:
            return self.requested_side
        return side

    def _fault(self, t_s: float, code: str, message: str) -> FaultEvent:
        ev = FaultEvent(t_s=t_s, code=code, message=message)
        self.summary.faults.append(ev)
        return ev

    def _feedback(self, t_s: float, active: tuple[str, ...]) -> str | None:
        """One line at a time: setup problems, then live faults, then rep notices."""
        candidates: list[tuple[int, str]] = []
        for code in self.setup.active():
            candidates.append((SETUP, self._setup_message.get(code, code)))
        for rule in self.spec.faults:  # in the spec's order of importance
            if rule.code in active:
                candidates.append((FORM, rule.message))
                break
        if self._notice is not None and t_s <= self._notice[1]:
            candidates.append((NOTICE, self._notice[0]))
        return self.feedback.update(t_s, candidates)


_SETUP_CODES = ("no_person", "not_visible", "wrong_view", "too_far")


def _tally(counts: dict[str, int], side: str | None) -> None:
    if side is not None:
        counts[side] = counts.get(side, 0) + 1


def _units_per_degree(spec: ExerciseSpec) -> float:
    """The primary metric's units per degree (body sizes move in hundredths, custom_metrics.UNITS_PER_DEGREE)."""
    from formcheck.exercises.custom_metrics import UNITS_PER_DEGREE, metric_defs

    d = (metric_defs(spec.metrics) or {}).get(spec.primary)
    return UNITS_PER_DEGREE[d.units] if d is not None else 1.0
