"""The posable body: anny's MakeHuman mesh and skeleton, posed by world rotations.

Conventions (anny's own frame, kept as the world frame of every clip):
- right-handed, metres, +Z up, the floor is z = 0;
- in the rest pose (standing, A-pose) the person's left is +X and the front is -Y.

A pose is a (104, 3, 3) array ``A`` of *world delta rotations*, one per bone: bone c's
world orientation is ``A[c] @ R[c]`` (R = its rest orientation), i.e. ``A[c]`` turns the
rest-pose bone rigidly in world axes. Bones not set explicitly take their parent's A,
so they follow it rigidly. The root's head goes where the pose says. This is anny's
``pose_parameterization="world-orient"`` with ``D[c] = A[c] @ R[c]``.

Joint centres (bone heads) come from a NumPy forward kinematics that is exact for this
parameterisation (checked against anny in tests/synth), so solving poses and computing
truth need no skinning; only rendering calls anny.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tools.synth.spec import Body

# landmark index -> bone whose head is the joint centre
JOINT_LANDMARKS: dict[int, str] = {
    11: "upperarm01.L",
    12: "upperarm01.R",
    13: "lowerarm01.L",
    14: "lowerarm01.R",
    15: "wrist.L",
    16: "wrist.R",
    17: "finger5-1.L",
    18: "finger5-1.R",  # pinky knuckle
    19: "finger2-1.L",
    20: "finger2-1.R",  # index knuckle
    21: "finger1-2.L",
    22: "finger1-2.R",  # thumb
    23: "upperleg01.L",
    24: "upperleg01.R",
    25: "lowerleg01.L",
    26: "lowerleg01.R",
    27: "foot.L",
    28: "foot.R",
}


@lru_cache(maxsize=1)
def anny_model():
    """The one anny model (MakeHuman topology only), float32 on the CPU."""
    os.environ.setdefault("ANNY_CACHE_DIR", os.path.expanduser("~/.cache/anny"))
    import anny  # heavy: torch

    model = anny.Anny(pose_parameterization="world-orient")  # rig/topology "anny" = MakeHuman mesh
    return model


def anny_version() -> str:
    import importlib.metadata

    return importlib.metadata.version("anny")


@dataclass
class Rig:
    """One body's rest skeleton + mesh, with FK and landmark extraction."""

    body: Body
    labels: list[str]
    parents: np.ndarray  # (B,)
    heads: np.ndarray  # (B, 3) rest bone heads
    rest_rot: np.ndarray  # (B, 3, 3) rest bone orientations
    rest_vertices: np.ndarray  # (V, 3)
    faces: np.ndarray  # (F, 3) int32
    dominant_bone: np.ndarray  # (V,) bone with the largest skinning weight
    attached: np.ndarray  # (33,) bone index carrying each landmark
    attached_rest: np.ndarray  # (33, 3) rest position of each landmark

    @classmethod
    def build(cls, body: Body) -> Rig:
        import torch

        m = anny_model()
        labels = list(m.bone_labels)
        pheno = dict(
            gender=body.gender_value,
            age=body.age,
            muscle=body.muscle,
            weight=body.weight,
            height=body.height,
            proportions=body.proportions,
        )
        with torch.no_grad():
            coeffs = m._get_phenotype_blendshape_coefficients(
                m._parse_parameter_kwargs(pheno, m.phenotype_labels, 0.5, "phenotype_kwargs"),
                m._parse_parameter_kwargs(None, m.local_change_labels, 0.0, "local_changes_kwargs"),
                m._parse_parameter_kwargs(None, m.facial_action_labels, 0.0, "facial_actions"),
            )
            rest = m.get_rest_model(coeffs)
        poses = rest["rest_bone_poses"][0].double().numpy()
        verts = rest["rest_vertices"][0].double().numpy()
        # stand on the floor: lowest vertex at z = 0
        dz = -verts[:, 2].min()
        verts = verts + [0, 0, dz]
        heads = poses[:, :3, 3] + [0, 0, dz]
        idx = m.vertex_bone_indices.numpy()
        w = m.vertex_bone_weights.numpy()
        dominant = idx[np.arange(len(idx)), np.argmax(w, axis=1)]
        rig = cls(
            body=body,
            labels=labels,
            parents=np.array(m.bone_parents),
            heads=heads,
            rest_rot=poses[:, :3, :3],
            rest_vertices=verts,
            faces=m.get_triangular_faces().numpy().astype(np.int32),
            dominant_bone=dominant,
            attached=np.zeros(33, int),
            attached_rest=np.zeros((33, 3)),
        )
        rig._dz = dz
        rig._rest_torch = rest
        rig._pick_landmarks()
        return rig

    # -- lookups -------------------------------------------------------------
    def bone(self, label: str) -> int:
        return self.labels.index(label)

    def head(self, label: str) -> np.ndarray:
        return self.heads[self.bone(label)]

    def vec(self, a: str, b: str) -> np.ndarray:
        """Rest vector from bone a's head to bone b's head."""
        return self.head(b) - self.head(a)

    def length(self, a: str, b: str) -> float:
        return float(np.linalg.norm(self.vec(a, b)))

    def descendants_mask(self, label: str) -> np.ndarray:
        i = self.bone(label)
        mask = np.zeros(len(self.labels), bool)
        mask[i] = True
        for c in range(i + 1, len(self.labels)):
            if mask[self.parents[c]]:
                mask[c] = True
        return mask

    def bone_verts(self, prefixes: tuple[str, ...]) -> np.ndarray:
        ids = [i for i, l in enumerate(self.labels) if l.startswith(prefixes)]
        return np.isin(self.dominant_bone, ids)

    # -- landmarks -----------------------------------------------------------
    def _pick_landmarks(self) -> None:
        """Rest positions of the 33 MediaPipe-equivalent points, each rigidly attached to a bone."""
        V = self.rest_vertices
        att = np.zeros(33, int)
        pos = np.zeros((33, 3))
        for lm, b in JOINT_LANDMARKS.items():
            att[lm], pos[lm] = self.bone(b), self.head(b)
        hb = self.bone("head")
        head_v = self.bone_verts(("head",)) & (V[:, 2] > self.head("neck03")[2])
        eye_l, eye_r = self.head("eye.L"), self.head("eye.R")
        # nose tip: most anterior (min y) head vertex near the midline
        cand = np.where(head_v & (np.abs(V[:, 0]) < 0.01) & (V[:, 2] < eye_l[2]))[0]
        nose = V[cand[np.argmin(V[cand, 1])]]
        att[0], pos[0] = hb, nose
        half = abs(eye_l[0] - eye_r[0]) / 2
        for side, sgn, (inner, mid, outer, ear, mouth) in (
            ("L", 1, (1, 2, 3, 7, 9)),
            ("R", -1, (4, 5, 6, 8, 10)),
        ):
            e = self.head(f"eye.{side}")
            front = e + [0, -0.012, 0]
            for lm, dx in ((inner, -0.45 * half), (mid, 0.0), (outer, 0.45 * half)):
                att[lm], pos[lm] = hb, front + [sgn * dx, 0, 0]
            # ear: most lateral head vertex at eye height, behind the eye
            band = head_v & (np.abs(V[:, 2] - (e[2] - 0.01)) < 0.02) & (V[:, 1] > e[1] + 0.04)
            c = np.where(band)[0]
            att[ear], pos[ear] = hb, V[c[np.argmax(sgn * V[c, 0])]]
            # mouth corner: anterior head vertex at mouth height, ~2.3 cm off the midline
            mz = nose[2] - 0.045
            c = np.where(head_v & (V[:, 1] < nose[1] + 0.035))[0]
            d = (V[c, 0] - sgn * 0.023) ** 2 + (V[c, 2] - mz) ** 2
            att[mouth], pos[mouth] = hb, V[c[np.argmin(d)]]
        for side, heel, toe in (("L", 29, 31), ("R", 30, 32)):
            fb = self.bone(f"foot.{side}")
            ankle = self.head(f"foot.{side}")
            foot_v = self.bone_verts((f"foot.{side}",)) & (V[:, 2] < ankle[2] - 0.03)
            c = np.where(foot_v)[0]
            # heel: the most posterior sole point
            low = c[V[c, 2] < V[c, 2].min() + 0.02]
            att[heel], pos[heel] = fb, V[low[np.argmax(V[low, 1])]]
            toes = np.where(self.bone_verts(("toe",)) & (np.sign(V[:, 0]) == (1 if side == "L" else -1)))[0]
            att[toe], pos[toe] = fb, V[toes[np.argmin(V[toes, 1])]]  # toe tip (toes follow the foot)
        self.attached, self.attached_rest = att, pos

    # -- posing ----------------------------------------------------------------
    def expand(self, explicit: dict[int, np.ndarray], default: np.ndarray) -> np.ndarray:
        """Full (B,3,3) A from explicit bone rotations; others inherit their parent's (root: default)."""
        B = len(self.labels)
        A = np.empty((B, 3, 3))
        for c in range(B):
            if c in explicit:
                A[c] = explicit[c]
            elif c == 0:
                A[c] = default
            else:
                A[c] = A[self.parents[c]]
        return A

    def fk(self, A: np.ndarray, root: np.ndarray) -> np.ndarray:
        """Posed bone heads (B,3): head_c = head_p + A_p (h_c - h_p); root head at ``root``."""
        out = np.empty_like(self.heads)
        out[0] = root
        for c in range(1, len(self.labels)):
            p = self.parents[c]
            out[c] = out[p] + A[p] @ (self.heads[c] - self.heads[p])
        return out

    def landmarks(self, A: np.ndarray, posed_heads: np.ndarray) -> np.ndarray:
        """(33,3) landmark-equivalent points of the posed body."""
        b = self.attached
        return posed_heads[b] + np.einsum("nij,nj->ni", A[b], self.attached_rest - self.heads[b])

    def skin(self, A_batch: np.ndarray, roots: np.ndarray) -> np.ndarray:
        """Posed mesh vertices (N, V, 3) for N poses, through anny's skinning."""
        import torch

        m = anny_model()
        N = len(A_batch)
        D = np.zeros((N, len(self.labels), 4, 4))
        D[:, :, :3, :3] = A_batch @ self.rest_rot[None]
        D[:, :, 3, 3] = 1
        D[:, 0, :3, 3] = roots - [0, 0, self._dz]  # anny's own rest frame is not lifted onto the floor
        rest = self._rest_torch
        with torch.no_grad():
            T, _ = m.get_bone_transforms(torch.as_tensor(D, dtype=m.dtype), rest["rest_bone_poses"])
            v = m.get_skinned_vertices(rest["rest_vertices"].expand(N, -1, -1), T)
        return v.double().numpy() + [0, 0, self._dz]
