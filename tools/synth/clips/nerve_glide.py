"""Supine sciatic nerve glide clips: thigh held up, knee extends with the toes pulled back, relaxes
(side view). ``side`` = the affected (working) leg. Values are the working knee angle."""

from tools.synth.spec import Body, Camera, Clip, Lighting, partial, rep, rest


def glide(peak: float = 163.0) -> object:
    return rep(peak, up=1.5, top=0.2, down=1.5)


CLIPS = [
    Clip(
        name="nerve_glide_near_left_01",
        exercise="nerve_glide",
        performed="nerve_glide",
        side="left",
        near_side="left",
        view="side",
        body=Body(
            sex="male",
            age=0.72,
            muscle=0.5,
            weight=0.45,
            height=0.45,
            skin="medium",
            hair=(25, 20, 15),
            shirt=(180, 90, 40),
            sleeves="short",
            bottoms=(30, 35, 45),
            bottoms_style="shorts",
            feet="socks",
            feet_color=(240, 240, 240),
        ),
        camera=Camera(distance=2.5, height=0.35, yaw=12.0, fov=42.0),
        lighting=Lighting(key_azimuth=30.0, mat=(90, 90, 100)),
        schedule=(
            rest(1.0),
            glide(163),
            rest(0.3),
            glide(160),
            rest(0.3),
            glide(164),
            rest(0.3),
            glide(161),
            rest(0.3),
            glide(163),
            rest(0.8),
        ),
        seed=1401,
        notes="working (left) leg on the near side: 5 smooth glides, knee 90 -> 160-164 with the toes pulled back "
        "(camera turned 12 deg towards the head: square-on, MediaPipe labelled the raised left leg 'right')",
    ),
    Clip(
        name="nerve_glide_far_right_02",
        exercise="nerve_glide",
        performed="nerve_glide",
        side="right",
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.75,
            muscle=0.4,
            weight=0.55,
            height=0.5,
            skin="light",
            hair=(160, 110, 60),
            shirt=(90, 60, 140),
            sleeves="long",
            bottoms=(25, 25, 30),
            bottoms_style="leggings",
            feet="socks",
            feet_color=(250, 200, 210),
        ),
        camera=Camera(distance=2.4, height=0.50, yaw=8.0, fov=42.0),
        lighting=Lighting(key_azimuth=-25.0, key_elevation=60.0, wall=(225, 215, 205), mat=(60, 130, 90)),
        schedule=(
            rest(1.0),
            glide(162),
            rest(0.3),
            glide(164),
            rest(0.3),
            partial(120, up=1.2, top=0.2, down=1.2),
            rest(0.3),
            glide(161),
            rest(0.3),
            glide(163),
            rest(0.8),
        ),
        seed=1402,
        notes="working (right) leg on the FAR side, behind the other leg: 4 glides and 1 partial (knee to ~120)",
    ),
]
