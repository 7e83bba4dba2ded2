"""Single knee to chest (seed 004).

Lie on your back, legs straight; pull one knee towards the chest and hold 30 s;
the other leg stays straight on the floor. ``--side`` names the pulled leg.

Same geometry and thresholds as the hip flexor stretch, which is this movement
with the roles named from the other leg: pulled hip <= 70 degrees; the straight
leg's knee >= 160 and its thigh within 20 degrees of the trunk line.
"""

from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, View

KNEE_TO_CHEST = ExerciseSpec(
    id="knee_to_chest",
    name="Single knee to chest",
    source="seed 004",
    view=View.SIDE,
    instruction="On your back with legs straight, pull one knee to your chest and hold",
    metrics="knee_to_chest",
    primary="pulled_hip_angle",
    dose=Dose(sets=3, hold_s=30.0, per_side=True),
    bilateral=False,
    hold_position=(Condition("pulled_hip_angle", "<", 70.0),),
    hold_direction=-1,
    faults=(
        FaultRule(
            "other_knee_bent",
            "Keep your other leg straight",
            (Condition("straight_knee_angle", "<", 160.0),),
            during="hold",
        ),
        FaultRule(
            "other_leg_lifted",
            "Keep your other leg down on the floor",
            (Condition("straight_hip_angle", "<", 160.0),),
            during="hold",
        ),
        FaultRule(
            "pull_closer",
            "Pull your knee closer to your chest",
            (Condition("pulled_hip_angle", "<", 120.0), Condition("pulled_hip_angle", ">", 70.0)),
            during="rest",
            still=True,
        ),
    ),
)
