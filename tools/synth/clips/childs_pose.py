"""Child's pose clips: from hands and knees, rock back and hold (side view)."""

from tools.synth.spec import Body, Camera, Clip, Lighting, hold, move, rest, stop_short

REST_02 = 99.0  # hip angle on hands and knees for the second body (arms nearly straight)

CLIPS = [
    Clip(
        name="childs_pose_side_left_01",
        exercise="childs_pose",
        performed="childs_pose",
        side=None,
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.7,
            weight=0.5,
            height=0.45,
            skin="medium",
            hair=(35, 25, 20),
            shirt=(150, 50, 70),
            sleeves="long",
            bottoms=(40, 40, 50),
            bottoms_style="leggings",
            feet="bare",
        ),
        camera=Camera(distance=2.25, height=0.55, yaw=0.0, fov=40.0),
        lighting=Lighting(key_azimuth=-25.0, mat=(70, 120, 100)),
        schedule=(rest(1.5), move(40, 2.5), hold(8.0), move(98, 2.5), rest(1.5)),
        seed=401,
        options={"rest": 98.0},
        notes="hands and knees, rock back, 8 s hold, back to hands and knees",
    ),
]
CLIPS.append(
    Clip(
        name="childs_pose_hips_high_right_02",
        exercise="childs_pose",
        performed="childs_pose",
        side=None,
        near_side="right",
        view="side",
        body=Body(
            sex="male",
            age=0.8,
            muscle=0.6,
            weight=0.65,
            height=0.55,
            skin="dark",
            hair=(20, 16, 14),
            shirt=(225, 190, 60),
            sleeves="short",
            bottoms=(45, 60, 110),
            bottoms_style="shorts",
            feet="socks",
            feet_color=(60, 60, 65),
        ),
        camera=Camera(distance=2.5, height=0.75, yaw=-10.0, fov=42.0),
        lighting=Lighting(
            key_azimuth=30.0, key_elevation=50.0, wall=(205, 215, 220), floor=(125, 100, 80), mat=(110, 60, 120)
        ),
        schedule=(
            rest(1.2),
            move(78, 1.6),
            stop_short(2.0),  # hips high: coached (a form break in the truth), not a hold
            move(REST_02, 1.5),
            rest(0.7),
            move(40, 2.5),
            hold(6.5),
            move(REST_02, 2.5),
            rest(0.8),
        ),
        seed=402,
        options={"rest": REST_02},
        notes="a rock-back that stops with the hips high (hip ~78 for 2 s, not a hold), then a 6.5 s hold",
    )
)
