"""Per-exercise metrics from formcheck.metrics on hand-built 33-landmark bodies.

Bodies are built in a body frame, then placed in the world (image convention:
x right, y down, z away from the camera; right-handed). Body frame axes:

- L: towards the person's LEFT,  S: superior (feet to head),  A: anterior (chest),

with L x S = A, so (L, S, A) is right-handed like (x, y, z). A sagittal direction at
``deg`` is S turned by ``deg`` about L towards A: 0 = head-wards, 90 = chest-wards,
180 = feet-wards, 270 = back-wards. A signed hip angle is the turn from the trunk ray
(hip -> shoulder) to the thigh ray (hip -> knee): 180 = in line, < 180 = flexion,
> 180 = extension.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.transform import Rotation

from formcheck.landmarks import LEFT_RIGHT_SWAP, NUM_LANDMARKS, Landmark, other_side
from formcheck.metrics import (
    DEFAULT_UP,
    METRIC_SETS,
    SIDE_ROLE,
    Body,
    compute_metrics,
    metric_names,
    primary_metric,
)

L, S, A = np.eye(3)
UP = np.array(DEFAULT_UP)
SIDES = ("left", "right")
SIGN = {"left": 1.0, "right": -1.0}
# Metrics signed about a left/right direction: they negate for the mirror-image posture.
LATERAL_SIGNED = {"side_bend", "leg_lean", "trunk_twist", "knee_rotation", "shoulder_tilt"}


def rot(axis: np.ndarray, deg: float) -> np.ndarray:
    """Right-hand rotation matrix about ``axis``."""
    return Rotation.from_rotvec(math.radians(deg) * np.asarray(axis, float)).as_matrix()


def sag(deg: float) -> np.ndarray:
    """Unit sagittal direction: S turned ``deg`` about L (towards A)."""
    return rot(L, deg) @ S


def build_body(
    *,
    lean: float = 0.0,
    bend: float = 0.0,
    hip: tuple[float, float] = (180.0, 180.0),
    knee: tuple[float, float] = (180.0, 180.0),
    ankle: tuple[float, float] = (90.0, 90.0),
    foot: tuple[float | None, float | None] = (None, None),
    arm: float = 10.0,
    shoulder_turn: float = 0.0,
    legs_roll: float = 0.0,
) -> np.ndarray:
    """(33, 3) body-frame points, metres, hip midpoint at the origin.

    lean: trunk turned forward (towards A) about L; bend: trunk tilted towards the
    person's left; hip/knee/ankle: (left, right) signed hip angle, interior knee
    angle (180 straight; the shank swings back-wards as it bends), interior ankle
    angle knee-ankle-toe; foot: absolute sagittal direction of the sole, heel to
    toes (overrides ankle; 90 = flat when S is up); arm: shoulder angle
    hip-shoulder-wrist (arms swing forward); shoulder_turn: shoulder line turned about the trunk axis, + = towards the
    person's left (left shoulder goes back-wards); legs_roll: pelvis and legs turned
    about S through the hip midpoint, + = knees towards the person's left.
    """
    pts = np.full((NUM_LANDMARKS, 3), np.nan)

    def put(name: str, side: str | None, p: np.ndarray) -> None:
        key = name if side is None else f"{side.upper()}_{name}"
        pts[Landmark[key]] = p

    trunk = rot(L, lean) @ rot(A, -bend)  # upright frame -> trunk frame
    d = trunk @ S
    sh_line = trunk @ rot(S, shoulder_turn) @ L
    sh_mid = 0.5 * d
    roll = rot(S, legs_roll)
    for side in SIDES:
        i, sg = SIDES.index(side), SIGN[side]
        sh = sh_mid + sg * 0.1 * sh_line  # as wide as the hips: shoulder angles stay planar
        put("SHOULDER", side, sh)
        arm_dir = trunk @ sag(180.0 - arm)
        put("ELBOW", side, sh + 0.28 * arm_dir)
        wrist = sh + 0.55 * arm_dir
        put("WRIST", side, wrist)
        put("PINKY", side, wrist + 0.08 * arm_dir + sg * 0.02 * sh_line)
        put("INDEX", side, wrist + 0.09 * arm_dir)
        put("THUMB", side, wrist + 0.05 * arm_dir - sg * 0.02 * sh_line)
        # legs in their own sagittal plane, attached relative to the (leaned) trunk
        hip_p = sg * 0.1 * L
        thigh = lean + hip[i]
        shank = thigh + 180.0 - knee[i]
        knee_p = hip_p + 0.45 * sag(thigh)
        ankle_p = knee_p + 0.43 * sag(shank)
        # the toe ray (ankle -> foot index) runs 20 degrees below the sole (heel -> toe)
        toe_ray = foot[i] + 20.0 if foot[i] is not None else shank + 180.0 + ankle[i]
        toe_p = ankle_p + 0.15 * sag(toe_ray)
        for name, p in (
            ("HIP", hip_p),
            ("KNEE", knee_p),
            ("ANKLE", ankle_p),
            ("HEEL", toe_p - 0.22 * sag(toe_ray - 20.0)),
            ("FOOT_INDEX", toe_p),
        ):
            put(name, side, roll @ p)
    head = sh_mid + 0.25 * d
    face = trunk @ A
    put("NOSE", None, head + 0.1 * face)
    for side in SIDES:
        sg = SIGN[side]
        for name, off in (("EYE_INNER", 0.02), ("EYE", 0.035), ("EYE_OUTER", 0.05)):
            put(name, side, head + 0.03 * d + 0.08 * face + sg * off * sh_line)
        put("EAR", side, head + sg * 0.075 * sh_line)
        pts[Landmark[f"MOUTH_{side.upper()}"]] = head - 0.05 * d + 0.08 * face + sg * 0.025 * sh_line
    assert np.isfinite(pts).all()
    return pts


def orient(superior: tuple[float, float, float], anterior: tuple[float, float, float]) -> np.ndarray:
    """Rotation taking body axes (L, S, A) to world directions (L = S x A)."""
    s, a = np.asarray(superior, float), np.asarray(anterior, float)
    return np.column_stack([np.cross(s, a), s, a])


# World placements (image axes). Supine: chest faces up (-y).
FACING_CAMERA = orient((0, -1, 0), (0, 0, -1))  # standing, person's left at image right
BACK_TO_CAMERA = orient((0, -1, 0), (0, 0, 1))
LEFT_SIDE_TO_CAMERA = orient((0, -1, 0), (1, 0, 0))  # standing, facing image right
RIGHT_SIDE_TO_CAMERA = orient((0, -1, 0), (-1, 0, 0))
SUPINE_HEAD_LEFT = orient((-1, 0, 0), (0, -1, 0))  # right side towards the camera
SUPINE_HEAD_RIGHT = orient((1, 0, 0), (0, -1, 0))  # left side towards the camera
STANDING = {
    "facing": FACING_CAMERA,
    "back": BACK_TO_CAMERA,
    "left_side": LEFT_SIDE_TO_CAMERA,
    "right_side": RIGHT_SIDE_TO_CAMERA,
}
SUPINE = {"head_left": SUPINE_HEAD_LEFT, "head_right": SUPINE_HEAD_RIGHT}


def place(body: np.ndarray, r: np.ndarray, scale: float = 400.0, origin=(320.0, 300.0, 0.0)) -> np.ndarray:
    """Body-frame points into the world: rotate, scale (e.g. to pixels), translate."""
    return np.asarray(origin) + scale * body @ r.T


def metrics(exercise: str, pts: np.ndarray, side: str | None = "left", **kw) -> dict[str, float]:
    out = compute_metrics(exercise, pts[None] if pts.ndim == 2 else pts, side, **kw)
    return {k: float(v[0]) for k, v in out.items()}


def test_orientations_are_proper_rotations():
    for r in (*STANDING.values(), *SUPINE.values()):
        np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-12)
        assert np.linalg.det(r) == pytest.approx(1.0)
    # supine, head to the left: the person's left points away from the camera (+z)
    np.testing.assert_allclose(SUPINE_HEAD_LEFT @ L, (0, 0, 1))
    np.testing.assert_allclose(SUPINE_HEAD_RIGHT @ L, (0, 0, -1))
    np.testing.assert_allclose(FACING_CAMERA @ L, (1, 0, 0))


def test_neutral_standing_body():
    m = metrics("side_bend", place(build_body(), FACING_CAMERA))
    for name in ("side_bend", "trunk_lean", "trunk_twist", "leg_lean"):
        assert m[name] == pytest.approx(0.0, abs=1e-9)
    b = Body.from_points(place(build_body(), FACING_CAMERA))
    np.testing.assert_allclose(b.lateral[0], (1, 0, 0), atol=1e-12)
    np.testing.assert_allclose(b.anterior[0], (0, 0, -1), atol=1e-12)
    for side in SIDES:
        assert b.hip_angle(side)[0] == pytest.approx(180.0)
        assert b.knee_angle(side)[0] == pytest.approx(180.0)


# -- bridge / pelvic tilt -------------------------------------------------------------


def bridge_body(hip_angle: float, lift: float = 0.0) -> np.ndarray:
    """Supine, knees bent ~90, feet flat; ``lift`` pitches the trunk up off the floor."""
    body = build_body(hip=(hip_angle, hip_angle), knee=(90.0, 90.0), foot=(180.0, 180.0))
    return body @ rot(L, -lift).T  # the whole body pitched about L: the trunk is no longer level


@pytest.mark.parametrize("view", sorted(SUPINE))
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize(("hip", "lift"), [(135.0, 0.0), (150.0, 10.0), (180.0, 25.0), (195.0, 30.0)])
@pytest.mark.parametrize("camera_roll", [0.0, 12.0, -25.0])
def test_bridge_hip_angle_either_view(view, side, hip, lift, camera_roll):
    """~135 at rest, 180 at the top, > 180 over-arched: whichever side faces the camera."""
    r = rot((0, 0, 1), camera_roll) @ SUPINE[view]  # a tilted camera rolls the image
    m = metrics("bridge", place(bridge_body(hip, lift), r), side)
    assert m["hip_angle"] == pytest.approx(hip, abs=1e-6)
    assert m["knee_angle"] == pytest.approx(90.0, abs=1e-6)


@pytest.mark.parametrize("head", ["left", "right"])
@pytest.mark.parametrize(("raise_px", "above"), [(-40.0, False), (0.0, None), (25.0, True)])
def test_hip_above_shoulder_knee_line_reads_over_180(head, raise_px, above):
    """Built straight in pixels, independent of the body-frame helpers.

    Shoulder on the floor, knee up in the air, hip on the shoulder-knee line moved
    perpendicular to it (towards the ceiling = hips above the line). A supine
    person with the head to the image left shows the camera the RIGHT side (it gets
    the smaller z); with the head to the right (turned 180 about the vertical: x
    and z flip) the LEFT side. The other two combinations exist only in a mirrored
    video: see the mirror property test below.
    """
    sh, kn = np.array([100.0, 400.0]), np.array([420.0, 250.0])
    line = (kn - sh) / np.linalg.norm(kn - sh)
    ceiling = np.array([line[1], -line[0]])  # perpendicular, pointing up in the image
    assert ceiling[1] < 0
    hip = (sh + kn) / 2 + raise_px * ceiling
    pts = np.zeros((NUM_LANDMARKS, 3))
    for s in SIDES:
        z = -20.0 if s == "right" else 20.0
        for name, p in (("SHOULDER", sh), ("HIP", hip), ("KNEE", kn), ("ANKLE", (kn[0] + 60.0, 400.0))):
            pts[Landmark[f"{s.upper()}_{name}"]] = (p[0], p[1], z)
    near = "right"
    if head == "right":
        pts[:, 0] = 640.0 - pts[:, 0]
        pts[:, 2] = -pts[:, 2]
        near = "left"
    assert pts[sided_index(near, "HIP"), 2] < pts[sided_index(other_side(near), "HIP"), 2]
    for side in SIDES:  # both legs are drawn the same: either side reads the same angle
        h = metrics("bridge", pts, side)["hip_angle"]
        if above is None:
            assert h == pytest.approx(180.0, abs=1e-9)
        elif above:
            assert 180.0 < h < 200.0
        else:
            assert 140.0 < h < 180.0


def sided_index(side: str, joint: str) -> int:
    return int(Landmark[f"{side.upper()}_{joint}"])


def test_knee_angle_is_unsigned():
    """Knees are measured in [0, 180]: a knee bent 'backwards' past straight reads 170."""
    for k in (30.0, 90.0, 150.0, 180.0):
        m = metrics("bridge", place(build_body(hip=(135.0, 135.0), knee=(k, k)), SUPINE_HEAD_LEFT))
        assert m["knee_angle"] == pytest.approx(k, abs=1e-9)
    m = metrics("bridge", place(build_body(knee=(190.0, 190.0)), FACING_CAMERA))
    assert m["knee_angle"] == pytest.approx(170.0, abs=1e-9)


# -- standing exercises -------------------------------------------------------------


@pytest.mark.parametrize("view", sorted(STANDING))
@pytest.mark.parametrize("bend", [-30.0, -10.0, 0.0, 12.0, 35.0])
def test_side_bend_to_the_left_is_positive(view, bend):
    m = metrics("side_bend", place(build_body(bend=bend), STANDING[view]))
    assert m["side_bend"] == pytest.approx(bend, abs=1e-6)
    assert m["trunk_lean"] == pytest.approx(0.0, abs=1e-6)
    assert m["trunk_twist"] == pytest.approx(0.0, abs=1e-6)


def test_side_bend_direction_in_the_image():
    """Facing the camera, the person's left is the image's right: bending left moves the head to +x."""
    pts = place(build_body(bend=20.0), FACING_CAMERA)
    assert pts[Landmark.NOSE, 0] > place(build_body(), FACING_CAMERA)[Landmark.NOSE, 0]
    assert metrics("side_bend", pts)["side_bend"] == pytest.approx(20.0)


@pytest.mark.parametrize("view", sorted(STANDING))
@pytest.mark.parametrize("lean", [-20.0, 0.0, 15.0, 40.0])
def test_trunk_lean_forward_is_positive(view, lean):
    m = metrics("side_bend", place(build_body(lean=lean, hip=(180 - lean, 180 - lean)), STANDING[view]))
    assert m["trunk_lean"] == pytest.approx(lean, abs=1e-6)
    assert m["side_bend"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("view", sorted(STANDING))
@pytest.mark.parametrize("turn", [-30.0, 15.0, 40.0])
def test_trunk_twist_to_the_left_is_positive(view, turn):
    m = metrics("side_bend", place(build_body(shoulder_turn=turn), STANDING[view]))
    assert m["trunk_twist"] == pytest.approx(turn, abs=1e-6)


def test_leg_lean_hips_shifted_left_is_positive():
    pts = build_body()
    legs = [Landmark[f"{s}_{j}"] for s in ("LEFT", "RIGHT") for j in ("ANKLE", "HEEL", "FOOT_INDEX")]
    pts[legs] -= 0.1 * L  # feet to the right = hips shifted to the person's left
    m = metrics("side_bend", place(pts, FACING_CAMERA))
    assert m["leg_lean"] == pytest.approx(math.degrees(math.atan2(0.1, 0.88)), abs=1e-6)


def calf_body(back: str, lean: float = 20.0, heel_lift: float = 0.0, back_knee: float = 180.0) -> np.ndarray:
    """Stride stance at a wall: back leg in line with the trunk, front knee bent."""
    hips = {back: 180.0, other_side(back): 150.0}
    knees = {back: back_knee, other_side(back): 120.0}
    foot = {back: 90.0 + heel_lift, other_side(back): 90.0}  # 90 = toes forward, sole flat
    return build_body(
        lean=lean,
        hip=(hips["left"], hips["right"]),
        knee=(knees["left"], knees["right"]),
        foot=(foot["left"], foot["right"]),
    )


@pytest.mark.parametrize("back", SIDES)
@pytest.mark.parametrize("view", ["left_side", "right_side", "facing"])
def test_calf_stretch(back, view):
    m = metrics("calf_stretch", place(calf_body(back), STANDING[view]), back)
    assert m["back_knee_angle"] == pytest.approx(180.0, abs=1e-6)
    assert m["front_knee_angle"] == pytest.approx(120.0, abs=1e-6)
    assert m["back_foot_pitch"] == pytest.approx(0.0, abs=1e-6)  # heel down
    assert m["body_lean"] > 10.0  # leaning forward, towards the wall
    lifted = metrics("calf_stretch", place(calf_body(back, heel_lift=25.0), STANDING[view]), back)
    assert lifted["back_foot_pitch"] == pytest.approx(25.0, abs=1e-6)
    bent = metrics("calf_stretch", place(calf_body(back, back_knee=150.0), STANDING[view]), back)
    assert bent["back_knee_angle"] == pytest.approx(150.0, abs=1e-6)


@pytest.mark.parametrize("back", SIDES)
def test_half_kneel_hip_stretch(back):
    hips = {back: 200.0, other_side(back): 90.0}
    knees = {back: 90.0, other_side(back): 90.0}
    for lean in (-10.0, 0.0, 12.0):
        body = build_body(
            lean=lean,
            hip=(hips["left"] - lean, hips["right"] - lean),
            knee=(knees["left"], knees["right"]),
        )
        m = metrics("half_kneel_hip_stretch", place(body, LEFT_SIDE_TO_CAMERA), back)
        assert m["back_hip_angle"] == pytest.approx(200.0 - lean, abs=1e-6)  # extension: > 180 upright
        assert m["front_knee_angle"] == pytest.approx(90.0, abs=1e-6)
        assert m["trunk_lean"] == pytest.approx(lean, abs=1e-6)  # leaning back reads negative


# -- floor exercises ------------------------------------------------------------------


@pytest.mark.parametrize("view", sorted(SUPINE))
@pytest.mark.parametrize("roll", [-40.0, -10.0, 0.0, 25.0, 60.0])
def test_knee_rotation_to_the_left_is_positive(view, roll):
    body = build_body(hip=(120.0, 120.0), knee=(90.0, 90.0), legs_roll=roll)
    m = metrics("lower_trunk_rotation", place(body, SUPINE[view]), None)
    assert m["knee_rotation"] == pytest.approx(roll, abs=1e-6)
    assert m["thigh_spread"] == pytest.approx(2 * math.degrees(math.atan2(0.1, 0.45)), abs=1e-6)
    assert m["shoulder_tilt"] == pytest.approx(0.0, abs=1e-6)


def test_knees_apart_and_shoulder_lifting():
    together = build_body(hip=(120.0, 120.0), knee=(90.0, 90.0))
    apart = together.copy()
    apart[Landmark.LEFT_KNEE] += 0.15 * L
    apart[Landmark.RIGHT_KNEE] -= 0.15 * L
    m0 = metrics("lower_trunk_rotation", place(together, SUPINE_HEAD_LEFT), None)
    m1 = metrics("lower_trunk_rotation", place(apart, SUPINE_HEAD_LEFT), None)
    assert m1["thigh_spread"] > m0["thigh_spread"] + 20.0
    assert m1["knee_rotation"] == pytest.approx(0.0, abs=1e-6)
    lifted = build_body(hip=(120.0, 120.0), knee=(90.0, 90.0), shoulder_turn=-20.0)  # left shoulder up
    m2 = metrics("lower_trunk_rotation", place(lifted, SUPINE_HEAD_RIGHT), None)
    assert m2["shoulder_tilt"] == pytest.approx(20.0, abs=1e-6)


@pytest.mark.parametrize("view", sorted(SUPINE))
@pytest.mark.parametrize("pulled", SIDES)
def test_knee_to_chest_and_hip_flexor_stretch(view, pulled):
    straight = other_side(pulled)
    hips = {pulled: 60.0, straight: 180.0}
    knees = {pulled: 50.0, straight: 178.0}
    body = build_body(hip=(hips["left"], hips["right"]), knee=(knees["left"], knees["right"]))
    pts = place(body, SUPINE[view])
    expected = {
        "pulled_hip_angle": 60.0,
        "pulled_knee_angle": 50.0,
        "straight_knee_angle": 178.0,
        "straight_hip_angle": 180.0,
    }
    # knee_to_chest names the pulled leg; hip_flexor_stretch names the affected (straight) leg
    for ex, side in (("knee_to_chest", pulled), ("hip_flexor_stretch", straight)):
        m = metrics(ex, pts, side)
        assert m == pytest.approx(expected, abs=1e-6)


def test_childs_pose():
    body = build_body(lean=0.0, hip=(40.0, 40.0), knee=(30.0, 30.0), arm=170.0)
    for r in (SUPINE_HEAD_LEFT, LEFT_SIDE_TO_CAMERA @ rot(L, 100.0)):  # trunk about horizontal
        m = metrics("childs_pose", place(body, r), "left")
        assert m == pytest.approx({"hip_angle": 40.0, "knee_angle": 30.0, "shoulder_angle": 170.0}, abs=1e-6)


@pytest.mark.parametrize("side", SIDES)
def test_nerve_glide(side):
    hips = {side: 90.0, other_side(side): 180.0}
    knees = {side: 150.0, other_side(side): 180.0}
    ankles = {side: 75.0, other_side(side): 100.0}
    body = build_body(
        hip=(hips["left"], hips["right"]),
        knee=(knees["left"], knees["right"]),
        ankle=(ankles["left"], ankles["right"]),
    )
    m = metrics("nerve_glide", place(body, SUPINE_HEAD_RIGHT), side)
    assert m == pytest.approx({"hip_angle": 90.0, "knee_angle": 150.0, "ankle_angle": 75.0}, abs=1e-6)


# -- API -------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", sorted(METRIC_SETS))
def test_every_exercise_returns_its_named_metrics(exercise):
    pts = np.stack([place(build_body(hip=(h, h), knee=(120.0, 120.0)), SUPINE_HEAD_LEFT) for h in (130, 150)])
    out = compute_metrics(exercise, pts, "right")
    assert tuple(out) == metric_names(exercise)
    assert primary_metric(exercise) in out
    assert exercise in SIDE_ROLE
    for v in out.values():
        assert v.shape == (2,) and v.dtype == np.float64


def test_single_frame_input_is_accepted():
    out = compute_metrics("bridge", place(bridge_body(150.0), SUPINE_HEAD_LEFT), "left")
    assert out["hip_angle"].shape == (1,)
    assert out["hip_angle"][0] == pytest.approx(150.0)


@pytest.mark.parametrize("shape", [(33, 2), (5, 32, 3), (2, 33, 3, 1), (33,)])
def test_bad_point_shapes_raise(shape):
    with pytest.raises(ValueError, match="33"):
        compute_metrics("bridge", np.zeros(shape), "left")


def test_unknown_exercise_lists_valid_ids():
    with pytest.raises(ValueError, match="valid ids") as err:
        compute_metrics("squat", np.zeros((1, 33, 3)), "left")
    for ex in METRIC_SETS:
        assert ex in str(err.value)
    with pytest.raises(ValueError, match="bridge"):
        metric_names("squat")
    with pytest.raises(ValueError, match="bridge"):
        primary_metric("squat")


def test_side_none_means_left():
    pts = place(build_body(hip=(150.0, 120.0)), SUPINE_HEAD_LEFT)
    assert metrics("bridge", pts, None) == metrics("bridge", pts, "left")
    assert metrics("bridge", pts, "right")["hip_angle"] == pytest.approx(120.0)


# -- missing landmarks ------------------------------------------------------------------


@pytest.mark.parametrize("exercise", sorted(METRIC_SETS))
def test_nobody_in_view_gives_nan_not_zero(exercise):
    out = compute_metrics(exercise, np.full((3, 33, 3), np.nan), "left")
    for name, v in out.items():
        assert np.isnan(v).all(), name


def test_a_missing_joint_blanks_only_the_metrics_that_need_it():
    pts = place(build_body(hip=(150.0, 150.0), knee=(100.0, 100.0)), SUPINE_HEAD_LEFT)
    pts[Landmark.LEFT_KNEE] = np.nan
    left = metrics("bridge", pts, "left")
    assert np.isnan(left["hip_angle"]) and np.isnan(left["knee_angle"])
    assert metrics("bridge", pts, "right") == pytest.approx({"hip_angle": 150.0, "knee_angle": 100.0})


def test_lateral_axis_survives_one_missing_pair():
    """Lateral = hip pair + shoulder pair; either alone still says which way is left."""
    pts = place(bridge_body(170.0, 20.0), SUPINE_HEAD_RIGHT)
    for lost in (Landmark.LEFT_HIP, Landmark.LEFT_SHOULDER):
        p = pts.copy()
        p[lost] = np.nan
        assert metrics("bridge", p, "right")["hip_angle"] == pytest.approx(170.0, abs=1e-6)
    p = pts.copy()
    p[[Landmark.LEFT_HIP, Landmark.LEFT_SHOULDER]] = np.nan
    assert np.isnan(metrics("bridge", p, "right")["hip_angle"])  # no lateral direction left


def test_nan_frames_in_a_clip_stay_nan():
    pts = np.stack([place(bridge_body(h), SUPINE_HEAD_LEFT) for h in (135.0, 160.0, 185.0)])
    pts[1] = np.nan
    h = compute_metrics("bridge", pts, "left")["hip_angle"]
    assert h[0] == pytest.approx(135.0) and np.isnan(h[1]) and h[2] == pytest.approx(185.0)


# -- lateral override, mirror images ---------------------------------------------------


def swap_labels(pts: np.ndarray) -> np.ndarray:
    return pts[..., list(LEFT_RIGHT_SWAP), :]


def mirror_x(pts: np.ndarray, width: float = 640.0) -> np.ndarray:
    out = pts.copy()
    out[..., 0] = width - out[..., 0]
    return out


@pytest.mark.parametrize("view", sorted(SUPINE))
def test_lateral_override_fixes_swapped_labels(view):
    """A model that swaps left/right reverses the lateral axis: hip angles read 360 - x.

    A side-view analyzer that knows the person's true left direction passes it as
    ``lateral`` and gets the right reading back (for the leg the label now names).
    """
    body = build_body(hip=(195.0, 150.0), knee=(90.0, 90.0))
    pts = place(body, SUPINE[view])
    true_left = SUPINE[view] @ L
    swapped = swap_labels(pts)
    assert metrics("bridge", swapped, "left")["hip_angle"] == pytest.approx(360.0 - 150.0, abs=1e-6)
    fixed = metrics("bridge", swapped, "left", lateral=true_left)
    assert fixed["hip_angle"] == pytest.approx(150.0, abs=1e-6)  # the (true) right leg, now labelled left
    # the override is per frame or one vector; its length does not matter
    clip = np.stack([swapped, swapped])
    out = compute_metrics("bridge", clip, "right", lateral=np.stack([true_left, 5.0 * true_left]))
    np.testing.assert_allclose(out["hip_angle"], [195.0, 195.0], atol=1e-6)


def test_mirror_alone_gives_a_left_handed_body():
    """Mirroring points without relabelling: sagittal signs flip (hip 360 - x, lean -x)."""
    body = build_body(lean=15.0, hip=(150.0, 200.0), knee=(100.0, 160.0))
    pts = place(body, LEFT_SIDE_TO_CAMERA)
    for side in SIDES:
        m, mm = metrics("half_kneel_hip_stretch", pts, side), metrics("half_kneel_hip_stretch", mirror_x(pts), side)
        assert mm["back_hip_angle"] == pytest.approx(360.0 - m["back_hip_angle"], abs=1e-6)
        assert mm["front_knee_angle"] == pytest.approx(m["front_knee_angle"], abs=1e-6)
        assert mm["trunk_lean"] == pytest.approx(-m["trunk_lean"], abs=1e-6)


# -- property tests ---------------------------------------------------------------------


def random_posture(draw) -> tuple[str, str, np.ndarray]:
    exercise = draw(st.sampled_from(sorted(METRIC_SETS)))
    side = draw(st.sampled_from(SIDES))
    ang = st.floats(min_value=-1.0, max_value=1.0)
    # hip angles away from 180, where the knees line up with the body axis and the
    # knee_rotation direction is ill-conditioned
    hip = st.one_of(st.floats(95.0, 165.0), st.floats(192.0, 215.0))
    hips = (draw(hip), draw(hip))
    knees = (120.0 + 50.0 * draw(ang), 120.0 + 50.0 * draw(ang))
    body = build_body(
        lean=25.0 * draw(ang),
        bend=20.0 * draw(ang),
        hip=hips,
        knee=knees,
        ankle=(95.0 + 20.0 * draw(ang), 95.0 + 20.0 * draw(ang)),
        arm=90.0 + 80.0 * draw(ang),
        shoulder_turn=20.0 * draw(ang),
        legs_roll=40.0 * draw(ang),
    )
    return exercise, side, body


@st.composite
def postures(draw):
    return random_posture(draw)


def assert_metrics_close(a: dict[str, np.ndarray], b: dict[str, np.ndarray], sign=None, tol=1e-6):
    assert a.keys() == b.keys()
    for name in a:
        s = -1.0 if sign and name in sign else 1.0
        x, y = float(a[name][0]), s * float(b[name][0])
        # Signed turns live on a circle: hip angles in [0, 360), lateral ones in (-180, 180],
        # where +180 and -180 are the same posture and rounding may pick either.
        circular = "hip_angle" in name or name in LATERAL_SIGNED
        diff = abs((x - y + 180.0) % 360.0 - 180.0) if circular else abs(x - y)
        assert diff < tol, (name, x, y)


@settings(max_examples=60, deadline=None)
@given(
    postures(),
    st.integers(0, 2**32 - 1),
    st.floats(0.01, 1000.0),
    st.tuples(*[st.floats(-1e3, 1e3)] * 3),
)
def test_metrics_invariant_under_rotation_translation_scale(posture, seed, scale, shift):
    """Any proper rotation of the whole scene (body and ``up``), any shift, any positive scale.

    Signed metrics included: their lateral axis comes from the body itself.
    """
    exercise, side, body = posture
    r = Rotation.random(random_state=seed).as_matrix()
    ref = compute_metrics(exercise, place(body, FACING_CAMERA)[None], side)
    moved = place(body, r @ FACING_CAMERA, scale=scale, origin=shift)
    out = compute_metrics(exercise, moved[None], side, up=r @ UP)
    assert_metrics_close(ref, out, tol=1e-6)


@settings(max_examples=60, deadline=None)
@given(postures(), st.integers(0, 2**32 - 1))
def test_mirror_plus_label_swap_is_the_mirror_image_posture(posture, seed):
    """What a mirrored video gives a model that labels sides anatomically.

    Reflecting the scene and swapping every left/right label yields a valid
    right-handed body again, but of the MIRROR-IMAGE posture: the person's left
    leg's movement is now done by the right leg and a bend to the left becomes a
    bend to the right. So metrics measured on the other side are unchanged, and
    metrics signed left/right (side bend, twist, knee rotation, shoulder tilt,
    leg lean) change sign. (Mirror without relabelling is a left-handed body: see
    test_mirror_alone_gives_a_left_handed_body.)
    """
    exercise, side, body = posture
    r = Rotation.random(random_state=seed).as_matrix()
    pts = place(body, r @ FACING_CAMERA)
    normal = Rotation.random(random_state=(seed + 1) % 2**32).as_matrix()[:, 0]
    reflect = np.eye(3) - 2.0 * np.outer(normal, normal)  # mirror about an arbitrary plane
    up = r @ UP
    ref = compute_metrics(exercise, pts[None], side, up=up)
    mirrored = swap_labels(pts @ reflect.T)
    out = compute_metrics(exercise, mirrored[None], other_side(side), up=reflect @ up)
    assert_metrics_close(ref, out, sign=LATERAL_SIGNED, tol=1e-6)


@settings(max_examples=30, deadline=None)
@given(postures())
def test_metrics_are_per_frame(posture):
    """A clip gives each frame the metrics it has alone (no cross-frame mixing)."""
    exercise, side, body = posture
    frames = [place(body, FACING_CAMERA), place(build_body(hip=(140.0, 140.0)), SUPINE_HEAD_LEFT)]
    clip = compute_metrics(exercise, np.stack(frames), side)
    for i, f in enumerate(frames):
        alone = compute_metrics(exercise, f[None], side)
        for name in clip:
            np.testing.assert_allclose(clip[name][i], alone[name][0], atol=1e-9)


@pytest.mark.parametrize(("collapsed", "measured"), [(False, True), (True, False)])
def test_a_nerve_glides_ankle_is_not_read_off_a_foot_that_cannot_be(collapsed, measured):
    """From a camera on the floor the model's toe point strays up the shank at the top of a
    glide (30-77 px on sweep1_nerve_glide_02): the foot reads under 0.4 shanks long and the
    ankle 150-178 for a true 78-82, which told good glides to pull their toes. A rigid
    foot is ~0.6 shanks long (metrics.FOOT_MIN_SHANKS): shorter than 0.39, no ankle angle."""
    body = build_body(hip=(90.0, 180.0), knee=(150.0, 180.0), ankle=(75.0, 100.0))
    if collapsed:  # the toe point read just in front of the ankle, beside the shank
        ankle, knee = body[Landmark.LEFT_ANKLE], body[Landmark.LEFT_KNEE]
        body[Landmark.LEFT_FOOT_INDEX] = ankle + 0.3 * (body[Landmark.LEFT_FOOT_INDEX] - ankle) + 0.1 * (knee - ankle)
    m = metrics("nerve_glide", place(body, SUPINE_HEAD_RIGHT), "left")
    assert math.isfinite(m["ankle_angle"]) is measured
    assert m["knee_angle"] == pytest.approx(150.0, abs=1e-6)
