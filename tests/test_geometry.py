"""Angle functions in formcheck.geometry on hand-built vectors.

Conventions checked here: unsigned angles in [0, 180]; signed angles in [0, 360)
by the right-hand rule about an axis, after projecting onto the plane normal to
it; tilts in (-180, 180]; NaN or direction-less input gives NaN, never a number.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formcheck.geometry import (
    cross,
    joint_angle,
    midpoint,
    norm,
    normalize,
    signed_joint_angle,
    signed_vector_angle,
    tilt_from,
    vector_angle,
    wrap180,
)

X, Y, Z = np.eye(3)


def unit(deg: float, axis: str = "z") -> np.ndarray:
    """Unit vector at ``deg`` from +x (axis z) or from +y (axis x), right-hand rule."""
    r = math.radians(deg)
    if axis == "z":
        return np.array([math.cos(r), math.sin(r), 0.0])
    return np.array([0.0, math.cos(r), math.sin(r)])


# -- unsigned angles ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "c", "expected"),
    [
        ((0, 1), (0, 0), (1, 0), 90.0),  # right angle
        ((1, 0), (0, 0), (1, 0), 0.0),  # same ray
        ((-1, 0), (0, 0), (1, 0), 180.0),  # straight line
        ((4, 3), (0, 0), (4, 0), math.degrees(math.atan2(3, 4))),  # 3-4-5 triangle
        ((0, 3), (4, 0), (0, 0), math.degrees(math.atan2(3, 4))),  # its other acute angle
        ((1, 0), (0, 0), (0.5, math.sqrt(3) / 2), 60.0),  # equilateral
        ((10, 20), (10, 10), (20, 10), 90.0),  # translated
        ((1, 0, 0), (0, 0, 0), (0, 0, 1), 90.0),  # 3-D, out of the image plane
        ((1, 1, 0), (0, 0, 0), (0, 1, 1), 60.0),  # 3-D: face diagonals of a cube
        ((1, 1, 1), (0, 0, 0), (1, -1, 0), 90.0),
    ],
)
def test_joint_angle_known_triangles(a, b, c, expected):
    assert joint_angle(a, b, c) == pytest.approx(expected, abs=1e-9)


def test_joint_angle_is_symmetric_in_its_rays():
    a, b, c = (3.0, 1.0, 2.0), (0.5, -1.0, 0.0), (-2.0, 4.0, 1.0)
    assert joint_angle(a, b, c) == pytest.approx(joint_angle(c, b, a))


def test_2d_points_are_the_z0_plane_of_3d():
    rng = np.random.default_rng(1)
    pts = rng.normal(size=(50, 3, 2))
    flat = joint_angle(pts[:, 0], pts[:, 1], pts[:, 2])
    lifted = np.concatenate([pts, np.full((50, 3, 1), 7.5)], axis=-1)  # any common z
    np.testing.assert_allclose(joint_angle(lifted[:, 0], lifted[:, 1], lifted[:, 2]), flat, atol=1e-9)


def test_matches_arccos_formula_on_random_vectors():
    rng = np.random.default_rng(2)
    u, v = rng.normal(size=(2, 200, 3))
    ref = np.degrees(np.arccos(np.sum(u * v, -1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1)))
    np.testing.assert_allclose(vector_angle(u, v), ref, atol=1e-6)


@pytest.mark.parametrize(
    ("shape_u", "shape_v", "out"),
    [
        ((3,), (3,), ()),
        ((5, 3), (5, 3), (5,)),
        ((5, 3), (3,), (5,)),  # one reference vector for a clip
        ((4, 33, 3), (4, 33, 3), (4, 33)),  # every landmark of every frame
        ((4, 1, 2), (1, 6, 2), (4, 6)),  # broadcasting, 2-D
    ],
)
def test_batch_shapes(shape_u, shape_v, out):
    rng = np.random.default_rng(3)
    u, v = rng.normal(size=shape_u), rng.normal(size=shape_v)
    res = vector_angle(u, v)
    assert res.shape == out
    assert np.all((res >= 0) & (res <= 180))
    # each element equals the angle computed on its own
    bu, bv = np.broadcast_arrays(u, v)
    flat_u, flat_v = bu.reshape(-1, bu.shape[-1]), bv.reshape(-1, bv.shape[-1])
    singles = [float(vector_angle(a, b)) for a, b in zip(flat_u, flat_v, strict=True)]
    np.testing.assert_allclose(res.reshape(-1), singles)


def test_nan_in_nan_out_only_where_unknown():
    a = np.array([[1.0, 0.0, 0.0], [np.nan, 0.0, 0.0], [1.0, 0.0, 0.0]])
    b = np.zeros((3, 3))
    c = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, np.nan, 0.0]])
    out = joint_angle(a, b, c)
    assert out[0] == pytest.approx(90.0)
    assert np.isnan(out[1]) and np.isnan(out[2])


@pytest.mark.parametrize(
    ("u", "v"),
    [
        ((0, 0, 0), (1, 0, 0)),
        ((1, 0, 0), (0, 0, 0)),
        ((0, 0), (0, 0)),
        ((1e-9, 0, 0), (0, 1, 0)),  # shorter than the direction threshold
    ],
)
def test_zero_length_vector_has_no_angle(u, v):
    assert np.isnan(vector_angle(u, v))


def test_coincident_joint_points_give_nan():
    assert np.isnan(joint_angle((1.0, 2.0), (1.0, 2.0), (3.0, 4.0)))


@pytest.mark.parametrize("delta_rad", [1e-3, 1e-5, 1e-7, 1e-9])
def test_precision_near_0_and_180(delta_rad):
    """atan2 keeps relative precision where arccos(dot) collapses to 0 or 180."""
    d = math.degrees(delta_rad)
    near0 = vector_angle((1.0, 0.0, 0.0), (math.cos(delta_rad), math.sin(delta_rad), 0.0))
    near180 = vector_angle((1.0, 0.0, 0.0), (-math.cos(delta_rad), math.sin(delta_rad), 0.0))
    assert near0 == pytest.approx(d, rel=1e-6)
    assert 180.0 - near180 == pytest.approx(d, rel=1e-3, abs=1e-12)
    assert near0 > 0.0 and near180 < 180.0


def test_straight_knee_is_exactly_180():
    assert joint_angle((0.0, 0.0), (0.0, 45.0), (0.0, 88.0)) == 180.0


def test_wrong_coordinate_count_raises():
    with pytest.raises(ValueError, match="2 or 3 coordinates"):
        vector_angle((1, 2, 3, 4), (1, 0, 0, 0))


def test_normalize_and_midpoint():
    np.testing.assert_allclose(normalize((3.0, 4.0, 0.0)), (0.6, 0.8, 0.0))
    assert np.isnan(normalize((0.0, 0.0, 0.0))).all()
    np.testing.assert_allclose(midpoint((0, 0, 0), (2, 4, 6)), (1, 2, 3))


# -- signed angles -----------------------------------------------------------------

TURNS = [0.0, 10.0, 45.0, 90.0, 135.0, 170.0, 179.0, 180.0, 181.0, 190.0, 200.0, 270.0, 300.0, 359.0]


@pytest.mark.parametrize("deg", TURNS)
def test_signed_angle_runs_past_180(deg):
    """An angle of 190 reads 190, not 170; right-hand rule about +z."""
    assert signed_vector_angle(X, unit(deg), Z) == pytest.approx(deg, abs=1e-9)


@pytest.mark.parametrize("deg", TURNS)
def test_flipping_the_axis_gives_360_minus(deg):
    expected = (360.0 - deg) % 360.0
    assert signed_vector_angle(X, unit(deg), -Z) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("deg", TURNS)
def test_signed_and_unsigned_agree_on_the_plane(deg):
    s = float(signed_vector_angle(X, unit(deg), Z))
    assert vector_angle(X, unit(deg)) == pytest.approx(min(s, 360.0 - s), abs=1e-9)


@pytest.mark.parametrize("deg", [30.0, 150.0, 190.0, 250.0])
def test_signed_angle_projects_onto_the_plane_normal_to_the_axis(deg):
    """Components along the axis and vector lengths do not change the turn."""
    u = 2.0 * unit(0.0, "x") + 5.0 * X  # axis is +x here
    v = 0.3 * unit(deg, "x") - 7.0 * X
    assert signed_vector_angle(u, v, X) == pytest.approx(deg, abs=1e-9)
    assert signed_vector_angle(u, v, 10.0 * X) == pytest.approx(deg, abs=1e-9)  # axis length irrelevant


def test_signed_joint_angle_about_a_vertex():
    b = np.array([5.0, -2.0, 1.0])
    a = b + 3.0 * unit(20.0)
    c = b + 0.5 * unit(230.0)
    assert signed_joint_angle(a, b, c, Z) == pytest.approx(210.0)
    assert signed_joint_angle(c, b, a, Z) == pytest.approx(150.0)  # reversed rays: 360 - x


@pytest.mark.parametrize(
    ("u", "v", "axis"),
    [
        (Z, X, Z),  # u along the axis: no direction left in the plane
        (X, 3 * Z, Z),
        (X, Y, (0.0, 0.0, 0.0)),  # no axis
        (X, Y, (np.nan, 0.0, 1.0)),
        ((np.nan, 1.0, 0.0), Y, Z),
        (X, (0.0, np.nan, 0.0), Z),
    ],
)
def test_signed_angle_without_a_direction_is_nan(u, v, axis):
    assert np.isnan(signed_vector_angle(u, v, axis))


def test_signed_angle_batches_with_per_frame_axes():
    degs = np.array([10.0, 190.0, 350.0])
    v = np.stack([unit(d) for d in degs])
    axes = np.array([Z, Z, -Z])
    np.testing.assert_allclose(signed_vector_angle(X, v, axes), [10.0, 190.0, 10.0], atol=1e-9)
    assert signed_vector_angle(np.tile(X, (4, 2, 1)), unit(90.0), Z).shape == (4, 2)


def test_signed_angle_in_2d():
    """2-D vectors sit in the z=0 plane, so the natural axis is z (image: y down)."""
    assert signed_vector_angle((1.0, 0.0), (0.0, 1.0), Z) == pytest.approx(90.0)
    assert signed_vector_angle((1.0, 0.0), (0.0, -1.0), Z) == pytest.approx(270.0)


@pytest.mark.parametrize("eps", [1e-17, 1e-15, 1e-12])
def test_tiny_negative_turn_stays_below_360(eps):
    """-1e-15 degrees must not round up to exactly 360 (the range is [0, 360))."""
    out = float(signed_vector_angle(X, (1.0, -eps, 0.0), Z))
    assert 0.0 <= out < 360.0
    assert min(out, 360.0 - out) < 1e-9


finite = st.floats(-10.0, 10.0, allow_nan=False, allow_infinity=False)
vec3 = st.tuples(finite, finite, finite).map(np.array)


@settings(max_examples=200, deadline=None)
@given(vec3, vec3, vec3)
def test_signed_angle_properties(u, v, axis):
    """In [0, 360); flipping the axis gives 360 - x; matches the unsigned angle of the projections."""
    s = float(signed_vector_angle(u, v, axis))
    if np.isnan(s):
        return
    assert 0.0 <= s < 360.0
    flipped = float(signed_vector_angle(u, v, -axis))
    assert min(abs(s + flipped - 360.0), abs(s + flipped)) < 1e-6
    n = axis / np.linalg.norm(axis)
    up, vp = u - (u @ n) * n, v - (v @ n) * n
    unsigned = float(vector_angle(up, vp))
    assert min(s, 360.0 - s) == pytest.approx(unsigned, abs=1e-6)


# -- tilts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deg", "expected"),
    [
        (0.0, 0.0),
        (45.0, 45.0),
        (-45.0, -45.0),
        (180.0, 180.0),
        (-180.0, 180.0),  # the range is (-180, 180]
        (190.0, -170.0),
        (-190.0, 170.0),
        (359.0, -1.0),
        (360.0, 0.0),
        (540.0, 180.0),
        (765.0, 45.0),
        (-725.0, -5.0),
    ],
)
def test_wrap180(deg, expected):
    assert wrap180(deg) == pytest.approx(expected, abs=1e-9)


def test_wrap180_arrays_and_nan():
    out = wrap180(np.array([[350.0, np.nan], [-10.0, 170.0]]))
    np.testing.assert_allclose(out, [[-10.0, np.nan], [-10.0, 170.0]])


@pytest.mark.parametrize("deg", [-170.0, -90.0, -15.0, 0.0, 15.0, 90.0, 170.0, 180.0])
def test_tilt_from_reference(deg):
    """Signed tilt of v away from the reference about the axis, in (-180, 180]."""
    assert tilt_from(unit(deg), X, Z) == pytest.approx(deg, abs=1e-9)
    expected_flip = 180.0 if deg == 180.0 else -deg
    assert tilt_from(unit(deg), X, -Z) == pytest.approx(expected_flip, abs=1e-9)


def test_tilt_from_vertical_in_image_coordinates():
    """Image axes: x right, y down, z away from the camera (right-handed).

    About +z, up (-y) turns towards +x: a trunk leaning to the image right reads +20
    seen from the camera's side of the plane's normal, -20 about -z.
    """
    up = np.array([0.0, -1.0, 0.0])
    trunk = np.array([math.sin(math.radians(20)), -math.cos(math.radians(20)), 0.0])
    assert tilt_from(trunk, up, Z) == pytest.approx(20.0)
    assert tilt_from(trunk, up, -Z) == pytest.approx(-20.0)
    assert np.isnan(tilt_from(trunk, up, (0.0, 0.0, 0.0)))


@pytest.mark.parametrize(
    ("sa", "sb"), [((3,), (3,)), ((1, 3), (1, 3)), ((3,), (5, 3)), ((7, 3), (7, 3)), ((2, 4, 3), (4, 3))]
)
def test_fast_cross_and_norm_equal_numpy_bit_for_bit(sa, sb):
    rng = np.random.default_rng(7)
    for scale in (1e-6, 1.0, 1e4):
        a, b = rng.normal(size=sa) * scale, rng.normal(size=sb)
        assert np.array_equal(cross(a, b), np.cross(a, b))
        assert np.array_equal(norm(a), np.linalg.norm(a, axis=-1))
        assert np.array_equal(norm(b, keepdims=True), np.linalg.norm(b, axis=-1, keepdims=True))
    nan = np.array([np.nan, 1.0, 2.0])
    assert np.isnan(cross(nan, np.ones(3))).sum() == np.isnan(np.cross(nan, np.ones(3))).sum()


_coord = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False),
    st.sampled_from([0.0, 1e-9, -1e-9, math.nan]),
)
_vec = st.tuples(_coord, _coord, _coord).map(np.array)


@settings(max_examples=300, deadline=None)
@given(_vec, _vec, _vec, st.booleans(), st.sampled_from([(3,), (1, 3)]))
def test_one_vector_path_equals_the_batch_path(u, v, axis, unit_axis, shape):
    """One frame takes a float path; it must give the batch path's angles, NaN where it gives NaN.

    The batch path runs on two copies of the vectors (so it cannot take the
    one-vector path); the one-vector result must equal either row.
    """
    n = normalize(axis) if unit_axis else axis
    cases = [
        (vector_angle, (u, v), {}),
        (signed_vector_angle, (u, v, n), {"unit_axis": unit_axis}),
        (tilt_from, (u, v, n), {"unit_axis": unit_axis}),
    ]
    for fn, args, kw in cases:
        one = fn(*(a.reshape(shape) for a in args), **kw)
        batch = fn(*(np.stack([a, a]) for a in args), **kw)
        assert one.shape == shape[:-1]
        expected = batch[0]
        if np.isnan(expected):
            assert np.isnan(one).all(), (fn.__name__, one, expected)
        else:
            # Same formulas, summed in a different order: equal to rounding, and
            # on the circle (a turn of -1e-15 may read 360 - 1e-15 or 0).
            diff = abs((float(one.reshape(-1)[0]) - float(expected) + 180.0) % 360.0 - 180.0)
            assert diff < 1e-7, (fn.__name__, one, expected)


def test_one_vector_path_keeps_2d_points_and_shapes():
    assert vector_angle(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(90.0)
    assert vector_angle(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])).shape == (1,)
    assert signed_vector_angle(np.array([1.0, 0.0]), np.array([0.0, -1.0]), Z) == pytest.approx(270.0)
