"""Pelvic tilt clips: supine, knees bent, feet planted; posterior tilts held ~5 s (side view).

Values are the posterior pelvic tilt in degrees (see exercises/pelvic_tilt.py); a rep is a
tilt held >= 5 s, a shorter hold is a partial rep.
"""

from tools.synth.spec import Body, Camera, Clip, Lighting, form_break, hold, move, rest

TILT = 12.0


def tilt(held: float, up: float = 1.0, down: float = 1.0, peak: float = TILT) -> tuple:
    return (move(peak, up), hold(held), move(0.0, down))


CLIPS = [
    Clip(
        name="pelvic_tilt_side_left_01",
        exercise="pelvic_tilt",
        performed="pelvic_tilt",
        side=None,
        near_side="left",
        view="side",
        body=Body(
            sex="female",
            age=0.7,
            muscle=0.45,
            weight=0.5,
            height=0.5,
            skin="light",
            hair=(95, 60, 30),
            shirt=(150, 45, 70),
            sleeves="short",
            bottoms=(35, 40, 55),
            bottoms_style="leggings",
            feet="socks",
            feet_color=(230, 230, 225),
        ),
        camera=Camera(distance=2.3, height=0.40, yaw=0.0, fov=40.0),
        lighting=Lighting(key_azimuth=30.0, mat=(60, 120, 110)),
        schedule=(rest(1.0), *tilt(5.3), rest(0.8), *tilt(5.3, peak=13.0), rest(0.8), *tilt(5.2), rest(0.4)),
        seed=1101,
        notes="3 posterior pelvic tilts (12-13 deg) held 5.2-5.3 s each: 3 reps",
    ),
    Clip(
        name="pelvic_tilt_hips_lift_right_02",
        exercise="pelvic_tilt",
        performed="pelvic_tilt",
        side=None,
        near_side="right",
        view="side",
        body=Body(
            sex="male",
            age=0.8,
            muscle=0.55,
            weight=0.65,
            height=0.45,
            skin="dark",
            hair=(15, 12, 10),
            shirt=(215, 170, 60),
            sleeves="short",
            bottoms=(55, 55, 60),
            bottoms_style="shorts",
            feet="bare",
        ),
        camera=Camera(distance=2.5, height=0.50, yaw=10.0, fov=42.0),
        lighting=Lighting(
            key_azimuth=-30.0, key_elevation=60.0, wall=(205, 212, 220), floor=(135, 110, 85), mat=(110, 70, 130)
        ),
        schedule=(
            rest(1.0),
            *tilt(2.0),
            rest(0.8),
            move(TILT, 1.0),
            hold(2.5),
            form_break(1.5, "hips_lift"),
            hold(3.0),
            move(0.0, 1.0),
            rest(0.8),
            *tilt(5.3),
            rest(0.6),
        ),
        seed=1102,
        notes="a tilt held only 2 s (partial), a tilt whose hips lift ~5 cm off the mat for 1.5 s mid-hold "
        "(the timer pauses; 5.5 s held: a rep), a 5.3 s tilt: 2 reps, 1 partial",
    ),
]
