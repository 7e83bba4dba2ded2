"""``formcheck report``: the HTML progress report over the history."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from formcheck.history.cli import DB_HELP, parse_day


def _cmd_report(args: argparse.Namespace) -> int:
    from formcheck.history.store import HistoryStore, resolve_db_path
    from formcheck.program import load_program
    from formcheck.progress.data import collect
    from formcheck.progress.html import write_report

    since = parse_day(args.since, "--since") if args.since else None
    program = load_program(args.program) if args.program else None
    out = Path(args.out)
    with HistoryStore.open(resolve_db_path(args.db), create=False) as store:
        data = collect(store, since, program)
    write_report(data, out)
    print(f"report: {out} ({len(data.sessions)} sessions)")
    if args.json:
        from formcheck.progress.data import to_json
        from formcheck.report import write_json_atomic

        write_json_atomic(to_json(data), Path(args.json))
        print(f"numbers: {args.json}")
    if args.pdf:
        from formcheck.progress.pdf import print_pdf

        print_pdf(out, Path(args.pdf))
        print(f"pdf: {args.pdf}")
    return 0


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    r = sub.add_parser("report", help="write the progress report (one HTML file that opens offline)")
    r.add_argument("--out", required=True, metavar="PATH.html", help="where to write the report")
    r.add_argument("--since", metavar="YYYY-MM-DD", help="only sessions from this day on")
    r.add_argument("--program", metavar="FILE.toml", help="the prescribed program, for adherence and targets")
    r.add_argument("--json", metavar="PATH.json", help="also write every number the report shows as JSON")
    r.add_argument("--pdf", metavar="PATH.pdf", help="also print it to PDF (needs Chromium installed)")
    r.add_argument("--db", metavar="PATH", help=DB_HELP)
    r.set_defaults(func=_cmd_report)
