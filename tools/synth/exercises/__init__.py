"""Per-exercise movement modules, by exercise id. Add a module and register it here."""

from __future__ import annotations

from tools.synth.exercises.base import Command, Exercise


def _registry() -> dict[str, type[Exercise]]:
    from tools.synth.exercises.bridge import Bridge
    from tools.synth.exercises.calf_stretch import CalfStretch
    from tools.synth.exercises.childs_pose import ChildsPose
    from tools.synth.exercises.forearm_plank import ForearmPlank
    from tools.synth.exercises.half_kneel_hip_stretch import HalfKneelHipStretch
    from tools.synth.exercises.heel_raise import HeelRaise
    from tools.synth.exercises.hip_flexor_stretch import HipFlexorStretch
    from tools.synth.exercises.knee_to_chest import KneeToChest
    from tools.synth.exercises.lower_trunk_rotation import LowerTrunkRotation
    from tools.synth.exercises.nerve_glide import NerveGlide
    from tools.synth.exercises.pelvic_tilt import PelvicTilt
    from tools.synth.exercises.reverse_lunge import ReverseLunge
    from tools.synth.exercises.seated_knee_extension import SeatedKneeExtension
    from tools.synth.exercises.side_bend import SideBend
    from tools.synth.exercises.standing_hip_abduction import StandingHipAbduction

    return {
        cls.ID: cls
        for cls in (
            Bridge,
            ChildsPose,
            CalfStretch,
            HalfKneelHipStretch,
            LowerTrunkRotation,
            SideBend,
            PelvicTilt,
            KneeToChest,
            HipFlexorStretch,
            NerveGlide,
            # movements of the example exercise files (examples/exercises/)
            HeelRaise,
            StandingHipAbduction,
            SeatedKneeExtension,
            ReverseLunge,
            ForearmPlank,
        )
    }


def get(exercise_id: str) -> type[Exercise]:
    reg = _registry()
    try:
        return reg[exercise_id]
    except KeyError:
        raise ValueError(f"no movement module for {exercise_id!r}; have: {', '.join(sorted(reg))}") from None


__all__ = ["Command", "Exercise", "get"]
