"""Child's pose (seed 004).

From hands and knees, rock the hips back towards the heels and hold 30-60 s.

- On hands and knees the hip and knee angles are both ~90 degrees. Rocked
  back, the hips sit near the heels: knees deeply bent (< 60) and the hips
  deeply flexed (hip angle < 65, the trunk folded onto the thighs).
- "Hips stay high": the person rocked back at least 12 degrees from their own
  hands-and-knees start and stopped there (holding still) above 65.
"""

from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, View

CHILDS_POSE = ExerciseSpec(
    id="childs_pose",
    name="Child's pose",
    source="seed 004",
    view=View.SIDE,
    instruction="From hands and knees, rock your hips back towards your heels, arms reaching forward",
    metrics="childs_pose",
    primary="hip_angle",
    dose=Dose(sets=3, hold_s=30.0),
    hold_position=(Condition("hip_angle", "<", 65.0), Condition("knee_angle", "<", 60.0)),
    hold_direction=-1,
    faults=(
        FaultRule(
            "hips_high",
            "Rock your hips further back towards your heels",
            (Condition("hip_angle", ">", 65.0), Condition("hip_angle", "<", -12.0, relative=True)),
            during="rest",
            still=True,
        ),
    ),
)
