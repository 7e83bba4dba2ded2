"""Glute bridge (seed 004): lift the hips until shoulder, hip and knee line up.

Thresholds come from the movement, not from clips:
- rest: supine, knees bent, feet flat puts the hip angle near 125-140 degrees;
  it is learnt per person, so only the top is absolute;
- complete rep: the hip angle reaches 165, i.e. within 15 degrees of the
  straight shoulder-hip-knee line the handout asks for;
- a movement counts as started 10 degrees above the person's rest angle and as
  finished within 5 of it: an honest lift that never reaches 165 is a partial rep;
- over-arching: 15 degrees past the straight line (hip angle > 195) is lumbar
  extension, not more glute work;
- "pause briefly at the top": at least 0.8 s within 5 degrees of the rep's peak.
  A smooth turn-around without a pause spends ~0.55 s there at an ordinary pace
  (1 s up, 1.5 s down, 45 degrees), so 0.8 s needs a real, if brief, pause; the
  5-degree band keeps a held top inside it despite ~1-2 degrees of noise;
- "slowly lower": the measured way down runs from leaving the top band to within
  5 degrees of rest, which is about 60% of a whole smooth lowering; 0.6 s measured
  therefore means the hips came down in about 1 s or less: a drop, not a lowering.
"""

from formcheck.counting import RepRule
from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, RepTiming, View

BRIDGE = ExerciseSpec(
    id="bridge",
    name="Glute bridge",
    source="seed 004",
    view=View.SIDE,
    instruction=("Lie on your back, knees bent, feet flat; lift your hips until shoulders, hips and knees line up"),
    metrics="bridge",
    primary="hip_angle",
    dose=Dose(sets=3, reps=10),
    rep=RepRule(target=165.0, direction=1, start_delta=10.0, end_delta=5.0, min_phase_s=0.25, top_band=5.0),
    partial_code="hips_low",
    partial_message="Lift your hips higher: shoulders, hips and knees in one line",
    timing=RepTiming(
        min_top_s=0.8,
        no_pause_code="no_pause",
        no_pause_message="Pause for a moment at the top",
        min_down_s=0.6,
        fast_down_code="fast_lowering",
        fast_down_message="Lower your hips slowly",
    ),
    faults=(
        FaultRule(
            code="over_arch",
            message="Don't arch your back: stop when shoulders, hips and knees are in line",
            when=(Condition("hip_angle", ">", 195.0),),
            during="active",
        ),
    ),
)
