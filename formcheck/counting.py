"""Rep counter, hold timer and fault debouncer: explicit state, timestamp-driven.

They take (time in seconds, value) pairs and know nothing of landmarks, cameras
or drawing, so they can be tested on synthetic traces. Time always comes from
the frames: a counter replayed from a file behaves exactly as it did live.
A NaN value means "not measurable in this frame" (joint hidden, nobody in view):
it neither advances a phase nor breaks one, unless the gap grows too long.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

# A rep's samples are kept for its timing; past this (minutes at 60 fps) a "rep"
# is someone who never went back to rest, and timing need not be exact.
_MAX_REP_SAMPLES = 20_000
# Top timing looks at the rep's samples through a running median over +-this:
# the raw peak is a noise maximum (~2.5 sd above a held plateau), so "within
# top_band of the raw peak" keeps only the noisiest frames of a real pause (a
# 1.2 s top read 0.3 s at 2 degrees of noise). A median leaves clean plateaus and
# monotonic stretches exactly as they are, and ignores single-frame spikes.
_TOP_SMOOTH_S = 0.15
# A return to rest shorter than min_phase_s still ends a rep when the trace
# then crosses the whole hysteresis band back up (a brisk next rep, ~0.1 s at
# rest) or the stream ends there. It must be seen on this many consecutive
# frames: one frame alone is a landmark glitch (the smoother spreads a real
# movement over several frames), and at 15 fps two frames are 0.07 s.
_MIN_TOUCH_FRAMES = 2
# Rest is re-learnt from where the person is seen staying, not only by slow
# exponential following: once the upper quartile of the last half second sits
# below the learnt rest, i.e. three quarters of that window's frames are lower,
# it becomes the rest. Half a second is a relaxation between two reps or tilts
# (patients relax ~1 s) yet 8-30 frames, so glitch frames cannot move the
# quartile; and the upper quartile of noise about a steady rest lies ~0.7 sd
# above it, so noise alone does not drag the rest down (a median would reach
# ~1 sd below it over a long rest at 15 fps). Exponential following alone,
# with tau 0.5 s, stays a third of the way up after 0.5 s: a recording that
# starts part-way into the movement left rest too high for the small
# movements after it.
REST_WINDOW_S = 0.5


class _StayLevel:
    """Upper quartile of the samples in the last ``window_s``; NaN until half a window is seen."""

    def __init__(self, window_s: float = REST_WINDOW_S) -> None:
        self.window_s = window_s
        self._samples: deque[tuple[float, float]] = deque()

    def reset(self) -> None:
        self._samples.clear()

    def update(self, t: float, y: float) -> float:
        self._samples.append((t, y))
        while self._samples[0][0] < t - self.window_s:
            self._samples.popleft()
        if t - self._samples[0][0] < 0.5 * self.window_s:
            return math.nan
        ys = sorted(v for _, v in self._samples)
        return ys[(3 * (len(ys) - 1) + 3) // 4]  # the upper quartile, rounded up


def _running_median(ts: list[float], ys: list[float], half_s: float) -> list[float]:
    """Median of the samples within +-half_s of each sample's time (ts ascending)."""
    out: list[float] = []
    lo = hi = 0
    for t in ts:
        while hi < len(ts) and ts[hi] <= t + half_s:
            hi += 1
        while ts[lo] < t - half_s:
            lo += 1
        out.append(statistics.median(ys[lo:hi]))
    return out


class Phase(StrEnum):
    REST = "rest"
    ACTIVE = "active"  # left rest, moving towards (or holding at) the target
    TOP = "top"  # at the target position


@dataclass(frozen=True)
class RepRule:
    """When a movement is a rep, in the metric's own units (degrees).

    ``direction`` is +1 when doing the exercise raises the metric (bridge hip
    angle) and -1 when it lowers it (hip flexion pulls the angle down). Rest is
    learnt from the person's own resting value, so only the target is absolute.
    """

    target: float
    direction: int = 1
    start_delta: float = 10.0  # beyond rest by this much = a movement has started
    end_delta: float = 5.0  # back within this of rest = the movement is over (hysteresis)
    min_phase_s: float = 0.25  # shorter excursions are noise
    min_reach_s: float = 0.1  # the target must be held this long to count as reached
    max_gap_s: float = 1.0  # a rep with a longer measurement gap is discarded
    baseline_tau_s: float = 3.0  # how slowly the rest value may drift upwards
    baseline_down_tau_s: float = 0.5  # how fast it follows a lower rest value
    top_band: float = 3.0  # "at the top" = within this of the rep's peak (for pause timing)
    # A fixed rest value (in the metric's units) instead of a learnt one: for
    # signed metrics whose neutral is 0 by definition (trunk rotation, side bend),
    # where a learnt rest would follow a long hold to one side.
    rest: float | None = None

    def __post_init__(self) -> None:
        if self.direction not in (1, -1):
            raise ValueError("direction must be +1 or -1")
        if not 0 <= self.end_delta < self.start_delta:
            raise ValueError("need 0 <= end_delta < start_delta (hysteresis)")


