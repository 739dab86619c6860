"""`viewpick serve` as users run it: a real process on a loopback port, spoken to over HTTP,
stopped with signals; its access log; --reload; and the same factory under gunicorn."""

import logging
import os
import re
import select
import signal
import socket
import subprocess
import sys
import textwrap
import time
import types
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from webtest import TestApp

from tests.apps import serve_app
from viewpick import Configurator
from viewpick.cli import CommandError
from viewpick.serve import AccessLog, files_of, listen, watched_templates

ROOT = Path(__file__).resolve().parent.parent
FACTORY = "tests.apps.serve_app:main"
ACCESS_LINE = r"\[viewpick\.access\] {method} {path} {status} {size}B \d+\.\dms$"


class Server:
    """A `python -m viewpick ...` process, its URL once it listens, and what it wrote."""

    def __init__(self, *args, cwd=ROOT, command=(sys.executable, "-m", "viewpick"), new_session=False):
        self.process = subprocess.Popen(
            [*command, *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,  # or hupper asks a terminal to press ENTER
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=new_session,
        )

    def next_line(self, timeout=15):
        """The next line on stdout, or None after ``timeout`` seconds without one."""
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return self.process.stdout.readline() if ready else None

    def url(self):
        """The URL from the next line, `viewpick: serving ... on URL`."""
        line = self.next_line()
        found = re.fullmatch(r"viewpick: serving \S+ on (http://\S+/)\n", line or "")
        assert found, f"unexpected line {line!r}; stderr: {self.stop()[1]}"
        return found.group(1)

    def stop(self, sig=signal.SIGTERM, timeout=10):
        """Send ``sig``, wait for the exit; (exit status, stderr)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        _, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, err

    def finish(self, timeout=15):
        """Wait for the process to exit by itself; (exit status, stderr)."""
        _, err = self.process.communicate(timeout=timeout)
        return self.process.returncode, err

    def end(self):
        """Stop the process if the test left it running (SIGTERM, then SIGKILL); close its pipes."""
        try:
            self.stop()
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


@pytest.fixture
def start():
    """``start(*args, **kw)``: a :class:`Server`, stopped after the test if it still runs."""
    servers = []

    def start(*args, **kw):
        servers.append(Server(*args, **kw))
        return servers[-1]

    yield start
    for server in servers:
        server.end()


def get(url, timeout=10):
    """(status, body) of a GET."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()


def poll(url, expected, timeout=20):
    """GET ``url`` until its body contains ``expected``; whether it did within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if expected in get(url, timeout=2)[1]:
                return True
        except OSError:  # between workers, or not up yet
            pass
        time.sleep(0.2)
    return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- viewpick serve ---------------------------------------------------------------------------


def test_serve_prints_the_url_with_the_port_it_got(start):
    server = start("serve", FACTORY, "--port", "0")
    url = server.url()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url) and not url.endswith(":0/")
    assert get(url)[0] == 200


def test_serve_listens_on_the_given_port(start):
    port = free_port()
    server = start("serve", FACTORY, "--port", str(port))
    assert server.url() == f"http://127.0.0.1:{port}/"


def test_serve_calls_the_factory_with_the_settings_as_strings(start):
    server = start("serve", FACTORY, "--port", "0", "--setting", "greeting=hi there", "--setting", "n=1")
    assert get(server.url()) == (200, '{"greeting": "hi there", "n": "1"}')


def test_serve_logs_one_access_line_per_request_on_stderr(start):
    server = start("serve", FACTORY, "--port", "0")
    url = server.url()
    _, body = get(url + "?q=x")
    get(url + "nowhere")
    _, err = server.stop()
    access = [line for line in err.splitlines() if "[viewpick.access]" in line]
    assert len(access) == 2
    # Each line is written when its response ends, so they may come in either order.
    page = ACCESS_LINE.format(method="GET", path=r"/\?q=x", status=200, size=len(body))
    missing = ACCESS_LINE.format(method="GET", path="/nowhere", status=404, size=r"\d+")
    assert any(re.search(page, line) for line in access)
    assert any(re.search(missing, line) for line in access)


def test_serve_logs_the_apps_errors_with_their_traceback_on_stderr(start):
    server = start("serve", FACTORY, "--port", "0")
    assert get(server.url() + "fail")[0] == 500
    _, err = server.stop()
    assert "ERROR [viewpick] error handling GET /fail" in err
    assert "RuntimeError: this view always fails" in err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serve_stops_cleanly_with_status_0_on_sigterm_and_sigint(start, sig):
    server = start("serve", FACTORY, "--port", "0")
    get(server.url())
    status, err = server.stop(sig)
    assert status == 0
    assert f"[viewpick.serve] stopped ({sig.name})" in err
    assert "Traceback" not in err


def test_serve_on_a_taken_port_exits_1_with_one_line(start):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = start("serve", FACTORY, "--port", str(port))
        status, err = server.finish()
    assert status == 1
    assert err == f"viewpick: cannot listen on 127.0.0.1:{port}: address already in use\n"


def test_serve_with_a_bad_factory_exits_1_with_one_line(start):
    status, err = start("serve", "tests.apps.serve_app:mian", "--port", "0").finish()
    assert status == 1
    assert err.count("\n") == 1
    assert "has no attribute 'mian'; did you mean 'main'?" in err


def test_console_script_serves_a_module_from_the_working_directory(start, tmp_path, monkeypatch):
    (tmp_path / "hello.py").write_text("from tests.apps.serve_app import main\n")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # for tests.apps; hello is found in the working directory
    script = Path(sys.executable).parent / "viewpick"
    server = start("serve", "hello:main", "--port", "0", "--setting", "from=script", command=[script], cwd=tmp_path)
    assert get(server.url()) == (200, '{"from": "script"}')


# --- limits: slow clients, large headers and bodies ------------------------------------------


def connect_to(url):
    """A socket connected to the server at ``url``."""
    host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=10)


def first_line(sock, timeout=5):
    """The status line the server sends on ``sock`` within ``timeout`` seconds, or ''."""
    sock.settimeout(timeout)
    try:
        return sock.recv(4096).decode("latin-1").partition("\r\n")[0]
    except TimeoutError:
        return ""


def test_serve_answers_promptly_while_more_slow_clients_than_waitress_allows_by_default_trickle_headers(start):
    """waitress takes 100 connections unless told otherwise; a client that sends its headers a
    byte at a time keeps its connection open: 110 of them must not lock everyone else out."""
    url = start("serve", FACTORY, "--port", "0").url()
    slow = []
    try:
        for _ in range(110):
            sock = connect_to(url)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(sock)
        for sock in slow:  # each is still sending, a byte at a time
            sock.sendall(b"z")
        started = time.monotonic()
        assert get(url, timeout=5) == (200, "{}")
        assert time.monotonic() - started < 3  # a hang, not a slow answer, is the failure
    finally:
        for sock in slow:
            sock.close()


def test_serve_takes_more_connections_than_select_could_watch(start):
    """select() fails once a file descriptor number passes 1024: waitress must use poll()."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if 0 <= hard < 1300:
        pytest.skip("the hard limit on open files is below 1300")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1300) if soft >= 0 else soft, hard))
    url = start("serve", FACTORY, "--port", "0", "--connection-limit", "1200").url()
    idle = []
    try:
        for _ in range(1100):
            idle.append(connect_to(url))
        assert get(url, timeout=10) == (200, "{}")
    finally:
        for sock in idle:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_serve_refuses_a_body_over_max_body_bytes_before_it_is_sent(start):
    url = start("serve", FACTORY, "--port", "0", "--setting", "max_body_bytes=1000").url()
    with connect_to(url) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\nonly the start")
        assert first_line(sock) == "HTTP/1.1 413 Request Entity Too Large"


