"""``python -m bench --profile CONTENDER``: where one contender's time goes, per scenario.

Runs each chosen scenario's request many times under cProfile and prints the functions that
take the most time of their own, per request. cProfile inflates the cost of small
functions, so read the shares, not the absolute microseconds.
"""

from __future__ import annotations

import cProfile
import os
import pstats
from typing import Any

from .contenders import Contender
from .scenarios import Scenario
from .wsgi import environ_for, time_calls

TOP = 18


def profile(contender: Contender, scenarios: list[Scenario], number: int = 2000) -> None:
    module = contender.load()
    apps: dict[tuple[str, int], Any] = {}
    for scenario in scenarios:
        if not scenario.timed:
            continue
        app = apps.get(scenario.app)
        if app is None:
            app = apps[scenario.app] = contender.build(module, *scenario.app)
        if app is None:
            continue
        environ = environ_for(scenario)
        time_calls(app, environ, 50)  # warm caches, compile templates
        profiler = cProfile.Profile()
        profiler.runcall(time_calls, app, environ, number)
        print(f"\n{contender.name} / {scenario.name}: own time per request under cProfile, top {TOP}")
        print(summary(pstats.Stats(profiler), number))


def summary(stats: pstats.Stats, number: int) -> str:
    """Two views of one profile: the functions with the most time of their own, and the ones
    whose calls (with everything under them) take the most, which reads as a call tree."""
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(own for (_, _, own, _, _) in entries.values())
    rows = [
        (own, cumulative, calls, f"{name} ({_short(filename)}:{line})")
        for (filename, line, name), (_, calls, own, cumulative, _) in entries.items()
        if "bench" + os.sep + "wsgi.py" not in filename  # the harness itself
    ]
    out = [f"{'own µs':>8} {'share':>6} {'cum µs':>8} {'calls':>6}  function, by own time"]
    out += [_row(row, number, total) for row in sorted(rows, reverse=True)[:TOP]]
    out.append(f"{total / number * 1e6:8.2f} {'100%':>6} {'':>8} {'':>6}  in all (with cProfile's overhead)")
    out.append(f"\n{'own µs':>8} {'share':>6} {'cum µs':>8} {'calls':>6}  function, by time with what it calls")
    out += [_row(row, number, total) for row in sorted(rows, key=lambda row: row[1], reverse=True)[:TOP]]
    return "\n".join(out)


def _row(row: tuple[float, float, int, str], number: int, total: float) -> str:
    own, cumulative, calls, where = row
    return (
        f"{own / number * 1e6:8.2f} {own / total:6.1%} {cumulative / number * 1e6:8.2f} {calls / number:6.1f}  {where}"
    )


def _short(filename: str) -> str:
    for marker in ("site-packages" + os.sep, "wt-bench" + os.sep, "lib" + os.sep + "python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
