"""Declarative clip descriptions: one ``Clip`` per rendered sample video.

A clip names the exercise it is labelled with and the one actually performed, the
body, the camera, the light and a movement ``schedule``: a list of segments whose
values are in the units of the performed exercise's primary metric (degrees).
Clip files live in ``tools/synth/clips/<exercise>.py`` and expose ``CLIPS``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Side = Literal["left", "right"]

SKIN_TONES: dict[str, tuple[int, int, int]] = {
    # sRGB, light to dark
    "porcelain": (241, 214, 196),
    "light": (226, 185, 155),
    "medium": (185, 133, 98),
    "olive": (160, 118, 82),
    "brown": (118, 76, 50),
    "dark": (76, 49, 33),
}


@dataclass(frozen=True)
class Body:
    """anny phenotype (0..1 each; gender 0 = male, 1 = female) plus skin and clothes."""

    sex: Literal["male", "female"] = "male"
    gender: float | None = None  # overrides ``sex`` when given
    age: float = 0.75  # anny: 2/3 = "young adult" (25 y), 1.0 = "old" (90 y)
    muscle: float = 0.5
    weight: float = 0.5
    height: float = 0.5  # stature: male 0.2/0.35/0.5 -> ~1.58/1.74/1.90 m, female ~1.45/1.61/1.77 m
    proportions: float = 0.5
    skin: str = "light"  # a key of SKIN_TONES
    hair: tuple[int, int, int] = (40, 30, 25)
    shirt: tuple[int, int, int] = (40, 90, 160)
    sleeves: Literal["short", "long", "none"] = "short"
    bottoms: tuple[int, int, int] = (35, 35, 40)
    bottoms_style: Literal["shorts", "trousers", "leggings"] = "trousers"
    feet: Literal["bare", "socks", "shoes"] = "socks"
    feet_color: tuple[int, int, int] = (235, 235, 235)

    @property
    def gender_value(self) -> float:
        if self.gender is not None:
            return float(self.gender)
        return 0.0 if self.sex == "male" else 1.0


@dataclass(frozen=True)
class Camera:
    """Camera placed around the body's centre.

    ``distance``: horizontal metres from the look-at point; ``height``: metres above
    the floor; ``yaw``: degrees around the vertical from the straight view of the
    chosen ``view`` (0 = square-on; + turns towards the head end); ``fov``: vertical
    field of view in degrees; ``look_at_height``: None = the body's mid height.
    """

    distance: float = 2.6
    height: float = 0.45
    yaw: float = 0.0
    fov: float = 50.0
    look_at_height: float | None = None
    look_shift: float = 0.0  # metres along the body axis (+ towards the feet)


@dataclass(frozen=True)
class Lighting:
    key_azimuth: float = 35.0  # degrees from the camera direction, about the vertical
    key_elevation: float = 55.0
    key: float = 1.9
    fill: float = 0.5
    ambient: float = 0.3
    wall: tuple[int, int, int] = (214, 208, 196)
    floor: tuple[int, int, int] = (150, 118, 88)
    mat: tuple[int, int, int] = (60, 110, 120)


@dataclass(frozen=True)
class Segment:
    """One schedule step. Build them with the helpers below, not by hand."""

    kind: Literal["rest", "rep", "partial", "move", "hold", "break", "enter", "wrong_rep", "short"]
    duration: float
    peak: float | None = None  # rep / partial: value at the top; move: value to reach
    up: float = 0.0
    top: float = 0.0  # pause at the peak
    down: float = 0.0
    code: str | None = None  # form-break code
    amount: float = 1.0  # form-break intensity (module-defined, 1 = clearly visible)
    side: Side | None = None  # which side works in this segment (per-side exercises)


def rest(seconds: float) -> Segment:
    return Segment("rest", seconds)


def rep(peak: float, up: float = 1.2, top: float = 1.0, down: float = 1.5, side: Side | None = None) -> Segment:
    return Segment("rep", up + top + down, peak=peak, up=up, top=top, down=down, side=side)


def partial(peak: float, up: float = 1.0, top: float = 0.5, down: float = 1.2, side: Side | None = None) -> Segment:
    return Segment("partial", up + top + down, peak=peak, up=up, top=top, down=down, side=side)


def move(to: float, seconds: float, side: Side | None = None) -> Segment:
    """Go smoothly to ``to`` (e.g. into or out of a held position)."""
    return Segment("move", seconds, peak=to, side=side)


def hold(seconds: float, side: Side | None = None) -> Segment:
    """Stay at the current value; counts as hold time (target position, good form)."""
    return Segment("hold", seconds, side=side)


def stop_short(seconds: float, code: str = "short_of_position", side: Side | None = None) -> Segment:
    """Stay where you are, short of the position (after a ``move`` that stops short of it): not hold
    time, and it ends a hold. The truth records it as a ``code`` form break over the segment, because
    a checker is right to coach it ("pull your knee closer"); without it that coaching would be
    scored as a false alarm."""
    return Segment("short", seconds, code=code, side=side)


def form_break(seconds: float, code: str, amount: float = 1.0, ramp: float = 0.4, side: Side | None = None) -> Segment:
    """Form breaks for ``seconds`` (ramping in and out over ``ramp`` s); pauses a hold."""
    return Segment("break", seconds, code=code, amount=amount, up=ramp, down=ramp, side=side)


def enter(empty: float, walk: float, settle: float = 0.8) -> Segment:
    """The person walks into view: ``empty`` s out of view, ``walk`` s walking in (the last step
    lands at the end), ``settle`` s getting into the starting position. Not exercise time: the
    value is the rest value, and the truth ignores these frames. Only for modules that say so."""
    return Segment("enter", empty + walk + settle, up=empty, top=walk, down=settle)


def wrong_rep(peak: float, up: float = 1.2, top: float = 1.0, down: float = 1.5, side: Side | None = None) -> Segment:
    """A rep done the wrong way (e.g. a side bend towards the symptomatic side): a rep event with
    ``complete: false, wrong_side: true`` that is neither a rep nor a partial rep, plus a
    ``wrong_side`` form break over the segment."""
    return Segment("wrong_rep", up + top + down, peak=peak, up=up, top=top, down=down, side=side)


def rep_break(
    peak: float,
    code: str,
    up: float = 1.2,
    top: float = 4.0,
    down: float = 1.5,
    amount: float = 1.0,
    side: Side | None = None,
) -> Segment:
    """A counted rep whose form breaks (``code``) during the pause at the peak, ramping in over
    its first 0.6 s and out over its last 0.6 s; the truth adds a form break over the pause."""
    return Segment("rep", up + top + down, peak=peak, up=up, top=top, down=down, code=code, amount=amount, side=side)


@dataclass(frozen=True)
class Clip:
    name: str
    exercise: str  # the labelled exercise id
    performed: str  # the exercise actually performed (its module poses the body)
    side: Side | None  # what a user passes as --side; None for bilateral exercises
    near_side: Side | None  # body side facing the camera; None for front/feet-end views
    view: Literal["side", "front", "feet_end", "oblique"]
    schedule: tuple[Segment, ...]
    body: Body = field(default_factory=Body)
    camera: Camera = field(default_factory=Camera)
    lighting: Lighting = field(default_factory=Lighting)
    seed: int = 0
    fps: float = 30.0
    width: int = 640
    height: int = 480
    body_yaw: float = 0.0  # degrees: turns the whole scene layout (head end) about the vertical
    options: dict = field(default_factory=dict)  # per-exercise extras, documented in its module
    notes: str = ""
    # An exercise file (a path from the repository root) the clip is labelled with instead of a
    # built-in: ``exercise`` is then the file's id, and the clip performs the file's movement
    # (``performed`` names the movement module; a file built on a built-in, e.g. bridge_easier,
    # is performed by that built-in's module).
    exercise_file: str | None = None
    # The leg that works when the user leaves --side to auto (``side`` None) and no side faces
    # the camera (a one-sided exercise seen from the front): the truth metrics are measured on it.
    working_side: Side | None = None

    @property
    def duration(self) -> float:
        return float(sum(s.duration for s in self.schedule))

    @property
    def measured_side(self) -> Side:
        """The side passed to compute_metrics for the truth."""
        return self.side or self.working_side or self.near_side or "left"

    @property
    def wrong_exercise(self) -> bool:
        """Labelled with one exercise, doing another: the truth counts nothing. A clip labelled
        with an exercise file always does that file's movement."""
        return self.exercise != self.performed and self.exercise_file is None

    def describe(self) -> dict:
        return asdict(self)
