"""Supine sciatic nerve glide (seed 004).

Lie on your back, hold the affected thigh up (hip ~90 degrees), straighten the
knee while pulling the toes towards the head, then relax. 20 smooth reps, no
hold. ``--side`` names the affected (working) leg.

- A rep: the knee extends to 140 degrees or more (within 40 of straight),
  where a patient on a good day gets to. With the hip at 90 a healthy knee
  stops 20-30 degrees short of straight (the popliteal angle), so 150 was the
  healthy adult's range; an irritated sciatic nerve stops it sooner, and the
  glide only needs tension, not a full stretch. Starts 10 degrees above the
  person's relaxed knee angle and ends within 5 of it.
- Thigh drift: the hip angle leaves 90 +/- 25 during a rep.
- Toes not pulled back: at the top the knee-ankle-toe angle has closed by less
  than 8 degrees from the person's relaxed ankle (learnt). A relaxed foot lying
  supine rests at ~105-115; pulling the toes back with the knee straight closes
  it by 20-30. The foot landmarks are coarse: they read the relaxed ankle up to
  ~15 high and the closing as little as half of it, so an absolute "over 100"
  told good glides to pull their toes; 8 is a third of the movement. Not
  judged where the foot reads shorter than a foot can be (the toe point off
  the foot, metrics.FOOT_MIN_SHANKS).
- Jerky/fast: a whole rep faster than 1.5 s, or the return under 0.4 s
  measured (a dropped, not relaxed, leg).
"""

from formcheck.counting import RepRule
from formcheck.exercises.spec import Condition, Dose, ExerciseSpec, FaultRule, RepTiming, View

NERVE_GLIDE = ExerciseSpec(
    id="nerve_glide",
    name="Supine sciatic nerve glide",
    source="seed 004",
    view=View.SIDE,
    instruction="On your back, hold your affected thigh up; straighten the knee and pull your toes towards you",
    metrics="nerve_glide",
    primary="knee_angle",
    required=("shoulder", "hip", "knee", "ankle", "foot_index"),
    dose=Dose(sets=1, reps=20),
    bilateral=False,
    side_by=("hip_angle", -1),  # the working thigh is the one held up (hip flexed), the other lies flat
    rep=RepRule(target=140.0, direction=1, start_delta=10.0, end_delta=5.0),
    partial_code="knee_not_extended",
    partial_message="Straighten your knee a little more",
    timing=RepTiming(
        min_down_s=0.4,
        fast_down_code="too_fast",
        fast_down_message="Move slowly and smoothly",
        min_rep_s=1.5,
        fast_rep_code="too_fast",
        fast_rep_message="Move slowly and smoothly",
    ),
    faults=(
        FaultRule(
            "thigh_drift", "Keep your thigh still, pointing at the ceiling", (Condition("hip_angle", "<", 65.0),)
        ),
        FaultRule(
            "thigh_drift", "Keep your thigh still, pointing at the ceiling", (Condition("hip_angle", ">", 115.0),)
        ),
        FaultRule(
            "toes_not_pulled",
            "Pull your toes towards your head as you straighten the knee",
            (Condition("ankle_angle", ">", -8.0, relative=True),),
            during="top",
        ),
    ),
)
