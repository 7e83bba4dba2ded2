"""Lower trunk rotation clips: supine, knees together, drop them to one side and hold, then the other.

Values are knee_rotation (+ = knees to the person's left); each side rotation is one rep
whose ``side`` names the direction.
"""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rep_break, rest


def _side(peak: float, top: float = 3.5, up: float = 1.1, down: float = 1.1) -> dict:
    return {"peak": peak, "up": up, "top": top, "down": down, "side": "left" if peak > 0 else "right"}


CLIPS = [
    Clip(
        name="lower_trunk_rotation_feet_end_01",
        exercise="lower_trunk_rotation",
        performed="lower_trunk_rotation",
        side=None,
        near_side=None,
        view="feet_end",
        body=Body(
            sex="male",
            age=0.75,
            muscle=0.5,
            weight=0.55,
            height=0.5,
            skin="light",
            hair=(90, 60, 35),
            shirt=(60, 120, 70),
            sleeves="short",
            bottoms=(40, 40, 45),
            bottoms_style="trousers",
            feet="socks",
            feet_color=(230, 230, 230),
        ),
        camera=Camera(distance=3.2, height=1.25, yaw=0.0, fov=30.0),
        lighting=Lighting(key_azimuth=35.0, key_elevation=60.0, mat=(60, 90, 140)),
        schedule=(rest(1.0), *[rep(**_side(p)) for p in (50, -50, 50, -50)], rest(0.8)),
        seed=501,
        notes="2 reps each side, alternating, 3.5 s holds, seen from the feet end",
    ),
    Clip(
        name="lower_trunk_rotation_oblique_partial_02",
        exercise="lower_trunk_rotation",
        performed="lower_trunk_rotation",
        side=None,
        near_side="right",
        view="oblique",
        body=Body(
            sex="female",
            age=0.7,
            muscle=0.4,
            weight=0.6,
            height=0.4,
            skin="olive",
            hair=(25, 18, 14),
            shirt=(205, 120, 45),
            sleeves="long",
            bottoms=(50, 45, 70),
            bottoms_style="leggings",
            feet="bare",
        ),
        camera=Camera(distance=3.0, height=1.3, yaw=-55.0, fov=34.0),
        lighting=Lighting(
            key_azimuth=-30.0, key_elevation=55.0, wall=(220, 215, 200), floor=(140, 110, 85), mat=(150, 70, 70)
        ),
        schedule=(
            rest(1.0),
            rep(**_side(50)),
            rep(**_side(-50)),
            partial(15, up=0.8, top=1.0, down=0.8, side="left"),
            rep_break(code="knees_apart", **_side(-48)),
            rest(0.8),
        ),
        seed=502,
        options={"apart_deg": 17.0},
        notes="high oblique (35 deg off the body axis, feet end, right side): left, right, a 15-deg partial "
        "to the left, then a right rotation whose knees come apart during the hold",
    ),
    Clip(
        name="lower_trunk_rotation_side_right_03",
        exercise="lower_trunk_rotation",
        performed="lower_trunk_rotation",
        side=None,
        near_side="right",
        view="side",
        body=Body(
            sex="female",
            age=0.6,
            muscle=0.45,
            weight=0.45,
            height=0.55,
            skin="dark",
            hair=(20, 15, 12),
            shirt=(70, 110, 170),
            sleeves="short",
            bottoms=(30, 30, 35),
            bottoms_style="leggings",
            feet="socks",
            feet_color=(200, 200, 205),
        ),
        camera=Camera(distance=2.6, height=0.5, yaw=8.0, fov=42.0),
        lighting=Lighting(key_azimuth=-25.0, mat=(80, 130, 90)),
        schedule=(rest(1.0), *[rep(**_side(p, top=3.2)) for p in (48, -46, 45, -50)], rest(0.8)),
        seed=503,
        options={"knee_angle": 92.0},
        notes="side-on, the way the exercise is measured now: 4 rotations alternating left and right, "
        "45-50 deg, 3.2 s holds (counted without a side: from the side left and right look alike)",
    ),
]
