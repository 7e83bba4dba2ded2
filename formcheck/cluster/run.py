"""``run_on_cluster``: ``batch.run_batch``'s contract (outcomes in job order, interrupted) on Dask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from formcheck.batch import Job, Outcome, analyze_job
from formcheck.cluster.engine import ALLOWED_FAILURES, CONNECT_TIMEOUT_S, LOCAL, open_client
from formcheck.cluster.worker import PLUGIN_NAME, ClusterTask, ClusterWork, PoseModelPlugin, run_task, unreadable
from formcheck.errors import InputError
from formcheck.report import write_json_atomic

OnDone = Callable[[Outcome, int, int], None]


def run_on_cluster(
    jobs: list[Job],
    address: str,
    on_done: OnDone | None = None,
    *,
    urls: list[str | None] | None = None,
    n_workers: int = 2,
    work: ClusterWork = analyze_job,
    timeout_s: float = CONNECT_TIMEOUT_S,
    allowed_failures: int = ALLOWED_FAILURES,
    on_connect: Callable[[int, int], None] | None = None,
) -> tuple[list[Outcome], bool]:
    """(outcomes in job order, interrupted), as ``run_batch`` returns them.

    ``address``: a scheduler (``tcp://host:8786``) or ``local`` (a new cluster
    of ``n_workers`` processes). ``urls[i]``, when set, is where ``jobs[i]``'s
    video lives (fsspec); the worker fetches it. Workers write annotated videos
    (``job.out``) themselves; reports (``job.report``) are written here, from the
    report each worker returns, before ``on_done`` sees the outcome: that
    callback is where a results table plugs in. A file whose worker dies more
    than ``allowed_failures`` times (a local cluster; a remote scheduler has its
    own setting) is failed with that reason; the others go on. ``on_connect``
    hears how many workers the cluster has, and how many files are coming.
    """
    urls = urls if urls is not None else [None] * len(jobs)
    outcomes: dict[int, Outcome] = {}

    def done(i: int, outcome: Outcome) -> None:
        report_path = jobs[i].report
        if report_path is not None and outcome.report:
            write_json_atomic(outcome.report, report_path)
        outcomes[i] = outcome
        if on_done is not None:
            on_done(outcome, len(outcomes), len(jobs))

    with open_client(address, n_workers, timeout_s=timeout_s, allowed_failures=allowed_failures) as client:
        if on_connect is not None:
            on_connect(len(client.scheduler_info()["workers"]), len(jobs))
        model = jobs[0].model if jobs else None
        client.register_plugin(PoseModelPlugin(model, ignore_interrupt=address == LOCAL), name=PLUGIN_NAME)
        bad = _unreadable_on_a_worker(client, [str(j.video) for j, u in zip(jobs, urls, strict=True) if u is None])
        if bad and len(bad) == len(jobs):
            first = next(iter(bad.items()))
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            raise InputError(
                f"the cluster's workers cannot read {first[0]}: {first[1]}{more}; "
                "give paths on a filesystem they share, or fsspec URLs (s3://...)"
            )
        tasks: dict[Any, int] = {}
        for i, (job, url) in enumerate(zip(jobs, urls, strict=True)):
            path = str(job.video)
            if url is None and path in bad:
                done(i, Outcome(path, "failed", f"the workers cannot read it: {bad[path]}"))
                continue
            # The report travels back and is written here: the head's --report-dir need not be shared.
            task = ClusterTask(replace(job, report=None), url)
            future = client.submit(run_task, task, work, key=f"formcheck-{i}-{_short(path)}", pure=False)
            tasks[future] = i
        return _collect(client, tasks, jobs, urls, outcomes, done)


def _collect(
    client: Any,
    tasks: dict[Any, int],
    jobs: list[Job],
    urls: list[str | None],
    outcomes: dict[int, Outcome],
    done: Callable[[int, Outcome], None],
) -> tuple[list[Outcome], bool]:
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    interrupted = False
    try:
        for future in as_completed(list(tasks)):  # type: ignore[no-untyped-call]
            i = tasks[future]
            name = urls[i] or str(jobs[i].video)
            try:
                done(i, future.result())
            except KilledWorker:
                done(i, Outcome(name, "failed", "a worker process died while analysing this file, on every attempt"))
            except Exception as exc:  # work() itself raised: still only this file's failure
                done(i, Outcome(name, "failed", f"{type(exc).__name__}: {exc}"))
    except KeyboardInterrupt:
        interrupted = True
        client.cancel([f for f in tasks if not f.done()], force=True)
    ordered = [
        outcomes.get(i, Outcome(urls[i] or str(job.video), "interrupted", "not analysed: the run was interrupted"))
        for i, job in enumerate(jobs)
    ]
    return ordered, interrupted


def _unreadable_on_a_worker(client: Any, paths: list[str]) -> dict[str, str]:
    """Local paths one worker cannot read (a remote cluster does not see this machine's disk)."""
    if not paths:
        return {}
    result: dict[str, str] = client.submit(unreadable, paths, pure=False).result()
    return result


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1][:60]
