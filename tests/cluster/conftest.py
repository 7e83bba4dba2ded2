"""A local Dask cluster of two worker processes, shared by the cluster tests (starting one takes seconds)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

ALLOWED_FAILURES = 1  # a file may kill one worker and be retried once; a second death fails it


@pytest.fixture(scope="package")
def cluster() -> Iterator[Any]:
    pytest.importorskip("distributed")
    import dask
    from distributed import Client, LocalCluster

    from formcheck.cluster.engine import local_scheduler_config

    with dask.config.set(local_scheduler_config(ALLOWED_FAILURES)):
        local = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        )
    with Client(local) as client:
        yield client
    local.close()
