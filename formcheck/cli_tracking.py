"""Programs, history and the progress report on the command line (one hook for ``cli.py``)."""

from __future__ import annotations

import argparse
from typing import Any

from formcheck.history.cli import LogTarget, add_log_arguments, prepare_log


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    from formcheck.history.cli import add_parsers as history_parsers
    from formcheck.program.cli import add_parsers as program_parsers
    from formcheck.progress.cli import add_parsers as report_parsers

    program_parsers(sub)
    history_parsers(sub)
    report_parsers(sub)


__all__ = ["LogTarget", "add_log_arguments", "add_parsers", "prepare_log"]
