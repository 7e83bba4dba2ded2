"""Check recordings of examples/exercises/forearm_plank.toml (side view, a hold).

Values are the file's ``hip_line`` (signed shoulder-hip-knee: ~176 with the body straight,
~117 hips high in the pike the person starts and ends in). No-truth band
(tools/synth/README.md): the held value is >= 6 inside the file's position bound hip_line > 160
and >= 6 short of its sag fault at 195 (here 174; the trunk ~10 deg from level, inside the
file's 30, the elbows ~90, inside its 60-120)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, hold, move, rest

FILE = "examples/exercises/forearm_plank.toml"
PIKE = 117.0

CLIPS = [
    Clip(
        name="forearm_plank_left_01",
        exercise="forearm_plank",
        performed="forearm_plank",
        exercise_file=FILE,
        side=None,
        near_side="left",
        view="side",
        body=Body(
            sex="male",
            age=0.7,
            muscle=0.65,
            weight=0.5,
            height=0.5,
            skin="light",
            shirt=(40, 60, 120),
            bottoms=(30, 30, 35),
            bottoms_style="shorts",
            feet="shoes",
            feet_color=(70, 70, 75),
        ),
        camera=Camera(distance=2.9, height=0.5, yaw=6.0, fov=42.0),
        lighting=Lighting(key_azimuth=-30.0, mat=(60, 110, 120)),
        schedule=(rest(1.2), move(174, 1.8), hold(7.0), move(PIKE, 1.8), rest(1.0)),
        seed=661,
        options={"rest": PIKE},
        notes="hips high, down into the plank, one 7 s hold, hips up again",
    ),
    Clip(
        name="forearm_plank_short_right_02",
        exercise="forearm_plank",
        performed="forearm_plank",
        exercise_file=FILE,
        side=None,
        near_side="right",
        view="side",
        body=Body(
            sex="female",
            age=0.8,
            muscle=0.5,
            weight=0.55,
            height=0.45,
            skin="brown",
            shirt=(190, 80, 60),
            sleeves="long",
            bottoms=(50, 50, 60),
            bottoms_style="leggings",
            feet="socks",
        ),
        camera=Camera(distance=3.0, height=0.65, yaw=-10.0, fov=42.0),
        lighting=Lighting(key_azimuth=30.0, mat=(120, 60, 110)),
        schedule=(
            rest(1.0),
            move(174, 1.6),
            hold(3.0),
            move(PIKE, 1.6),
            rest(0.8),
            move(174, 1.6),
            hold(5.5),
            move(PIKE, 1.6),
            rest(0.8),
        ),
        seed=662,
        options={"rest": PIKE},
        notes="a short 3 s plank, back up, then a 5.5 s plank",
    ),
]
