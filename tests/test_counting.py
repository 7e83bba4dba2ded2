"""RepCounter, HoldTimer and FaultDebouncer on synthetic traces.

A rep on a trace is rest -> half-cosine rise (up_s) -> plateau at the peak (top_s)
-> half-cosine fall (down_s) -> rest (rest_s), sampled at t = i / fps. The rule is
the bridge's: target 165, start 10 above rest, end within 5 of rest, 0.25 s
debounce. "Complete" peaks are >= 7 degrees past the target, "partial" ones end
>= 8 short of it and >= 17 above rest, so noise (sd <= 2) cannot blur the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.counting import (
    LEAVE_BAND_DEG,
    FaultDebouncer,
    HoldEvent,
    HoldRule,
    HoldTimer,
    Phase,
    RepCounter,
    RepEvent,
    RepRule,
    RestLevel,
    SlopeTracker,
    StillnessGate,
)

BRIDGE = RepRule(target=165.0, direction=1, start_delta=10.0, end_delta=5.0, min_phase_s=0.25)
REST = 135.0
FPS = [15.0, 29.97, 30.0, 60.0]


# -- trace builders ------------------------------------------------------------------


@dataclass(frozen=True)
class Rep:
    peak: float
    up_s: float = 1.0
    top_s: float = 0.5
    down_s: float = 1.5
    rest_s: float = 1.5  # at rest after the rep

    @property
    def length_s(self) -> float:
        return self.up_s + self.top_s + self.down_s + self.rest_s


def _ease(s: np.ndarray) -> np.ndarray:
    return (1.0 - np.cos(np.pi * np.clip(s, 0.0, 1.0))) / 2.0


@dataclass(frozen=True)
class Schedule:
    reps: tuple[Rep, ...]
    rest: float = REST
    lead_s: float = 3.0  # at rest before the first rep

    def starts(self) -> list[float]:
        out, t = [], self.lead_s
        for r in self.reps:
            out.append(t)
            t += r.length_s
        return out

    @property
    def duration_s(self) -> float:
        return self.lead_s + sum(r.length_s for r in self.reps)

    def clean(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        y = np.full(t.shape, self.rest)
        for t0, r in zip(self.starts(), self.reps, strict=True):
            h = r.peak - self.rest
            t1, t2 = t0 + r.up_s, t0 + r.up_s + r.top_s
            y = np.where((t >= t0) & (t < t1), self.rest + h * _ease((t - t0) / r.up_s), y)
            y = np.where((t >= t1) & (t < t2), r.peak, y)
            y = np.where((t >= t2) & (t < t2 + r.down_s), r.peak - h * _ease((t - t2) / r.down_s), y)
        return y

    def crossing(self, i: int, level: float, rising: bool) -> float:
        """When rep i's clean trace passes ``level`` on the way up (or down)."""
        r, t0 = self.reps[i], self.starts()[i]
        f = (level - self.rest) / (r.peak - self.rest)
        s = math.acos(1.0 - 2.0 * f) / math.pi  # ease(s) = f
        return t0 + s * r.up_s if rising else t0 + r.up_s + r.top_s + (1.0 - s) * r.down_s


def times(duration_s: float, fps: float) -> np.ndarray:
    return np.arange(math.floor(duration_s * fps) + 1) / fps


