"""Supine hip flexor stretch (seed 000 #2).

Lie on your back, pull the UNAFFECTED knee to the chest, keep the AFFECTED leg
straight on the floor. ``--side`` names the affected (straight) leg.

Thresholds and faults are shared with the knee to chest: see pull_knee.py.
"""

from formcheck.counting import HoldRule
from formcheck.exercises.pull_knee import HOLD_POSITION, pull_knee_faults
from formcheck.exercises.spec import Dose, ExerciseSpec, View

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
    hold_position=HOLD_POSITION,
    hold_direction=-1,
    hold=HoldRule(),
    faults=pull_knee_faults("affected", "affected leg"),
)
