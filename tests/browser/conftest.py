"""A real server and a real browser for the demo's browser tests.

The server is ``viewpick serve demo.films:main`` in a subprocess, on a free loopback port,
with a database of its own. The browser is Debian's headless Chromium, driven through
Debian's chromedriver (``apt-get install chromium chromium-driver``). Without them the
tests are skipped, except where ``VIEWPICK_REQUIRE_BROWSER=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# Headless and quiet: no GPU, no sandbox (CI containers run as root), and no background
# connections to Google's services, which this machine's closed network refuses.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def printed_url(stream: IO[str], seconds: float) -> str | None:
    """The first http:// URL the server prints on ``stream`` within ``seconds``."""
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while selector.select(timeout=max(0.0, deadline - time.monotonic())):
            line = stream.readline()
            if not line:
                return None
            found = re.search(r"http://[^\s/]+", line)
            if found:
                return found.group(0)
    return None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the demo, served by ``viewpick serve`` on a free port."""
    folder = tmp_path_factory.mktemp("server")
    command = [
        sys.executable, "-m", "viewpick", "serve", "demo.films:main",
        "--port", "0", "--setting", f"films.db={folder / 'films.sqlite3'}",
    ]  # fmt: skip
    with open(folder / "server.log", "w+", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            url = printed_url(process.stdout, seconds=30)  # type: ignore[arg-type]
            if url is None:
                log.seek(0)
                pytest.fail(f"viewpick serve printed no URL; its log:\n{log.read()}")
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
            process.stdout.close()  # type: ignore[union-attr]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a fresh profile."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if missing:
        reason = f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("VIEWPICK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"VIEWPICK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
