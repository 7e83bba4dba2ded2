"""Render one clip: pose every frame, compute truth, render + write the video, measure detection."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import cv2
import numpy as np

from formcheck.metrics import MetricsRef, compute_metrics, metric_names
from formcheck.metrics import primary_metric as _metric_set_primary
from tools.synth import scene
from tools.synth import schedule as sched
from tools.synth.exercises import get as get_exercise
from tools.synth.render import Renderer
from tools.synth.rig import Rig, anny_version
from tools.synth.spec import Clip

UP = (0.0, 0.0, 1.0)  # world up in the generator's frame (anny: +Z up, right-handed, metres)
BATCH = 32
REPO = Path(__file__).resolve().parents[2]


def primary_metric(exercise_id: str) -> str:
    """The metric reps/holds are judged on: the product's exercise spec (``ExerciseSpec.primary``),
    else the metric set's primary. They agree for every exercise except calf_stretch, whose
    spec judges the hold on ``body_lean`` while its metric set lists ``back_knee_angle`` first."""
    from formcheck.exercises.registry import builtin_exercises

    spec = builtin_exercises().get(exercise_id)
    return spec.primary if spec is not None else _metric_set_primary(exercise_id)


def exercise_file_spec(path: str):
    """The exercise an exercise file (a path from the repository root) defines."""
    from formcheck.exercises.custom import load_exercise_file

    return load_exercise_file(REPO / path)


def measured(exercise_id: str, exercise_file: str | None = None) -> tuple[MetricsRef, str]:
    """(metrics, primary metric) of a built-in exercise, or of an exercise file when given."""
    if exercise_file is not None:
        spec = exercise_file_spec(exercise_file)
        return spec.metrics, spec.primary
    return exercise_id, primary_metric(exercise_id)


def labelled_measures(clip: Clip) -> tuple[MetricsRef, str]:
    """What the checker is told the clip shows: the built-in ``exercise`` or the ``exercise_file``."""
    return measured(clip.exercise, clip.exercise_file)


def performed_measures(clip: Clip) -> tuple[MetricsRef, str]:
    """The performed movement's metrics, in whose primary metric the schedule is written: the
    movement module's exercise file (``Exercise.EXERCISE_FILE``, for movements formcheck
    does not ship as built-ins), else the built-in exercise of the module's id; the module's
    ``SCHEDULE_METRIC`` names another metric of that file than its primary."""
    movement = get_exercise(clip.performed)
    ms, pm = measured(clip.performed, movement.EXERCISE_FILE)
    return ms, movement.SCHEDULE_METRIC or pm


class Posed:
    """Every frame of a clip posed: rotations, roots, landmarks (N,33,3), the exercise object."""

    def __init__(self, clip: Clip):
        self.clip = clip
        self.rig = Rig.build(clip.body)
        self.ex = get_exercise(clip.performed)(
            self.rig, clip, scene.MAT_THICKNESS if get_exercise(clip.performed).MAT else 0.0
        )
        self.timeline = sched.build(clip, self.ex.rest_value)
        A, roots, lms = [], [], []
        for cmd in self.timeline.commands:
            a, root = self.ex.pose(cmd)
            A.append(a)
            roots.append(root)
            lms.append(self.ex.landmarks(a, self.rig.fk(a, root)))
        self.A, self.roots, self.landmarks = np.array(A), np.array(roots), np.array(lms)

    def metrics(self, exercise: MetricsRef) -> dict[str, np.ndarray]:
        return compute_metrics(exercise, self.landmarks, self.clip.measured_side, up=UP)


def make_renderer(posed: Posed, supersample: int = 2):
    clip, ex, rig = posed.clip, posed.ex, posed.rig
    view = scene.place_camera(clip, ex.framing_points(posed.landmarks, posed.timeline.t), ex.axes())
    rng = np.random.default_rng(clip.seed)
    colors = scene.body_colors(rig, clip.body, rng)
    key, fill = scene.light_dirs(clip, view)
    L = clip.lighting
    static = scene.static_scene(clip, view, posed.landmarks, ex.MAT) + list(ex.scene_items(view))
    r = Renderer(
        view, rig.faces, colors, static, key, fill, L.key, L.fill, L.ambient, view.target, supersample=supersample
    )
    return r, view


def render_clip(
    clip: Clip,
    out_dir: Path,
    detect: bool = True,
    log=print,
    supersample: int = 2,
    post=None,
    posed: Posed | None = None,
) -> dict:
    """``post(frame, index) -> frame``: a camera model applied to every rendered frame before it
    is written (the sweep's sensor noise and compression); ``posed``: an already posed clip (the
    sweep poses first to fit the camera)."""
    t_start = time.time()
    out_dir.mkdir(parents=True, exist_ok=True)
    posed = posed if posed is not None else Posed(clip)
    clip = posed.clip
    N = len(posed.timeline.t)
    renderer, view = make_renderer(posed, supersample=supersample)
    video = out_dir / f"{clip.name}.mp4"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"mp4v"), clip.fps, (clip.width, clip.height))
    if not writer.isOpened():
        raise RuntimeError(f"cannot open a video writer for {video}")
    t_render = time.time()
    for b in range(0, N, BATCH):
        verts = posed.rig.skin(posed.A[b : b + BATCH], posed.roots[b : b + BATCH])
        for i, v in enumerate(verts):
            frame = renderer.render(v)
            writer.write(frame if post is None else post(frame, b + i))
    writer.release()
    renderer.release()
    ms_per_frame = (time.time() - t_render) / N * 1000
    log(f"{clip.name}: {N} frames rendered, {ms_per_frame:.0f} ms/frame, {video.stat().st_size / 1e6:.2f} MB")

    truth = build_truth(posed, view, out_dir)
    posed.ex.amend_truth(truth, posed)
    np.savez_compressed(
        out_dir / f"{clip.name}.points.npz",
        xyz=posed.landmarks.astype(np.float16),
        px=view.project(posed.landmarks).astype(np.float16),
    )
    if detect:
        from tools.synth.detect import compare, run_mediapipe

        mp_out = run_mediapipe(video)
        # over the frames with the person in view (a clip where someone walks in late starts empty);
        # detections while the person is not (fully) in view are recorded separately
        in_view = np.array(truth["person_in_frame"], bool)
        found = np.asarray(mp_out["found"], bool)
        truth["detection_rate"] = round(float(found[in_view].mean() if in_view.any() else found.mean()), 4)
        if not in_view.all():
            truth["generator"]["detections_out_of_frame"] = int(found[~in_view].sum())
        side = clip.measured_side
        ms, pm = performed_measures(clip)
        true_pm = posed.metrics(ms)[pm]
        # 2D image angle: the image plane's normal is the lateral axis (the person's left
        # points at the camera, i.e. -z in image coordinates, when the near side is left)
        lateral = (0.0, 0.0, -1.0 if clip.near_side != "right" else 1.0)
        if (
            clip.view == "front"
        ):  # facing the camera: the lateral axis lies in the image; take it from the hips/shoulders
            lateral = None
        img_m = compute_metrics(ms, mp_out["image"] * [1, 1, 0], side, lateral=lateral)[pm]
        world_m = compute_metrics(ms, mp_out["world"], side)[pm]
        truth["generator"]["mediapipe_vs_truth"] = {
            "metric": pm,
            "side": side,
            "image_2d": {k: round(v, 4) for k, v in compare(true_pm, img_m).items()},
            "world_3d": {k: round(v, 4) for k, v in compare(true_pm, world_m).items()},
        }
        vs = truth["generator"]["mediapipe_vs_truth"]
        log(
            f"{clip.name}: detection {truth['detection_rate']:.3f}; {pm} MediaPipe-vs-truth "
            f"2D {vs['image_2d']}, 3D {vs['world_3d']}"
        )
    truth["generator"]["render_ms_per_frame"] = round(ms_per_frame, 1)
    truth["generator"]["wall_s"] = round(time.time() - t_start, 1)
    (out_dir / f"{clip.name}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return truth


def _round(a: np.ndarray, nd: int = 2) -> list:
    return [None if not np.isfinite(x) else round(float(x), nd) for x in a]


def build_truth(posed: Posed, view, out_dir: Path | None = None) -> dict:
    """``out_dir``: where the truth file goes (an ``exercise_file`` is written relative to it)."""
    clip = posed.clip
    N = len(posed.timeline.t)
    labelled_ms, labelled_pm = labelled_measures(clip)
    labelled = posed.metrics(labelled_ms)
    performed_ms, performed_pm_name = performed_measures(clip)
    performed_pm = posed.metrics(performed_ms)[performed_pm_name]
    ev = sched.events(clip, posed.timeline, performed_pm)
    px = view.project(posed.landmarks)
    core = [11, 12, 23, 24]
    inside = (
        (px[:, core, 0] >= 0)
        & (px[:, core, 0] < clip.width)
        & (px[:, core, 1] >= 0)
        & (px[:, core, 1] < clip.height)
        & (px[:, core, 2] > 0)
    ).all(1)
    cam = clip.camera
    return {
        "schema_version": 1,
        "clip": f"{clip.name}.mp4",
        "exercise": clip.exercise,
        **(
            {"exercise_file": os.path.relpath(REPO / clip.exercise_file, (out_dir or REPO).resolve())}
            if clip.exercise_file
            else {}
        ),
        # a clip labelled with an exercise file performs that file's exercise (its movement module
        # is generator.movement)
        "performed": clip.performed if clip.wrong_exercise else clip.exercise,
        "side": clip.side,
        "near_side": clip.near_side,
        "view": clip.view,
        "camera": {
            "distance_m": cam.distance,
            "height_m": cam.height,
            "yaw_deg": cam.yaw,
            "fov_deg": cam.fov,
            "position": _round(view.eye, 3),
            "look_at": _round(view.target, 3),
        },
        "body": {
            "sex": clip.body.sex,
            "gender": clip.body.gender_value,
            "age": clip.body.age,
            "muscle": clip.body.muscle,
            "weight": clip.body.weight,
            "height": clip.body.height,
            "proportions": clip.body.proportions,
            "height_m": round(float(np.ptp(posed.rig.rest_vertices[:, 2])), 3),
            "skin": clip.body.skin,
            "shirt": list(clip.body.shirt),
            "sleeves": clip.body.sleeves,
            "bottoms": list(clip.body.bottoms),
            "bottoms_style": clip.body.bottoms_style,
            "feet": clip.body.feet,
        },
        "seed": clip.seed,
        "fps": float(clip.fps),
        "frames": N,
        "duration_s": round(N / clip.fps, 3),
        "width": clip.width,
        "height": clip.height,
        **ev,
        "primary_metric": labelled_pm,
        "metrics": {name: _round(labelled[name]) for name in metric_names(labelled_ms)},
        "person_in_frame": [bool(x) for x in inside],
        "detection_rate": None,
        "generator": {
            "tool": "tools/synth",
            "anny": anny_version(),
            "world_frame": "right-handed, metres, +z up, floor z=0",
            "measured_side": clip.measured_side,
            "performed_rest": posed.ex.rest_value,
            "performed_target": float(posed.ex.TARGET),
            "performed_primary_metric": performed_pm_name,
            "movement": clip.performed,
            "schedule": [
                {k: v for k, v in vars(s).items() if v not in (None, 0.0) or k == "kind"} for s in clip.schedule
            ],
            "points_file": f"{clip.name}.points.npz",
            "notes": clip.notes,
        },
    }
