"""Headless Chromium for the report's tests: a screenshot, the console, and the page's own requests."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--hide-scrollbars",
    # Nothing can resolve: a request the page made would fail, and still show in the net log.
    "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
)  # fmt: skip


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class Render:
    screenshot: Path
    console: list[str]  # messages the page logged (errors, CSP refusals)
    page_requests: list[str]  # URLs the page itself asked for (not the browser's own background traffic)


def render(page: Path, work: Path, width: int = 1200, height: int = 5000) -> Render:
    browser = chromium()
    assert browser is not None
    shot, netlog = work / "shot.png", work / "net.json"
    proc = subprocess.run(
        [
            browser, *FLAGS, f"--user-data-dir={work / 'profile'}", f"--log-net-log={netlog}",
            f"--window-size={width},{height}", f"--screenshot={shot}", page.resolve().as_uri(),
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert shot.is_file(), proc.stderr[-2000:]
    console = [ln for ln in proc.stderr.splitlines() if ":CONSOLE" in ln or "Content Security Policy" in ln]
    log = json.loads(netlog.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requests = []
    for event in log["events"]:
        params = event.get("params") or {}
        url = params.get("url")  # the job's begin event; its end event carries only net_error
        # The browser's own traffic (updates, time sync) has no origin; the page's has its file:// site.
        page_made = event["type"] == start_job and url and params.get("initiator") != "not an origin"
        if page_made and not re.match(r"(file|data|chrome|about):", url):
            requests.append(url)
    return Render(shot, console, requests)
