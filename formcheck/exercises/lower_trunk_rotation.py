"""Lower trunk rotation (seed 000 #4).

Lie on your back, knees bent and pressed together, feet flat; rotate the knees
to one side, hold 3-5 s, then the other side.

- knee_rotation is the knees' direction about the body axis, 0 = pointing at
  the ceiling, + = to the person's left. Reps are counted to each side.
- A rep: the knees reach 30 degrees to a side (a third of the way to the
  floor); a movement starts 10 degrees from neutral and ends within 5 of it.
  Rest is neutral (0) by definition, not learnt, so coming back from one side
  is never mistaken for a partial rep to the other.
- Hold at the side: at least 2.5 s within 5 degrees of the rep's furthest
  rotation (3 s asked, less the 0.5 s measurement tolerance).
- Knees apart: the thighs more than 25 degrees apart at the hips.
- Shoulders lift: the shoulder line tilts more than 15 degrees from the floor.
"""

from formcheck.counting import RepRule
from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, RepTiming, View

LOWER_TRUNK_ROTATION = ExerciseSpec(
    id="lower_trunk_rotation",
    name="Lower trunk rotation",
    source="seed 000 #4",
    view=View.FEET_END,
    instruction="On your back, knees bent and together: lower them to one side, hold, then the other side",
    metrics="lower_trunk_rotation",
    primary="knee_rotation",
    required=("shoulder", "hip", "knee"),
    dose=Dose(sets=1, reps=10, hold_s=4.0, per_side=True),
    bilateral=False,
    rep=RepRule(target=30.0, direction=1, start_delta=10.0, end_delta=5.0, rest=0.0, top_band=5.0),
    both_directions=True,
    partial_code="rotate_further",
    partial_message="Let your knees go further to the side",
    timing=RepTiming(min_top_s=2.5, no_pause_code="hold_short", no_pause_message="Hold each side for 3 to 5 seconds"),
    faults=(
        FaultRule(
            "knees_apart",
            "Keep your knees pressed together",
            (Condition("thigh_spread", ">", 25.0),),
            during="active",
        ),
        FaultRule(
            "shoulders_lift",
            "Keep both shoulders on the floor",
            (Condition("shoulder_tilt", "abs>", 15.0),),
            during="active",
        ),
    ),
)
