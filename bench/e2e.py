"""``python -m bench.e2e`` (``make bench-e2e``): every contender under real servers.

Each contender's apps (``bench/served.py``) are served by gunicorn (sync workers) and by
waitress on a loopback port; every answer is checked over HTTP first; then wrk drives each
server for a bounded time per scenario, in rounds, the contenders' order rotated from round
to round so that none always runs first. For each run it records requests per second, the
99th percentile of latency (wrk's own), and the CPU time the server's processes spent per
request (read from ``/proc/<pid>/task/*/schedstat`` of the server and its workers before and
after: nanoseconds, where ``/proc/<pid>/stat``'s user and system time count 10 ms ticks). The table gives medians over rounds, and each as a ratio to raw WSGI under the
same server in the same round: what the framework costs once a real server, sockets and HTTP
parsing are in the bill. CPU time per request is the steadiest figure on a shared machine;
requests per second and latency move with whatever else runs.

``--quick`` starts every server and checks every answer, without wrk: the test suite's smoke
test. All traffic goes to 127.0.0.1, and every run is bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .contenders import CONTENDERS, Contender, by_name
from .report import environment, table
from .scenarios import Reply, Scenario, all_scenarios
from .served import ROUTES, VIEWS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = "raw-wsgi"
SCENARIOS = ("json", "html", "xhr", "miss405", "missing", f"routes-{ROUTES}:last", f"views-{VIEWS}")
TICKS = os.sysconf("SC_CLK_TCK")


def gunicorn(port: int, args: argparse.Namespace) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "--worker-class", "sync", "--workers", str(args.workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "bench.served:app",
    ]  # fmt: skip


def waitress(port: int, args: argparse.Namespace) -> list[str]:
    return [
        sys.executable,
        "-m",
        "waitress",
        f"--listen=127.0.0.1:{port}",
        f"--threads={args.threads}",
        "bench.served:app",
    ]


SERVERS: dict[str, Callable[[int, argparse.Namespace], list[str]]] = {"gunicorn": gunicorn, "waitress": waitress}


@dataclass
class Server:
    """One contender under one server, started on a free loopback port."""

    server: str
    contender: str
    port: int
    process: subprocess.Popen[bytes]
    log: str

    def cpu_seconds(self) -> float:
        """CPU time of the server process, its threads and its descendants (gunicorn's workers), so far."""
        return sum(_cpu_seconds(pid) for pid in _family(self.process.pid))

    def errors(self) -> str:
        with open(self.log, encoding="utf-8", errors="replace") as log:
            return log.read()[-2000:]


def _family(pid: int) -> Iterator[int]:
    yield pid
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            for child in children.read().split():
                yield from _family(int(child))
    except OSError:
        return


def _cpu_seconds(pid: int) -> float:
    """The time the process's threads have run, in nanoseconds from each thread's schedstat
    (user and system time in clock ticks, 10 ms, from ``/proc/<pid>/stat`` where there is none)."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
        total = 0
        for thread in threads:
            with open(f"/proc/{pid}/task/{thread}/schedstat") as schedstat:
                total += int(schedstat.read().split()[0])
        return total / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:  # a worker that has just gone
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of proc(5))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(server: str, contenders: list[Contender], args: argparse.Namespace) -> Iterator[dict[str, Server]]:
    """Every contender under ``server`` at once (they start in parallel), stopped at the end."""
    started: dict[str, Server] = {}
    with tempfile.TemporaryDirectory(prefix="viewpick-e2e-") as logs:
        try:
            for contender in contenders:
                port = free_port()
                log = os.path.join(logs, f"{contender.name}.log")
                with open(log, "wb") as out:
                    process = subprocess.Popen(
                        SERVERS[server](port, args),
                        cwd=ROOT,
                        env={**os.environ, "BENCH_CONTENDER": contender.name},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                started[contender.name] = Server(server, contender.name, port, process, log)
            for running in started.values():
                wait_until_listening(running, args.start_timeout)
            yield started
        finally:
            for running in started.values():
                if running.process.poll() is None:
                    running.process.send_signal(signal.SIGTERM)
            for running in started.values():
                try:
                    running.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    running.process.kill()
                    running.process.wait()


def wait_until_listening(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.contender} under {server.server} exited:\n{server.errors()}")
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{server.contender} under {server.server} did not listen within {timeout} s")


def ask(port: int, scenario: Scenario, timeout: float) -> Reply:
    """One request over HTTP, as the scenario describes it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        target = scenario.path + (f"?{scenario.query}" if scenario.query else "")
        body = b"" if scenario.method in ("POST", "PUT", "PATCH") else None
        connection.request(scenario.method, target, body=body, headers=dict(scenario.headers))
        response = connection.getresponse()
        return Reply(response.status, tuple(response.getheaders()), response.read())
    finally:
        connection.close()


def wrk_script(scenario: Scenario) -> str:
    """The Lua that makes wrk send the scenario's request (strings as JSON: valid Lua for ASCII)."""
    lines = [
        f"wrk.method = {json.dumps(scenario.method)}",
        f"wrk.path = {json.dumps(scenario.path + (f'?{scenario.query}' if scenario.query else ''))}",
    ]
    lines += [f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in scenario.headers]
    if scenario.method in ("POST", "PUT", "PATCH"):
        lines.append('wrk.body = ""')  # wrk then sends Content-Length: 0
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Run:
    """One wrk run against one server."""

    requests: int
    per_second: float
    p99_ms: float
    cpu_us: float  # the server's CPU time per request
    errors: str


def _duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> tuple[int, float, float, str]:
    """Requests done, requests per second, p99 latency in ms, and the socket errors wrk saw."""
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = _duration_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Socket errors: (.*)", output)
    return requests, per_second, p99, errors.group(1) if errors else ""


def drive(server: Server, script: str, args: argparse.Namespace) -> Run:
    """wrk against ``server`` for ``args.duration`` seconds; the server's CPU time is read around it."""
    command = [
        args.wrk, "-t", "1", "-c", str(args.connections), "-d", f"{args.duration}s", "--timeout", "5s",
        "--latency", "-s", script, f"http://127.0.0.1:{server.port}/",
    ]  # fmt: skip
    before = server.cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, timeout=args.duration + 30, check=False)
    used = server.cpu_seconds() - before
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed against {server.contender} under {server.server}: {done.stderr}")
    requests, per_second, p99, errors = parse_wrk(done.stdout)
    return Run(requests, per_second, p99, used / max(requests, 1) * 1e6, errors)


