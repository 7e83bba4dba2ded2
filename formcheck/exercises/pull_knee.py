"""What the two knee-to-chest holds share: one leg pulled in, the other straight.

The hip flexor stretch (seed 000 #2) and the single knee to chest (seed 004)
are the same movement; they differ in which leg the handout names (the
affected, straight leg vs the pulled one), so the names of the codes differ
while the geometry and thresholds are one:
- in position: the pulled hip flexed to 70 degrees or less (spec: "<= ~70");
- the straight leg stays straight and down: knee at least 160 (spec: ">= 160")
  and its thigh within 20 degrees of the trunk line (hip angle >= 160); either
  failing pauses the hold;
- "knee not pulled far enough": the knee pulled up, its thigh more than 20
  degrees off its own resting line (the bound the straight leg's "lifted" uses:
  a thigh that far up is off the floor), held still there short of 70, on the
  way in (the analyzer judges a still stop "at rest" only until the position is
  reached, and again once back at rest). Measured from the person's own rest,
  a knee resting bent with the foot on the floor (hook lying, hip ~126-136) is
  the rest, not a stop; the fixed bound of 120 this replaces sat 8 under it and
  missed a stop at 112 that the hip landmark read at 119 (sweep1_knee_to_chest_07).
"""

from formcheck.exercises.spec import Condition, FaultRule

PULLED_HIP_MAX = 70.0
STRAIGHT_MIN = 160.0
LIFTED_DEG = 180.0 - STRAIGHT_MIN  # a thigh this far off its resting line is off the floor

HOLD_POSITION = (Condition("pulled_hip_angle", "<", PULLED_HIP_MAX),)


def pull_knee_faults(leg: str, leg_words: str) -> tuple[FaultRule, ...]:
    """The faults, with the straight leg called ``leg`` in codes and ``leg_words`` in messages."""
    return (
        FaultRule(
            f"{leg}_knee_bent",
            f"Keep your {leg_words} straight on the floor",
            (Condition("straight_knee_angle", "<", STRAIGHT_MIN),),
            during="hold",
        ),
        FaultRule(
            f"{leg}_leg_lifted",
            f"Keep your {leg_words} down on the floor",
            (Condition("straight_hip_angle", "<", STRAIGHT_MIN),),
            during="hold",
        ),
        FaultRule(
            "pull_closer",
            "Pull your knee closer to your chest",
            (
                Condition("pulled_hip_angle", "<", -LIFTED_DEG, relative=True),
                Condition("pulled_hip_angle", ">", PULLED_HIP_MAX),
            ),
            during="rest",
            still=True,
        ),
    )