def test_serve_refuses_request_headers_over_64_kib(start):
    url = start("serve", FACTORY, "--port", "0").url()
    with connect_to(url) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
        assert first_line(sock).endswith(" 431 Request Header Fields Too Large")  # waitress says HTTP/1.0


def test_serve_closes_a_connection_idle_past_the_channel_timeout(start):
    url = start("serve", FACTORY, "--port", "0", "--channel-timeout", "1").url()
    with connect_to(url) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and then nothing
        sock.settimeout(6)
        assert sock.recv(4096) == b""  # closed by the server


@pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc/PID/limits (Linux)")
def test_serve_raises_a_low_open_files_limit_to_what_the_connection_limit_needs(start):
    import resource

    if 0 <= resource.getrlimit(resource.RLIMIT_NOFILE)[1] < 1100:
        pytest.skip("the hard limit on open files is below 1100")
    low_limit = ("sh", "-c", 'ulimit -Sn 256 && exec "$0" "$@"', sys.executable, "-m", "viewpick")
    server = start("serve", FACTORY, "--port", "0", command=low_limit)
    server.url()
    limits = Path(f"/proc/{server.process.pid}/limits").read_text()
    soft = int(re.search(r"^Max open files\s+(\d+)", limits, re.M).group(1))
    assert soft >= 1100


