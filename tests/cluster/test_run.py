"""formcheck analyze --cluster: the same reports as the process pool, the model read once per worker,
dead workers' files retried, and every bad input one line."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from formcheck.batch import Job
from formcheck.cli import main

pytest.importorskip("distributed")

import cloudpickle

sys.path.insert(0, str(Path(__file__).parent))
import cluster_workers

from formcheck.cluster import run_on_cluster
from formcheck.cluster.worker import PLUGIN_NAME

cloudpickle.register_pickle_by_value(cluster_workers)  # the workers need not import the tests

REPO = Path(__file__).resolve().parents[2]
CLIPS = ["bridge_side_left_01.mp4", "childs_pose_side_left_01.mp4"]


def address(client: Any) -> str:
    return str(client.scheduler.address)


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("videos")
    for name in CLIPS:
        (folder / name).symlink_to(REPO / "sample_videos" / name)
    return folder


def analyze(*args: str, quiet: bool = True) -> int:
    return main(["analyze", *args, "--exercise", "bridge", "--max-fps", "5", *(["--quiet"] if quiet else [])])


def test_reports_are_the_process_pools_byte_for_byte_and_the_model_is_read_once_per_worker(
    cluster: Any, videos: Path, tmp_path: Path
) -> None:
    on_cluster, pooled = tmp_path / "cluster", tmp_path / "pool"
    assert analyze(str(videos), "--report-dir", str(on_cluster), "--cluster", address(cluster)) == 0
    assert analyze(str(videos), "--report-dir", str(pooled), "--jobs", "2") == 0
    for name in CLIPS:
        report = Path(name).with_suffix(".json").name
        assert (on_cluster / report).read_bytes() == (pooled / report).read_bytes()

    def model_use(dask_worker: Any) -> tuple[int, int]:
        plugin = dask_worker.plugins[PLUGIN_NAME]
        return plugin.loads, plugin.model.landmarkers

    use = cluster.run(model_use)
    assert len(use) == 2
    assert all(loads == 1 for loads, _ in use.values())  # once per worker, not per file
    assert sum(built for _, built in use.values()) == len(CLIPS)  # each file its own landmarker graph


def test_the_environment_variable_names_the_cluster_and_progress_is_shown(
    cluster: Any, videos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address(cluster))
    assert analyze(str(videos / CLIPS[0]), "--report-dir", str(tmp_path), quiet=False) == 0
    err = capsys.readouterr().err
    assert f"using the Dask scheduler at {address(cluster)}" in err
    assert "[1/1] bridge_side_left_01.mp4: done (" in err  # a line per finished file
    assert "2 workers" in err and "1/1" in err  # the bar across the cluster
    assert json.loads((tmp_path / "bridge_side_left_01.json").read_text())["reps"] > 0


def test_a_url_is_fetched_by_the_worker_and_named_in_the_report(cluster: Any, videos: Path, tmp_path: Path) -> None:
    url = (videos / CLIPS[0]).resolve().as_uri()  # file://: fsspec's local filesystem, through the same fetch path
    assert analyze(url, "--report-dir", str(tmp_path / "url"), "--cluster", address(cluster)) == 0
    assert analyze(str(videos / CLIPS[0]), "--report-dir", str(tmp_path / "path"), "--cluster", address(cluster)) == 0
    from_url = json.loads((tmp_path / "url" / "bridge_side_left_01.json").read_text())
    from_path = json.loads((tmp_path / "path" / "bridge_side_left_01.json").read_text())
    assert from_url.pop("source") == url
    from_path.pop("source")
    assert from_url == from_path


def jobs(folder: Path, *names: str) -> list[Job]:
    for name in names:
        (folder / name).write_bytes(b"")
    return [Job(folder / name, "bridge", None, "auto", None, None, None, None) for name in names]


def test_a_worker_killed_mid_file_is_replaced_and_the_file_retried(cluster: Any, tmp_path: Path) -> None:
    seen: list[str] = []
    outcomes, interrupted = run_on_cluster(
        jobs(tmp_path, "kill.mp4", "b.mp4", "c.mp4"),
        address(cluster),
        lambda o, n, total: seen.append(o.video),
        work=cluster_workers.kill_once,
    )
    assert not interrupted
    assert [o.status for o in outcomes] == ["done", "done", "done"]
    assert (tmp_path / "kill.attempted").is_file()  # it did die once
    assert sorted(Path(v).name for v in seen) == ["b.mp4", "c.mp4", "kill.mp4"]
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarts the dead one


def test_a_file_that_always_kills_its_worker_fails_with_the_reason_and_the_run_goes_on(
    cluster: Any, tmp_path: Path
) -> None:
    killer = run_on_cluster(jobs(tmp_path, "killer.mp4"), address(cluster), work=cluster_workers.always_kill)[0]
    fine = run_on_cluster(jobs(tmp_path, "fine.mp4"), address(cluster), work=cluster_workers.fine)[0]
    assert killer[0].status == "failed"
    assert "worker process died while analysing this file" in killer[0].error
    assert fine[0].status == "done"


def test_a_path_one_worker_cannot_read_is_that_files_failure(cluster: Any, videos: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.mp4"
    code = analyze(str(missing), str(videos / CLIPS[0]), "--report-dir", str(tmp_path), "--cluster", address(cluster))
    assert code == 2
    assert (tmp_path / "bridge_side_left_01.json").is_file()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (f"tcp://127.0.0.1:{closed_port()}", "cannot reach the Dask scheduler at tcp://127.0.0.1:"),
        ("bogus", "'bogus' is not a Dask scheduler address"),
        ("unreadable", "the cluster's workers cannot read /nonexistent/a.mp4: no such file (and 1 more)"),
    ],
)
def test_bad_input_is_one_line(cluster: Any, target: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    videos = ["/nonexistent/a.mp4", "/nonexistent/b.mp4"]
    where = address(cluster) if target == "unreadable" else target
    assert analyze(*videos, "--cluster", where) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"formcheck: error: {err[0].removeprefix('formcheck: error: ')}"]
    assert message in err[0]
    assert "Traceback" not in err[0]


def test_a_scheduler_without_workers_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, dashboard_address=":0") as empty:
        assert analyze("/nonexistent/a.mp4", "--cluster", empty.scheduler_address) == 2
    err = capsys.readouterr().err
    assert err == f"formcheck: error: the Dask scheduler at {empty.scheduler_address} has no workers (waited 5 s)\n"


def test_a_bad_model_is_one_line(cluster: Any, videos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = analyze(str(videos / CLIPS[0]), "--model", "/nonexistent/pose.task", "--cluster", address(cluster))
    assert code == 2
    assert capsys.readouterr().err == "formcheck: error: pose model not found: /nonexistent/pose.task\n"


def test_the_results_table_makes_a_cluster_rerun_skip_what_is_done(
    cluster: Any, videos: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = tmp_path / "reports"
    assert analyze(str(videos / CLIPS[0]), "--report-dir", str(reports), "--cluster", address(cluster)) == 0
    first = (reports / "bridge_side_left_01.json").stat().st_mtime_ns
    capsys.readouterr()
    assert main(["analyze", str(videos), "--exercise", "bridge", "--max-fps", "5", "--report-dir", str(reports),
                 "--cluster", address(cluster)]) == 0  # fmt: skip
    captured = capsys.readouterr()
    assert "1 done before: not analysed again; 1 to analyse" in captured.err
    assert "[1/1] childs_pose_side_left_01.mp4: done" in captured.err  # only the new one ran
    assert (reports / "bridge_side_left_01.json").stat().st_mtime_ns == first
    assert (reports / "childs_pose_side_left_01.json").is_file()
    assert "2 files" in captured.out
