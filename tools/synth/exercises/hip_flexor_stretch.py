"""Supine hip flexor stretch (seed 000 #2): lying, the UNAFFECTED knee pulled to the chest with
both hands behind the thigh, the AFFECTED leg straight on the mat. ``side`` = the affected
(straight) leg, as in formcheck.metrics.SIDE_ROLE.

Value = ``pulled_hip_angle`` (the unaffected leg's shoulder-hip-knee angle): ~178 lying
straight, ~55 held. The movement is the knee-to-chest one (see ``knee_to_chest``) with the
roles named from the other leg; the hands hold behind the thigh (``along`` 0.7) and the
pulled knee stays more open (``knee_end`` 80).

Fault ``affected_knee_bent`` (``form_break``): the affected leg's knee bends by 40 degrees at
amount 1 (175 -> 135), its heel sliding on the mat so the thigh lifts (~25 degrees): both the
"bends" and the "lifts" of EXERCISES.md; the hold timer pauses.

clip.options: as ``knee_to_chest`` (``knee_end``, ``hook``, ``along``, ``splay``, ...).
"""

from __future__ import annotations

from tools.synth.exercises.knee_to_chest import KneeToChest
from tools.synth.exercises.supine_pull import letter, other


class HipFlexorStretch(KneeToChest):
    ID = "hip_flexor_stretch"
    REST = 178.0
    TARGET = 55.0
    FAULTS = ("affected_knee_bent",)
    KNEE_END = 80.0
    ALONG = 0.7

    def pulled(self, side: str | None) -> str:
        return other(letter(side or self.clip.side))

    def metric_side(self, s: str) -> tuple[str, str, str]:
        affected = "right" if s == "L" else "left"
        return affected, "hip_flexor_stretch", "pulled_hip_angle"