@dataclass(frozen=True)
class RepEvent:
    start_s: float
    peak_s: float
    end_s: float
    complete: bool
    peak_value: float
    rest_value: float
    up_s: float  # from leaving rest to reaching the top band
    top_s: float  # time spent at the top: within ``top_band`` of the peak (a pause)
    down_s: float  # from leaving the top back to rest
    side: str | None = None
    faults: tuple[str, ...] = ()

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


class RepCounter:
    """Counts complete and partial reps of one metric with hysteresis and debounce."""

    def __init__(self, rule: RepRule) -> None:
        self.rule = rule
        self.reset()

    def reset(self) -> None:
        self.phase = Phase.REST
        self.reps = 0
        self.partial_reps = 0
        self._baseline = math.nan
        self._rest_stay = _StayLevel()
        self._last_rest_t = math.nan
        self._cand_t = math.nan  # first time past the start threshold, while in REST
        self._start_t = math.nan
        self._peak = -math.inf
        self._peak_t = math.nan
        self._reach_t = math.nan  # since when the target has been held continuously
        self._reached = False
        self._samples: list[tuple[float, float]] = []  # this rep's (t, y), for its timing
        self._return_t = math.nan  # first time back near rest, while ACTIVE
        self._return_n = 0  # frames in that stay near rest so far
        self._touch: tuple[float, float] | None = None  # (first, last) time of the last stay seen
        self._last_t = math.nan
        self._last_valid_t = math.nan
        self._last_y = math.nan
        self._await_rest = False  # a rep was abandoned: no new one until seen back at rest
        self._await_t = math.nan  # since when
        # Seen short of the start threshold yet: a rep is counted from its start,
        # so a stream whose first measured frames are already part-way into a
        # movement (a recording started mid-bend, a person stepping into view
        # mid-rep) does not count that movement's return as a rep or a partial.
        self._start_seen = False

    @property
    def baseline(self) -> float:
        """The learnt rest value, in the metric's units (NaN until measured)."""
        return self._baseline * self.rule.direction

    @property
    def progress(self) -> float:
        """0 at rest, 1 at the target: for a progress bar, NaN while unknown."""
        span = self.rule.direction * self.rule.target - self._baseline
        if not math.isfinite(span) or span <= 0 or not math.isfinite(self._last_y):
            return math.nan
        return min(max((self._last_y - self._baseline) / span, 0.0), 1.0)

    def update(self, t_s: float, value: float) -> RepEvent | None:
        """Feed one sample; returns the rep (complete or partial) that just ended."""
        r = self.rule
        dt = t_s - self._last_t if math.isfinite(self._last_t) else 0.0
        self._last_t = t_s
        if not math.isfinite(value):
            self._last_y = math.nan
            if self.phase is not Phase.REST and t_s - self._last_valid_t > r.max_gap_s:
                self._abandon(t_s)
            return None
        y = r.direction * value
        self._last_y = y
        gap = t_s - self._last_valid_t if math.isfinite(self._last_valid_t) else 0.0
        self._last_valid_t = t_s
        if self.phase is not Phase.REST and gap > r.max_gap_s:
            self._abandon(t_s)
            dt = 0.0  # nothing was seen over the gap: no rest value moves for it
        if self.phase is Phase.REST:
            self._rest(t_s, y, dt)
            return None
        return self._active(t_s, y, dt)

    # -- phases ---------------------------------------------------------------
    def _rest(self, t: float, y: float, dt: float) -> None:
        r = self.rule
        staying = self._rest_stay.update(t, y)
        if r.rest is not None:
            self._baseline = r.direction * r.rest
        elif not math.isfinite(self._baseline):
            self._baseline = y
        if y <= self._baseline + r.end_delta:
            self._last_rest_t = t
            self._await_rest = False
        if y <= self._baseline + r.start_delta:
            self._start_seen = True
        elif not self._start_seen:
            # Never seen before this movement started: its start, and so whether
            # it was a rep at all, is unknown. (A learnt rest starts at the first
            # value, so only a fixed ``rest`` can begin here.)
            return
        if y > self._baseline + r.start_delta:
            if self._await_rest:
                # Back in view mid-movement after an abandoned rep: we did not see
                # this one start, so it is not counted; the next one, from rest, is.
                if t - self._await_t < 2.0 * r.baseline_tau_s:
                    return
                # Never back near the old rest for this long: the rest posture did
                # change while unseen (or the old value was wrong); learn it anew.
                self._baseline, self._await_rest = y, False
                return
            if not math.isfinite(self._cand_t):
                self._cand_t = t
            if t - self._cand_t >= r.min_phase_s:
                self.phase = Phase.ACTIVE
                self._start_t = self._last_rest_t if math.isfinite(self._last_rest_t) else self._cand_t
                self._peak, self._peak_t = y, t
                self._reached, self._reach_t = False, math.nan
                self._samples = [(t, y)]
                self._return_t, self._return_n, self._touch = math.nan, 0, None
            return
        self._cand_t = math.nan
        # Follow the rest value down quickly, up only slowly: a slow rise is more
        # likely the start of a rep than a new resting posture. Not down at once:
        # that tracks the noise floor (about 2 sd below the true rest), and then
        # "back within end_delta of rest" rarely holds for min_phase_s, so reps
        # merge or never end; one low glitch frame would do the same.
        tau = r.baseline_down_tau_s if y < self._baseline else r.baseline_tau_s
        if dt > 0 and r.rest is None:
            self._baseline += (y - self._baseline) * (1.0 - math.exp(-dt / tau))
            # Seen staying lower (for most of half a second): that is the rest.
            if staying < self._baseline:
                self._baseline = staying

    def _active(self, t: float, y: float, dt: float) -> RepEvent | None:
        r = self.rule
        target = r.direction * r.target
        if self._touch is not None and y > self._baseline + r.start_delta:
            # Back at rest (briefly) and now past the start threshold again: the
            # hysteresis band was crossed down and up, which noise at the top of
            # a rep cannot do. The rep ended at that stay; a new one may be starting.
            first, last = self._touch
            event = self._finish(end=first)
            self._last_rest_t = last
            self._rest(t, y, dt)
            return event
        if len(self._samples) < _MAX_REP_SAMPLES:
            self._samples.append((t, y))
        if y > self._peak:
            self._peak, self._peak_t = y, t
        if y >= target:
            if not math.isfinite(self._reach_t):
                self._reach_t = t
            if t - self._reach_t >= r.min_reach_s:
                self._reached = True
            self.phase = Phase.TOP
        else:
            self._reach_t = math.nan
            self.phase = Phase.ACTIVE
        if y <= self._baseline + r.end_delta:
            if not math.isfinite(self._return_t):
                self._return_t, self._return_n = t, 0
            self._return_n += 1
            if self._return_n >= _MIN_TOUCH_FRAMES:
                self._touch = (self._return_t, t)
            if t - self._return_t >= r.min_phase_s:
                return self._finish()
        else:
            self._return_t = math.nan
        return None

    def flush(self) -> RepEvent | None:
        """End of stream: a rep whose return to rest was seen is over, however short the stay.

        Live, a rep ends after ``min_phase_s`` back at rest; a recording that
        stops sooner than that after the last return would otherwise lose its
        last rep. A rep never seen back at rest is not credited.
        """
        if self.phase is Phase.REST or self._touch is None:
            return None
        return self._finish(end=self._touch[0])

    def _top_timing(self) -> tuple[float, float, float]:
        """(first reached the top, time spent there, last left it); top = within top_band of the peak."""
        ts = [t for t, _ in self._samples]
        ys = _running_median(ts, [y for _, y in self._samples], _TOP_SMOOTH_S)
        level = max(ys) - self.rule.top_band
        top_s, first_top, last_top = 0.0, math.nan, self._peak_t
        for t0, y0, t1 in zip(ts, ys, ts[1:], strict=False):
            if y0 >= level:
                top_s += t1 - t0
                last_top = t1
                if not math.isfinite(first_top):
                    first_top = t0
        if not math.isfinite(first_top):
            first_top = self._peak_t
        return first_top, top_s, last_top

    def _finish(self, end: float = math.nan) -> RepEvent:
        r = self.rule
        if not math.isfinite(end):
            end = self._return_t
        first_top, top_s, down_from = self._top_timing()
        event = RepEvent(
            start_s=self._start_t,
            peak_s=self._peak_t,
            end_s=end,
            complete=self._reached,
            peak_value=r.direction * self._peak,
            rest_value=r.direction * self._baseline,
            up_s=max(first_top - self._start_t, 0.0),
            top_s=top_s,
            down_s=max(end - down_from, 0.0),
        )
        if self._reached:
            self.reps += 1
        else:
            self.partial_reps += 1
        self.phase = Phase.REST
        self._cand_t = math.nan
        self._last_rest_t = end
        self._return_t, self._return_n, self._touch = math.nan, 0, None
        return event

    def _abandon(self, t: float) -> None:
        """Too long unseen mid-rep: whatever happened is unknown, so count nothing.

        The learnt rest value is kept: the person's resting posture did not
        change while unseen, and re-learning it from the first value seen again
        (often the top of the rep) put "rest" at the target, so the following
        reps and partial reps went uncounted (live: n then p mid-rep).
        """
        self.phase = Phase.REST
        self._touch = None
        self._cand_t = math.nan
        self._last_rest_t = math.nan
        self._await_rest, self._await_t = math.isfinite(self._baseline), t


