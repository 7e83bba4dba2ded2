"""Check recordings of examples/exercises/standing_hip_abduction.toml (front view).

Values are the file's ``leg_out`` (the working leg from vertical; ~0-2 standing). No-truth band
(tools/synth/README.md): a full lift peaks >= 6 above the file's target 20 (here 29-31); the
partial peaks >= 6 past where a movement starts (rest + start_delta 6) and >= 6 under the
target: 13.5 with a rest of ~1."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest

FILE = "examples/exercises/standing_hip_abduction.toml"

CLIPS = [
    Clip(
        name="standing_hip_abduction_auto_right_01",
        exercise="standing_hip_abduction",
        performed="standing_hip_abduction",
        exercise_file=FILE,
        side=None,  # --side auto: the file measures the leg that moves
        working_side="right",
        near_side=None,
        view="front",
        body=Body(
            sex="male",
            age=0.7,
            muscle=0.5,
            weight=0.5,
            height=0.5,
            skin="light",
            shirt=(50, 140, 80),
            bottoms=(35, 35, 40),
            bottoms_style="shorts",
            feet="shoes",
            feet_color=(50, 50, 55),
        ),
        camera=Camera(distance=3.2, height=1.0, yaw=6.0, fov=46.0),
        lighting=Lighting(key_azimuth=-25.0, wall=(215, 210, 200), floor=(145, 115, 90)),
        schedule=(
            rest(1.0),
            rep(30, up=1.0, top=0.6, down=1.2),
            rest(0.3),
            rep(31, up=1.0, top=0.6, down=1.2),
            rest(0.3),
            partial(13.5, up=0.8, top=0.4, down=0.9),
            rest(0.3),
            rep(29, up=1.0, top=0.6, down=1.2),
            rest(0.8),
        ),
        seed=611,
        notes="right leg; three full lifts and one partial (leg_out 13.5); --side auto",
    ),
    Clip(
        name="standing_hip_abduction_left_02",
        exercise="standing_hip_abduction",
        performed="standing_hip_abduction",
        exercise_file=FILE,
        side="left",
        near_side=None,
        view="front",
        body=Body(
            sex="female",
            age=0.85,
            muscle=0.4,
            weight=0.65,
            height=0.45,
            skin="dark",
            shirt=(200, 170, 60),
            sleeves="long",
            bottoms=(60, 50, 80),
            bottoms_style="trousers",
            feet="socks",
        ),
        camera=Camera(distance=3.0, height=1.2, yaw=-10.0, fov=48.0),
        lighting=Lighting(key_azimuth=30.0, wall=(200, 205, 212), floor=(130, 100, 75)),
        schedule=(
            rest(1.2),
            rep(30, up=1.2, top=0.8, down=1.4),
            rest(0.5),
            rep(30, up=1.2, top=0.8, down=1.4),
            rest(0.5),
            rep(29.5, up=1.2, top=0.8, down=1.4),
            rest(1.0),
        ),
        seed=612,
        notes="left leg (--side left); three full, slow lifts",
    ),
]
