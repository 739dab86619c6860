"""The startup scenario: build an app of ``n`` decorated views and serve its first request,
in a fresh interpreter per run, so no import or template cache of an earlier run helps.

The runner writes each contender's generated module into a temporary directory and
compiles it to bytecode first (as a deployed app would be), then runs::

    python -m bench.startup CONTENDER DIRECTORY N [--trace]

which prints one JSON line: how long importing the contender's framework took, how long
importing the views module, scanning it and building the app plus the first request took,
and the first reply. With ``--trace`` (a separate run, since tracing slows Python down) it
also reports tracemalloc's peak during the build and what the built app keeps.

For the scale table (``python -m bench.scale``) it builds the routes app of ``n`` routes
instead, each contender in its own way (``routes_app(n)``: what the ``routes-N`` scenarios
time), and prints how long the build and first request took, how much the process's resident
memory grew (RSS: tracemalloc would slow the build it times), and the CPU time of a request
to the last route, as the median of batches::

    python -m bench.startup --routes CONTENDER N
"""

from __future__ import annotations

import gc
import json
import os
import py_compile
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

from .contenders import Contender, by_name
from .scenarios import Reply, route_scenario, startup_scenario
from .wsgi import call, environ_for, time_calls

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def module_name(contender: Contender) -> str:
    return "startup_views_" + contender.name.replace("-", "_")


def write_module(contender: Contender, source: str, directory: str) -> None:
    """Write the generated views module and its bytecode into ``directory``."""
    path = os.path.join(directory, module_name(contender) + ".py")
    with open(path, "w", encoding="utf-8") as file:
        file.write(source)
    py_compile.compile(path, doraise=True)


@dataclass(frozen=True)
class StartupRun:
    """What one startup measured, and the first reply."""

    import_ms: float
    build_ms: float
    reply: Reply
    peak_kib: float | None = None
    retained_kib: float | None = None


def run(contender: Contender, directory: str, n: int, trace: bool = False) -> StartupRun:
    """One startup in a fresh interpreter."""
    command = [sys.executable, "-m", "bench.startup", contender.name, directory, str(n)] + (
        ["--trace"] if trace else []
    )
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"startup of {contender.name} failed:\n{done.stderr.strip()}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    headers = found.pop("headers")
    reply = Reply(found.pop("status"), tuple((k, v) for k, v in headers), found.pop("body").encode("utf-8"))
    return StartupRun(reply=reply, **found)


def _measure(name: str, directory: str, n: int, trace: bool) -> dict[str, Any]:
    (contender,) = by_name(name)
    started = time.perf_counter_ns()
    module = contender.load()
    imported = time.perf_counter_ns()
    sys.path.insert(0, directory)
    first = environ_for(startup_scenario(n))
    gc.collect()
    if trace:
        tracemalloc.start()
    begin = time.perf_counter_ns()
    app = module.startup_app(module_name(contender), n)
    reply = call(app, first)
    end = time.perf_counter_ns()
    found: dict[str, Any] = {
        "import_ms": (imported - started) / 1e6,
        "build_ms": (end - begin) / 1e6,
        "status": reply.status,
        "headers": reply.headers,
        "body": reply.body.decode("utf-8", "replace"),
    }
    if trace:
        gc.collect()
        retained, peak = tracemalloc.get_traced_memory()
        found.update(peak_kib=peak / 1024, retained_kib=retained / 1024)
    return found


def rss_kib() -> int:
    """The process's resident memory, from /proc/self/status (Linux)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def _measure_routes(name: str, n: int, batches: int = 7, batch_ns: float = 20e6) -> dict[str, Any]:
    (contender,) = by_name(name)
    started = time.perf_counter_ns()
    module = contender.load()
    imported = time.perf_counter_ns()
    last = environ_for(route_scenario(n, "last"))
    gc.collect()
    before = rss_kib()
    begin = time.perf_counter_ns()
    app = contender.build(module, "routes", n)
    reply = call(app, last)
    end = time.perf_counter_ns()
    gc.collect()
    grown = rss_kib() - before
    gc.freeze()  # as a preforking server does; collections then walk what requests leave
    number, per_call = 2, []
    while time_calls(app, last, number) < batch_ns / 4:
        number *= 2
    number *= 4
    for _ in range(batches):
        gc.collect()
        cpu = time.process_time_ns()
        time_calls(app, last, number)
        per_call.append((time.process_time_ns() - cpu) / number / 1000)
    return {
        "import_ms": (imported - started) / 1e6,
        "build_ms": (end - begin) / 1e6,
        "rss_kib": grown,
        "last_us": sorted(per_call)[len(per_call) // 2],
        "status": reply.status,
        "headers": reply.headers,
        "body": reply.body.decode("utf-8", "replace"),
    }


if __name__ == "__main__":
    if sys.argv[1] == "--routes":
        print(json.dumps(_measure_routes(sys.argv[2], int(sys.argv[3]))))
    else:
        name, directory, count = sys.argv[1:4]
        print(json.dumps(_measure(name, directory, int(count), trace="--trace" in sys.argv[4:])))