def test_serve_takes_the_number_of_threads_and_connections_as_options(start):
    url = start("serve", FACTORY, "--port", "0", "--threads", "2", "--connection-limit", "50").url()
    assert get(url) == (200, "{}")


@pytest.mark.parametrize("option", ["--threads", "--connection-limit", "--channel-timeout"])
def test_serve_refuses_a_limit_that_is_not_a_positive_number(start, option):
    status, err = start("serve", FACTORY, option, "0").finish()
    assert status == 2
    assert "is not a whole number of at least 1" in err


# --- --reload ---------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """A package ``reloadme`` with a factory and a template, in a fresh directory."""
    package = tmp_path / "reloadme"
    (package / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text(
        textwrap.dedent(
            """
            from viewpick import Configurator

            GREETING = "hello"


            def page(request):
                return {"greeting": GREETING, "settings": dict(request.app.settings)}


            def main(settings=None):
                config = Configurator(settings)
                config.add_route("page", "/")
                config.add_view(page, route_name="page", renderer="templates/page.mako")
                return config.make_wsgi_app()
            """
        )
    )
    (package / "templates" / "page.mako").write_text("<p>${greeting}</p> ${str(settings) | n}\n")
    return tmp_path


def change_until(path, text, happened, timeout=40):
    """Write ``text`` to ``path`` until ``happened()``: the reloader only sees changes to a
    file once it watches it, which can take a few seconds after a worker starts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mtime = path.stat().st_mtime + 2  # clearly newer, however coarse the file system's clock
        path.write_text(text)
        os.utime(path, (mtime, mtime))
        if happened():
            return
    pytest.fail(f"nothing happened after {path.name} changed")


def test_reload_turns_on_template_reloading_debugging_and_strict_undefined(start, project):
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    body = get(server.url())[1]
    assert "'reload_templates': 'true'" in body
    assert "'debug': 'true'" in body
    assert "'mako.strict_undefined': 'true'" in body


def test_reload_logs_the_name_a_template_misspelt_and_the_template(start, project):
    template = project / "reloadme" / "templates" / "page.mako"
    template.write_text("<p>${greting}</p>\n")
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    assert get(server.url())[0] == 500
    _, err = server.stop()
    assert "NameError: 'greting' is not defined" in err
    assert "templates/page.mako" in err


def test_reload_keeps_settings_given_explicitly(start, project):
    server = start("serve", "reloadme:main", "--port", "0", "--reload", "--setting", "debug=false", cwd=project)
    assert "'debug': 'false'" in get(server.url())[1]


def test_reload_restarts_on_the_same_port_when_a_python_file_changes(start, project):
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    url = server.url()
    source = project / "reloadme" / "__init__.py"
    changed = source.read_text().replace('GREETING = "hello"', 'GREETING = "changed"')
    change_until(source, changed, lambda: poll(url, "<p>changed</p>", timeout=3))
    assert server.url() == url  # the new worker's line: same socket


def test_reload_restarts_when_a_template_changes(start, project):
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    url = server.url()
    template = project / "reloadme" / "templates" / "page.mako"
    change_until(template, "<p>new ${greeting}</p>\n", lambda: server.next_line(timeout=3) is not None)
    assert poll(url, "<p>new hello</p>")


def failed_line(line):
    """The URL from `viewpick: SPEC failed to load; URL answers with the error until a file changes`."""
    found = re.fullmatch(
        r"viewpick: \S+ failed to load; (http://\S+/) answers with the error until a file changes\n", line or ""
    )
    assert found, f"unexpected line {line!r}"
    return found.group(1)


def test_reload_answers_with_the_error_at_once_while_the_factory_fails_then_serves_the_fix(start, project):
    source = project / "reloadme" / "__init__.py"
    good = source.read_text()
    source.write_text(good.replace('GREETING = "hello"', "GREETING = missing_name"))
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    url = failed_line(server.next_line())
    status, body = get(url, timeout=5)
    assert status == 500
    assert "importing reloadme failed: NameError: name &#x27;missing_name&#x27; is not defined" in body
    assert "reloadme/__init__.py" in body  # the traceback
    change_until(source, good, lambda: poll(url, "<p>hello</p>", timeout=3))
    _, err = server.stop()
    assert "viewpick: importing reloadme failed: NameError: name 'missing_name' is not defined" in err


def test_reload_answers_with_a_syntax_error_and_its_line(start, project):
    source = project / "reloadme" / "__init__.py"
    source.write_text(source.read_text().replace('GREETING = "hello"', "GREETING = ("))
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    status, body = get(failed_line(server.next_line()), timeout=5)
    assert status == 500
    assert "SyntaxError" in body
    assert re.search(r"reloadme/__init__\.py:\d+", body)


def test_reload_error_page_escapes_the_error(start, project):
    source = project / "reloadme" / "__init__.py"
    source.write_text(source.read_text().replace('GREETING = "hello"', 'raise RuntimeError("<b>broken</b> & gone")'))
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    status, body = get(failed_line(server.next_line()), timeout=5)
    assert status == 500
    assert "RuntimeError: &lt;b&gt;broken&lt;/b&gt; &amp; gone" in body
    assert "<b>broken" not in body


def test_reload_answers_with_a_template_that_does_not_compile_until_it_is_fixed(start, project):
    template = project / "reloadme" / "templates" / "page.mako"
    good = template.read_text()
    template.write_text("<p>${greeting</p>\n")
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    url = failed_line(server.next_line())
    status, body = get(url, timeout=5)
    assert status == 500
    assert "template &#x27;templates/page.mako&#x27; does not compile" in body
    change_until(template, good, lambda: poll(url, "<p>hello</p>", timeout=3))
    _, err = server.stop()
    assert "template 'templates/page.mako' does not compile" in err


def test_reload_stops_on_sigterm_with_status_0(start, project):
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project)
    get(server.url())
    status, err = server.stop()
    assert status == 0
    assert "[viewpick.serve] stopped (SIGTERM)" in err


def test_reload_ctrl_c_leaves_no_process_behind(start, project):
    server = start("serve", "reloadme:main", "--port", "0", "--reload", cwd=project, new_session=True)
    get(server.url())
    group = server.process.pid
    os.killpg(group, signal.SIGINT)  # what Ctrl-C does: the whole foreground process group
    assert server.process.wait(timeout=15) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("a process of the group outlived Ctrl-C")


def test_watched_templates_of_a_package_are_its_mako_files_and_the_mako_directories(tmp_path):
    app = Configurator({"mako.directories": str(tmp_path)}).make_wsgi_app()
    package_dir = os.path.dirname(serve_app.__file__)
    assert watched_templates(FACTORY, app, {}) == [
        os.path.join(package_dir, "**", "*.mako"),
        str(tmp_path / "**" / "*"),
    ]


def test_watched_templates_of_a_top_level_module_stay_out_of_its_neighbours(tmp_path, monkeypatch):
    module = types.ModuleType("toplevel")
    module.__file__ = str(tmp_path / "toplevel.py")
    monkeypatch.setitem(sys.modules, "toplevel", module)
    assert watched_templates("toplevel:main", None, {}) == [
        str(tmp_path / "*.mako"),
        str(tmp_path / "templates" / "**" / "*.mako"),
        str(tmp_path / "*.jinja2"),
        str(tmp_path / "templates" / "**" / "*.jinja2"),
        str(tmp_path / "*.j2"),
        str(tmp_path / "templates" / "**" / "*.j2"),
    ]


def test_watched_templates_follow_the_template_extensions_and_directories_the_app_uses(tmp_path):
    config = Configurator({"jinja2.directories": str(tmp_path)})
    config.add_route("home", "/")
    config.add_view(lambda request: {}, route_name="home", renderer="templates/contract/page.jinja2")
    package_dir = os.path.dirname(serve_app.__file__)
    assert watched_templates(FACTORY, config.make_wsgi_app(), {}) == [
        os.path.join(package_dir, "**", "*.mako"),
        os.path.join(package_dir, "**", "*.jinja2"),
        str(tmp_path / "**" / "*"),
    ]


# --- the access log middleware --------------------------------------------------------------


@pytest.fixture
def logged_app(caplog):
    caplog.set_level(logging.INFO, logger="viewpick.access")
    return TestApp(AccessLog(serve_app.main()))


def access_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "viewpick.access"]


def test_access_log_counts_a_streamed_body_whole(logged_app, caplog):
    logged_app.get("/stream")
    [line] = access_lines(caplog)
    assert re.fullmatch(r"GET /stream 200 18B \d+\.\dms", line)


def test_access_log_escapes_what_could_forge_log_lines(logged_app, caplog):
    logged_app.get("/a%0Ab c%C3%A9", status=404)
    [line] = access_lines(caplog)
    assert line.startswith("GET /a%0Ab%20c%C3%A9 404 ")


def test_access_log_counts_bytes_sent_through_write(caplog):
    caplog.set_level(logging.INFO, logger="viewpick.access")

    def legacy_app(environ, start_response):
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written ")
        return [b"returned"]

    TestApp(AccessLog(legacy_app), lint=False).get("/")
    [line] = access_lines(caplog)
    assert line.startswith("GET / 200 16B ")


def test_access_log_closes_the_apps_body_then_logs(caplog):
    caplog.set_level(logging.INFO, logger="viewpick.access")
    closed = []

    class Body:
        def __iter__(self):
            yield b"body"

        def close(self):
            closed.append(access_lines(caplog))  # what was logged when the app's body closed

    def app_with_body(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return Body()

    TestApp(AccessLog(app_with_body)).get("/")
    assert closed == [[]]
    assert access_lines(caplog)[0].startswith("GET / 200 4B ")


def test_access_log_records_an_app_that_raises_as_500(caplog):
    caplog.set_level(logging.INFO, logger="viewpick.access")

    def broken_app(environ, start_response):
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        TestApp(AccessLog(broken_app)).get("/")
    [line] = access_lines(caplog)
    assert line.startswith("GET / 500 0B ")


def test_the_file_with_a_syntax_error_is_watched_for_a_fix(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("x = (\n")
    with pytest.raises(SyntaxError) as info:
        compile(bad.read_text(), str(bad), "exec")
    assert str(bad) in files_of(info.value)


def test_an_error_without_a_cause_has_no_files_to_watch():
    assert files_of(None) == []


def test_listen_reports_an_unknown_host_in_one_line():
    with pytest.raises(CommandError, match=r"cannot listen on no-such-host\.invalid:8080: "):
        listen("no-such-host.invalid", 8080)


def test_listen_shows_ipv6_hosts_in_brackets():
    with socket.socket(socket.AF_INET6) as taken:
        try:
            taken.bind(("::1", 0))
        except OSError:
            pytest.skip("no IPv6 loopback")
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(CommandError, match=rf"cannot listen on \[::1\]:{port}: address already in use"):
            listen("::1", port)


# --- gunicorn ---------------------------------------------------------------------------------


def test_the_factory_runs_under_gunicorn_with_two_workers(start):
    port = free_port()
    server = start(
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        f"{FACTORY}()",
        command=(sys.executable, "-m", "gunicorn"),
    )
    assert poll(f"http://127.0.0.1:{port}/", "{}")
    assert get(f"http://127.0.0.1:{port}/") == (200, "{}")  # no settings: gunicorn calls main()
    status, err = server.stop(timeout=30)
    assert status == 0
    assert err.count("Booting worker with pid") == 2


def chunked(method, path, body):
    """A request whose body is sent chunked (no Content-Length), in one chunk."""
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    return head.encode() + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"


def test_under_gunicorn_a_get_with_a_chunked_body_over_max_body_bytes_is_413(start):
    port = free_port()
    start(
        "--bind",
        f"127.0.0.1:{port}",
        f"{FACTORY}({{'max_body_bytes': '1000'}})",
        command=(sys.executable, "-m", "gunicorn"),
    )
    assert poll(f"http://127.0.0.1:{port}/length", "0")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(chunked("GET", "/length", b"x" * 2000))
        assert first_line(sock) == "HTTP/1.1 413 Content Too Large"  # viewpick's answer, not the server's
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(chunked("GET", "/length", b"x" * 10))
        assert sock.makefile("rb").read().endswith(b"\r\n\r\n10")


def test_make_demo_serves_the_catalogue_on_the_port_and_host_given(start, tmp_path):
    port = free_port()
    venv = Path(sys.prefix)
    server = start(
        "demo",
        f"PORT={port}",
        "HOST=127.0.0.1",
        f"VENV={venv}",
        f"ARGS=--setting films.db={tmp_path / 'films.sqlite3'}",
        "-o",  # this interpreter's environment is installed already: run, do not reinstall
        str(venv / ".installed"),
        "--no-print-directory",
        command=("make", "--silent"),
        new_session=True,
    )
    assert server.url() == f"http://127.0.0.1:{port}/"
    assert poll(f"http://127.0.0.1:{port}/films?q=samurai", "Seven Samurai")
    os.killpg(server.process.pid, signal.SIGINT)  # Ctrl-C: make, the monitor and its worker
    server.process.communicate(timeout=15)
