"""Single knee to chest clips: lying, legs straight; one knee pulled to the chest and held (side view).

Values are the pulled hip angle (shoulder-hip-knee); ``move(180)`` lowers the leg back onto the
mat (any value above the straight leg's own angle means lying straight).
"""

from tools.synth.spec import Body, Camera, Clip, Lighting, hold, move, rest, stop_short

HELD = 52.0
DOWN = 180.0

CLIPS = [
    Clip(
        name="knee_to_chest_side_left_01",
        exercise="knee_to_chest",
        performed="knee_to_chest",
        side="left",
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.75,
            muscle=0.5,
            weight=0.4,
            height=0.55,
            skin="medium",
            hair=(40, 25, 15),
            shirt=(70, 130, 190),
            sleeves="long",
            bottoms=(45, 45, 50),
            bottoms_style="leggings",
            feet="socks",
            feet_color=(200, 200, 210),
        ),
        camera=Camera(distance=2.5, height=0.40, yaw=0.0, fov=42.0),
        lighting=Lighting(key_azimuth=35.0, mat=(70, 110, 160)),
        schedule=(rest(1.0), move(HELD, 2.5), hold(6.5), move(DOWN, 2.2), rest(0.8)),
        seed=1201,
        notes="left knee pulled to the chest (hip ~52) and held 6.5 s, then lowered",
    ),
    Clip(
        name="knee_to_chest_attempt_right_02",
        exercise="knee_to_chest",
        performed="knee_to_chest",
        side="right",
        near_side="right",
        view="side",
        body=Body(
            sex="male",
            age=0.78,
            muscle=0.6,
            weight=0.55,
            height=0.55,
            skin="olive",
            hair=(30, 22, 18),
            shirt=(60, 60, 65),
            sleeves="short",
            bottoms=(120, 40, 40),
            bottoms_style="shorts",
            feet="bare",
        ),
        camera=Camera(distance=2.7, height=0.55, yaw=-8.0, fov=42.0),
        lighting=Lighting(
            key_azimuth=-35.0, key_elevation=58.0, wall=(220, 214, 200), floor=(160, 125, 95), mat=(50, 95, 70)
        ),
        schedule=(
            rest(1.0),
            move(100.0, 1.5),
            stop_short(2.0),  # not pulled in far enough: coached (a form break in the truth)
            move(DOWN, 1.5),
            rest(0.8),
            move(HELD, 2.5),
            hold(6.0),
            move(DOWN, 2.0),
            rest(0.6),
        ),
        seed=1202,
        notes="a first pull that stops at hip ~100 for 2 s (hands only reaching; not a hold), "
        "then the right knee to the chest held 6 s",
    ),
]
