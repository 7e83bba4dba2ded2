"""Connecting to a Dask scheduler, or starting a local cluster: every failure is one line."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from formcheck.errors import ConfigError, InputError

LOCAL = "local"
ENV_ADDRESS = "DASK_SCHEDULER_ADDRESS"  # Dask's own variable for the scheduler's address
CONNECT_TIMEOUT_S = 5.0
ALLOWED_FAILURES = 2  # a file may take down a worker this often and still be tried again


def require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ConfigError('--cluster needs Dask distributed: pip install "formcheck[cluster]"') from None


def address_from(flag: str | None) -> str | None:
    """``--cluster``, else Dask's usual environment variable, else None (the local process pool)."""
    if flag is not None:
        return flag.strip()
    return os.environ.get(ENV_ADDRESS, "").strip() or None


def local_scheduler_config(allowed_failures: int) -> dict[str, Any]:
    """The settings of a scheduler formcheck starts (a remote one is configured by its deployment).

    The same settings suit a remote deployment; formcheck cannot set them there.
    ``worker-saturation`` 1.0: a worker holds only the file it is analysing,
    none queued behind it, so when a file kills its worker no innocent file
    is counted against ``allowed-failures`` with it (Dask's default 1.1
    queues a second task on a one-thread worker).
    """
    return {
        "distributed.scheduler.allowed-failures": allowed_failures,
        "distributed.scheduler.worker-saturation": 1.0,
        # Dask's default also sets MALLOC_TRIM_THRESHOLD_=65536 in each worker, which
        # turns off glibc's adaptive mmap threshold: every decoded frame (0.9 MB at
        # 640x480) is then a fresh mmap, page-faulted in and unmapped again. Measured:
        # system time 2x, a file's wall time +12%, a worker 30% slower than the pool.
        "distributed.nanny.pre-spawn-environ": {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1},
    }


@contextlib.contextmanager
def open_client(
    address: str,
    n_workers: int,
    *,
    timeout_s: float = CONNECT_TIMEOUT_S,
    allowed_failures: int = ALLOWED_FAILURES,
) -> Iterator[Any]:
    """A ``distributed.Client``: to the scheduler at ``address``, or to a new local cluster.

    ``local`` starts ``n_workers`` worker processes of one thread each (the
    model keeps one core busy), with ``allowed_failures`` set on the scheduler
    it starts. A remote scheduler keeps its own setting (Dask's default is 3).
    """
    require_dask()
    import dask
    from distributed import Client, LocalCluster

    if address == LOCAL:
        with dask.config.set(local_scheduler_config(allowed_failures)):
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # any free port: None still tries 8787 and warns if taken
                silence_logs=logging.ERROR,
            )
        try:
            with Client(cluster) as client:  # type: ignore[no-untyped-call]
                yield client
        finally:
            with contextlib.suppress(Exception):  # workers that are already gone
                cluster.close()
        return
    try:
        client = Client(address, timeout=timeout_s)  # type: ignore[no-untyped-call]
    except TimeoutError:
        raise InputError(f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s") from None
    except OSError as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    except ValueError as exc:
        raise InputError(
            f"{address!r} is not a Dask scheduler address ({exc}); e.g. tcp://host:8786 or local"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=timeout_s)
        except TimeoutError:
            raise InputError(f"the Dask scheduler at {address} has no workers (waited {timeout_s:g} s)") from None
        yield client
