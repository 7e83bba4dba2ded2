"""Check recordings of examples/exercises/seated_knee_extension.toml (side view).

Values are the file's ``knee_angle`` of the working leg (~95 sitting; ``SCHEDULE_METRIC`` of the
movement module). The file counts on ``leg_line`` (the hip-ankle line, -(180 - knee) / 2 with the
thigh level: target -10 = knee 160), which moves half as far, so its no-truth band is 3 of its
degrees for 6 of the knee's (tests/test_example_checks.py scales it). A full extension peaks
>= 6 knee degrees above 160 (here 170-173; leg_line -5.0 to -3.6 on the true skeleton); the
partial peaks >= 6 past where a movement starts (rest + start_delta) and >= 6 under the target:
135 (leg_line about -23). Each full extension pauses >= 1 s at the top and lowers over >= 1.2 s
(the file asks 0.8 s and 0.6 s)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest

FILE = "examples/exercises/seated_knee_extension.toml"

CLIPS = [
    Clip(
        name="seated_knee_extension_near_right_01",
        exercise="seated_knee_extension",
        performed="seated_knee_extension",
        exercise_file=FILE,
        side="right",
        near_side="right",
        view="side",
        body=Body(
            sex="female",
            age=0.9,
            muscle=0.4,
            weight=0.6,
            height=0.45,
            skin="light",
            shirt=(150, 70, 120),
            sleeves="long",
            bottoms=(50, 60, 80),
            bottoms_style="trousers",
            feet="socks",
        ),
        camera=Camera(distance=2.7, height=0.75, yaw=10.0, fov=44.0),
        lighting=Lighting(key_azimuth=-30.0, wall=(214, 208, 196), floor=(150, 118, 88)),
        schedule=(
            rest(1.0),
            rep(172, up=1.1, top=1.1, down=1.4),
            rest(0.4),
            partial(135, up=0.9, top=0.5, down=1.0),
            rest(0.4),
            rep(171, up=1.1, top=1.1, down=1.4),
            rest(0.4),
            rep(173, up=1.1, top=1.1, down=1.4),
            rest(0.8),
        ),
        seed=621,
        notes="--side right, the working leg near the camera; three full extensions and one partial (135)",
    ),
    Clip(
        name="seated_knee_extension_far_left_02",
        exercise="seated_knee_extension",
        performed="seated_knee_extension",
        exercise_file=FILE,
        side="left",
        near_side="right",
        view="side",
        body=Body(
            sex="male",
            age=0.75,
            muscle=0.6,
            weight=0.6,
            height=0.55,
            skin="olive",
            shirt=(60, 90, 150),
            bottoms=(40, 40, 40),
            bottoms_style="shorts",
            feet="bare",
        ),
        camera=Camera(distance=2.8, height=0.7, yaw=-15.0, fov=44.0),
        lighting=Lighting(key_azimuth=30.0, wall=(205, 210, 200), floor=(135, 105, 80)),
        schedule=(
            rest(1.2),
            rep(171, up=1.2, top=1.2, down=1.5),
            rest(0.5),
            rep(172, up=1.2, top=1.2, down=1.5),
            rest(0.5),
            rep(170, up=1.2, top=1.2, down=1.5),
            rest(1.0),
        ),
        seed=622,
        notes="--side left, the working leg far from the camera (right side near); three full extensions",
    ),
    Clip(
        name="seated_knee_extension_near_left_03",
        exercise="seated_knee_extension",
        performed="seated_knee_extension",
        exercise_file=FILE,
        side="left",
        near_side="left",
        view="side",
        body=Body(
            sex="male",
            age=0.8,
            muscle=0.5,
            weight=0.55,
            height=0.45,
            skin="medium",
            shirt=(200, 200, 190),
            bottoms=(90, 110, 60),
            bottoms_style="shorts",
            feet="shoes",
            feet_color=(60, 60, 70),
        ),
        camera=Camera(distance=2.7, height=0.8, yaw=0.0, fov=44.0),
        lighting=Lighting(key_azimuth=25.0, wall=(220, 215, 205), floor=(140, 110, 85)),
        schedule=(
            rest(1.0),
            rep(172, up=1.1, top=1.1, down=1.4),
            rest(0.4),
            rep(171, up=1.1, top=1.1, down=1.4),
            rest(0.4),
            partial(135, up=0.9, top=0.5, down=1.0),
            rest(0.4),
            rep(172, up=1.1, top=1.1, down=1.4),
            rest(0.8),
        ),
        seed=623,
        notes="--side left, the working leg near the camera (a third clip, added after near_right_01 "
        "under-read the near straight knee: is the near leg read right on another body?)",
    ),
]