@dataclass(frozen=True)
class HoldRule:
    min_enter_s: float = 0.3  # in position this long before a hold starts
    exit_grace_s: float = 1.0  # out of position this long ends the hold
    min_hold_s: float = 1.0  # shorter holds are passing through, not holding
    max_step_s: float = 0.25  # a longer frame gap adds no hold time (nothing was seen)


# Leaving a hold starts slowly: a move out eases from zero speed, so for its
# first few tenths of a second it runs slower than any stillness rate, and a
# window slope reads it "still". The hold's end is taken back to the last frame
# at which every metric of the position was still at its own level (the median
# of the LEAVE_LEVEL_S before that frame), within LEAVE_BAND_DEG. A level over
# one second (two slope windows) trails a steady drift by half a second, so a
# drift slower than LEAVE_BAND_DEG per half second (1 deg/s) stays at its level;
# noise only ever shortens the walk back (a noisy frame inside the band stops
# it), and the walk never reaches past LEAVE_WALK_S.
LEAVE_LEVEL_S = 1.0
# The 99th-percentile jitter of a joint angle on the fixtures' still stretches
# (0.5 deg, the straight knee; `python -m tools.false_alarms --jitter`; the same
# source as analysis.analyzer.FAULT_MARGIN_DEG): a frame further than this from
# its level has moved.
LEAVE_BAND_DEG = 0.5
# How far back the end may move: the slope window's lag (half its 0.5 s) plus
# the slow start of an eased move out. A cosine ease of A degrees over D s runs
# below the 6 deg/s stillness rate for its first D/pi * asin(12 D / (pi A)) s:
# 0.37 s for a 30-degree release over 3 s (a deliberate movement, 15-50 deg/s at
# its peak, analysis.analyzer.SETTLE_DEG_S), so one second covers it with room.
LEAVE_WALK_S = 1.0
_LEAVE_HISTORY_S = LEAVE_LEVEL_S + LEAVE_WALK_S  # kept while holding, around the last settled moment
# A pause for movement is judged again when the person settles: by where they
# settled, against the level of the still stretch before the pause (the median of
# its last LEAVE_LEVEL_S), each metric within its band (LEAVE_BAND_DEG).
# - Back at the same level within GLITCH_PAUSE_MAX_S, never out of position, form
#   good throughout: the position was held and only the measure moved. A pose
#   model's landmark jump (a knee read 16 degrees off for one frame on a still
#   body, 480 deg/s, far past the 15-50 deg/s of a deliberate movement,
#   analysis.analyzer.SETTLE_DEG_S) and the model's own recovery from it
#   (~0.5 s back to within a degree, measured on the sweep's calf stretches) read
#   as movement for that recovery plus the 0.5 s slope window plus the
#   min_enter_s it takes to settle again: ~1.3 s a jump. The pause is credited.
#   Two such jumps in a row fit in 2 s; a real movement that returns to the very
#   level it left is a wobble inside the position, held all the same.
# - At a different level, after a still stretch of at most LEAVE_WALK_S: that
#   stretch was the slow start of the movement (the same eased start that reads
#   "still" on the way out, LEAVE_WALK_S), not a hold. Its credit is withdrawn, and
#   when it was the hold's first, the hold starts at the stretch that follows.
GLITCH_PAUSE_MAX_S = 2.0
# Levels differ by more than the band AND by more than this many robust sd of the
# frames about them: on a noisy measure (a pulled knee jittering 5 degrees) the
# medians of two half-second stretches differ by a degree or two from jitter alone.
LEVEL_NOISE_K = 2.0
_RECENT_S = LEAVE_LEVEL_S + GLITCH_PAUSE_MAX_S + LEAVE_WALK_S  # metric history kept for that judgement


