"""Headless OpenGL renderer (moderngl on EGL): floor, wall, mat, body; key light with a
shadow map, fill light, ambient; 2x supersampling; linear lighting, sRGB output."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from tools.synth.rotations import look_at, ortho, perspective, unit

VERT = """
#version 330
uniform mat4 mvp;
uniform mat4 light_mvp;
in vec3 in_pos; in vec3 in_nrm; in vec3 in_col;
out vec3 v_nrm; out vec3 v_col; out vec4 v_light; out vec3 v_pos;
void main() {
    gl_Position = mvp * vec4(in_pos, 1.0);
    v_light = light_mvp * vec4(in_pos, 1.0);
    v_nrm = in_nrm; v_col = in_col; v_pos = in_pos;
}
"""
FRAG = """
#version 330
uniform sampler2DShadow shadow_map;
uniform vec3 key_dir; uniform vec3 fill_dir; uniform vec3 eye;
uniform float key; uniform float fill; uniform float ambient; uniform float texel;
in vec3 v_nrm; in vec3 v_col; in vec4 v_light; in vec3 v_pos;
out vec4 f_color;
void main() {
    vec3 n = normalize(v_nrm);
    vec3 view = normalize(eye - v_pos);
    if (dot(n, view) < 0.0) n = -n;            // two-sided
    vec3 lp = v_light.xyz / v_light.w * 0.5 + 0.5;
    float nl = max(dot(n, key_dir), 0.0);
    float bias = 0.0015 + 0.003 * (1.0 - nl);
    float lit = 0.0;
    for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++)   // 4 PCF taps (each bilinear), 1.5 texels apart
        lit += texture(shadow_map, vec3(lp.xy + (vec2(i, j) - 0.5) * 1.5 * texel, lp.z - bias));
    lit /= 4.0;
    if (lp.x < 0.0 || lp.x > 1.0 || lp.y < 0.0 || lp.y > 1.0 || lp.z > 1.0) lit = 1.0;
    float sky = 0.5 + 0.5 * n.z;               // hemispheric ambient
    vec3 h = normalize(key_dir + view);
    float spec = pow(max(dot(n, h), 0.0), 24.0) * 0.06 * lit;
    vec3 c = v_col * (ambient * (0.6 + 0.4 * sky) + key * nl * lit + fill * max(dot(n, fill_dir), 0.0)) + spec;
    c = c / (1.0 + 0.18 * c);                  // gentle tone map
    f_color = vec4(pow(clamp(c, 0.0, 1.0), vec3(1.0 / 2.2)), 1.0);
}
"""
DEPTH_VERT = """
#version 330
uniform mat4 light_mvp;
in vec3 in_pos;
void main() { gl_Position = light_mvp * vec4(in_pos, 1.0); }
"""
# depth-only pre-pass from the camera (same transform as VERT), so the shaded pass runs the
# fragment shader once per pixel instead of once per overlapping layer (floor, mat, wall, body)
Z_VERT = """
#version 330
uniform mat4 mvp;
in vec3 in_pos;
void main() { gl_Position = mvp * vec4(in_pos, 1.0); }
"""
DEPTH_FRAG = """
#version 330
void main() {}
"""


def srgb_to_linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def vertex_normals(v: np.ndarray, f: np.ndarray) -> np.ndarray:
    fn = np.cross(v[f[:, 1]] - v[f[:, 0]], v[f[:, 2]] - v[f[:, 0]])
    n = np.zeros_like(v)
    for k in range(3):
        for a in range(3):
            n[:, a] += np.bincount(f[:, k], weights=fn[:, a], minlength=len(v))
    return n / np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)


def box(center, size, color) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flat-shaded axis-aligned box as (positions, normals, colours) triangle soup."""
    c, s = np.asarray(center, float), np.asarray(size, float) / 2
    P, N = [], []
    for ax in range(3):
        for sg in (-1, 1):
            n = np.zeros(3)
            n[ax] = sg
            u = np.zeros(3)
            u[(ax + 1) % 3] = s[(ax + 1) % 3]
            w = np.zeros(3)
            w[(ax + 2) % 3] = s[(ax + 2) % 3]
            o = c + n * s[ax]
            q = [o - u - w, o + u - w, o + u + w, o - u + w]
            P += [q[0], q[1], q[2], q[0], q[2], q[3]]
            N += [n] * 6
    P, N = np.array(P), np.array(N)
    return P, N, np.tile(color, (len(P), 1))


@dataclass
class View:
    eye: np.ndarray
    target: np.ndarray
    fov: float
    width: int
    height: int

    @property
    def view(self) -> np.ndarray:
        return look_at(self.eye, self.target)

    @property
    def proj(self) -> np.ndarray:
        return perspective(self.fov, self.width / self.height, 0.05, 30.0)

    def project(self, pts: np.ndarray) -> np.ndarray:
        """(..., 3) world points -> (..., 3) pixel x (right), y (down), depth (m, + in front)."""
        p = np.concatenate([pts, np.ones(pts.shape[:-1] + (1,))], -1)
        cam = p @ self.view.T
        clip = cam @ self.proj.T
        ndc = clip[..., :3] / clip[..., 3:4]
        x = (ndc[..., 0] + 1) / 2 * self.width
        y = (1 - ndc[..., 1]) / 2 * self.height
        return np.stack([x, y, -cam[..., 2]], -1)


