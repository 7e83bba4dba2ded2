"""Pure, vectorised geometry on landmark arrays.

Every function takes arrays whose last axis is the coordinate (2 or 3) and any
leading batch shape (a frame, a clip), returns degrees, and maps NaN input to NaN
output: an unknown joint must never turn into a plausible-looking angle.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

# Below this length (in the input's units squared) a vector has no direction.
_EPS = 1e-12
_MIN_NORM = float(np.sqrt(_EPS))

# Component orders for a cross product: (a x b)_k = a_I[k] b_J[k] - a_J[k] b_I[k].
_I = np.array([1, 2, 0])
_J = np.array([2, 0, 1])


def cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """``np.cross`` for 3-vectors, bit for bit, at a fifth of its per-call cost.

    The analyzer calls these functions once per frame on single vectors, where
    NumPy's generic ``cross`` (axis juggling, ``moveaxis``) costs more than the
    arithmetic; this is the same products and differences in the same order.
    """
    return a.take(_I, axis=-1) * b.take(_J, axis=-1) - a.take(_J, axis=-1) * b.take(_I, axis=-1)


def norm(a: FloatArray, keepdims: bool = False) -> FloatArray:
    """Euclidean length over the last axis: ``np.linalg.norm(a, axis=-1)`` bit for bit, less overhead."""
    squares = a * a
    total: FloatArray = np.add.reduce(squares, axis=-1, keepdims=True) if keepdims else np.add.reduce(squares, axis=-1)
    return np.sqrt(total)


def _as3(v: ArrayLike) -> FloatArray:
    """Lift 2-D vectors into the z=0 plane so one formula serves image and world points."""
    a = np.asarray(v, dtype=np.float64)
    if a.shape[-1] == 2:
        a = np.concatenate([a, np.zeros((*a.shape[:-1], 1))], axis=-1)
    if a.shape[-1] != 3:
        raise ValueError(f"points must have 2 or 3 coordinates, got shape {a.shape}")
    return a


def normalize(v: ArrayLike) -> FloatArray:
    """Unit vectors; zero-length vectors become NaN (they have no direction)."""
    a = np.asarray(v, dtype=np.float64)
    n = norm(a, keepdims=True)
    out = np.full(a.shape, np.nan)
    np.divide(a, n, out=out, where=n > _MIN_NORM)  # no division where there is no direction
    return out


def _one_vector(*arrays: FloatArray) -> tuple[tuple[int, ...], list[list[float]]] | None:
    """Each array's only vector as floats, with the result shape; None for a batch.

    The analyzer measures one frame at a time, where NumPy's per-call overhead
    (~1 us a call, ~30 calls an angle) is most of the cost; plain floats do
    the same arithmetic in a tenth of the time. Batches take the NumPy path,
    and tests check that both give the same angles.
    """
    shape: tuple[int, ...] = ()
    rows = []
    for a in arrays:
        if a.ndim > 2 or a.size != a.shape[-1]:
            return None
        if a.ndim == 2:
            shape = (1,)
        rows.append(a.reshape(-1).tolist())  # 3 coordinates: callers lift 2-D points first
    return shape, rows


def _result(shape: tuple[int, ...], value: float) -> FloatArray:
    return np.full(shape, value)


def _unit(v: list[float]) -> list[float]:
    length = math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2])
    if not length > _MIN_NORM:
        return [math.nan, math.nan, math.nan]
    return [v[0] / length, v[1] / length, v[2] / length]


def _vector_angle_one(a: list[float], b: list[float]) -> float:
    ax, ay, az = a
    bx, by, bz = b
    if ax * ax + ay * ay + az * az < _EPS or bx * bx + by * by + bz * bz < _EPS:
        return math.nan
    cx, cy, cz = ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx
    return math.degrees(math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), ax * bx + ay * by + az * bz))


def _signed_vector_angle_one(a: list[float], b: list[float], n: list[float]) -> float:
    nx, ny, nz = n
    an, bn = a[0] * nx + a[1] * ny + a[2] * nz, b[0] * nx + b[1] * ny + b[2] * nz
    px, py, pz = a[0] - an * nx, a[1] - an * ny, a[2] - an * nz  # a projected onto the plane
    qx, qy, qz = b[0] - bn * nx, b[1] - bn * ny, b[2] - bn * nz
    sin = nx * (py * qz - pz * qy) + ny * (pz * qx - px * qz) + nz * (px * qy - py * qx)
    if not math.isfinite(sin) or px * px + py * py + pz * pz < _EPS or qx * qx + qy * qy + qz * qz < _EPS:
        return math.nan
    out = math.degrees(math.atan2(sin, px * qx + py * qy + pz * qz)) % 360.0
    return 0.0 if out >= 360.0 else out


def vector_angle(u: ArrayLike, v: ArrayLike) -> FloatArray:
    """Unsigned angle between vectors in [0, 180].

    Uses atan2(|u x v|, u.v), which stays accurate near 0 and 180 where arccos of
    a dot product loses precision (a straight knee is exactly that case).
    """
    a, b = _as3(u), _as3(v)
    one = _one_vector(a, b)
    if one is not None:
        return _result(one[0], _vector_angle_one(*one[1]))
    sin = norm(cross(a, b))
    out = np.degrees(np.arctan2(sin, np.einsum("...i,...i->...", a, b)))
    degenerate = (np.einsum("...i,...i->...", a, a) < _EPS) | (np.einsum("...i,...i->...", b, b) < _EPS)
    return np.where(degenerate, np.nan, out)


def joint_angle(a: ArrayLike, b: ArrayLike, c: ArrayLike) -> FloatArray:
    """Unsigned angle at ``b`` between rays b->a and b->c, in [0, 180]."""
    pb = np.asarray(b, dtype=np.float64)
    return vector_angle(np.asarray(a, dtype=np.float64) - pb, np.asarray(c, dtype=np.float64) - pb)


def signed_vector_angle(u: ArrayLike, v: ArrayLike, axis: ArrayLike, *, unit_axis: bool = False) -> FloatArray:
    """Angle turning ``u`` into ``v`` about ``axis`` (right-hand rule), in [0, 360).

    Both vectors are projected onto the plane normal to ``axis`` first, so the
    result is the rotation seen looking down the axis. That is what lets a hip
    angle run past 180 (a bridge over-arched) instead of folding back to 170.
    ``unit_axis``: ``axis`` is already ``normalize(axis)`` (a caller measuring
    many angles about one axis normalises it once).
    """
    a, b = _as3(u), _as3(v)
    one = _one_vector(a, b, _as3(axis))
    if one is not None:
        shape, (ua, ub, n1) = one
        return _result(shape, _signed_vector_angle_one(ua, ub, n1 if unit_axis else _unit(n1)))
    n = _as3(axis) if unit_axis else normalize(_as3(axis))
    a_p = a - np.einsum("...i,...i->...", a, n)[..., None] * n
    b_p = b - np.einsum("...i,...i->...", b, n)[..., None] * n
    sin = np.einsum("...i,...i->...", n, cross(a_p, b_p))
    cos = np.einsum("...i,...i->...", a_p, b_p)
    out = np.mod(np.degrees(np.arctan2(sin, cos)), 360.0)
    # A tiny negative angle (-1e-15) wraps to 360 - 1e-15, which rounds to 360.0.
    out = np.where(out >= 360.0, 0.0, out)
    degenerate = (np.einsum("...i,...i->...", a_p, a_p) < _EPS) | (np.einsum("...i,...i->...", b_p, b_p) < _EPS)
    return np.where(degenerate | ~np.isfinite(sin), np.nan, out)


def signed_joint_angle(
    a: ArrayLike, b: ArrayLike, c: ArrayLike, axis: ArrayLike, *, unit_axis: bool = False
) -> FloatArray:
    """Angle at ``b`` from ray b->a to ray b->c about ``axis``, in [0, 360)."""
    pb = np.asarray(b, dtype=np.float64)
    u, v = np.asarray(a, dtype=np.float64) - pb, np.asarray(c, dtype=np.float64) - pb
    return signed_vector_angle(u, v, axis, unit_axis=unit_axis)


def wrap180(deg: ArrayLike) -> FloatArray:
    """Map angles to (-180, 180], for tilts that are naturally signed around zero."""
    d = np.asarray(deg, dtype=np.float64)
    return 180.0 - np.mod(180.0 - d, 360.0)


def midpoint(a: ArrayLike, b: ArrayLike) -> FloatArray:
    return (np.asarray(a, dtype=np.float64) + np.asarray(b, dtype=np.float64)) / 2.0


def tilt_from(v: ArrayLike, reference: ArrayLike, axis: ArrayLike, *, unit_axis: bool = False) -> FloatArray:
    """Signed tilt of ``v`` away from ``reference`` about ``axis``, in (-180, 180]."""
    return wrap180(signed_vector_angle(reference, v, axis, unit_axis=unit_axis))
