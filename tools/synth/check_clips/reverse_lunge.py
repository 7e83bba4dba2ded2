"""Check recordings of examples/exercises/reverse_lunge.toml (side view).

Values are the file's ``front_knee`` (the more bent knee, ~175 standing, ~95 at the bottom of
this lunge). No-truth band (tools/synth/README.md): a full lunge bottoms out >= 6 under the
file's target 110 (here 97-99); the partial one turns >= 6 past where a movement starts
(rest - start_delta 15) and >= 6 short of the target: 135. Legs alternate (the file's dose is
per side; the measure takes whichever knee is more bent)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest

FILE = "examples/exercises/reverse_lunge.toml"

CLIPS = [
    Clip(
        name="reverse_lunge_alternating_01",
        exercise="reverse_lunge",
        performed="reverse_lunge",
        exercise_file=FILE,
        side=None,
        near_side="left",
        view="side",
        body=Body(
            sex="male",
            age=0.7,
            muscle=0.6,
            weight=0.5,
            height=0.5,
            skin="medium",
            shirt=(180, 60, 50),
            bottoms=(40, 40, 50),
            bottoms_style="shorts",
            feet="shoes",
            feet_color=(240, 240, 240),
        ),
        camera=Camera(distance=3.3, height=0.95, yaw=6.0, fov=46.0),
        lighting=Lighting(key_azimuth=-35.0, wall=(214, 208, 196), floor=(150, 118, 88)),
        schedule=(
            rest(1.0),
            rep(97, up=1.5, top=0.5, down=1.5, side="right"),
            rest(0.4),
            rep(98, up=1.5, top=0.5, down=1.5, side="left"),
            rest(0.4),
            partial(135, up=1.1, top=0.3, down=1.1, side="right"),
            rest(0.4),
            rep(97, up=1.5, top=0.5, down=1.5, side="left"),
            rest(0.8),
        ),
        seed=631,
        notes="alternating legs (right, left, right, left); three full lunges and one partial (135)",
    ),
    Clip(
        name="reverse_lunge_right_02",
        exercise="reverse_lunge",
        performed="reverse_lunge",
        exercise_file=FILE,
        side="right",
        near_side="right",
        view="side",
        body=Body(
            sex="female",
            age=0.75,
            muscle=0.45,
            weight=0.45,
            height=0.6,
            skin="light",
            shirt=(60, 150, 160),
            sleeves="long",
            bottoms=(30, 30, 35),
            bottoms_style="leggings",
            feet="socks",
        ),
        camera=Camera(distance=3.4, height=1.1, yaw=-12.0, fov=46.0),
        lighting=Lighting(key_azimuth=30.0, wall=(200, 205, 212), floor=(130, 100, 75)),
        schedule=(
            rest(1.2),
            rep(98, up=1.6, top=0.6, down=1.6),
            rest(0.5),
            rep(99, up=1.6, top=0.6, down=1.6),
            rest(0.5),
            rep(97, up=1.6, top=0.6, down=1.6),
            rest(1.0),
        ),
        seed=632,
        notes="--side right: the right foot steps back each time; three full lunges",
    ),
]
