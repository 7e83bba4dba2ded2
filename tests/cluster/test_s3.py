"""s3:// inputs through fsspec, against moto's S3 server (skipped unless moto and s3fs are installed:
they are not in the test extra; `pip install s3fs "moto[server]"`)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

REPO = Path(__file__).resolve().parents[2]
CLIP = "bridge_side_left_01"


@pytest.fixture
def s3_env() -> Iterator[dict[str, str]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    env = {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",  # botocore's; the workers inherit it
    }
    yield env
    server.stop()


def test_a_bucket_folder_is_listed_fetched_by_the_workers_and_a_missing_object_is_that_files_failure(
    s3_env: dict[str, str], tmp_path: Path
) -> None:
    import s3fs

    fs = s3fs.S3FileSystem(key="test", secret="test", client_kwargs={"endpoint_url": s3_env["AWS_ENDPOINT_URL"]})
    fs.mkdir("clinic")
    fs.put(str(REPO / "sample_videos" / f"{CLIP}.mp4"), f"clinic/videos/{CLIP}.mp4")
    common = ["--exercise", "bridge", "--max-fps", "5", "--quiet", "--cluster", "local", "--jobs", "2"]
    run = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", "s3://clinic/videos/", "s3://clinic/videos/gone.mp4", *common]
        + ["--report-dir", str(tmp_path / "s3")],
        env=os.environ | s3_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 2, run.stderr  # one file failed
    assert "FAILED: cannot fetch s3://clinic/videos/gone.mp4: FileNotFoundError" in run.stdout
    local = subprocess.run(
        [sys.executable, "-m", "formcheck", "analyze", str(REPO / "sample_videos" / f"{CLIP}.mp4"), *common]
        + ["--report-dir", str(tmp_path / "local")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert local.returncode == 0, local.stderr
    from_s3 = json.loads((tmp_path / "s3" / f"{CLIP}.json").read_text())
    from_disk = json.loads((tmp_path / "local" / f"{CLIP}.json").read_text())
    assert from_s3.pop("source") == f"s3://clinic/videos/{CLIP}.mp4"
    from_disk.pop("source")
    assert from_s3 == from_disk