def trace(schedule: Schedule, fps: float, sd: float = 0.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    t = times(schedule.duration_s, fps)
    y = schedule.clean(t) + np.random.default_rng(seed).normal(0.0, sd, t.size)
    return t, y


def run(counter: RepCounter, t: np.ndarray, y: np.ndarray) -> list[RepEvent]:
    events = []
    for ti, yi in zip(t, y, strict=True):
        ev = counter.update(float(ti), float(yi))
        if ev is not None:
            events.append(ev)
    return events


def count(schedule: Schedule, fps: float = 30.0, sd: float = 0.0, seed: int = 0, rule: RepRule = BRIDGE):
    c = RepCounter(rule)
    events = run(c, *trace(schedule, fps, sd, seed))
    assert (c.reps, c.partial_reps) == (sum(e.complete for e in events), sum(not e.complete for e in events))
    return c, events


def blank(t: np.ndarray, y: np.ndarray, start_s: float, length_s: float) -> np.ndarray:
    out = y.copy()
    out[(t >= start_s) & (t < start_s + length_s)] = np.nan
    return out


# -- counting -----------------------------------------------------------------------


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("sd", [0.0, 1.0, 2.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_complete_reps_are_counted_exactly(fps, sd, seed):
    sched = Schedule(tuple(Rep(p) for p in (180.0, 175.0, 185.0, 172.0, 190.0)))
    c, _events = count(sched, fps, sd, seed)
    assert (c.reps, c.partial_reps) == (5, 0)
    assert c.phase is Phase.REST


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("sd", [0.0, 2.0])
def test_partial_reps_are_reported_never_counted(fps, sd):
    peaks = (180.0, 152.0, 175.0, 157.0, 155.0, 178.0)
    c, events = count(Schedule(tuple(Rep(p) for p in peaks)), fps, sd)
    assert [e.complete for e in events] == [p >= 165.0 for p in peaks]
    assert (c.reps, c.partial_reps) == (3, 3)
    for e, p in zip(events, peaks, strict=True):
        assert e.peak_value == pytest.approx(p, abs=3 * sd + 1e-9)


@pytest.mark.parametrize(
    ("peak", "complete"),
    [(149.0, False), (152.0, False), (160.0, False), (164.9, False), (165.0, True), (166.0, True)],
)
def test_the_target_decides_complete_or_partial(peak, complete):
    """Noise-free: reaching the target (for min_reach_s) is a rep; anything less is partial."""
    _c, events = count(Schedule((Rep(peak),)))
    assert len(events) == 1 and events[0].complete is complete


def test_touching_the_target_for_less_than_min_reach_is_partial():
    """A peak that is above 165 for under 0.1 s was not reached."""
    # a sharp peak (no plateau) just over the target: above 165 for ~0.07 s
    _c, events = count(Schedule((Rep(165.2, up_s=1.0, top_s=0.0, down_s=1.0),)), fps=60.0)
    assert [e.complete for e in events] == [False]


@pytest.mark.parametrize("peak", [140.0, 143.0])
def test_movements_below_the_start_threshold_are_nothing(peak):
    c, events = count(Schedule((Rep(peak), Rep(peak))), sd=0.5)
    assert events == [] and c.reps == c.partial_reps == 0


def test_short_excursions_past_the_start_threshold_are_noise():
    """Above rest + start_delta for less than min_phase_s: no rep, no partial."""
    _c, events = count(Schedule((Rep(150.0, up_s=0.2, top_s=0.0, down_s=0.2),)))
    assert events == []


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("spike", [165.0, 175.0, 250.0])
def test_single_frame_spikes_do_not_create_reps(fps, spike):
    """Spikes to (or past) the target: at rest, and on top of partial reps."""
    sched = Schedule((Rep(155.0), Rep(152.0), Rep(180.0)))
    t, y = trace(sched, fps, sd=1.0)
    rest_frames = np.flatnonzero(sched.clean(t) == REST)[::7]
    partial_top = np.flatnonzero((sched.clean(t) > 150.0) & (t < sched.starts()[2]))[::5]
    for i in (*rest_frames, *partial_top):
        y[i] = spike
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [False, False, True]


@pytest.mark.parametrize("fps", [29.97, 30.0, 60.0])
def test_a_low_glitch_frame_at_rest_does_not_break_counting(fps):
    """One frame 40 degrees below rest (a landmark glitch) moves the learnt rest by
    ~depth * dt / baseline_down_tau_s (~2.7 at 30 fps), not all the way down.

    Following it down at once would leave the real rest > start_delta above the
    learnt one: the counter would start a "rep" at rest and never see it end.
    """
    sched = Schedule((Rep(180.0), Rep(180.0), Rep(155.0)), lead_s=3.0)
    t, y = trace(sched, fps, sd=1.0)
    y[np.argmin(np.abs(t - 1.5))] = REST - 40.0  # before the first rep
    y[np.argmin(np.abs(t - (sched.starts()[1] - 1.0)))] = REST - 40.0  # between reps
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [True, True, False]


# -- dropouts -------------------------------------------------------------------------


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("where", ["rise", "top", "fall", "return"])
@pytest.mark.parametrize("gap_s", [0.1, 0.5, 0.9])
def test_short_dropouts_mid_rep_keep_the_rep(fps, where, gap_s):
    """NaN gaps shorter than max_gap_s (1 s) neither break nor end a rep."""
    sched = Schedule((Rep(180.0, top_s=1.0), Rep(180.0)))
    t, y = trace(sched, fps, sd=1.0)
    t0 = sched.starts()[0]
    at = {"rise": t0 + 0.3, "top": t0 + 1.05, "fall": t0 + 2.1, "return": t0 + 3.2}[where]
    y = blank(t, y, at, gap_s)
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [True, True]


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize(("at", "gap_s"), [(0.8, 1.5), (1.2, 2.5), (2.0, 1.2)])
def test_long_dropouts_abandon_the_rep(fps, at, gap_s):
    """Unseen for longer than max_gap_s mid-rep: count nothing (no ghost rep), then carry on."""
    sched = Schedule((Rep(180.0, top_s=1.5), Rep(178.0), Rep(152.0)))
    t, y = trace(sched, fps, sd=1.0)
    y = blank(t, y, sched.starts()[0] + at, gap_s)
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [True, False]
    assert events[0].start_s > sched.starts()[1]  # the abandoned rep left nothing behind


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_long_dropout_at_the_top_keeps_the_learnt_rest(fps):
    """Back in view at the top after a long gap: that rep is lost, the rest value is not.

    Re-learning rest from the first value seen after the gap put "rest" at the
    top of the rep, and the partial and full reps that followed a short rest
    went uncounted (live: switching exercise with n and back with p mid-rep).
    """
    sched = Schedule((Rep(180.0, top_s=2.0, down_s=1.0, rest_s=0.2), Rep(152.0, rest_s=0.2), Rep(180.0)))
    t, y = trace(sched, fps, sd=1.0)
    y = blank(t, y, sched.starts()[0] + 1.2, 1.2)  # unseen from the top's start to near its end
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [False, True]
    assert events[0].start_s > sched.starts()[1] - 0.5
    assert c.baseline == pytest.approx(REST, abs=3.0)


def test_a_rest_that_moved_while_unseen_is_learnt_again():
    """Unseen mid-rep, back at a new resting posture 15 degrees higher: after a while it is the rest."""
    t = times(21.0, 30.0)
    y = np.full(t.shape, REST)
    rise = (t >= 3.0) & (t < 4.0)
    y[rise] = REST + 45.0 * _ease(t[rise] - 3.0)
    y[(t >= 4.0) & (t < 5.5)] = math.nan  # gone for 1.5 s at the top
    fall = (t >= 5.5) & (t < 6.5)
    y[fall] = 180.0 - 30.0 * _ease(t[fall] - 5.5)
    y[t >= 6.5] = REST + 15.0
    rep = (t >= 14.0) & (t < 18.0)
    y[rep] = REST + 15.0 + 45.0 * np.sin(np.pi * (t[rep] - 14.0) / 4.0)
    c = RepCounter(BRIDGE)
    assert [e.complete for e in run(c, t, y)] == [True]
    assert c.baseline == pytest.approx(REST + 15.0, abs=2.0)


def test_dropout_at_rest_changes_nothing():
    sched = Schedule((Rep(180.0), Rep(180.0)), lead_s=4.0)
    t, y = trace(sched, 30.0, sd=1.0)
    y = blank(t, y, 0.5, 2.5)  # nobody in view for a while before starting
    c = RepCounter(BRIDGE)
    assert [e.complete for e in run(c, t, y)] == [True, True]


def test_whole_rep_unseen_is_not_counted():
    sched = Schedule((Rep(180.0), Rep(180.0)))
    t, y = trace(sched, 30.0, sd=1.0)
    r = sched.reps[0]
    y = blank(t, y, sched.starts()[0] - 0.3, r.up_s + r.top_s + r.down_s + 0.6)
    c = RepCounter(BRIDGE)
    assert [e.complete for e in run(c, t, y)] == [True]


# -- direction, rest value ------------------------------------------------------------


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_decreasing_metric_with_direction_minus_one(fps):
    """Knee to chest: the hip angle falls from ~175 towards the target (<= 70)."""
    rule = RepRule(target=70.0, direction=-1, start_delta=15.0, end_delta=8.0)
    peaks = (55.0, 100.0, 62.0, 85.0, 45.0)
    c, events = count(Schedule(tuple(Rep(p) for p in peaks), rest=175.0), fps, sd=2.0, rule=rule)
    assert [e.complete for e in events] == [p <= 70.0 for p in peaks]
    assert (c.reps, c.partial_reps) == (3, 2)
    for e, p in zip(events, peaks, strict=True):
        assert e.peak_value == pytest.approx(p, abs=7.0)  # the lowest value, in the metric's units
        assert e.rest_value == pytest.approx(175.0, abs=3.0)
    assert c.baseline == pytest.approx(175.0, abs=3.0)


@pytest.mark.parametrize("rest", [95.0, 120.0, 135.0, 140.0, 150.0])
@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_rest_is_learnt_per_person(rest, fps):
    """Only the target is absolute; the thresholds follow the person's own rest.

    (Resting at 150, a rep needs only 15 degrees to reach the target: a partial
    rep would have to stay within 10-15 degrees of rest, which is not asked here.)
    """
    partial = rest + 0.6 * (165.0 - rest)
    peaks = (180.0, partial, 172.0) if rest < 150.0 else (180.0, 172.0)
    sched = Schedule(tuple(Rep(p) for p in peaks), rest=rest)
    c, events = count(sched, fps, sd=1.5)
    assert [e.complete for e in events] == [p >= 165.0 for p in peaks]
    assert c.baseline == pytest.approx(rest, abs=1.5)
    for e in events:
        assert e.rest_value == pytest.approx(rest, abs=2.0)


def test_rest_that_settles_lower_is_followed():
    """The rest posture drops 12 degrees at once between reps: the reps after it still count."""
    first = Schedule((Rep(180.0, rest_s=1.0),), rest=140.0)
    second = Schedule((Rep(178.0), Rep(155.0)), rest=128.0, lead_s=2.0)
    t1 = times(first.duration_s, 30.0)
    t2 = times(second.duration_s, 30.0)[1:]
    t = np.concatenate([t1, first.duration_s + t2])
    y = np.concatenate([first.clean(t1), second.clean(t2)])
    y += np.random.default_rng(4).normal(0.0, 1.0, y.size)
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [True, True, False]
    assert events[1].rest_value == pytest.approx(128.0, abs=1.5)
    assert c.baseline == pytest.approx(128.0, abs=1.5)


def test_learning_from_a_first_frame_mid_rep():
    """Starting the camera at the top of a rep: that rep is not counted, the next ones are."""
    sched = Schedule((Rep(180.0), Rep(180.0), Rep(176.0)), lead_s=0.5)
    t, y = trace(sched, 30.0, sd=1.0)
    start = sched.starts()[0] + 1.2  # on the plateau
    keep = t >= start
    c = RepCounter(BRIDGE)
    events = run(c, t[keep], y[keep])
    assert [e.complete for e in events] == [True, True]


def test_progress_runs_from_rest_to_target():
    c = RepCounter(BRIDGE)
    assert math.isnan(c.progress)
    for i in range(30):
        c.update(i / 30, REST)
    assert c.progress == 0.0
    c.update(1.0, 150.0)
    assert c.progress == pytest.approx(0.5)
    c.update(1.03, 200.0)
    assert c.progress == 1.0
    c.update(1.07, math.nan)
    assert math.isnan(c.progress)


def test_reset_starts_over():
    c, _ = count(Schedule((Rep(180.0), Rep(150.0))))
    assert (c.reps, c.partial_reps) == (1, 1)
    c.reset()
    assert (c.reps, c.partial_reps, c.phase) == (0, 0, Phase.REST)
    assert math.isnan(c.baseline)


@pytest.mark.parametrize(
    "kw", [{"direction": 0}, {"direction": 2}, {"end_delta": 10.0}, {"end_delta": 12.0}, {"end_delta": -1.0}]
)
def test_bad_rules_raise(kw):
    with pytest.raises(ValueError):
        RepRule(target=165.0, **kw)


# -- event timing -----------------------------------------------------------------------


TIMING_REPS = (Rep(180.0, 1.0, 0.8, 1.5, 2.0), Rep(176.0, 0.8, 0.5, 1.2, 2.0), Rep(185.0, 1.5, 1.0, 2.0, 2.0))


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize(("sd", "seed"), [(0.0, 0), (1.0, 0), (1.0, 1), (1.0, 2)])
def test_event_timing(fps, sd, seed):
    """Events against the clean trace's own threshold crossings.

    start_s: last time within end_delta of rest before the rise; end_s: first time
    back within it (then held for min_phase_s); peak_s: on the plateau. up_s / top_s /
    down_s: rest -> top band, time within top_band (3) of the peak, top band -> rest.
    Limits (noise sd <= 1; measured over 150 seeds: within 0.3 s): start and end
    within 2 frames (+0.15 s with noise), peak on the plateau (+-0.15 s), tempo
    within 2 frames (+0.3 s with noise).
    """
    sched = Schedule(TIMING_REPS, lead_s=4.0)
    _c, events = count(sched, fps, sd, seed)
    assert len(events) == 3
    frame = 1.0 / fps
    noisy = 0.15 if sd else 0.0
    for i, (e, r) in enumerate(zip(events, TIMING_REPS, strict=True)):
        t0 = sched.starts()[i]
        assert e.start_s == pytest.approx(sched.crossing(i, REST + 5.0, rising=True), abs=2 * frame + noisy)
        assert e.end_s == pytest.approx(sched.crossing(i, REST + 5.0, rising=False), abs=2 * frame + noisy + 0.05)
        assert t0 + r.up_s - 0.15 <= e.peak_s <= t0 + r.up_s + r.top_s + 0.15
        assert e.peak_value == pytest.approx(r.peak, abs=3.5 * sd + 1e-9)
        # tempo, against the clean trace's top band (within 3 of the peak)
        top_in = sched.crossing(i, r.peak - 3.0, rising=True)
        top_out = sched.crossing(i, r.peak - 3.0, rising=False)
        tempo_tol = 2 * frame + 2 * noisy
        assert e.top_s == pytest.approx(top_out - top_in, abs=tempo_tol)
        assert e.up_s == pytest.approx(top_in - e.start_s, abs=tempo_tol)
        assert e.down_s == pytest.approx(e.end_s - top_out, abs=tempo_tol)
        assert e.duration_s == pytest.approx(e.end_s - e.start_s)


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("seed", range(4))
def test_event_timing_at_2_degrees_of_noise(fps, seed):
    """Counts exact; start within 0.25 s; the end can come late by up to ~0.8 s.

    The end needs min_phase_s of consecutive frames within end_delta of rest, and
    with 2 degrees of noise near that edge the run restarts a few times (measured
    over 150 seeds: 0.6 s late at 15 fps, 0.8 s at 60).
    """
    sched = Schedule(TIMING_REPS, lead_s=4.0)
    _c, events = count(sched, fps, 2.0, seed)
    assert [e.complete for e in events] == [True, True, True]
    for i, (e, r) in enumerate(zip(events, TIMING_REPS, strict=True)):
        t0 = sched.starts()[i]
        assert e.start_s == pytest.approx(sched.crossing(i, REST + 5.0, rising=True), abs=0.25)
        late = e.end_s - sched.crossing(i, REST + 5.0, rising=False)
        assert -0.1 <= late <= 0.9
        assert t0 + r.up_s - 0.3 <= e.peak_s <= t0 + r.up_s + r.top_s + 0.3


@pytest.mark.parametrize("fps", [29.97, 60.0])
@pytest.mark.parametrize("seed", range(3))
def test_a_pause_at_the_top_is_measured_under_noise(fps, seed):
    """A 0.8 s pause (1.2 s within 3 degrees of the peak) reads >= 0.5 s at 2 degrees of noise.

    Judged against the raw noisy maximum it read ~0.3 s on average, below the
    bridge's 0.5 s "pause at the top" check. Limit: at 15 fps a 3-degree band with
    2 degrees of noise is still too narrow (one rep in ~50 reads < 0.5 s).
    """
    sched = Schedule((Rep(180.0, 1.0, 0.8, 1.5, 2.0),) * 4, lead_s=3.0)
    _, events = count(sched, fps, sd=2.0, seed=seed)
    assert len(events) == 4
    assert all(0.5 <= e.top_s <= 1.5 for e in events), [e.top_s for e in events]
    assert np.mean([e.top_s for e in events]) >= 0.8


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("sd", [0.0, 1.0])
def test_top_time_tells_a_pause_from_no_pause(fps, sd):
    """Clean truth: 0.33 s within 3 degrees of a 1 s-up / 1 s-down peak with no pause,
    0.83 s with a 0.5 s pause. Limit (sd <= 1, measured over 40 seeds): no pause reads
    <= 0.55, a 0.5 s pause >= 0.6."""
    for seed in range(3):
        for pause, lo, hi in ((0.0, 0.2, 0.55), (0.5, 0.6, 1.0)):
            sched = Schedule((Rep(180.0, 1.0, pause, 1.0, 2.0),) * 2)
            _, events = count(sched, fps, sd, seed)
            assert len(events) == 2
            assert all(lo <= e.top_s <= hi for e in events), (pause, [e.top_s for e in events])


def test_a_spike_at_the_top_does_not_shorten_the_pause():
    sched = Schedule((Rep(180.0, 1.0, 1.0, 1.5, 2.0),))
    t, y = trace(sched, 30.0)
    y[np.argmin(np.abs(t - (sched.starts()[0] + 1.5)))] = 215.0
    c = RepCounter(BRIDGE)
    (e,) = run(c, t, y)
    assert e.peak_value == 215.0  # the raw maximum is still reported
    assert e.top_s == pytest.approx(1.0 + 0.2 * 1.0 + 0.2 * 1.5, abs=0.15)


# -- property test ----------------------------------------------------------------------


@st.composite
def sessions(draw):
    """Random rep schedules and measurement trouble, within the limits the counter promises.

    Limits: noise sd <= 2; complete peaks >= target + 7, partial peaks in
    [rest + 17, target - 8]; rise 0.6-2 s, top 0.3-1.5 s, fall 0.6-2.5 s; >= 1 s at rest
    between reps and >= 3 s before the first; the last rep is followed by >= 2 s of
    rest (the counter has no end-of-stream flush); up to 5 dropouts of <= 0.3 s
    anywhere; up to 5 single-frame spikes to 170-200, >= 0.5 s apart and not next
    to a dropout.
    """
    fps = draw(st.sampled_from([15.0, 24.0, 29.97, 30.0, 50.0, 60.0]))
    rest = draw(st.floats(120.0, 140.0))
    reps = []
    for _ in range(draw(st.integers(0, 6))):
        complete = draw(st.booleans())
        peak = draw(st.floats(172.0, 195.0)) if complete else draw(st.floats(rest + 17.0, 157.0))
        reps.append(
            Rep(
                peak,
                up_s=draw(st.floats(0.6, 2.0)),
                top_s=draw(st.floats(0.3, 1.5)),
                down_s=draw(st.floats(0.6, 2.5)),
                rest_s=draw(st.floats(1.0, 3.0)),
            )
        )
    if reps:
        last = reps[-1]
        reps[-1] = Rep(last.peak, last.up_s, last.top_s, last.down_s, max(last.rest_s, 2.0))
    sched = Schedule(tuple(reps), rest=rest, lead_s=draw(st.floats(3.0, 5.0)))
    t = times(sched.duration_s, fps)
    sd = draw(st.floats(0.0, 2.0))
    y = sched.clean(t) + np.random.default_rng(draw(st.integers(0, 2**32 - 1))).normal(0.0, sd, t.size)
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.floats(0.0, sched.duration_s))
        y = blank(t, y, start, draw(st.floats(0.0, 0.3)))
    last_spike = -math.inf
    for frac in sorted(draw(st.lists(st.floats(0.0, 1.0), max_size=5))):
        i = int(frac * (t.size - 3)) + 1
        if t[i] - last_spike >= 0.5 and np.isfinite(y[i - 1 : i + 2]).all():
            y[i] = draw(st.floats(170.0, 200.0))
            last_spike = t[i]
    truth = [r.peak >= 165.0 for r in reps]
    return t, y, truth


@settings(max_examples=60, deadline=None, derandomize=True)
@given(sessions())
def test_counts_are_exact_for_random_sessions(session):
    t, y, truth = session
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == truth
    assert (c.reps, c.partial_reps) == (sum(truth), len(truth) - sum(truth))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(sessions(), st.sampled_from([-1.0, 1.0]))
def test_counts_do_not_depend_on_the_sign_convention(session, sign):
    """The same session as a decreasing metric (direction=-1, mirrored target) counts the same."""
    t, y, truth = session
    rule = RepRule(target=sign * 165.0, direction=int(sign), start_delta=10.0, end_delta=5.0)
    c = RepCounter(rule)
    events = run(c, t, sign * y)
    assert [e.complete for e in events] == truth


# -- hold timer -------------------------------------------------------------------------


def hold_run(timer: HoldTimer, t: np.ndarray, inside, form_ok=None, flush: bool = True):
    events = []
    for i, ti in enumerate(t):
        ev = timer.update(float(ti), inside[i], True if form_ok is None else bool(form_ok[i]))
        if ev is not None:
            events.append(ev)
    if flush:
        ev = timer.flush()
        if ev is not None:
            events.append(ev)
    return events


def window(t: np.ndarray, *spans: tuple[float, float]) -> np.ndarray:
    out = np.zeros(t.size, bool)
    for a, b in spans:
        out |= (t >= a) & (t < b)
    return out


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("hold_s", [1.5, 5.0, 30.0])
def test_hold_duration_is_exact_within_a_frame(fps, hold_s):
    t = times(hold_s + 4.0, fps)
    inside = window(t, (1.0, 1.0 + hold_s))
    timer = HoldTimer()
    (ev,) = hold_run(timer, t, inside)
    frame = 1.0 / fps
    assert ev.duration_s == pytest.approx(hold_s, abs=1.01 * frame)
    assert ev.start_s == pytest.approx(1.0, abs=1.01 * frame)
    assert ev.end_s == pytest.approx(1.0 + hold_s, abs=1.01 * frame)
    assert timer.completed == [ev]


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_form_break_pauses_and_resumes(fps):
    """Paused time is excluded, the timer is not reset, and one hold is reported."""
    t = times(12.0, fps)
    inside = window(t, (1.0, 11.0))
    form_ok = ~window(t, (3.0, 5.5), (7.0, 7.5))
    timer = HoldTimer()
    states, events = [], []
    for i, ti in enumerate(t):
        ev = timer.update(float(ti), bool(inside[i]), bool(form_ok[i]))
        events += [ev] if ev is not None else []
        states.append((ti, timer.state.seconds, timer.state.paused))
    (ev,) = events  # ended 1 s (exit_grace_s) after leaving the position
    assert timer.flush() is None
    assert ev.duration_s == pytest.approx(10.0 - 2.5 - 0.5, abs=2.01 / fps)
    assert ev.start_s == pytest.approx(1.0, abs=1.01 / fps)
    during_break = [(s, p) for ti, s, p in states if 3.1 < ti < 5.4]
    assert all(p for _, p in during_break)
    assert during_break[0][0] == pytest.approx(during_break[-1][0])  # frozen, not reset
    assert during_break[0][0] == pytest.approx(2.0, abs=2.01 / fps)


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("exit_s", [0.2, 0.5, 0.9])
def test_brief_exits_do_not_split_a_hold(fps, exit_s):
    t = times(14.0, fps)
    inside = window(t, (1.0, 5.0), (5.0 + exit_s, 12.0))
    (ev,) = hold_run(HoldTimer(), t, inside)
    assert ev.duration_s == pytest.approx(11.0 - exit_s, abs=2.01 / fps)


def test_a_long_exit_ends_the_hold_and_a_new_one_starts():
    t = times(16.0, 30.0)
    inside = window(t, (1.0, 5.0), (7.0, 12.0))
    timer = HoldTimer()
    events = hold_run(timer, t, inside, flush=False)
    assert [round(e.duration_s, 1) for e in events] == [4.0, 5.0]
    assert events[0].end_s == pytest.approx(5.0, abs=0.04)
    assert events[1].start_s == pytest.approx(7.0, abs=0.04)
    assert not timer.state.holding


def test_unmeasurable_frames_count_as_out_of_position():
    t = times(10.0, 30.0)
    inside: list[bool | None] = [bool(x) for x in window(t, (1.0, 8.0))]
    for i in np.flatnonzero(window(t, (3.0, 3.5))):
        inside[i] = None  # joints hidden for 0.5 s: paused, not ended
    (ev,) = hold_run(HoldTimer(), t, inside)
    assert ev.duration_s == pytest.approx(6.5, abs=0.07)


@pytest.mark.parametrize("blip_s", [0.2, 0.5, 0.9])
def test_short_holds_are_dropped(blip_s):
    """Passing through the position (< min_enter_s + min_hold_s) is not a hold."""
    t = times(6.0, 30.0)
    timer = HoldTimer()
    assert hold_run(timer, t, window(t, (1.0, 1.0 + blip_s), (3.0, 3.0 + blip_s))) == []
    assert timer.completed == []


def test_a_hold_still_running_at_the_end_is_flushed():
    t = times(5.0, 30.0)
    timer = HoldTimer()
    assert hold_run(timer, t, window(t, (2.0, 10.0)), flush=False) == []
    assert timer.state.holding
    ev = timer.flush()
    assert ev is not None and ev.duration_s == pytest.approx(3.0, abs=0.04)
    assert timer.flush() is None  # once


def test_min_enter_debounces_the_start():
    rule = HoldRule(min_enter_s=0.5, min_hold_s=0.0)
    timer = HoldTimer(rule)
    t = times(3.0, 30.0)
    for i, ti in enumerate(t):
        timer.update(float(ti), bool(window(t, (1.0, 5.0))[i]))
        if ti < 1.49:
            assert not timer.state.holding
    assert timer.state.holding
    assert timer.state.seconds == pytest.approx(2.0, abs=0.04)  # the entering time counts


def test_a_gap_in_the_frames_adds_no_hold_time():
    timer = HoldTimer()
    for i in range(60):
        timer.update(i / 30, True)
    before = timer.state.seconds
    timer.update(60 / 30 + 3.0, True)  # 3 s without frames
    assert timer.state.seconds == pytest.approx(before)


def settled_run(timer: HoldTimer, t: np.ndarray, y: np.ndarray, rate: float, level: float) -> list[HoldEvent]:
    """Drive a hold timer as the analyzer does: in position = above ``level``,
    settled = the window slope (SlopeTracker, 0.5 s) slower than ``rate``."""
    slope = SlopeTracker()
    events = []
    for ti, yi in zip(t, y, strict=True):
        s = slope.update(float(ti), float(yi))
        ev = timer.update(float(ti), bool(yi > level), settled=math.isfinite(s) and abs(s) <= rate)
        events += [ev] if ev is not None else []
    ev = timer.flush()
    return events + ([ev] if ev is not None else [])


def eased(t: np.ndarray, t0: float, t1: float, a: float, b: float) -> np.ndarray:
    """a before t0, b after t1, a cosine ease between (the sample clips' movements)."""
    x = np.clip((t - t0) / (t1 - t0), 0.0, 1.0)
    return a + (b - a) * (0.5 - 0.5 * np.cos(np.pi * x))


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("lag_s", [0.0, 0.3])
def test_a_turning_point_on_the_way_out_does_not_extend_the_hold(fps, lag_s):
    """A 3-degree tilt held 5 s, measured with a lag and a little noise; on the way
    out the measured value first rises 0.8 deg then falls (as MediaPipe's knee does
    on some pelvic tilts). The slope is zero at that turning point: without needing
    min_enter_s of stillness to resume, those frames restarted the clock and moved
    the hold's end to the turn. The hold is timed from arrival to the first
    movement out, within the lag-independent settle window."""
    t = times(12.0, fps)
    tm = t - lag_s  # the measured signal is the truth, later
    y = eased(tm, 1.0, 2.0, 90.0, 93.0)  # arrive at 2.0
    y += eased(tm, 7.0, 7.5, 0.0, 0.8) - eased(tm, 7.5, 8.5, 0.0, 3.8)  # wobble up, then leave
    y += np.random.default_rng(1).normal(0.0, 0.03, t.size)
    (ev,) = settled_run(HoldTimer(HoldRule(exit_grace_s=0.4)), t, y, rate=1.2, level=91.2)
    # settled from ~arrival + the slope window's delay, until the wobble's speed passes 1.2 deg/s
    assert ev.end_s < 7.5 + lag_s  # before the turning point
    assert ev.duration_s == pytest.approx(5.0, abs=0.5)


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_short_settled_blips_while_paused_add_no_time(fps):
    """Moving (not settled) for 2 s with still moments shorter than min_enter_s adds
    nothing; a still stretch of min_enter_s or more is credited from its start."""
    t = times(10.0, fps)
    moving = window(t, (3.0, 5.0))
    blips = window(t, (3.5, 3.65), (4.2, 4.4))  # 0.15 s and 0.2 s of "still" while moving
    settled = ~moving | blips
    timer = HoldTimer(HoldRule(min_enter_s=0.3))
    seconds = []
    for ti, s in zip(t, settled, strict=True):
        timer.update(float(ti), True, settled=bool(s))
        seconds.append(timer.state.seconds)
    (ev,) = [timer.flush()]
    assert ev is not None
    assert ev.duration_s == pytest.approx(10.0 - 2.0, abs=2.01 / fps)
    assert ev.end_s == pytest.approx(t[-1])
    at = lambda x: seconds[int(np.searchsorted(t, x))]  # noqa: E731
    assert at(4.9) == pytest.approx(at(3.05), abs=1e-9)  # nothing credited during the movement
    assert at(5.2) == pytest.approx(at(3.05), abs=1e-9)  # resumed, not yet confirmed: paused
    assert at(5.5) == pytest.approx(at(3.05) + 0.5, abs=1.01 / fps)  # confirmed, back-dated to 5.0


# -- fault debouncer --------------------------------------------------------------------


def fault_run(deb: FaultDebouncer, t: np.ndarray, on: np.ndarray, code: str = "f") -> list[float]:
    fired = []
    for ti, x in zip(t, on, strict=True):
        if code in deb.update(float(ti), {code: bool(x)}):
            fired.append(float(ti))
    return fired


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_one_frame_flickers_never_fire(fps):
    t = times(10.0, fps)
    rng = np.random.default_rng(0)
    on = np.zeros(t.size, bool)
    on[rng.choice(t.size, 40, replace=False)] = True
    on &= ~(np.roll(on, 1) | np.roll(on, -1))  # isolated frames only
    assert fault_run(FaultDebouncer(), t, on) == []


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_a_sustained_condition_fires_once_after_on_s(fps):
    t = times(6.0, fps)
    deb = FaultDebouncer(on_s=0.3, off_s=0.5)
    fired = fault_run(deb, t, window(t, (1.0, 5.0)))
    assert len(fired) == 1
    assert fired[0] == pytest.approx(1.3, abs=1.01 / fps)
    assert deb.active() == []  # cleared for >= off_s by the end


def test_refire_only_after_clearing_for_off_s():
    t = times(10.0, 30.0)
    deb = FaultDebouncer(on_s=0.3, off_s=0.5)
    # off for 0.3 s (< off_s): same episode; off for 1 s: a new one
    on = window(t, (1.0, 3.0), (3.3, 5.0), (6.0, 8.0))
    fired = fault_run(deb, t, on)
    assert fired == pytest.approx([1.3, 6.3], abs=0.04)


def test_flicker_while_active_does_not_refire():
    t = times(6.0, 30.0)
    on = window(t, (1.0, 5.0))
    on[np.flatnonzero(window(t, (2.0, 5.0)))[::4]] = False  # once fired, drops out every 4th frame
    deb = FaultDebouncer()
    assert len(fault_run(deb, t, on)) == 1


def test_a_condition_that_keeps_flickering_off_never_fires():
    """Documents the design: on_s must be met by an unbroken run of frames, so a
    condition that is true 3 frames in 4 for seconds never reaches the user."""
    t = times(6.0, 30.0)
    on = window(t, (1.0, 5.0))
    on[np.flatnonzero(on)[::4]] = False
    assert fault_run(FaultDebouncer(), t, on) == []


def test_codes_are_independent_and_reset_clears():
    deb = FaultDebouncer(on_s=0.3, off_s=0.5)
    out = []
    for i in range(30):
        out += deb.update(i / 30, {"a": True, "b": i >= 25})  # b: on for only 0.17 s
    assert out == ["a"]
    assert deb.active() == ["a"]
    out = []
    for i in range(30, 40):
        out += deb.update(i / 30, {"a": True, "b": True})
    assert out == ["b"]
    deb.reset()
    assert deb.active() == []
    assert deb.update(2.0, {"a": True}) == []


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("t0", [0.0, 3600.0])
@pytest.mark.parametrize("rate", [-40.0, 0.0, 2.5])
def test_slope_of_a_steady_movement_is_its_rate(fps, t0, rate):
    """An hour into a session, too: times far from zero must not cost precision."""
    tracker = SlopeTracker(window_s=0.5)
    out = [tracker.update(t0 + i / fps, 150.0 + rate * i / fps) for i in range(int(fps))]
    first = next(i for i, v in enumerate(out) if math.isfinite(v))
    assert first / fps >= 0.25 - 1e-9  # needs half a window before it answers
    assert out[-1] == pytest.approx(rate, abs=1e-6)


def test_slope_is_unknown_after_a_gap_and_noise_reads_slow():
    tracker = SlopeTracker(window_s=0.5)
    rng = np.random.default_rng(0)
    slopes = [tracker.update(i / 30.0, 120.0 + rng.normal(0.0, 1.0)) for i in range(300)]
    # 1 degree of frame-to-frame noise: far below a deliberate movement's tens of deg/s.
    assert np.nanmedian(np.abs(slopes)) < 3.0
    assert np.nanpercentile(np.abs(slopes), 95) < 6.0
    assert math.isnan(tracker.update(10.0, math.nan))
    assert math.isnan(tracker.update(10.1, 120.0))  # the window starts over


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("hold_s", [5.0, 30.0])
def test_hold_duration_with_a_variable_frame_rate(seed, hold_s):
    """Phones record at a variable rate: steps of 20-60 ms (and one 0.2 s stall) must
    still add up to the held time, since the timer reads the frames' own timestamps."""
    rng = np.random.default_rng(seed)
    steps = rng.uniform(0.02, 0.06, size=int((hold_s + 6.0) / 0.02))
    steps[len(steps) // 3] = 0.2  # a stall inside the hold, under max_step_s
    t = np.cumsum(steps)
    t = t[t < hold_s + 4.0]
    inside = window(t, (1.0, 1.0 + hold_s))
    (ev,) = hold_run(HoldTimer(), t, inside)
    longest = float(steps.max())
    assert ev.duration_s == pytest.approx(hold_s, abs=1.01 * longest)
    assert ev.start_s == pytest.approx(1.0, abs=1.01 * longest)


# -- the end of a recording and brisk reps (issue 12, classes 1 and 5) ------------------


@pytest.mark.parametrize("fps", FPS)
@pytest.mark.parametrize("tail_s", [0.0, 0.05])
def test_a_rep_whose_return_was_seen_counts_at_the_end_of_the_stream(fps, tail_s):
    """The recording stops within a fraction of a second of the last return to rest:
    the person is seen back at rest, so the rep is over even without min_phase_s there.
    (The last 0.8 s descent spends ~0.17 s within end_delta of rest.)"""
    sched = Schedule((Rep(180.0), Rep(178.0, down_s=0.8, rest_s=0.0)))
    t, y = trace(sched, fps, sd=0.5)
    end = sched.duration_s + tail_s
    t = np.concatenate([t, t[-1] + np.arange(1, math.floor(tail_s * fps) + 1) / fps])
    y = np.concatenate([y, np.full(t.size - y.size, REST)])
    keep = t <= end
    c = RepCounter(BRIDGE)
    events = run(c, t[keep], y[keep])
    assert len(events) == 1  # the second rep's stay at rest is too short to end it live
    last = c.flush()
    assert last is not None and last.complete
    assert (c.reps, c.partial_reps) == (2, 0)
    assert c.phase is Phase.REST
    assert c.flush() is None


def test_a_rep_still_at_the_top_at_the_end_of_the_stream_is_not_credited():
    """No return to rest was seen: nothing is known about how the rep ended."""
    sched = Schedule((Rep(180.0, top_s=3.0),))
    t, y = trace(sched, 30.0)
    keep = t <= sched.starts()[0] + 2.0
    c = RepCounter(BRIDGE)
    assert run(c, t[keep], y[keep]) == []
    assert c.flush() is None
    assert (c.reps, c.partial_reps) == (0, 0)


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("sd", [0.0, 1.0])
@pytest.mark.parametrize("rest_s", [0.0, 0.05])
def test_brisk_reps_with_a_short_return_do_not_merge(fps, sd, rest_s):
    """Five brisk reps whose return to rest lasts ~0.1-0.2 s (within end_delta of rest
    for 0.08 s of each 0.4 s half-cosine, plus rest_s): the counter sees rest each time
    (the trace crosses the whole hysteresis band down and up again) and counts five."""
    sched = Schedule(tuple(Rep(180.0, up_s=0.4, top_s=0.2, down_s=0.4, rest_s=rest_s) for _ in range(5)))
    t, y = trace(sched, fps, sd=sd)
    t = np.concatenate([t, t[-1] + np.arange(1, int(fps)) / fps])
    y = np.concatenate([y, np.full(t.size - y.size, REST)])
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [True] * 5
    for e, t0 in zip(events, sched.starts(), strict=True):
        assert e.start_s == pytest.approx(t0, abs=0.25)


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_one_frame_dip_to_rest_at_the_top_does_not_split_a_rep(fps):
    """A single glitch frame at rest in the middle of a plateau is not a return to rest."""
    sched = Schedule((Rep(180.0, top_s=2.0),))
    t, y = trace(sched, fps, sd=0.5)
    mid = int(np.searchsorted(t, sched.starts()[0] + 2.0))
    y[mid] = REST
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [True]


# -- rest learnt from a recording that starts mid-movement (issue 12, class 2) --------


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rest_level_relearns_a_brief_relaxation_after_a_tilted_start(fps, seed):
    """A pelvic-tilt-like trace: the recording starts already tilted (+2 deg), the
    person relaxes for 0.6 s, then tilts by 1.8 deg: small movements that must still
    read as displaced from rest (> 1.2). Exponential following with tau 0.5 s stays
    ~0.6 deg high after 0.6 s; the person was seen still at the lower value, so that
    is their rest."""
    t = times(12.0, fps)
    y = 150.0 + 2.0 - eased(t, 2.5, 3.0, 0.0, 2.0) + eased(t, 3.6, 4.4, 0.0, 1.8) - eased(t, 9.0, 9.5, 0.0, 1.8)
    y = y + np.random.default_rng(seed).normal(0.0, 0.2, t.size)
    level = RestLevel(direction=1, freeze_beyond=0.6)
    rest = np.array([level.update(float(ti), float(yi)) for ti, yi in zip(t, y, strict=True)])
    tilt = (t > 5.0) & (t < 9.0)
    assert np.all(rest[tilt] == pytest.approx(150.0, abs=0.35))
    assert np.median(y[tilt] - rest[tilt]) > 1.2 + 0.3


def test_rest_level_is_not_learnt_while_holding():
    """During a hold the reading shifts (a tilt lowers the hip by ~3): not a new rest. After
    it, learning resumes with ordinary steps, not one step as long as the hold."""
    level = RestLevel(direction=1, freeze_beyond=2.5)
    t = times(12.0, 30.0)
    holding = (t >= 3.0) & (t < 8.0)
    y = np.where(holding, 97.0, 100.0)
    rest = np.array([level.update(float(ti), float(yi), learn=not h) for ti, yi, h in zip(t, y, holding, strict=True)])
    assert np.all(rest[holding] == pytest.approx(100.0))
    assert np.all(rest[t >= 8.0] == pytest.approx(100.0))


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
def test_a_low_glitch_frame_does_not_move_the_rest_level(fps):
    t = times(6.0, fps)
    y = np.full(t.size, 150.0)
    y[t.size // 2] = 110.0
    level = RestLevel(direction=1, freeze_beyond=0.6)
    rest = [level.update(float(ti), float(yi)) for ti, yi in zip(t, y, strict=True)]
    assert min(rest) > 150.0 - 40.0 * (1.0 / fps) / 0.5 - 1e-6


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("relax_s", [0.4, 0.6])
def test_counter_relearns_rest_after_starting_part_way_into_the_movement(fps, relax_s):
    """The camera starts 9 degrees into the movement; the person lowers to rest,
    stays relax_s and does two reps to 148 (13 above rest: a partial for the bridge
    rule, but a movement all the same). Both must be seen."""
    lead = 0.3 + 0.4 + relax_s
    sched = Schedule((Rep(148.0, rest_s=1.0), Rep(148.0)), lead_s=lead)
    t, y = trace(sched, fps, sd=0.3)
    y = y + eased(t, 0.3, 0.7, 9.0, 0.0)
    c = RepCounter(BRIDGE)
    events = run(c, t, y)
    assert [e.complete for e in events] == [False, False]
    assert events[0].rest_value == pytest.approx(REST, abs=2.0)  # as test_rest_is_learnt_per_person


# -- holding still under landmark jitter (issue 12, class 6) ---------------------------


def still_run(gate: StillnessGate, timer: HoldTimer, t: np.ndarray, y: np.ndarray, level: float):
    events = []
    for ti, yi in zip(t, y, strict=True):
        settled = gate.update(float(ti), float(yi), learn=timer.state.holding)
        ev = timer.update(float(ti), bool(yi > level), settled=settled)
        events += [ev] if ev is not None else []
    ev = timer.flush()
    return events + ([ev] if ev is not None else [])


def jitter(n: int, sd: float, seed: int, smooth_s: float, fps: float) -> np.ndarray:
    """White noise, or noise low-passed like the landmark smoother's (then rescaled to sd)."""
    w = np.random.default_rng(seed).normal(0.0, 1.0, n)
    if smooth_s > 0:
        a = 1.0 - math.exp(-1.0 / (fps * smooth_s))
        out = np.empty(n)
        acc = 0.0
        for i, v in enumerate(w):
            acc += a * (v - acc)
            out[i] = acc
        w = out / np.std(out)
    return sd * w


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize(("sd", "smooth_s"), [(2.0, 0.0), (1.0, 0.05), (1.5, 0.1)])
@pytest.mark.parametrize("seed", [0, 1])
def test_a_long_hold_is_timed_in_full_under_jitter(fps, sd, smooth_s, seed):
    """A 28 s plank in a dim room: the metric jitters by 1-2 degrees (white, or
    smoothed like the landmarks). Noise is not movement: the hold is timed in full.
    With a fixed 6 deg/s stillness threshold the window slope's noise crossed it on
    ~10% of frames and the same hold read 19-27 s here (10-21 s on real footage).
    The first second or two are judged at the clean-data rate (no floor is known
    before the hold is seen), which may start the clock up to ~2 s late."""
    t = times(36.0, fps)
    y = eased(t, 2.0, 3.5, 100.0, 150.0) - eased(t, 31.5, 33.0, 0.0, 50.0)  # in: 3.5, out: 31.5
    y = y + jitter(t.size, sd, seed, smooth_s, fps)
    (ev,) = still_run(StillnessGate(6.0), HoldTimer(), t, y, level=140.0)
    assert 28.0 - 2.5 <= ev.duration_s <= 28.0 + 0.5
    assert ev.end_s == pytest.approx(31.5, abs=0.5)


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("sd", [0.0, 1.0, 2.0])
def test_moving_in_position_still_reads_as_moving_under_jitter(fps, sd):
    """A 20 deg/s sweep within the position (a slow deliberate movement) pauses the clock
    whatever the noise: the noise floor only raises the threshold up to 15 deg/s."""
    t = times(20.0, fps)
    sweep = 20.0 * np.clip(t - 8.0, 0.0, 2.0)  # 20 deg/s for 2 s
    y = eased(t, 1.0, 2.0, 100.0, 150.0) + sweep + jitter(t.size, sd, 3, 0.0, fps)
    gate = StillnessGate(6.0)
    settled = [gate.update(float(ti), float(yi), learn=ti > 2.0) for ti, yi in zip(t, y, strict=True)]
    moving = (t > 8.4) & (t < 9.6)
    assert np.mean(np.array(settled)[moving]) < 0.2


def test_stillness_gate_is_the_base_rate_on_clean_data_and_resets():
    gate = StillnessGate(6.0)
    t = times(5.0, 30.0)
    assert not gate.update(0.0, 1.0)  # no slope yet
    for ti in t[1:]:
        gate.update(float(ti), 120.0 + 4.0 * float(ti))  # 4 deg/s: below 6
    assert gate.threshold == pytest.approx(6.0)
    assert gate.update(5.1, 120.0 + 4.0 * 5.1)
    assert not gate.update(5.2, math.nan)
    gate.reset()
    assert not gate.update(6.0, 1.0)


def test_only_frames_in_a_hold_teach_the_noise_floor():
    """A walk into position (large, varied slopes) must not raise the stillness rate:
    a floor learnt there let an arrival read as still early."""
    gate = StillnessGate(6.0)
    t = times(8.0, 30.0)
    y = 30.0 * np.sin(2.0 * np.pi * 0.7 * t)
    for ti, yi in zip(t, y, strict=True):
        gate.update(float(ti), float(yi), learn=False)
    assert gate.threshold == pytest.approx(6.0)
    for ti, yi in zip(t, y, strict=True):
        gate.update(8.0 + float(ti), float(yi), learn=True)
    assert gate.threshold == pytest.approx(15.0)  # taught by movement: capped at a deliberate movement's speed


def valued_run(timer: HoldTimer, t: np.ndarray, y: np.ndarray, rate: float, level: float) -> list[HoldEvent]:
    """``settled_run`` that also hands the timer the metric (as the analyzer does)."""
    slope = SlopeTracker()
    events = []
    for ti, yi in zip(t, y, strict=True):
        s = slope.update(float(ti), float(yi))
        settled = math.isfinite(s) and abs(s) <= rate
        ev = timer.update(float(ti), bool(yi > level), settled=settled, values=(float(yi),), bands=(LEAVE_BAND_DEG,))
        events += [ev] if ev is not None else []
    ev = timer.flush()
    return events + ([ev] if ev is not None else [])


@pytest.mark.parametrize("fps", [30.0, 60.0])
@pytest.mark.parametrize("move_s", [1.5, 3.0])
def test_a_slow_start_of_leaving_is_not_held(fps, move_s):
    """A 30-degree lean held from 2 to 8 s, then eased back over ``move_s``: its
    first few tenths of a second run below the 6 deg/s stillness rate, so the
    slope alone keeps the clock running into the release. The hold ends where the
    lean left its level, within the band's worth of the ease."""
    t = times(14.0, fps)
    y = eased(t, 0.5, 2.0, 0.0, 30.0) - eased(t, 8.0, 8.0 + move_s, 0.0, 30.0)
    y += np.random.default_rng(2).normal(0.0, 0.05, t.size)
    (plain,) = settled_run(HoldTimer(), t, y, rate=6.0, level=10.0)
    (ev,) = valued_run(HoldTimer(), t, y, rate=6.0, level=10.0)
    assert plain.end_s >= 8.25  # the stillness rate alone runs late
    assert 8.0 <= ev.end_s < plain.end_s
    assert ev.end_s == pytest.approx(8.0, abs=0.3)
    assert ev.duration_s == pytest.approx(plain.duration_s - (plain.end_s - ev.end_s), abs=1.01 / fps)


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_jitter_and_a_slow_drift_do_not_cut_a_hold(fps):
    """1 degree of frame jitter (a dim room) and a 2-degree drift over a 20 s hold:
    frames stray past the band all the time, but the walk back stops at the first
    frame still at its level, so the hold keeps its time (and loses only the late end)."""
    t = times(26.0, fps)
    y = eased(t, 0.5, 2.0, 0.0, 30.0) + eased(t, 2.0, 22.0, 0.0, 2.0) - eased(t, 22.0, 23.0, 0.0, 30.0)
    y += np.random.default_rng(3).normal(0.0, 1.0, t.size)
    (plain,) = settled_run(HoldTimer(), t, y, rate=15.0, level=10.0)
    (ev,) = valued_run(HoldTimer(), t, y, rate=15.0, level=10.0)
    assert ev.duration_s == pytest.approx(20.0, abs=0.3)  # 2 s to 22 s
    assert ev.duration_s <= plain.duration_s


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_a_form_break_that_leaves_the_position_pauses_the_hold(fps):
    """Held 1-10 s; a 2.5 s form break (4-6.5 s) takes the person out of position
    for 2.1 s, longer than the exit grace: one hold, the break's time left out.
    Out of position with good form for the grace still ends it."""
    t = times(14.0, fps)
    inside = window(t, (1.0, 4.2), (6.3, 10.0))
    form_ok = ~window(t, (4.0, 6.5))
    (ev,) = hold_run(HoldTimer(), t, inside, form_ok)
    assert ev.start_s == pytest.approx(1.0, abs=1.01 / fps)
    assert ev.duration_s == pytest.approx(9.0 - 2.5, abs=0.4)  # less the re-settling after the break
    split = hold_run(HoldTimer(), t, inside)  # the same absence with good form is leaving
    assert len(split) == 2


# A side bend: signed metric, rest fixed at 0 (formcheck/exercises side_bend: target 15, start 8, end 4).
SIDE_BEND = RepRule(target=15.0, start_delta=8.0, end_delta=4.0, rest=0.0)


@pytest.mark.parametrize("fps", [15.0, 30.0])
@pytest.mark.parametrize("first_peak", [12.0, 25.0])  # a partial, a complete rep
@pytest.mark.parametrize("into_s", [0.7, 1.2])  # rising (past the start threshold), on the plateau
def test_a_movement_whose_start_was_not_seen_is_not_counted(fps, first_peak, into_s):
    """A fixed rest does not start at the first value: a stream that opens part-way into a
    bend would count that bend's return as a rep or a partial, though its start was never seen."""
    sched = Schedule((Rep(first_peak), Rep(25.0), Rep(12.0)), rest=0.0, lead_s=0.5)
    t, y = trace(sched, fps, sd=1.0)
    keep = t >= sched.starts()[0] + into_s
    events = run(RepCounter(SIDE_BEND), t[keep], y[keep])
    assert [e.complete for e in events] == [True, False]


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_a_movement_first_seen_after_a_dropout_mid_rep_is_not_counted(fps):
    sched = Schedule((Rep(25.0), Rep(25.0)), rest=0.0, lead_s=0.5)
    t, y = trace(sched, fps, sd=1.0)
    y = blank(t, y, 0.0, sched.starts()[0] + 1.2)  # nobody measured until the first bend's top
    events = run(RepCounter(SIDE_BEND), t, y)
    assert [e.complete for e in events] == [True]


# -- a pause judged by where it ends (landmark jumps, eased arrivals) -------------------


def jump(t: np.ndarray, t0: float, size: float, tau_s: float = 0.1) -> np.ndarray:
    """A landmark jump on a still body: ``size`` degrees for one frame at t0, then the pose
    model's recovery (about exponential, back within a degree in ~0.3 s on the sweep's
    calf stretches, where one frame read the front knee 16 degrees off)."""
    return np.where(t >= t0, size * np.exp(-np.clip(t - t0, 0.0, None) / tau_s), 0.0)


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize("jumps", [(5.0,), (5.0, 5.8), (4.0, 7.5)])
@pytest.mark.parametrize("size", [8.0, 16.0])
def test_landmark_jumps_on_a_still_body_do_not_pause_the_hold(fps, jumps, size):
    """Held 2-11 s; one or two landmark jumps read as movement for ~1 s each (slope window,
    recovery, re-settling). The body never moved: the person settles back at the level they
    left, so the pause is credited and the hold is timed in full (it lost 1-1.7 s before)."""
    t = times(14.0, fps)
    y = eased(t, 0.5, 2.0, 0.0, 30.0) - eased(t, 11.0, 12.5, 0.0, 30.0)
    for t0 in jumps:
        y = y + jump(t, t0, size)
    y += np.random.default_rng(4).normal(0.0, 0.1, t.size)
    (ev,) = valued_run(HoldTimer(), t, y, rate=6.0, level=10.0)
    assert ev.duration_s == pytest.approx(9.0, abs=0.4)


@pytest.mark.parametrize("fps", [15.0, 30.0, 60.0])
@pytest.mark.parametrize(("start", "move_s"), [(20.0, 2.0), (15.0, 2.0), (22.0, 1.5)])
def test_a_recording_that_starts_on_the_way_in_times_the_hold_from_arrival(fps, start, move_s):
    """The stream opens already in position with the last part of the movement in still to
    come (an eased lean from ``start`` to 30 over ``move_s``). Its first few tenths of a
    second run slower than the stillness rate, so they read as a still stretch and were
    credited before the movement went on; the person then settles ~8-15 degrees further in.
    That first stretch was the movement's slow start: the hold runs from arrival to release
    (less the arrival's own slow end, which reads still a few tenths early)."""
    t = times(10.0, fps)
    y = eased(t, 0.0, move_s, start, 30.0) - eased(t, 8.0, 9.5, 0.0, 30.0)
    y += np.random.default_rng(5).normal(0.0, 0.05, t.size)
    (ev,) = valued_run(HoldTimer(), t, y, rate=6.0, level=10.0)
    assert ev.start_s > move_s / 2  # not where the stream began (0.25 s in: the first slope)
    assert ev.duration_s == pytest.approx(8.0 - move_s, abs=0.45)


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_moving_to_a_new_level_after_a_real_hold_keeps_its_time(fps):
    """Held at 30 for 3 s, eased on to 40 over 1 s, held 3 s more: both stretches are holding
    (the first is far longer than a movement's slow start), only the move is left out."""
    t = times(12.0, fps)
    y = eased(t, 0.5, 2.0, 0.0, 30.0) + eased(t, 5.0, 6.0, 0.0, 10.0) - eased(t, 9.0, 10.5, 0.0, 40.0)
    y += np.random.default_rng(6).normal(0.0, 0.05, t.size)
    (ev,) = valued_run(HoldTimer(), t, y, rate=6.0, level=10.0)
    assert ev.start_s == pytest.approx(2.0, abs=0.4)
    assert ev.duration_s == pytest.approx(7.0 - 1.0, abs=0.6)


@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_a_long_movement_inside_the_position_is_not_credited(fps):
    """Held 2-12 s with a 3-s excursion inside the position (out 8 degrees and back, 5-8 s):
    back at the same level, but longer than any landmark jump's recovery: a movement, not held.
    (Its slow turns read still for a while, as the stillness rate alone has it; nothing more.)"""
    t = times(15.0, fps)
    y = eased(t, 0.5, 2.0, 0.0, 30.0) + eased(t, 5.0, 6.5, 0.0, 8.0) - eased(t, 6.5, 8.0, 0.0, 8.0)
    y = y - eased(t, 12.0, 13.5, 0.0, 30.0)
    y += np.random.default_rng(7).normal(0.0, 0.05, t.size)
    (plain,) = settled_run(HoldTimer(), t, y, rate=6.0, level=10.0)
    (ev,) = valued_run(HoldTimer(), t, y, rate=6.0, level=10.0)
    assert ev.duration_s <= plain.duration_s + 1.01 / fps
    assert ev.duration_s < 10.0 - 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("fps", [15.0, 30.0])
def test_jitter_alone_withdraws_no_hold_time(fps, seed):
    """A pulled knee's hip angle jitters by 2-3 degrees a frame: the slope gate flickers and
    the half-second medians of neighbouring stretches differ by a degree or two. That is not
    a change of level: no stretch is withdrawn, so the hold is never shorter than the gate
    alone times it."""
    t = times(12.0, fps)
    y = eased(t, 0.5, 2.0, 0.0, 60.0) - eased(t, 10.0, 11.5, 0.0, 60.0)
    y += np.random.default_rng(seed).normal(0.0, 2.5, t.size)
    (plain,) = settled_run(HoldTimer(), t, y, rate=6.0, level=30.0)
    (ev,) = valued_run(HoldTimer(), t, y, rate=6.0, level=30.0)
    assert ev.duration_s >= plain.duration_s - 1.0 / fps - 0.6  # (less only what the walk back takes)


@pytest.mark.parametrize("fps", [15.0, 29.97, 60.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rest_level_is_not_learnt_from_the_models_first_frames(fps, seed):
    """The pose model's first frames of a new person read the knee ~4 degrees low,
    settling over ~0.6 s (seen on the sweep's pelvic tilts). The rest is where the
    person stays: a rest taken from the first frame sat 4 below it and froze there,
    so the person at rest read as +4, "in position", and a real 1.8-degree tilt
    could not be told from resting."""
    t = times(10.0, fps)
    y = 146.0 + eased(t, 0.0, 0.6, 0.0, 4.0) + eased(t, 4.0, 4.8, 0.0, 1.8) - eased(t, 8.0, 8.5, 0.0, 1.8)
    y = y + np.random.default_rng(seed).normal(0.0, 0.2, t.size)
    level = RestLevel(direction=1, freeze_beyond=0.6)
    rest = np.array([level.update(float(ti), float(yi)) for ti, yi in zip(t, y, strict=True)])
    settled = (t > 1.5) & (t < 4.0)
    tilt = (t > 5.0) & (t < 8.0)
    assert np.all(rest[settled | tilt] == pytest.approx(150.0, abs=0.35))
    assert np.median(y[settled] - rest[settled]) < 1.2 - 0.6  # at rest: not in position
    assert np.median(y[tilt] - rest[tilt]) > 1.2 + 0.3  # tilted: in position
