"""``formcheck analyze --cluster``: the same per-file analysis on a Dask distributed cluster.

The embedded default stays the local process pool (formcheck.batch, no server).
With ``--cluster ADDRESS`` each video is one Dask task running
``batch.analyze_job`` on a worker that loaded the pose model once
(worker.PoseModelPlugin); the reports come back to this process, which writes
them, so a video's JSON report is the single-machine one byte for byte. Dask is
an optional extra (``pip install "formcheck[cluster]"``): nothing here imports
it at module level. docs/cluster.md says why Dask, what was measured, and how
failures are handled.
"""

from formcheck.cluster.run import run_on_cluster
from formcheck.cluster.worker import ClusterTask

__all__ = ["ClusterTask", "run_on_cluster"]
