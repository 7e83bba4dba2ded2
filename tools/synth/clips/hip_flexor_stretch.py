"""Supine hip flexor stretch clips: the unaffected knee pulled to the chest, the affected leg
straight on the mat (side view). ``side`` names the affected (straight) leg.

Values are the pulled (unaffected) hip angle; ``move(180)`` lowers the leg back onto the mat.
"""

from tools.synth.spec import Body, Camera, Clip, Lighting, form_break, hold, move, rest

HELD = 55.0
DOWN = 180.0

CLIPS = [
    Clip(
        name="hip_flexor_stretch_two_holds_right_01",
        exercise="hip_flexor_stretch",
        performed="hip_flexor_stretch",
        side="right",
        near_side="left",
        view="side",
        body=Body(
            sex="male",
            age=0.7,
            muscle=0.5,
            weight=0.5,
            height=0.5,
            skin="porcelain",
            hair=(120, 80, 40),
            shirt=(40, 120, 80),
            sleeves="short",
            bottoms=(40, 45, 70),
            bottoms_style="trousers",
            feet="socks",
            feet_color=(40, 40, 45),
        ),
        camera=Camera(distance=2.6, height=0.42, yaw=5.0, fov=42.0),
        lighting=Lighting(key_azimuth=25.0, mat=(150, 70, 60)),
        schedule=(
            rest(0.8),
            move(HELD, 2.3),
            hold(5.5),
            move(DOWN, 2.0),
            rest(0.8),
            move(HELD - 3.0, 2.3),
            hold(5.5),
            move(DOWN, 2.0),
            rest(0.6),
        ),
        seed=1301,
        notes="affected right leg straight; left (unaffected, near) knee pulled in and held twice, 5.5 s each, "
        "released to the mat in between",
    ),
    Clip(
        name="hip_flexor_stretch_knee_bends_left_02",
        exercise="hip_flexor_stretch",
        performed="hip_flexor_stretch",
        side="left",
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.8,
            muscle=0.45,
            weight=0.65,
            height=0.4,
            skin="brown",
            hair=(20, 15, 12),
            shirt=(230, 225, 215),
            sleeves="long",
            bottoms=(60, 40, 90),
            bottoms_style="leggings",
            feet="bare",
        ),
        camera=Camera(distance=2.4, height=0.50, yaw=-6.0, fov=42.0),
        lighting=Lighting(
            key_azimuth=-30.0, key_elevation=62.0, wall=(210, 220, 210), floor=(140, 112, 86), mat=(60, 100, 150)
        ),
        schedule=(
            rest(0.8),
            move(HELD, 2.3),
            hold(3.0),
            form_break(1.5, "affected_knee_bent"),
            hold(3.0),
            move(DOWN, 2.0),
            rest(0.8),
        ),
        seed=1302,
        notes="affected left leg (near) straight; right knee pulled in; mid-hold the affected knee bends to ~135 "
        "and the thigh lifts for 1.5 s (the timer pauses): one hold of 6 s",
    ),
]
