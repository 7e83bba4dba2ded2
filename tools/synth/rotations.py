"""Small rotation helpers (NumPy, 3x3 matrices, degrees at the API)."""

from __future__ import annotations

import numpy as np

EX = np.array([1.0, 0.0, 0.0])
EY = np.array([0.0, 1.0, 0.0])
EZ = np.array([0.0, 0.0, 1.0])


def unit(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    n = np.linalg.norm(v)
    if n < 1e-12:
        raise ValueError("cannot normalise a zero vector")
    return v / n


def axis_angle(axis: np.ndarray, deg: float) -> np.ndarray:
    """Rotation of ``deg`` degrees about ``axis`` (right-hand rule)."""
    k = unit(axis)
    a = np.radians(deg)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + np.sin(a) * kx + (1 - np.cos(a)) * (kx @ kx)


def aim(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The smallest rotation taking direction ``src`` onto direction ``dst``."""
    a, b = unit(src), unit(dst)
    c = float(np.clip(a @ b, -1.0, 1.0))
    axis = np.cross(a, b)
    s = np.linalg.norm(axis)
    if s < 1e-9:
        if c > 0:
            return np.eye(3)
        perp = np.cross(a, EX if abs(a[0]) < 0.9 else EY)
        return axis_angle(perp, 180.0)
    return axis_angle(axis / s, np.degrees(np.arctan2(s, c)))


def look_at(eye: np.ndarray, target: np.ndarray, up: np.ndarray = EZ) -> np.ndarray:
    """4x4 OpenGL view matrix (camera looks down its -z)."""
    f = unit(np.asarray(target, float) - np.asarray(eye, float))
    s = unit(np.cross(f, up))
    u = np.cross(s, f)
    m = np.eye(4)
    m[0, :3], m[1, :3], m[2, :3] = s, u, -f
    m[:3, 3] = -m[:3, :3] @ np.asarray(eye, float)
    return m


def perspective(fov_y_deg: float, aspect: float, near: float, far: float) -> np.ndarray:
    f = 1.0 / np.tan(np.radians(fov_y_deg) / 2)
    m = np.zeros((4, 4))
    m[0, 0], m[1, 1] = f / aspect, f
    m[2, 2] = (far + near) / (near - far)
    m[2, 3] = 2 * far * near / (near - far)
    m[3, 2] = -1.0
    return m


def ortho(half_w: float, half_h: float, near: float, far: float) -> np.ndarray:
    m = np.eye(4)
    m[0, 0], m[1, 1] = 1 / half_w, 1 / half_h
    m[2, 2] = -2 / (far - near)
    m[2, 3] = -(far + near) / (far - near)
    return m
