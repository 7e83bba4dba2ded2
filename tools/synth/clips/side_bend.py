"""Standing side bends seen from the front: symptoms right (bends left, one partial), symptoms
left (bends right, one rep to the wrong side that must not count)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest, wrong_rep

FULL = 32.0  # side_bend at the bottom of a full rep (hand slides toward the knee)
SHORT = 11.5  # a partial rep: starts the movement, stops well short of the 20 deg target


def _way(peak: float) -> str:
    """A rep event's side is the way the bend goes (+ = to the person's left), as formcheck reports it."""
    return "left" if peak > 0 else "right"


def _rep(peak: float):
    return rep(peak, up=1.0, top=0.5, down=1.1, side=_way(peak))


CLIPS = [
    Clip(
        name="side_bend_right_symptoms_01",
        exercise="side_bend",
        performed="side_bend",
        side="right",
        near_side=None,
        view="front",
        body=Body(
            sex="female",
            age=0.75,
            muscle=0.5,
            weight=0.55,
            height=0.5,
            skin="brown",
            hair=(20, 15, 12),
            shirt=(230, 180, 40),
            sleeves="short",
            bottoms=(40, 40, 45),
            bottoms_style="leggings",
            feet="socks",
            feet_color=(240, 240, 240),
        ),
        camera=Camera(distance=2.8, height=1.05, yaw=0.0, fov=46.0),
        lighting=Lighting(key_azimuth=30.0, wall=(215, 210, 200), floor=(140, 110, 85)),
        schedule=(
            rest(1.0),
            _rep(FULL),
            _rep(FULL),
            partial(SHORT, up=0.8, top=0.4, down=0.8, side=_way(SHORT)),
            _rep(FULL),
            _rep(FULL),
            rest(0.8),
        ),
        seed=631,
        notes="symptoms on the right: 4 full bends to the left (~32 deg) and one partial (~11 deg)",
    ),
    Clip(
        name="side_bend_left_symptoms_wrong_side_02",
        exercise="side_bend",
        performed="side_bend",
        side="left",
        near_side=None,
        view="front",
        body=Body(
            sex="male",
            age=0.85,
            muscle=0.45,
            weight=0.75,
            height=0.4,
            skin="porcelain",
            hair=(90, 85, 80),
            shirt=(50, 70, 120),
            sleeves="long",
            bottoms=(110, 95, 70),
            bottoms_style="trousers",
            feet="shoes",
            feet_color=(50, 40, 35),
        ),
        camera=Camera(distance=3.1, height=1.25, yaw=-8.0, fov=44.0),
        lighting=Lighting(key_azimuth=-35.0, key_elevation=55.0, wall=(200, 210, 205), floor=(120, 100, 80)),
        schedule=(
            rest(1.0),
            _rep(-FULL),
            _rep(-FULL),
            wrong_rep(FULL, up=1.0, top=0.5, down=1.1, side=_way(FULL)),
            _rep(-FULL),
            _rep(-FULL),
            _rep(-FULL),
            rest(0.8),
        ),
        seed=632,
        notes="symptoms on the left: 5 full bends to the right (~-32 deg) and one full bend to the LEFT "
        "(towards the symptoms) that must not count",
    ),
]
