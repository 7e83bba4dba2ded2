"""Standing lumbar side bending (seed 004).

Stand upright, arms at your sides; bend AWAY from the symptomatic side (symptoms
on the right: bend left, reaching the left hand down the left leg). 2-3 x 10.
``--side`` names the symptomatic side; ``auto`` counts bends to either side.

- side_bend: the hip-midpoint-to-shoulder-midpoint line from vertical in the
  frontal plane, + = to the person's left. Rest is upright (0).
- A rep: 15 degrees of side bend, where a patient on a good day gets to. A
  healthy adult's full side bend (lumbar lateral flexion ~25-30 degrees plus
  the thoracic spine) tilts this trunk line by about 20: that is the end of
  healthy range, and low back pain takes roughly a quarter off it, so 20 turned
  a patient's honest bend into a partial. Three quarters of it still asks for a
  real bend, the hand sliding well down the thigh; a token lean (under 12) stays
  partial. Starts 8 from upright, ends within 4 of it.
- Bending towards the symptomatic side is not counted (fault wrong_side).
- Twisting: the shoulder line turns more than 15 degrees against the hips.
- Bending forward: the trunk tilts more than 20 degrees forward of the
  person's own upright posture (learnt). Seen from the front, forward lean
  comes from the model's depth, its poorest output: an upright person read
  10-20 degrees forward and a good deep side bend up to 15 more (sweep 1, with
  the front view's labels repaired: analysis.sides.facing_camera_labels), so an
  absolute 20 coached a forward bend on every good rep. The left-right axis
  the lean turns about tilts with the shoulder line as the trunk bends, but a
  tilt within the frontal plane leaves the sagittal lean unchanged (an axis
  from the hip line alone moved it under 2 degrees).
- Shifting the hips: the ankle-to-hip line leans more than 8 degrees sideways
  (the pelvis slides out instead of the trunk bending).
"""

from formcheck.counting import RepRule
from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, View

SIDE_BEND = ExerciseSpec(
    id="side_bend",
    name="Standing lumbar side bending",
    source="seed 004",
    view=View.FRONT,
    instruction="Stand tall facing the camera; bend sideways away from your painful side, hand sliding down your leg",
    metrics="side_bend",
    primary="side_bend",
    required=("shoulder", "hip", "knee", "ankle"),
    dose=Dose(sets=3, reps=10),
    bilateral=False,
    rep=RepRule(target=15.0, direction=1, start_delta=8.0, end_delta=4.0, rest=0.0, top_band=4.0),
    both_directions=True,
    direction_rule="away_from_side",
    wrong_side_message="Bend away from your painful side",
    partial_code="bend_further",
    partial_message="Bend a little further to the side",
    faults=(
        FaultRule("twisting", "Bend straight to the side without twisting", (Condition("trunk_twist", "abs>", 15.0),)),
        FaultRule(
            "bending_forward", "Bend sideways, not forwards", (Condition("trunk_lean", ">", 20.0, relative=True),)
        ),
        FaultRule(
            "hip_shift", "Keep your hips over your feet: bend at the waist", (Condition("leg_lean", "abs>", 8.0),)
        ),
    ),
)
