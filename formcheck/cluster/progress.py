"""Progress across the cluster: one bar (files done, rate, ETA) and a line per finished file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from formcheck.batch import Outcome


class ClusterProgress:
    """An ``on_done`` callback: the bar's ETA is the files-per-second rate so far, over the files left."""

    def __init__(self, total: int, *, lines: bool = True) -> None:
        from tqdm import tqdm

        self.lines = lines
        self._bar: Any = tqdm(total=total, unit="file", desc="cluster", file=sys.stderr, dynamic_ncols=True)

    def __call__(self, outcome: Outcome, n: int, total: int) -> None:
        if self.lines:
            r = outcome.report
            what = f"{r['reps']} reps, {len(r['holds'])} holds" if r else outcome.error
            self._bar.write(
                f"[{n}/{total}] {Path(outcome.video).name}: {outcome.status} ({what}; {outcome.seconds:.1f} s)",
                file=sys.stderr,
            )
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()
