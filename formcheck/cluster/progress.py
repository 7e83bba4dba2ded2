"""Progress across the cluster: one bar (files done, rate, ETA) and a line per finished file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from formcheck.batch import Outcome


class ClusterProgress:
    """An ``on_done`` callback: the bar's ETA is the files-per-second rate so far, over the files left."""

    def __init__(self, *, lines: bool = True) -> None:
        self.lines = lines
        self._bar: Any = None

    def start(self, workers: int, files: int) -> None:
        """Once connected: the clock of the ETA starts with the work, not with the cluster's start-up."""
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(total=files, unit="file", desc=f"{workers} workers", file=sys.stderr, dynamic_ncols=True)

    def __call__(self, outcome: Outcome, n: int, total: int) -> None:
        self.start(0, total)
        if self.lines:
            r = outcome.report
            what = f"{r['reps']} reps, {len(r['holds'])} holds" if r else outcome.error
            self._bar.write(
                f"[{n}/{total}] {Path(outcome.video).name}: {outcome.status} ({what}; {outcome.seconds:.1f} s)",
                file=sys.stderr,
            )
        self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
