"""Check recordings of examples/exercises/half_kneel_gentle.toml (the built-in half-kneeling
stretch, in position from 8 degrees past the person's own rest instead of 12), performed by the
half-kneel movement module (side view; ``side`` = the kneeling leg).

Values are ``back_hip_angle`` (173 kneeling upright, the module's rest). No-truth band
(tools/synth/README.md): a held value >= 6 beyond the file's rest + 8 = 181 (here 188-190; the
front knee stays ~95, far under the file's 130)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, hold, move, rest

FILE = "examples/exercises/half_kneel_gentle.toml"
REST = 173.0

CLIPS = [
    Clip(
        name="half_kneel_gentle_left_01",
        exercise="half_kneel_gentle",
        performed="half_kneel_hip_stretch",
        exercise_file=FILE,
        side="left",
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.9,
            muscle=0.45,
            weight=0.55,
            height=0.5,
            skin="medium",
            shirt=(60, 100, 150),
            bottoms=(35, 35, 40),
            bottoms_style="leggings",
            feet="bare",
        ),
        camera=Camera(distance=2.6, height=0.6, yaw=6.0, fov=44.0),
        lighting=Lighting(key_azimuth=-25.0, mat=(70, 90, 140)),
        schedule=(rest(1.2), move(189, 2.0), hold(6.5), move(REST, 1.8), rest(0.8)),
        seed=651,
        options={"rest": REST},
        notes="one 6.5 s hold of the left hip at 189 (16 past rest)",
    ),
    Clip(
        name="half_kneel_gentle_right_02",
        exercise="half_kneel_gentle",
        performed="half_kneel_hip_stretch",
        exercise_file=FILE,
        side="right",
        near_side="right",
        view="side",
        body=Body(
            sex="male",
            age=0.8,
            muscle=0.55,
            weight=0.6,
            height=0.45,
            skin="olive",
            shirt=(170, 170, 160),
            sleeves="long",
            bottoms=(50, 50, 60),
            bottoms_style="trousers",
            feet="socks",
        ),
        camera=Camera(distance=2.7, height=0.8, yaw=-8.0, fov=46.0),
        lighting=Lighting(key_azimuth=30.0, mat=(40, 110, 80)),
        schedule=(
            rest(1.2),
            move(188, 1.8),
            hold(3.5),
            move(REST, 1.6),
            rest(0.8),
            move(190, 1.8),
            hold(5.0),
            move(REST, 1.6),
            rest(0.8),
        ),
        seed=652,
        options={"rest": REST},
        notes="a short 3.5 s hold at 188, then a 5 s hold at 190 (right knee down)",
    ),
]
