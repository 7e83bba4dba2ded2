"""The progress report as one self-contained HTML file.

Like coverage.py's report: static, no server, nothing fetched. Charts are inline
SVG, the style is inline CSS, there is no script, and a Content-Security-Policy
forbids every network request (a browser would block and log any that slipped
in, which the browser test checks). The page prints on A4 with each section
kept on one page where it fits.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from formcheck import __version__
from formcheck.progress import charts
from formcheck.progress.data import ProgressData
from formcheck.textfiles import write_text_atomic

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
.meta { color: #555; } .note { color: #555; font-style: italic; }
svg { width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.85em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left; }
th { background: #f3f3f3; } td.num, th.num { text-align: right; }
.stop { color: #b00020; font-weight: 600; }
@page { size: A4; margin: 14mm; }
td.when { white-space: nowrap; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; } h2, h2 + p { break-after: avoid; }
               svg, tr { break-inside: avoid; } }
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text))


def _section(title: str, body: str, sid: str) -> str:
    return f'<section id="{sid}"><h2>{_e(title)}</h2>\n{body}\n</section>'


def _day(ts: str) -> str:
    return dt.datetime.fromisoformat(ts).strftime("%a %Y-%m-%d %H:%M")


def render_html(data: ProgressData) -> str:
    parts: list[str] = []
    span = f"{data.since.isoformat() if data.since else 'the first session'} to {data.until.isoformat()}"
    program = f"Program: {_e(data.program_name)}. " if data.program_name else ""
    parts.append(
        f"<h1>formcheck progress report</h1><p class='meta'>{program}Sessions from {_e(span)}: "
        f"{len(data.sessions)} recorded. Written {dt.date.today().isoformat()} by formcheck {__version__} "
        f"from {_e(Path(data.db).name)}.</p>"
    )
    for n in data.notes:
        parts.append(f"<p class='note'>{_e(n)}</p>")

    if data.weeks:
        total_done = sum(w.sessions_done for w in data.weeks)
        sets_done = sum(w.sets_done for w in data.weeks)
        summary = f"{total_done} sessions and {sets_done} sets done"
        # Only weeks the program covers count against the prescription.
        covered = [w for w in data.weeks if w.sessions_prescribed]
        if covered:
            s_done = sum(w.sessions_done for w in covered)
            s_presc = sum(w.sessions_prescribed or 0 for w in covered)
            k_done = sum(w.sets_done for w in covered)
            k_presc = sum(w.sets_prescribed or 0 for w in covered)
            summary += (
                f"; in the {len(covered)} weeks the program covers, {s_done} of {s_presc} sessions "
                f"({100 * s_done / s_presc:.0f}%) and {k_done} of {k_presc} sets "
                f"({100 * k_done / max(k_presc, 1):.0f}%)"
            )
        parts.append(_section("Adherence", f"<p>{_e(summary)}.</p>{charts.adherence_chart(data.weeks)}", "adherence"))

    if data.rom:
        body = "<p>The primary measure's peak in each complete rep: its range of motion (median per session, " \
               "bar from the lowest to the highest rep), with the exercise's target.</p>"  # fmt: skip
        body += "".join(charts.series_chart(s, f"{s.metric} ({s.unit})") for s in data.rom)
        parts.append(_section("Range of motion per exercise", body, "rom"))
    if data.holds:
        body = "<p>Seconds held with good form in each hold (median per session, bar from the shortest to " \
               "the longest), with the prescribed hold time.</p>"  # fmt: skip
        body += "".join(charts.series_chart(s, "Held (s)") for s in data.holds)
        parts.append(_section("Hold times", body, "holds"))
    if data.pain:
        rows = "".join(
            f"<tr><td>{p.started_at.strftime('%Y-%m-%d')}</td><td>{_e(q)}</td><td class='stop'>{_e(a)}</td></tr>"
            for p in data.pain
            for q, a in p.stop_answers
        )
        table = (
            f"<table><tr><th>Date</th><th>Stop question</th><th>Answer</th></tr>{rows}</table>"
            if rows
            else "<p>No session was stopped with the safety questions.</p>"
        )
        parts.append(_section("Pain before and after", charts.pain_chart(data.pain) + table, "pain"))
    if data.faults:
        rows = "".join(
            f"<tr><td>{_e(f.message)}</td><td><code>{_e(f.code)}</code></td><td>{_e(', '.join(f.exercises))}</td>"
            f"<td class='num'>{f.count}</td></tr>"
            for f in data.faults
        )
        body = charts.faults_chart(data.faults) + (
            f"<table><tr><th>Feedback</th><th>Code</th><th>Exercises</th><th class='num'>Times</th></tr>{rows}</table>"
        )
        parts.append(_section("Most frequent form feedback", body, "faults"))

    rows = "".join(
        f"<tr><td class='when'>{_e(_day(s.started_at))}</td><td>{_e(s.kind)}</td>"
        f"<td>{_e(s.program_name or Path(s.source or '').name)}</td>"
        f"<td class='num'>{s.exercises}</td><td class='num'>{s.sets}</td><td class='num'>{s.reps}</td>"
        f"<td class='num'>{s.holds}</td><td class='num'>{_e(s.pain_before)}</td><td class='num'>{_e(s.pain_after)}</td>"
        f"<td>{_e(s.end_reason.replace('_', ' '))}</td></tr>"
        for s in reversed(data.sessions)
    )
    table = (
        "<table><thead><tr><th>Started</th><th>Kind</th><th>Program / video</th><th class='num'>Exercises</th>"
        "<th class='num'>Sets</th><th class='num'>Reps</th><th class='num'>Holds</th><th class='num'>Pain before</th>"
        f"<th class='num'>Pain after</th><th>Ended</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    parts.append(_section("Sessions", table if data.sessions else "<p>No sessions recorded.</p>", "sessions"))
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>formcheck progress report</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def write_report(data: ProgressData, out: Path) -> Path:
    """Render, then write beside ``out`` and rename: never half a report."""
    write_text_atomic(render_html(data), out, "report")
    return out
