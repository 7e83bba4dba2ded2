"""Half-kneeling hip flexor stretch: a clean hold (left knee down), a hold that arches back mid-way (right)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, form_break, hold, move, rest

REST = 173.0  # back hip angle kneeling upright (thigh a little forward of the trunk line)
FULL = 197.0  # hips shifted forward: the kneeling hip ~17 deg extended, trunk upright, front knee ~88

CLIPS = [
    Clip(
        name="half_kneel_hip_stretch_left_01",
        exercise="half_kneel_hip_stretch",
        performed="half_kneel_hip_stretch",
        side="left",
        near_side="left",
        view="side",
        body=Body(
            sex="male",
            age=0.75,
            muscle=0.6,
            weight=0.5,
            height=0.55,
            skin="dark",
            hair=(15, 12, 10),
            shirt=(230, 230, 225),
            sleeves="short",
            bottoms=(30, 60, 110),
            bottoms_style="shorts",
            feet="bare",
        ),
        camera=Camera(distance=2.7, height=0.55, yaw=-6.0, fov=44.0),
        lighting=Lighting(key_azimuth=25.0, wall=(210, 205, 190), floor=(135, 105, 80), mat=(70, 90, 140)),
        schedule=(rest(1.2), move(FULL, 2.0), hold(7.0), move(REST, 1.8), rest(0.8)),
        seed=521,
        options={"rest": REST},
        notes="one 7 s hold of the left hip (left knee down): hips forward, trunk upright",
    ),
    Clip(
        name="half_kneel_arching_right_02",
        exercise="half_kneel_hip_stretch",
        performed="half_kneel_hip_stretch",
        side="right",
        near_side="right",
        view="side",
        body=Body(
            sex="female",
            age=0.7,
            muscle=0.4,
            weight=0.4,
            height=0.45,
            skin="olive",
            hair=(25, 18, 15),
            shirt=(150, 50, 90),
            sleeves="long",
            bottoms=(45, 45, 50),
            bottoms_style="leggings",
            feet="socks",
            feet_color=(200, 200, 210),
        ),
        camera=Camera(distance=2.5, height=0.85, yaw=8.0, fov=46.0),
        lighting=Lighting(
            key_azimuth=-30.0, key_elevation=60.0, wall=(225, 225, 230), floor=(110, 85, 65), mat=(40, 110, 80)
        ),
        schedule=(
            rest(1.0),
            move(FULL, 2.0),
            hold(3.0),
            form_break(2.0, "leaning_back", ramp=0.4),
            hold(3.5),
            move(REST, 1.8),
            rest(0.8),
        ),
        seed=522,
        options={"rest": REST},
        notes="one hold of the right hip; the trunk leans back ~25 deg (arching) for ~2 s mid-hold: the timer pauses",
    ),
]
