"""``formcheck program show|ics|schema|init``."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any

from formcheck.errors import ConfigError, OutputError
from formcheck.textfiles import print_or_write_json


def _cmd_show(args: argparse.Namespace) -> int:
    from formcheck.program import load_program
    from formcheck.program.show import format_program

    print(format_program(load_program(args.file)))
    return 0


def _cmd_ics(args: argparse.Namespace) -> int:
    from formcheck.program import load_program
    from formcheck.program.ics import write_ics

    lp = load_program(args.file)
    out = Path(args.out) if args.out else Path(args.file).with_suffix(".ics")
    write_ics(lp, out)
    print(f"calendar: {out} (import it into your calendar app; it reminds you at each session)")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from formcheck.program.schema import program_json_schema

    print_or_write_json(program_json_schema(), args.out, "schema")
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from formcheck.program import default_program_path, load_program

    out = Path(args.file)
    if out.exists():
        raise ConfigError(f"{out}: already exists; choose another name (nothing was written)")
    text = default_program_path().read_text(encoding="utf-8")
    text = re.sub(r"^start = .*$", f"start = {dt.date.today().isoformat()}", text, count=1, flags=re.M)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"{out}: cannot write the program ({exc.strerror or exc})") from None
    load_program(out)  # the copy must load like the original
    print(f"program: {out} (the lumbar radiculopathy home program; edit sides and doses, then `program show`)")
    return 0


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("program", help="show a therapist's program, or put its schedule in a calendar")
    psub = p.add_subparsers(dest="program_command", required=True)
    s = psub.add_parser("show", help="print the program as a plan to follow")
    s.add_argument("file", metavar="FILE.toml", help="program file")
    s.set_defaults(func=_cmd_show)
    i = psub.add_parser("ics", help="write the schedule as an iCalendar (.ics) file with reminders")
    i.add_argument("file", metavar="FILE.toml", help="program file")
    i.add_argument("--out", metavar="PATH.ics", help="where to write it (default: FILE with .ics)")
    i.set_defaults(func=_cmd_ics)
    j = psub.add_parser("schema", help="print the program file's JSON Schema (for editors)")
    j.add_argument("--out", metavar="PATH.json", help="write it here instead of printing it")
    j.set_defaults(func=_cmd_schema)
    n = psub.add_parser("init", help="write the bundled lumbar radiculopathy program to FILE, to edit")
    n.add_argument("file", metavar="FILE.toml", help="where to write it (must not exist)")
    n.set_defaults(func=_cmd_init)
