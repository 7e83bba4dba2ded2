"""Half-kneeling hip flexor stretch (seed 000 #5).

Kneel on one knee (the back leg's shin flat on the floor), the other foot in
front with the knee bent; hands on hips, tighten the stomach and shift forward.
``--side`` names the kneeling (back) leg.

- In position: the kneeling leg's hip extended at least 12 degrees beyond the
  person's own upright half-kneel (shifting forward opens it 15-25 degrees;
  sway is a few), with the front knee bent like a kneel (< 130 degrees; ~90 in
  the handout's picture). Measured from the person's start, not from 180,
  because where the thigh sits at the start varies between people and the
  model's hip landmark reads several degrees high in side views.
- Trunk upright within 15 degrees of vertical (spec): more lean back is
  arching instead of stretching, more lean forward takes the stretch away.
  Either pauses the timer.
- Front knee far past the foot: the front knee angle closes under 70 degrees
  (shin tilted ~20+ degrees past vertical over the foot).
"""

from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, View

HALF_KNEEL_HIP_STRETCH = ExerciseSpec(
    id="half_kneel_hip_stretch",
    name="Half-kneeling hip flexor stretch",
    source="seed 000 #5",
    view=View.SIDE,
    instruction="Kneel on one knee, other foot in front; tighten your stomach and shift your hips forward",
    metrics="half_kneel_hip_stretch",
    primary="back_hip_angle",
    dose=Dose(sets=3, hold_s=30.0, per_side=True),
    bilateral=False,
    hold_position=(
        Condition("back_hip_angle", ">", 12.0, relative=True),
        Condition("front_knee_angle", "<", 130.0),
    ),
    hold_direction=1,
    faults=(
        FaultRule(
            "leaning_back",
            "Don't lean back: keep your trunk upright and tighten your stomach",
            (Condition("trunk_lean", "<", -15.0),),
            during="any",
        ),
        FaultRule(
            "leaning_forward",
            "Keep your trunk upright",
            (Condition("trunk_lean", ">", 15.0),),
            during="any",
        ),
        FaultRule(
            "knee_past_foot",
            "Don't let your front knee go far past your foot",
            (Condition("front_knee_angle", "<", 70.0),),
            during="any",
        ),
    ),
)
