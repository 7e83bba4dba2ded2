"""Calf stretch at a wall: a person walking in late, and a hold whose back heel lifts."""

from tools.synth.spec import Body, Camera, Clip, Lighting, enter, form_break, hold, move, rest

REST = 22.0  # body lean of the upright staggered stance, hands on the wall (arms nearly straight)
LEAN = 29.5  # the stretch: lean into the wall (front knee ~140, back knee ~177, heel down)

CLIPS = [
    Clip(
        name="calf_stretch_walk_in_right_01",
        exercise="calf_stretch", performed="calf_stretch", side="right", near_side="right", view="side",
        body=Body(sex="male", age=0.7, muscle=0.55, weight=0.55, height=0.45, skin="medium", hair=(25, 20, 18),
                  shirt=(200, 120, 40), sleeves="short", bottoms=(40, 45, 60), bottoms_style="trousers",
                  feet="shoes", feet_color=(60, 60, 65)),
        camera=Camera(distance=3.0, height=1.0, yaw=0.0, fov=45.0),
        lighting=Lighting(key_azimuth=-35.0, wall=(222, 216, 204), floor=(140, 110, 85)),
        schedule=(enter(1.8, 2.0, 1.0), rest(0.5), move(LEAN, 2.0), hold(6.0), move(REST, 1.8), rest(0.7)),
        seed=411,
        options={"rest": REST, "step_len": 0.5, "step_time": 0.6},
        notes="empty view for ~1.8 s, walks in from the side, hands on the wall, one 6 s hold of the right calf",
    ),
    Clip(
        name="calf_stretch_heel_lift_left_02",
        exercise="calf_stretch", performed="calf_stretch", side="left", near_side="left", view="side",
        body=Body(sex="female", age=0.8, muscle=0.45, weight=0.6, height=0.5, skin="light", hair=(120, 80, 40),
                  shirt=(60, 130, 90), sleeves="long", bottoms=(30, 30, 35), bottoms_style="leggings",
                  feet="socks", feet_color=(230, 230, 235)),
        camera=Camera(distance=2.9, height=0.9, yaw=8.0, fov=46.0),
        lighting=Lighting(key_azimuth=30.0, key_elevation=50.0, wall=(205, 212, 218), floor=(125, 95, 70)),
        schedule=(rest(1.2), move(LEAN, 2.0), hold(3.0), form_break(1.8, "heel_lifted", ramp=0.25), hold(3.2),
                  move(REST, 1.8), rest(0.8)),
        seed=412,
        options={"rest": REST},
        notes="one hold of the left calf; the back heel lifts (~28 deg) for ~1.6 s mid-hold: the timer pauses",
    ),
]
