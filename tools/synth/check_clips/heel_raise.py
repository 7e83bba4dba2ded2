"""Check recordings of examples/exercises/heel_raise.toml (side view).

Values are the file's ``heel_up`` (heel-to-toe-tip line above horizontal, ~0.7 flat). No-truth
band (tools/synth/README.md): a full raise peaks >= 6 above the file's target 20 (here 29-31,
a heel ~8 cm up); the partial peaks >= 6 past where a movement starts (rest + start_delta 6,
~6.8) and >= 6 under the target: 13.5 sits in that 12.8-14 window. Each full raise lowers over
2.0-2.2 s: the file's ``min_down_s`` 0.8 is measured from leaving the top to within
``end_delta`` of rest, ~0.6 of an eased lowering's length, so 0.8 s is a lowering of ~1.4 s;
2 s reads ~1.2 s, clear of it (1.4 s read 0.7-0.8 on a first render)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest

FILE = "examples/exercises/heel_raise.toml"

CLIPS = [
    Clip(
        name="heel_raise_left_01",
        exercise="heel_raise",
        performed="heel_raise",
        exercise_file=FILE,
        side=None,
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.8,
            weight=0.45,
            height=0.55,
            skin="medium",
            shirt=(70, 120, 170),
            bottoms=(40, 40, 45),
            bottoms_style="leggings",
            feet="bare",
        ),
        camera=Camera(distance=2.9, height=0.9, yaw=8.0, fov=46.0),
        lighting=Lighting(key_azimuth=-30.0, wall=(210, 205, 195), floor=(150, 118, 88)),
        schedule=(
            rest(1.0),
            rep(30, up=1.0, top=0.8, down=2.0),
            rest(0.3),
            rep(31, up=1.0, top=0.8, down=2.1),
            rest(0.3),
            partial(13.5, up=0.8, top=0.4, down=1.1),
            rest(0.3),
            rep(29, up=1.0, top=0.8, down=2.0),
            rest(0.8),
        ),
        seed=601,
        notes="three full raises and one partial (heel_up 13.5) between them",
    ),
    Clip(
        name="heel_raise_right_02",
        exercise="heel_raise",
        performed="heel_raise",
        exercise_file=FILE,
        side=None,
        near_side="right",
        view="side",
        body=Body(
            sex="male",
            age=0.9,
            muscle=0.6,
            weight=0.65,
            height=0.4,
            skin="brown",
            shirt=(160, 60, 50),
            bottoms=(60, 70, 90),
            bottoms_style="shorts",
            feet="socks",
            feet_color=(240, 240, 240),
        ),
        camera=Camera(distance=3.0, height=0.75, yaw=-12.0, fov=44.0),
        lighting=Lighting(key_azimuth=35.0, wall=(200, 210, 215), floor=(120, 100, 80)),
        schedule=(
            rest(1.2),
            rep(30, up=1.2, top=1.0, down=2.2),
            rest(0.4),
            rep(30.5, up=1.1, top=1.0, down=2.2),
            rest(0.4),
            rep(29.5, up=1.2, top=0.9, down=2.2),
            rest(1.0),
        ),
        seed=602,
        notes="three full, slow raises",
    ),
]