@dataclass(frozen=True)
class HoldEvent:
    start_s: float
    end_s: float
    duration_s: float  # time in position with acceptable form; paused when form broke
    side: str | None = None
    faults: tuple[str, ...] = ()


@dataclass
class HoldState:
    holding: bool = False
    paused: bool = False
    seconds: float = 0.0


class HoldTimer:
    """Times a held position; pauses (never resets) while form is broken.

    Broken form pauses the hold even when the break takes the person out of
    position; only out of position with good form for ``exit_grace_s`` ends it.

    A hold is being still in position: moving into or out of it is not holding,
    so the clock starts once the person has arrived and settled (``settled``:
    the exercise's metric has stopped changing) and stops at the last settled
    moment before they leave. While in position but moving, or with broken
    form, it pauses.

    Settling again after a pause needs the same evidence as the first arrival:
    ``min_enter_s`` of continuous stillness, then credited from its start. A
    movement that reverses (out and back, or the first wobble of leaving) has
    zero slope at its turning point, so a window slope reads "still" there for
    a few frames; without this those frames would resume the clock and move
    the hold's end past the moment the person started to leave.

    Given the position's ``values``, a pause for movement is judged again once
    the person has settled (GLITCH_PAUSE_MAX_S): back at the level they left, it
    was the measure that moved and the pause is credited; at a new level after
    a still moment too short to be a hold, that moment was the start of the
    movement and is not credited.
    """

    def __init__(self, rule: HoldRule | None = None) -> None:
        self.rule = rule or HoldRule()
        self.reset()

    def reset(self) -> None:
        self.state = HoldState()
        self._enter_t = math.nan
        self._start_t = math.nan
        self._last_in_t = math.nan  # last time in position (for the exit grace)
        self._last_still_t = math.nan  # last time in position and settled (the hold's end)
        self._still_since = math.nan  # start of the current settled stretch, while holding
        self._pending_s = 0.0  # form-ok time in that stretch, credited once it is confirmed
        self._last_t = math.nan
        # (t, seconds credited up to t, the position's metrics at t) while holding
        self._trail: deque[tuple[float, float, tuple[float, ...]]] = deque()
        self._bands: tuple[float, ...] = ()
        self._recent: deque[tuple[float, tuple[float, ...]]] = deque()  # (t, the position's metrics)
        self._stretch_from_s = 0.0  # seconds credited before the current settled stretch
        # The confirmed still stretch that a pause for movement ended: (start, end, its credit).
        self._before_pause: tuple[float, float, float] | None = None
        self._pause_clean = False  # since then: in position, form good, no frame gap
        self._judge_t = math.nan  # when the stretch after such a pause has a level of its own
        self.completed: list[HoldEvent] = []

    def update(
        self,
        t_s: float,
        in_position: bool | None,
        form_ok: bool = True,
        settled: bool = True,
        values: tuple[float, ...] = (),
        bands: tuple[float, ...] = (),
    ) -> HoldEvent | None:
        """``in_position`` None = not measurable this frame (treated as out of position).

        ``values``: the position's metrics this frame, ``bands`` how far (each in
        its own units, LEAVE_BAND_DEG for an angle) a frame may stray from its
        level and still be held; with them the hold ends where leaving began.
        """
        self._bands = bands
        if values:
            self._recent.append((t_s, values))
            while self._recent[0][0] < t_s - _RECENT_S:
                self._recent.popleft()
        ev = self._update(t_s, in_position, form_ok, settled)
        # Kept around the hold's last settled moment, where the walk back starts.
        if self.state.holding and values and t_s - self._last_still_t <= _LEAVE_HISTORY_S:
            self._trail.append((t_s, self.state.seconds, values))
            while self._trail and self._trail[0][0] < self._last_still_t - _LEAVE_HISTORY_S:
                self._trail.popleft()
        return ev

    def _update(self, t_s: float, in_position: bool | None, form_ok: bool, settled: bool) -> HoldEvent | None:
        r = self.rule
        dt = t_s - self._last_t if math.isfinite(self._last_t) else 0.0
        self._last_t = t_s
        inside = bool(in_position)
        st = self.state
        if not st.holding:
            if inside and settled:
                if not math.isfinite(self._enter_t):
                    self._enter_t = t_s
                if t_s - self._enter_t >= r.min_enter_s:
                    st.holding, st.paused = True, not form_ok
                    self._start_t = self._enter_t
                    st.seconds = (t_s - self._enter_t) if form_ok else 0.0
                    self._last_in_t = self._last_still_t = t_s
                    self._still_since, self._pending_s = self._enter_t, 0.0
                    self._stretch_from_s, self._before_pause = 0.0, None
            else:
                self._enter_t = math.nan
            return None
        if inside:
            self._last_in_t = t_s
            self._settle_step(t_s, dt, form_ok, settled)
            return None
        st.paused = True
        self._pause_clean = False
        # Out of position BECAUSE form broke (a forward lean in a half-kneeling
        # stretch takes the back hip out of extension) is a paused hold, not a
        # hold left: the exit grace runs from when form is good again.
        if not form_ok:
            self._last_in_t = t_s
        if t_s - self._last_in_t >= r.exit_grace_s:
            return self._finish()
        return None

    def _settle_step(self, t_s: float, dt: float, form_ok: bool, settled: bool) -> None:
        """In position while holding: run the clock over confirmed settled stretches only."""
        r, st = self.rule, self.state
        if not form_ok or dt > r.max_step_s:
            self._pause_clean = False
        if not settled:
            self._judge_t = math.nan  # (a stretch too short for a level: the pause stays as timed)
            if math.isfinite(self._still_since) and self._last_still_t >= self._still_since:
                # A confirmed stretch ends in movement: remembered to judge the pause by where it ends.
                credit = st.seconds - self._stretch_from_s
                self._before_pause = (self._still_since, self._last_still_t, credit)
                self._pause_clean = form_ok
            self._still_since, self._pending_s = math.nan, 0.0
            st.paused = True
            return
        step = dt if form_ok and dt <= r.max_step_s else 0.0
        if not math.isfinite(self._still_since):  # a new stretch: its first frame adds nothing
            self._still_since, self._pending_s, step = t_s, 0.0, 0.0
        confirmed = t_s - self._still_since >= r.min_enter_s
        if not confirmed:
            self._pending_s += step
            st.paused = True
            return
        if self._last_still_t < self._still_since:  # confirmed just now
            self._stretch_from_s = st.seconds
            self._judge_t = self._still_since + LEAVE_LEVEL_S if self._before_pause else math.nan
        st.seconds += self._pending_s + step
        self._pending_s = 0.0
        self._last_still_t = t_s
        st.paused = not form_ok
        if t_s >= self._judge_t:
            self._judge_t = math.nan
            self._judge_pause(t_s)

    def _judge_pause(self, t_s: float) -> None:
        """The stretch after a pause for movement has lasted LEAVE_LEVEL_S: credit the pause or
        withdraw the stretch before it (GLITCH_PAUSE_MAX_S)."""
        before, self._before_pause = self._before_pause, None
        if before is None or not self._pause_clean:
            return
        start, end, credit = before
        old = self._rows(max(start, end - LEAVE_LEVEL_S), end)
        new = self._rows(self._still_since, t_s)
        if not old or not new or len(old[0]) != len(self._bands):
            return
        same = True
        for k, band in enumerate(self._bands):
            a, b = [v[k] for v in old], [v[k] for v in new]
            ma, mb = statistics.median(a), statistics.median(b)
            # Jitter moves the frames, not their level: two levels differ once they are more
            # than the band and more than LEVEL_NOISE_K robust sd of the frames about them apart.
            sd = 1.4826 * statistics.median([abs(x - ma) for x in a] + [abs(x - mb) for x in b])
            if abs(ma - mb) > max(band, LEVEL_NOISE_K * sd):
                same = False
        st = self.state
        if same and self._still_since - end <= GLITCH_PAUSE_MAX_S:
            st.seconds += self._still_since - end
            self._stretch_from_s += self._still_since - end
        elif not same and end - start <= LEAVE_WALK_S:
            st.seconds -= credit
            self._stretch_from_s -= credit
            self._trail = deque((t, max(s - credit, 0.0) if t >= start else s, v) for t, s, v in self._trail)
            if start <= self._start_t:
                self._start_t = self._still_since

    def _rows(self, t0: float, t1: float) -> list[tuple[float, ...]]:
        """The position's metrics over [t0, t1], from frames where all were measured."""
        return [v for t, v in self._recent if t0 - 1e-9 <= t <= t1 + 1e-9 and all(math.isfinite(x) for x in v)]

    def flush(self) -> HoldEvent | None:
        """End of stream: close a hold that is still running."""
        return self._finish() if self.state.holding else None

    def _left_at(self) -> tuple[float, float] | None:
        """(time, seconds) of the last frame up to the hold's end still at its level, if earlier."""
        trail = [f for f in self._trail if f[0] <= self._last_still_t + 1e-9]
        bands = self._bands
        if not trail or len(bands) != len(trail[-1][2]):
            return None
        for i in range(len(trail) - 1, -1, -1):
            t = trail[i][0]
            before = [f[2] for f in trail[:i] if f[0] >= t - LEAVE_LEVEL_S]
            if not before or t - trail[0][0] < LEAVE_LEVEL_S:
                return None  # too little history to tell a level: keep the end as timed
            at_level = True
            for k, band in enumerate(bands):
                level = statistics.median(v[k] for v in before)
                if not abs(trail[i][2][k] - level) <= band:  # NaN counts as away
                    at_level = False
                    break
            if at_level:
                return (t, trail[i][1]) if i < len(trail) - 1 else None
        return None

    def _finish(self) -> HoldEvent | None:
        st = self.state
        left = self._left_at()
        if left is not None:
            self._last_still_t, st.seconds = left[0], min(st.seconds, left[1])
        self._trail.clear()
        event = HoldEvent(start_s=self._start_t, end_s=self._last_still_t, duration_s=st.seconds)
        self.state = HoldState()
        self._enter_t = math.nan
        self._before_pause, self._judge_t = None, math.nan  # a pause is judged within its hold
        if event.duration_s < self.rule.min_hold_s:
            return None
        self.completed.append(event)
        return event


