"""``formcheck history list|show|export|delete|forget|repair`` and ``analyze --log``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.errors import ConfigError, OutputError

DB_HELP = "history database (default: $FORMCHECK_DB, else the platform's user data folder)"


def parse_day(text: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{flag} {text!r}: expected a date YYYY-MM-DD") from None


def _pain(text: str) -> int:
    """argparse type: pain on the 0-10 numeric rating scale."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 0 to 10") from None
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"{value} is outside 0 (no pain) to 10 (worst imaginable)")
    return value


def _open(args: argparse.Namespace, create: bool = False) -> Any:
    from formcheck.history.store import HistoryStore, resolve_db_path

    return HistoryStore.open(resolve_db_path(getattr(args, "db", None)), create=create)


# -- analyze --log -----------------------------------------------------------------------


def add_log_arguments(a: argparse.ArgumentParser) -> None:
    g = a.add_argument_group("history (--log)")
    g.add_argument("--log", action="store_true", help="add the results to the history (see `formcheck history`)")
    g.add_argument("--db", metavar="PATH", help=DB_HELP)
    g.add_argument("--pain-before", type=_pain, metavar="0-10", help="with --log: pain before the exercise")
    g.add_argument("--pain-after", type=_pain, metavar="0-10", help="with --log: pain after it")


@dataclass(frozen=True)
class LogTarget:
    """Checked before the analysis starts: a database that cannot be used fails in a second, not after it."""

    db: Path
    pain_before: int | None
    pain_after: int | None

    def record(self, report: Mapping[str, Any], exercise: Any) -> int:
        from formcheck.exercises import get_exercise
        from formcheck.history.from_report import log_report
        from formcheck.history.store import HistoryStore

        spec = get_exercise(exercise) if isinstance(exercise, str) else exercise
        with HistoryStore.open(self.db) as store:
            sid = log_report(store, report, spec, pain_before=self.pain_before, pain_after=self.pain_after)
        print(f"logged: session {sid} in {self.db}")
        return sid


def prepare_log(args: argparse.Namespace) -> LogTarget | None:
    from formcheck.history.store import HistoryStore, resolve_db_path

    if not getattr(args, "log", False):
        for flag, value in (("--db", args.db), ("--pain-before", args.pain_before), ("--pain-after", args.pain_after)):
            if value is not None:
                raise ConfigError(f"{flag} is for --log; add --log to record this analysis in the history")
        return None
    db = resolve_db_path(args.db)
    HistoryStore.open(db).close()  # refuses a newer, damaged or foreign file now
    return LogTarget(db, args.pain_before, args.pain_after)


# -- history -----------------------------------------------------------------------------


def _cmd_list(args: argparse.Namespace) -> int:
    from formcheck.history.queries import list_sessions
    from formcheck.history.store import resolve_db_path

    since = parse_day(args.since, "--since").isoformat() if args.since else None
    db = resolve_db_path(getattr(args, "db", None))
    if not db.exists():
        print(f"no sessions recorded yet (the history will be {db})")
        return 0
    with _open(args) as store:
        rows = list_sessions(store, since)
    if not rows:
        print("no sessions recorded" + (f" since {since}" if since else ""))
        return 0
    print(f"{'id':>5}  {'started':16}  {'kind':5}  {'program / video':34}  {'ex':>3} {'sets':>4} {'reps':>5} "
          f"{'holds':>5}  {'pain':7}  ended")  # fmt: skip
    for s in rows:
        what = s.program_name or (Path(s.source).name if s.source else "")
        pain = f"{'-' if s.pain_before is None else s.pain_before}->{'-' if s.pain_after is None else s.pain_after}"
        started = s.started_at[:16].replace("T", " ")
        print(f"{s.id:>5}  {started:16}  {s.kind:5}  {what[:34]:34}  {s.exercises:>3} {s.sets:>4} {s.reps:>5} "
              f"{s.holds:>5}  {pain:7}  {s.end_reason.replace('_', ' ')}")  # fmt: skip
    print(f"{len(rows)} sessions")
    return 0


def format_session(d: Mapping[str, Any]) -> str:
    lines = [f"session {d['id']} ({d['kind']}): {d['started_at']} to {d['ended_at'] or '?'}, {d['end_reason']}"]
    if d["program_name"]:
        lines.append(f"  program: {d['program_name']}")
    if d["source"]:
        lines.append(f"  video: {d['source']}")
    lines.append(f"  pain before: {_v(d['pain_before'])}, after: {_v(d['pain_after'])}")
    for a in d["stop_answers"]:
        lines.append(f"  stop question: {a['question']} -> {a['answer']}")
    for ex in d["exercises"]:
        side = f", {ex['side_is'] or 'side'} {ex['side']}" if ex["side"] else ""
        dose = _dose(ex)
        lines.append(f"  {ex['exercise_name']} ({ex['exercise_id']}{side}); prescribed {dose}")
        for s in ex["sets"]:
            peaks = [r["peak_value"] for r in s["rep_events"] if r["complete"] and r["peak_value"] is not None]
            parts = []
            if s["rep_events"]:
                parts.append(f"{s['reps']} reps, {s['partial_reps']} partial")
            if peaks:
                parts.append(f"peak {ex['primary_metric']} {min(peaks):.0f}-{max(peaks):.0f} {ex['unit']}")
            if s["holds"]:
                parts.append("holds " + ", ".join(f"{h['duration_s']:.1f} s" for h in s["holds"]))
            codes = sorted({f["code"] for f in s["faults"]})
            if codes:
                parts.append(f"feedback: {', '.join(codes)}")
            done = "" if s["complete"] else " (not finished)"
            lines.append(f"    set {s['set_no']}: {', '.join(parts) or 'nothing counted'}{done}")
    return "\n".join(lines)


