"""Calf stretch at a wall (seed 000 #3).

Face a wall, hands on it; one leg straight behind with the heel flat, the other
bent in front; lean into the wall. ``--side`` names the stretched (back) leg.

- In position: front knee bent (< 165 degrees) and the body leaning towards
  the wall: the line from the back ankle to the shoulders at least 10 degrees
  from vertical. Standing upright that line is vertical; a calf stretch tilts it
  20-40 degrees, and 10 is the smallest lean that loads the calf.
- Form (pauses the timer): back knee straight (>= 165, spec); back heel down:
  the heel-to-toe line under 20 degrees from the floor. The model's heel point
  sits on the back of the heel above the sole, so a flat foot reads up to
  ~12 degrees; rising onto the ball of the foot lifts the heel ~5 cm over a
  ~20 cm foot, another ~14 degrees. 20 lies between the two.
  The same fault also fires when the foot line rises more than 7 degrees (half
  of that ~14-degree rise onto the ball of the foot) above the person's own
  flat-foot reading in the stance (the median of the hold's readings while the
  form is good: analysis.levels.HeldLevel): the model's heel and toe points
  follow a rise only part of the way (a 26-30 degree rise read 9-16 above the
  flat foot on sweep clips), and a flat foot that reads 10 then never gets past
  20 + the fault margin. Measured from one's own flat foot, the bias of the
  heel point above the sole cancels.
- "No lean": staggered stance held but the lean under 5 degrees.
"""

from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, View

# Rising onto the ball of the foot lifts the heel ~5 cm over a ~20 cm foot: ~14 degrees.
# Half of that above one's own flat-foot reading is a heel on its way up, not jitter
# (foot-line jitter while still is under 1 degree; the fault margin adds 2).
HEEL_RISE_DEG = 7.0

CALF_STRETCH = ExerciseSpec(
    id="calf_stretch",
    name="Calf stretch at a wall",
    source="seed 000 #3",
    view=View.SIDE,
    instruction="Hands on the wall, back leg straight with the heel down, front knee bent; lean into the wall",
    metrics="calf_stretch",
    primary="body_lean",
    required=("shoulder", "hip", "knee", "ankle", "heel", "foot_index"),
    dose=Dose(sets=3, hold_s=30.0, per_side=True),
    bilateral=False,
    hold_position=(Condition("front_knee_angle", "<", 165.0), Condition("body_lean", ">", 10.0)),
    hold_direction=1,
    faults=(
        FaultRule(
            "back_knee_bent",
            "Keep your back knee straight",
            (Condition("back_knee_angle", "<", 165.0),),
            during="hold",
        ),
        FaultRule(
            "heel_lifted",
            "Keep your back heel down on the floor",
            (Condition("back_foot_pitch", ">", 20.0),),
            during="hold",
        ),
        FaultRule(
            "heel_lifted",
            "Keep your back heel down on the floor",
            (Condition("back_foot_pitch", ">", HEEL_RISE_DEG, relative=True),),
            during="hold",
        ),
        FaultRule(
            "no_lean",
            "Lean into the wall until you feel the stretch in your calf",
            (Condition("front_knee_angle", "<", 165.0), Condition("body_lean", "<", 5.0)),
            during="rest",
        ),
    ),
)
