"""Supine hip flexor stretch (seed 000 #2).

Lie on your back, pull the UNAFFECTED knee to the chest, keep the AFFECTED leg
straight on the floor. ``--side`` names the affected (straight) leg.

- In position: the pulled hip flexed to 70 degrees or less (spec: "<= ~70"),
  i.e. the thigh at least 110 degrees up from the line of the trunk.
- The affected leg must stay straight and down: knee at least 160 degrees
  (spec: ">= 160") and its thigh within 20 degrees of the trunk line (hip
  angle >= 160); either failing pauses the hold timer.
- "Knee not pulled far enough": the knee pulled up (hip below 120) and held
  still there, short of 70.
"""

from formcheck.counting import HoldRule
from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, View

HIP_FLEXOR_STRETCH = ExerciseSpec(
    id="hip_flexor_stretch",
    name="Supine hip flexor stretch",
    source="seed 000 #2",
    view=View.SIDE,
    instruction="On your back, pull your unaffected knee to your chest; keep the other leg straight on the floor",
    metrics="hip_flexor_stretch",
    primary="pulled_hip_angle",
    dose=Dose(sets=3, hold_s=30.0),
    bilateral=False,
    hold_position=(Condition("pulled_hip_angle", "<", 70.0),),
    hold_direction=-1,
    hold=HoldRule(),
    faults=(
        FaultRule(
            "affected_knee_bent",
            "Keep your affected leg straight on the floor",
            (Condition("straight_knee_angle", "<", 160.0),),
            during="hold",
        ),
        FaultRule(
            "affected_leg_lifted",
            "Keep your affected leg down on the floor",
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