@dataclass
class Results:
    contenders: list[str]
    scenarios: list[Scenario]
    wrong: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (server, scenario, contender)
    runs: dict[tuple[str, str, str], list[Run]] = field(default_factory=dict)
    checked: int = 0


def check_all(results: Results, servers: dict[str, Server], timeout: float) -> None:
    for scenario in results.scenarios:
        for name, server in servers.items():
            try:
                problems = scenario.problems(ask(server.port, scenario, timeout))
            except OSError as exc:
                problems = [f"the request failed: {exc!r}"]
            results.checked += 1
            if problems:
                results.wrong[server.server, scenario.name, name] = "; ".join(problems)


def time_all(results: Results, servers: dict[str, Server], args: argparse.Namespace, directory: str) -> None:
    names = list(servers)
    for round_ in range(args.rounds):
        for scenario in results.scenarios:
            if not scenario.timed:
                continue
            script = os.path.join(directory, f"{scenario.name.replace(':', '-')}.lua")
            with open(script, "w") as out:
                out.write(wrk_script(scenario))
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                server = servers[name]
                if (server.server, scenario.name, name) in results.wrong:
                    continue
                print(
                    f"bench-e2e: {server.server} round {round_ + 1}/{args.rounds} {scenario.name} {name}",
                    file=sys.stderr,
                    flush=True,
                )
                results.runs.setdefault((server.server, scenario.name, name), []).append(drive(server, script, args))


def _ratio(results: Results, key: tuple[str, str, str], figure: Callable[[Run], float]) -> float | None:
    """The median over rounds of this contender's figure over raw WSGI's in the same round."""
    mine, base = results.runs.get(key), results.runs.get((key[0], key[1], BASE))
    if not mine or not base or len(mine) != len(base):
        return None
    return statistics.median(figure(m) / figure(b) for m, b in zip(mine, base, strict=True))