class Renderer:
    """Static scene + one deforming body mesh. ``render(vertices) -> BGR uint8 (H, W, 3)``."""

    def __init__(
        self,
        view: View,
        faces: np.ndarray,
        vertex_colors: np.ndarray,
        static: list,
        key_dir: np.ndarray,
        fill_dir: np.ndarray,
        key: float,
        fill: float,
        ambient: float,
        scene_center: np.ndarray,
        supersample: int = 2,
        shadow_size: int = 1024,
        blur: float = 0.6,
    ):
        import moderngl

        self.ctx = moderngl.create_standalone_context(backend="egl")
        self.view, self.ss, self.blur = view, supersample, blur
        W, H = view.width * supersample, view.height * supersample
        self.fbo = self.ctx.framebuffer(
            color_attachments=[self.ctx.renderbuffer((W, H), 4, samples=0)],
            depth_attachment=self.ctx.depth_renderbuffer((W, H)),
        )
        self.shadow_tex = self.ctx.depth_texture((shadow_size, shadow_size))
        self.shadow_tex.compare_func = "<="
        self.shadow_tex.filter = (moderngl.LINEAR, moderngl.LINEAR)
        self.shadow_fbo = self.ctx.framebuffer(depth_attachment=self.shadow_tex)
        self.prog = self.ctx.program(vertex_shader=VERT, fragment_shader=FRAG)
        self.dprog = self.ctx.program(vertex_shader=DEPTH_VERT, fragment_shader=DEPTH_FRAG)
        key_dir, fill_dir = unit(key_dir), unit(fill_dir)
        light_eye = scene_center + key_dir * 6.0
        up = np.array([0, 0, 1.0]) if abs(key_dir[2]) < 0.95 else np.array([0, 1.0, 0])
        lmvp = ortho(3.0, 3.0, 0.5, 14.0) @ look_at(light_eye, scene_center, up)
        mvp = view.proj @ view.view
        for name, val in (("mvp", mvp), ("light_mvp", lmvp)):
            self.prog[name].write(val.T.astype("f4").tobytes())
        self.dprog["light_mvp"].write(lmvp.T.astype("f4").tobytes())
        self.zprog = self.ctx.program(vertex_shader=Z_VERT, fragment_shader=DEPTH_FRAG)
        self.zprog["mvp"].write(mvp.T.astype("f4").tobytes())
        self.prog["key_dir"].value = tuple(key_dir)
        self.prog["fill_dir"].value = tuple(fill_dir)
        self.prog["eye"].value = tuple(view.eye)
        self.prog["key"].value, self.prog["fill"].value, self.prog["ambient"].value = key, fill, ambient
        self.prog["texel"].value = 1.0 / shadow_size
        # static scene
        P = np.concatenate([s[0] for s in static]).astype("f4")
        N = np.concatenate([s[1] for s in static]).astype("f4")
        C = np.concatenate([s[2] for s in static]).astype("f4")
        sbuf = self.ctx.buffer(np.hstack([P, N, C]).astype("f4").tobytes())
        self.static_vao = self.ctx.vertex_array(self.prog, [(sbuf, "3f 3f 3f", "in_pos", "in_nrm", "in_col")])
        self.static_dvao = self.ctx.vertex_array(self.dprog, [(sbuf, "3f 24x", "in_pos")])
        self.static_zvao = self.ctx.vertex_array(self.zprog, [(sbuf, "3f 24x", "in_pos")])
        # body
        self.faces = faces.astype("i4")
        self.nv = len(vertex_colors)
        self.body_buf = self.ctx.buffer(reserve=self.nv * 9 * 4)
        self.ibo = self.ctx.buffer(self.faces.tobytes())
        self.body_vao = self.ctx.vertex_array(
            self.prog, [(self.body_buf, "3f 3f 3f", "in_pos", "in_nrm", "in_col")], index_buffer=self.ibo
        )
        self.body_dvao = self.ctx.vertex_array(self.dprog, [(self.body_buf, "3f 24x", "in_pos")], index_buffer=self.ibo)
        self.body_zvao = self.ctx.vertex_array(self.zprog, [(self.body_buf, "3f 24x", "in_pos")], index_buffer=self.ibo)
        self.colors = vertex_colors.astype("f4")

    def render(self, vertices: np.ndarray) -> np.ndarray:
        import moderngl

        n = vertex_normals(vertices, self.faces)
        self.body_buf.write(np.hstack([vertices, n, self.colors]).astype("f4").tobytes())
        ctx = self.ctx
        ctx.enable(moderngl.DEPTH_TEST)
        self.shadow_fbo.use()
        self.shadow_fbo.clear(depth=1.0)
        self.static_dvao.render()
        self.body_dvao.render()
        self.fbo.use()
        self.fbo.clear(0.5, 0.5, 0.5, 1.0, depth=1.0)
        self.fbo.color_mask = (False, False, False, False)  # depth pre-pass
        self.body_zvao.render()
        self.static_zvao.render()
        self.fbo.color_mask = (True, True, True, True)
        ctx.depth_func = "<="
        self.shadow_tex.use(0)
        self.prog["shadow_map"].value = 0
        self.body_vao.render()
        self.static_vao.render()
        ctx.depth_func = "<"
        W, H = self.view.width * self.ss, self.view.height * self.ss
        img = np.frombuffer(self.fbo.read(components=3), dtype=np.uint8).reshape(H, W, 3)[::-1]
        img = cv2.resize(img, (self.view.width, self.view.height), interpolation=cv2.INTER_AREA)
        if self.blur > 0:  # a touch of lens softness; also keeps mp4v clips small
            img = cv2.GaussianBlur(img, (0, 0), self.blur)
        return cv2.cvtColor(img, cv2.COLOR_RGB2BGR)

    def release(self) -> None:
        self.ctx.release()
