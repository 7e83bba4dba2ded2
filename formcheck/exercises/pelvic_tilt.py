"""Pelvic tilt (seed 000 #1).

Lying on the back, knees bent ~90, feet planted: flatten the low back into the
floor by tilting the pelvis backwards (posterior tilt), hold 5 s, relax; 10 reps.
Each hold of 5 s or more is a rep; a shorter one is a partial rep.

A posterior tilt of 10-15 degrees moves no joint the pose model sees by much.
The most sensitive honest signal found: the pelvis rolls on the sacrum and,
with the feet planted, carries the hip joint a centimetre or so towards the
head, which opens the knee by ~2-3 degrees while the tilt is held (the hip
angle changes by under 2 degrees, and the hip's height above the floor changed
consistently in only some bodies: trunk_incline is measured and reported, not
relied on). The position is therefore: the knee opened at least 1.2 degrees
from the person's own relaxed angle (several times the ~0.2-0.5 degree
jitter of the smoothed landmarks at rest), held still. This is a small signal:
a camera that is not side-on, or a loose knee, will miss tilts; the setup check
insists on a side view for that reason.
- Hips lift off the floor (that is a bridge, not a tilt): the hip angle opens
  more than 5 degrees from rest (a tilt changes it by under 2; lifting the hips
  5 cm opens it ~10).
- Knees straighten or feet slide: the knee opens more than 15 degrees from rest.

Not measurable from one webcam (``guided``): the 2-3 degrees the tilt moves the
knee are the size of the pose model's own error (docs/accuracy.md, "Known
limitations"): on the randomised sweep the measured knee sometimes moves the
opposite way to the truth. Live mode therefore cues each hold and counts what
it can see; offline counts are reported as estimates. What it can see:
- Lying: the shoulder-hip line within 45 degrees of horizontal, i.e. closer to
  lying (0) than to sitting up (90).
- Knees bent: the knee angle under 135 degrees, closer to the handout's bent
  knee (~90, feet planted) than to a straight leg (180).
- Keeping still and the two faults above: movements of 5-15 degrees and more,
  several times the model's error.
The relaxation between cued holds, 5 s: the handout gives none; as long as the
hold itself, the usual 1:1 work-rest of an isometric hold.
"""

from formcheck.counting import HoldRule
from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, Guidance, View

PELVIC_TILT = ExerciseSpec(
    id="pelvic_tilt",
    name="Pelvic tilt",
    source="seed 000 #1",
    view=View.SIDE,
    instruction="On your back, knees bent: flatten your low back into the floor, hold 5 seconds, relax",
    metrics="pelvic_tilt",
    primary="knee_angle",
    dose=Dose(sets=1, reps=10, hold_s=5.0),
    hold_position=(Condition("knee_angle", ">", 1.2, relative=True),),
    # Patients relax for a second or so between tilts: a short exit grace keeps
    # consecutive tilts apart.
    hold=HoldRule(min_hold_s=1.0, exit_grace_s=0.4),
    holds_count_as_reps=True,
    partial_code="hold_short",
    partial_message="Hold the tilt for 5 seconds",
    faults=(
        FaultRule(
            "hips_lift",
            "Keep your hips on the floor: flatten your back instead of lifting",
            (Condition("hip_angle", ">", 5.0, relative=True),),
            during="any",
        ),
        FaultRule(
            "feet_slide",
            "Keep your knees bent and your feet where they are",
            (Condition("knee_angle", ">", 15.0, relative=True),),
            during="any",
        ),
    ),
    guided=Guidance(
        reason=(
            "A pelvic tilt moves the hip and knee, as one webcam sees them, by 2-3 degrees: "
            "about the pose model's own error, so the tilt itself cannot be measured"
        ),
        cue="Tighten your stomach and flatten your back",
        position=(Condition("trunk_incline", "abs<", 45.0), Condition("knee_angle", "<", 135.0)),
        position_message="Lie on your back with your knees bent and your feet on the floor",
        relax_s=5.0,
    ),
)
