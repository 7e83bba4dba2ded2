"""Glute bridge clips (and a bridge labelled as another exercise)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest

CLIPS = [
    Clip(
        name="bridge_side_left_01",
        exercise="bridge", performed="bridge", side=None, near_side="left", view="side",
        body=Body(sex="female", age=0.72, weight=0.45, height=0.45, skin="light", hair=(70, 45, 25),
                  shirt=(40, 95, 170), sleeves="short", bottoms=(30, 30, 35), bottoms_style="leggings",
                  feet="socks", feet_color=(235, 235, 235)),
        camera=Camera(distance=2.5, height=0.40, yaw=0.0, fov=42.0),
        schedule=(rest(1.5), *[rep(180, up=1.2, top=1.0, down=1.5) for _ in range(5)], rest(1.0)),
        seed=101,
        notes="5 full reps, 1 s pause at the top",
    ),
    Clip(
        name="bridge_partial_02",
        exercise="bridge", performed="bridge", side=None, near_side="right", view="side",
        body=Body(sex="male", age=0.8, muscle=0.6, weight=0.7, height=0.4, skin="brown", hair=(20, 16, 14),
                  shirt=(170, 60, 45), sleeves="short", bottoms=(60, 70, 90), bottoms_style="shorts",
                  feet="bare"),
        camera=Camera(distance=2.8, height=0.55, yaw=10.0, fov=42.0),
        lighting=Lighting(key_azimuth=-30.0, key_elevation=60.0, wall=(200, 210, 205), floor=(120, 100, 80),
                          mat=(120, 60, 110)),
        schedule=(rest(1.5), rep(179), partial(150), rep(181), partial(148), rep(180), rest(1.0)),
        seed=202,
        notes="3 full reps, 2 partial reps stopping ~30 deg short of the top",
    ),
    Clip(
        name="wrong_exercise_bridge_as_knee_to_chest",
        exercise="knee_to_chest", performed="bridge", side="left", near_side="left", view="side",
        body=Body(sex="female", age=0.85, muscle=0.4, weight=0.75, height=0.35, skin="olive",
                  hair=(15, 12, 10), shirt=(90, 140, 80), sleeves="long", bottoms=(50, 50, 60),
                  bottoms_style="trousers", feet="socks", feet_color=(60, 60, 70)),
        camera=Camera(distance=2.4, height=0.35, yaw=-8.0, fov=44.0),
        lighting=Lighting(key_azimuth=20.0, key=2.2, fill=0.7, wall=(225, 220, 210), mat=(70, 80, 150)),
        schedule=(rest(1.5), *[rep(180, up=1.3, top=1.0, down=1.6) for _ in range(3)], rest(1.0)),
        seed=303,
        notes="a bridge (3 reps) labelled knee_to_chest: a checker must count nothing",
    ),
]
