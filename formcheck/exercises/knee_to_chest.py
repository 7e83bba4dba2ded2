"""Single knee to chest (seed 004).

Lie on your back, legs straight; pull one knee towards the chest and hold 30 s;
the other leg stays straight on the floor. ``--side`` names the pulled leg.

The same movement as the hip flexor stretch, with the roles named from the
other leg; thresholds and faults are shared: see pull_knee.py.
"""

from formcheck.exercises.pull_knee import HOLD_POSITION, pull_knee_faults
from formcheck.exercises.spec import Dose, ExerciseSpec, View

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
    hold_position=HOLD_POSITION,
    hold_direction=-1,
    faults=pull_knee_faults("other", "other leg"),
)