def _cell(results: Results, key: tuple[str, str, str], figure: Callable[[Run], float], shown: str) -> str:
    if key in results.wrong:
        return "WRONG"
    runs = results.runs.get(key)
    if not runs:
        return "n/a"
    ratio = _ratio(results, key, figure)
    value = shown.format(statistics.median(figure(run) for run in runs))
    return value if ratio is None else f"{value} ({ratio:.2f}x)"


FIGURES: tuple[tuple[str, Callable[[Run], float], str], ...] = (
    ("requests/s", lambda run: run.per_second, "{:.0f}"),
    ("p99 latency, ms", lambda run: run.p99_ms, "{:.2f}"),
    ("server CPU time per request, µs", lambda run: run.cpu_us, "{:.0f}"),
)


def print_report(results: Results, args: argparse.Namespace) -> None:
    print(environment())
    print(
        f"servers on 127.0.0.1: gunicorn (sync, {args.workers} worker(s)), waitress ({args.threads} threads); "
        f"wrk: 1 thread, {args.connections} connections, {args.duration} s per run, {args.rounds} rounds; "
        f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    if results.runs:
        for server in args.servers:
            for title, figure, shown in FIGURES:
                print(f"\n{server}: {title}, median of rounds (median ratio to {BASE} in the same round)")
                rows = [
                    [s.name, *(_cell(results, (server, s.name, c), figure, shown) for c in results.contenders)]
                    for s in results.scenarios
                    if s.timed
                ]
                print(table(["scenario", *results.contenders], rows))
        errors = sorted(
            {f"{k[2]} under {k[0]}: {r.errors}" for k, runs in results.runs.items() for r in runs if r.errors}
        )
        if errors:
            print("\nwrk socket errors (gunicorn's sync workers close each connection; wrk counts none for that):")
            print("\n".join(f"  {line}" for line in errors))
    if results.wrong:
        print("\nWRONG ANSWERS (not timed):")
        for (server, scenario, contender), problem in sorted(results.wrong.items()):
            print(f"  {contender} under {server} / {scenario}: {problem}")
    else:
        print(f"\nall answers right: {results.checked} checked over HTTP")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="start every server and check every answer; no wrk")
    parser.add_argument("--only", help="comma-separated contenders (default: all installed)")
    parser.add_argument("--servers", default="gunicorn,waitress", help="comma-separated: gunicorn, waitress")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated scenario names")
    parser.add_argument("--duration", type=int, default=3, help="seconds of wrk per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per contender and scenario, interleaved")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn's sync workers")
    parser.add_argument("--threads", type=int, default=4, help="waitress's threads (its default)")
    parser.add_argument("--start-timeout", type=float, default=60.0, help="seconds a server may take to listen")
    parser.add_argument("--wrk", default=shutil.which("wrk") or "wrk", help="the wrk to run")
    args = parser.parse_args(argv)
    args.servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = [s for s in args.servers if s not in SERVERS]
    if unknown:
        parser.error(f"unknown server {', '.join(unknown)}; choose from {', '.join(SERVERS)}")
    args.duration = min(max(args.duration, 1), 60)  # bounded: at most a minute per run
    args.rounds = min(max(args.rounds, 1), 20)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        chosen = by_name(args.only)
    except ValueError as exc:
        print(f"python -m bench.e2e: {exc}", file=sys.stderr)
        return 2
    if not args.quick and shutil.which(args.wrk) is None:
        print("python -m bench.e2e: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    contenders = [c for c in chosen if c.installed()]
    if BASE not in {c.name for c in contenders} and not args.quick:
        contenders.append(next(c for c in CONTENDERS if c.name == BASE))  # every ratio is to it
    wanted = {s.strip() for s in args.scenarios.split(",")}
    scenarios = [s for s in all_scenarios() if s.name in wanted]
    results = Results([c.name for c in contenders], scenarios)
    with tempfile.TemporaryDirectory(prefix="viewpick-e2e-") as directory:
        for server in args.servers:
            print(f"bench-e2e: starting {len(contenders)} contenders under {server}", file=sys.stderr, flush=True)
            with serving(server, contenders, args) as servers:
                check_all(results, servers, timeout=args.start_timeout)
                if not args.quick:
                    time_all(results, servers, args, directory)
    print_report(results, args)
    return 1 if results.wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
