"""The README's deployment example, run: its nginx configuration in front of gunicorn's sync
workers passes requests through, refuses oversized bodies itself, and keeps slow clients away
from the one worker.

It needs Debian's nginx (``apt-get install nginx-light``; CI installs it). Without nginx the
tests are skipped, unless ``VIEWPICK_REQUIRE_NGINX`` is set: then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_readme import code_block_after
from .test_serve import ROOT, free_port, get

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")

if NGINX is None:
    if os.environ.get("VIEWPICK_REQUIRE_NGINX"):
        pytest.fail("nginx is not installed and VIEWPICK_REQUIRE_NGINX is set", pytrace=False)
    pytestmark = pytest.mark.skip(reason="nginx is not installed (apt-get install nginx-light)")


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process exited with status {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


def nginx_config(directory: Path, port: int, upstream: int) -> Path:
    """nginx.conf in ``directory``: the README's site, on ``port``, in front of ``upstream``."""
    site = code_block_after("and in nginx")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("127.0.0.1:8000", f"127.0.0.1:{upstream}")
    assert f"127.0.0.1:{upstream}" in site and f"127.0.0.1:{port}" in site
    (directory / "site.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {directory}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (directory / "nginx.conf").write_text(
        f"""daemon off;
{"user root;" if os.geteuid() == 0 else ""}
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
{temp}
    include {directory}/site.conf;
}}
"""
    )
    return directory / "nginx.conf"


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo under gunicorn with one sync worker, behind nginx; the URL of nginx."""
    directory = tmp_path_factory.mktemp("deployment")
    upstream, port = free_port(), free_port()
    settings = {"films.db": str(directory / "films.sqlite3"), "films.password_iterations": "1000"}
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{upstream}", f"demo.films:main({settings!r})"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config = nginx_config(directory, port, upstream)
    nginx = subprocess.Popen(
        [NGINX, "-p", str(directory), "-c", str(config), "-e", str(directory / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(upstream, gunicorn)
        wait_for_port(port, nginx)
        yield f"http://127.0.0.1:{port}/"
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if nginx.stderr is not None:
            nginx.stderr.close()


def test_nginx_passes_requests_to_the_demo_under_gunicorn(proxied: str) -> None:
    status, body = get(proxied + "films")
    assert status == 200
    assert "Seven Samurai" in body


def test_redirects_through_nginx_keep_the_host_and_port_the_client_used(proxied: str) -> None:
    host, port = proxied.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        answer = sock.recv(4096).decode("latin-1")
    assert re.search(rf"^Location: http://{host}:{port}/films\r$", answer, re.M), answer


def test_nginx_refuses_a_body_over_the_apps_limit_before_it_reaches_gunicorn(proxied: str) -> None:
    host, port = proxied.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST /login HTTP/1.1\r\nHost: {host}\r\nContent-Length: 20000000\r\n\r\n".encode())
        assert sock.recv(4096).decode("latin-1").startswith("HTTP/1.1 413 ")


def test_slow_clients_do_not_hold_the_one_sync_worker_behind_nginx(proxied: str) -> None:
    """Five clients trickling their headers would each hold gunicorn's one sync worker in
    turn; nginx holds them instead, and a normal request is answered at once."""
    host, port = proxied.removeprefix("http://").rstrip("/").split(":")
    slow = [socket.create_connection((host, int(port)), timeout=10) for _ in range(5)]
    try:
        for sock in slow:
            sock.sendall(b"GET /films HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        started = time.monotonic()
        assert get(proxied + "films/1", timeout=5)[0] == 200
        assert time.monotonic() - started < 3  # a hang, not a slow answer, is the failure
    finally:
        for sock in slow:
            sock.close()
