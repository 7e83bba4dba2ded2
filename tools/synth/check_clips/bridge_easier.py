"""Check recordings of examples/exercises/bridge_easier.toml (the built-in bridge, counted from
155 instead of 165), performed by the bridge's movement module (side view).

Values are the bridge's ``hip_angle`` (~130 lying with the knees bent). No-truth band
(tools/synth/README.md): a rep peaks >= 6 above the file's target 155 (here 161-163: reps the
built-in bridge would call partial); the partial peaks >= 6 past where a movement starts (rest +
start_delta 10) and >= 6 under the target: 148.5 (rest 132). Each rep pauses >= 0.8 s at the top (the file
asks 0.5 s) and lowers over >= 1.5 s."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest

FILE = "examples/exercises/bridge_easier.toml"

CLIPS = [
    Clip(
        name="bridge_easier_left_01",
        exercise="bridge_easier",
        performed="bridge",
        exercise_file=FILE,
        side=None,
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.85,
            muscle=0.4,
            weight=0.65,
            height=0.45,
            skin="brown",
            shirt=(200, 120, 60),
            bottoms=(40, 40, 60),
            bottoms_style="leggings",
            feet="socks",
        ),
        camera=Camera(distance=2.6, height=0.45, yaw=6.0, fov=42.0),
        lighting=Lighting(key_azimuth=-30.0, mat=(60, 110, 120)),
        schedule=(
            rest(1.2),
            rep(162, up=1.2, top=0.9, down=1.6),
            rest(0.4),
            rep(161.5, up=1.2, top=0.9, down=1.6),
            rest(0.4),
            partial(148.5, up=1.0, top=0.4, down=1.2),
            rest(0.4),
            rep(163, up=1.2, top=0.9, down=1.6),
            rest(0.8),
        ),
        seed=641,
        notes="three reps to ~162 (short of the built-in 165, past the file's 155) and one partial (148.5)",
    ),
    Clip(
        name="bridge_easier_right_02",
        exercise="bridge_easier",
        performed="bridge",
        exercise_file=FILE,
        side=None,
        near_side="right",
        view="side",
        body=Body(
            sex="male",
            age=0.95,
            muscle=0.5,
            weight=0.7,
            height=0.5,
            skin="light",
            shirt=(90, 90, 95),
            sleeves="long",
            bottoms=(60, 50, 40),
            bottoms_style="trousers",
            feet="bare",
        ),
        camera=Camera(distance=2.7, height=0.55, yaw=-10.0, fov=42.0),
        lighting=Lighting(key_azimuth=35.0, mat=(120, 60, 110)),
        schedule=(
            rest(1.2),
            rep(163, up=1.3, top=1.0, down=1.7),
            rest(0.5),
            rep(162, up=1.3, top=1.0, down=1.7),
            rest(0.5),
            rep(162.5, up=1.3, top=1.0, down=1.7),
            rest(1.0),
        ),
        seed=642,
        notes="three reps to ~162 (short of the built-in 165, past the file's 155)",
    ),
]