def _v(x: object) -> str:
    return "-" if x is None else str(x)


def _dose(ex: Mapping[str, Any]) -> str:
    amount = f"{ex['prescribed_reps']} reps" if ex["prescribed_reps"] else ""
    if ex["prescribed_hold_s"]:
        hold = f"{ex['prescribed_hold_s']:g} s hold"
        amount = f"{amount} x {hold}" if amount else hold
    return f"{ex['prescribed_sets']} x {amount}" + (" each side" if ex["per_side"] else "")


def _cmd_show(args: argparse.Namespace) -> int:
    import json

    from formcheck.history.queries import session_detail

    with _open(args) as store:
        detail = session_detail(store, args.id)
    if detail is None:
        raise ConfigError(f"no session {args.id}; `formcheck history list` shows the ids")
    print(json.dumps(detail, indent=1) if args.json else format_session(detail))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from formcheck.history.queries import export_csv, export_json

    since = parse_day(args.since, "--since").isoformat() if args.since else None
    fmt = args.format or (Path(args.out).suffix.lstrip(".").lower() if args.out else "csv")
    if fmt not in ("csv", "json"):
        raise ConfigError(f"--format {fmt!r}: expected csv or json")
    with _open(args) as store:
        text = export_csv(store, since) if fmt == "csv" else export_json(store, since)
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        # Owner-only like the database: an export is the same health data.
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as fh:
            fh.write(text)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{out}: cannot write the export ({exc.strerror or exc})") from None
    print(f"exported: {out} ({fmt})")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    with _open(args) as store:
        if not store.delete_session(args.id):
            raise ConfigError(f"no session {args.id}; `formcheck history list` shows the ids")
    print(f"deleted session {args.id}")
    return 0


def _cmd_forget(args: argparse.Namespace) -> int:
    from formcheck.history.queries import list_sessions

    with _open(args) as store:
        n = len(list_sessions(store))
        if not args.yes:
            if not sys.stdin.isatty():
                raise ConfigError("forget deletes every session; confirm with --yes (no terminal to ask on)")
            answer = input(f"Delete all {n} sessions in {store.path}? This cannot be undone. Type 'forget': ")
            if answer.strip() != "forget":
                print("nothing deleted")
                return 1
        deleted = store.forget_everything()
    print(f"forgot {deleted} sessions")
    return 0


def _cmd_repair(args: argparse.Namespace) -> int:
    from formcheck.history.store import repair, resolve_db_path

    backup, counts = repair(resolve_db_path(args.db))
    print(f"backup of the damaged file: {backup}")
    print("recovered: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    return 0


def add_parsers(sub: argparse._SubParsersAction[Any]) -> None:
    h = sub.add_parser("history", help="the sessions recorded so far: list, show, export, delete")
    h.add_argument("--db", metavar="PATH", help=DB_HELP)
    h.add_argument("--since", metavar="YYYY-MM-DD", help="only sessions from this day on")
    h.set_defaults(func=_cmd_list)
    hs = h.add_subparsers(dest="history_command")

    def leaf(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = hs.add_parser(name, help=help_text)
        # SUPPRESS: a --db given before the subcommand is not reset by this one's default.
        p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP)
        return p

    ls = leaf("list", "one line per session (the default)")
    ls.add_argument("--since", metavar="YYYY-MM-DD", default=argparse.SUPPRESS, help="only sessions from this day on")
    ls.set_defaults(func=_cmd_list)
    sh = leaf("show", "one session in full: exercises, sets, reps, holds, feedback")
    sh.add_argument("id", type=int, help="session id (from `history list`)")
    sh.add_argument("--json", action="store_true", help="print it as JSON")
    sh.set_defaults(func=_cmd_show)
    ex = leaf("export", "write every rep and hold as CSV, or every session as JSON")
    ex.add_argument("--format", choices=("csv", "json"), help="default: from --out's suffix, else csv")
    ex.add_argument("--out", metavar="PATH", help="write here (default: print)")
    ex.add_argument("--since", metavar="YYYY-MM-DD", default=argparse.SUPPRESS, help="only sessions from this day on")
    ex.set_defaults(func=_cmd_export)
    de = leaf("delete", "delete one session")
    de.add_argument("id", type=int, help="session id (from `history list`)")
    de.set_defaults(func=_cmd_delete)
    fo = leaf("forget", "delete every session (asks first)")
    fo.add_argument("--yes", action="store_true", help="do not ask")
    fo.set_defaults(func=_cmd_forget)
    re_ = leaf("repair", "rebuild a damaged database from what can be read (keeps a backup first)")
    re_.set_defaults(func=_cmd_repair)
