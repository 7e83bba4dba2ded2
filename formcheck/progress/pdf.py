"""The report as PDF, printed by the same engine that displays it (headless Chromium).

A PDF drawn separately (e.g. matplotlib's PdfPages) would be a second report
that could drift from the HTML; printing the HTML with the print CSS it already
has gives the page a clinician would get from File > Print. Chromium is not a
Python dependency: without it, ``--pdf`` says so and the HTML still stands.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from formcheck.errors import OutputError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--no-pdf-header-footer",
)  # fmt: skip


def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html: Path, out: Path, timeout_s: float = 120.0) -> Path:
    browser = find_browser()
    if browser is None:
        raise OutputError(f"{out}: --pdf needs Chromium (e.g. apt-get install chromium); the HTML report was written")
    tmp = out.with_name(f".{out.name}.tmp.pdf")
    with tempfile.TemporaryDirectory(prefix="formcheck-chromium-") as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={tmp}", html.resolve().as_uri()]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"{out}: Chromium could not print the report ({exc})") from None
    if not tmp.is_file() or tmp.read_bytes()[:5] != b"%PDF-":
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{out}: Chromium did not produce a PDF; the HTML report was written")
    tmp.replace(out)
    return out
