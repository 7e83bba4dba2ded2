"""PNG stills of a clip with its truth points drawn, for looking at poses quickly."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from tools.synth.engine import Posed, make_renderer


def write_stills(clip, out: Path, times: list[float] | None = None, points: bool = True) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    posed = Posed(clip)
    t = posed.timeline.t
    if not times:
        times = list(np.linspace(0, t[-1], 6))
    idx = [int(np.argmin(np.abs(t - x))) for x in times]
    renderer, view = make_renderer(posed)
    verts = posed.rig.skin(posed.A[idx], posed.roots[idx])
    paths = []
    for i, v in zip(idx, verts, strict=False):
        img = renderer.render(v)
        if points:
            for x, y, _ in view.project(posed.landmarks[i]):
                cv2.circle(img, (round(x), round(y)), 2, (0, 0, 255), -1)
        cv2.putText(
            img,
            f"{clip.name} t={t[i]:.2f}s v={posed.timeline.commands[i].value:.1f}",
            (8, 20),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5,
            (0, 0, 0),
            1,
        )
        p = out / f"{clip.name}_{i:04d}.png"
        cv2.imwrite(str(p), img)
        paths.append(p)
    renderer.release()
    # a contact sheet
    imgs = [cv2.imread(str(p)) for p in paths]
    while len(imgs) % 2:
        imgs.append(np.zeros_like(imgs[0]))
    sheet = np.vstack([np.hstack(imgs[i : i + 2]) for i in range(0, len(imgs), 2)])
    sp = out / f"{clip.name}_sheet.png"
    cv2.imwrite(str(sp), sheet)
    return paths + [sp]