class RestLevel:
    """A person's own resting value of a metric, learnt while they are near it.

    ``direction`` +1: the exercise raises the metric, so rest is the low side;
    it follows lower values within ``down_tau_s`` and higher ones only slowly
    (``up_tau_s``), and is frozen while the metric is displaced by more than
    ``freeze_beyond`` (the person is doing the exercise, not resting).

    The first rest is a place the person stays, not the first frame: until a
    whole ``REST_WINDOW_S`` of samples has stayed at one level (its quartiles
    within ``freeze_beyond`` of its median: a change that small is "still at
    rest" by this class's own definition), the rest is that window's median and
    follows it both ways. The pose model's first frames of a new person read
    joint angles a few degrees off while its tracking settles (2-4 degrees low
    at the hip and knee of people lying down on the sweep, over the first
    0.3-0.6 s); a rest taken from them sat below the real one, and the freeze
    then kept it there, so the real rest read as displaced: a hold of the tilt
    that started at the wrong time or never, and "hips lift" at the start.
    """

    def __init__(self, direction: int, freeze_beyond: float, down_tau_s: float = 0.5, up_tau_s: float = 3.0) -> None:
        self.direction = direction
        self.freeze_beyond = freeze_beyond
        self.down_tau_s = down_tau_s
        self.up_tau_s = up_tau_s
        self.reset()

    def reset(self) -> None:
        self._rest = math.nan  # in direction-oriented units
        self._last_t = math.nan
        self._staying = _StayLevel()
        self._first: deque[tuple[float, float]] = deque()  # until the first stay: the last window's samples
        self._confirmed = False

    @property
    def value(self) -> float:
        return self.direction * self._rest

    def update(self, t_s: float, value: float, learn: bool = True) -> float:
        """``learn`` False: the person is not at rest (holding the exercise); time passes, rest stays."""
        if not learn:
            if math.isfinite(self._last_t):
                self._last_t = t_s
            return self.value
        if math.isfinite(value):
            y = self.direction * value
            dt = t_s - self._last_t if math.isfinite(self._last_t) else 0.0
            self._last_t = t_s
            staying = self._staying.update(t_s, y)
            if not self._confirmed:
                self._rest = self._first_stay(t_s, y)
            elif y - self._rest <= self.freeze_beyond and dt > 0:
                tau = self.down_tau_s if y < self._rest else self.up_tau_s
                self._rest += (y - self._rest) * (1.0 - math.exp(-dt / tau))
                # Seen staying lower for most of half a second: that is the rest,
                # however high the recording started (already tilted).
                if staying < self._rest:
                    self._rest = staying
        return self.value

    def _first_stay(self, t_s: float, y: float) -> float:
        """The median of the last window; once that window has stayed at one level, the rest from then on."""
        self._first.append((t_s, y))
        # Keep one sample at or before the window's start, so a full window is seen at any frame rate.
        while len(self._first) > 1 and self._first[1][0] <= t_s - REST_WINDOW_S:
            self._first.popleft()
        ys = sorted(v for _, v in self._first)
        mid = statistics.median(ys)
        q1, q3 = ys[(len(ys) - 1) // 4], ys[(3 * (len(ys) - 1) + 3) // 4]
        stayed = mid - q1 <= self.freeze_beyond and q3 - mid <= self.freeze_beyond
        if t_s - self._first[0][0] >= REST_WINDOW_S and stayed:
            self._confirmed = True
            self._first.clear()
        return mid


class SlopeTracker:
    """Rate of change of a signal (units/s) by least squares over a recent window.

    Used to tell holding still from moving. A 0.5 s window at 30 fps averages
    15 samples, so 1 degree of frame-to-frame noise reads as ~2 deg/s, well
    below the speed of a deliberate movement into or out of a position.
    """

    def __init__(self, window_s: float = 0.5) -> None:
        self.window_s = window_s
        self.reset()

    def reset(self) -> None:
        self._samples: deque[tuple[float, float]] = deque()

    def update(self, t_s: float, value: float) -> float:
        if not math.isfinite(value):
            self._samples.clear()
            return math.nan
        self._samples.append((t_s, value))
        while self._samples and self._samples[0][0] < t_s - self.window_s:
            self._samples.popleft()
        n = len(self._samples)
        if n < 3 or t_s - self._samples[0][0] < 0.5 * self.window_s:
            return math.nan
        # One pass over the window, times taken from the newest sample (small
        # numbers, so the sums' differences below lose nothing that matters).
        st = sv = stt = stv = 0.0
        for t, v in self._samples:
            d = t - t_s
            st += d
            sv += v
            stt += d * d
            stv += d * v
        num = stv - st * sv / n
        den = stt - st * st / n
        return num / den if den > 0 else math.nan


# Holding still, read against the measurement's own noise. A window slope of
# pure jitter has a spread of its own (~1.8 x the per-frame sd at 30 fps over
# 0.5 s); in a dim room that spread reaches the fixed stillness rate and noise
# reads as moving. The noise floor is the robust spread (1.4826 x MAD about the
# median) of the window slopes seen while a hold runs, within a stretch of
# STILL_CHUNK_S, the (lower) median over the stretches of the last
# STILL_NOISE_WINDOW_S. Only hold frames teach it: the walk into a position is
# all movement, and a floor learnt there (even from the frames already in
# position) let an arrival read "still" early on the fixtures.
# A movement inside a hold (a pause, a wobble) is one stretch of several, which
# the median ignores.
STILL_CHUNK_S = 2.0  # four slope windows: enough for a spread, short enough to be all hold
STILL_NOISE_WINDOW_S = 10.0  # five stretches; the floor follows a change of lighting within 10 s
STILL_NOISE_MIN_S = 1.0  # a stretch with less than this of slopes says nothing
# 4 sd of the jitter's slope: a still frame reads "moving" well under 0.1% of the
# time. Window slopes are correlated over the window (half a second), so a 3-sd
# crossing comes as a run of frames, and each run restarts the hold's settling.
STILL_NOISE_K = 4.0
# The threshold never rises past the slowest deliberate movement: moving into or
# out of a stretch runs at 15-50 deg/s (analysis.analyzer.SETTLE_DEG_S).
STILL_RATE_CAP = 15.0
_NOISE_EVERY_S = 0.25  # the floor changes slowly: recomputed at most this often


class StillnessGate:
    """Is a metric holding still? Its window slope against a noise-aware rate.

    ``rate`` is the stillness rate on clean data (units/s); the gate raises it
    to ``STILL_NOISE_K`` times the measured spread of jitter slopes, never past
    ``cap`` (or ``rate`` if that is higher). The first hold is judged at
    ``rate`` until a stretch of it has been seen.
    """

    def __init__(self, rate: float, window_s: float = 0.5, cap: float = STILL_RATE_CAP) -> None:
        self.rate = rate
        self.cap = cap
        self._slope = SlopeTracker(window_s)
        self.reset()

    def reset(self) -> None:
        self._slope.reset()
        self._history: deque[tuple[float, float]] = deque()
        self.threshold = self.rate
        self.slope = math.nan  # the latest window slope (NaN: too few samples to tell)
        self._noise_t = -math.inf

    def update(self, t_s: float, value: float, learn: bool = True) -> bool:
        """``learn``: a hold is running, so this frame's slope is mostly jitter."""
        slope = self.slope = self._slope.update(t_s, value)
        if not math.isfinite(slope):
            return False
        if learn:
            self._history.append((t_s, slope))
        while self._history and self._history[0][0] < t_s - STILL_NOISE_WINDOW_S:
            self._history.popleft()
        if t_s - self._noise_t >= _NOISE_EVERY_S:
            self._noise_t = t_s
            self.threshold = self._noise_threshold(t_s)
        return abs(slope) <= self.threshold

    def _noise_threshold(self, t_s: float) -> float:
        chunks: dict[int, list[tuple[float, float]]] = {}
        for t, v in self._history:
            chunks.setdefault(int((t_s - t) // STILL_CHUNK_S), []).append((t, v))
        spreads = []
        for chunk in chunks.values():
            if chunk[-1][0] - chunk[0][0] < STILL_NOISE_MIN_S:
                continue
            slopes = [v for _, v in chunk]
            mid = statistics.median(slopes)
            spreads.append(1.4826 * statistics.median(abs(v - mid) for v in slopes))
        if not spreads:
            return self.rate
        return max(self.rate, min(STILL_NOISE_K * statistics.median_low(spreads), self.cap))


@dataclass
class _Pending:
    since: float = math.nan
    active: bool = False
    clear_since: float = math.nan


@dataclass
class FaultDebouncer:
    """Turns per-frame fault conditions into fault onsets that survive noise.

    A condition must hold ``on_s`` before it fires, and stay false ``off_s``
    before the same fault can fire again: one noisy frame never reaches the user.
    """

    on_s: float = 0.3
    off_s: float = 0.5
    _state: dict[str, _Pending] = field(default_factory=dict)

    def reset(self) -> None:
        self._state.clear()

    def update(self, t_s: float, conditions: dict[str, bool]) -> list[str]:
        """Returns the fault codes whose onset is at this frame."""
        fired: list[str] = []
        for code, on in conditions.items():
            p = self._state.setdefault(code, _Pending())
            if on:
                p.clear_since = math.nan
                if not math.isfinite(p.since):
                    p.since = t_s
                if not p.active and t_s - p.since >= self.on_s:
                    p.active = True
                    fired.append(code)
            else:
                p.since = math.nan
                if p.active:
                    if not math.isfinite(p.clear_since):
                        p.clear_since = t_s
                    if t_s - p.clear_since >= self.off_s:
                        p.active = False
        return fired

    def active(self) -> list[str]:
        return [code for code, p in self._state.items() if p.active]
