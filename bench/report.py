"""The plain-text report: the machine, the tables, the targets, and any wrong answers."""

from __future__ import annotations

import contextlib
import platform
import statistics
import textwrap
from collections.abc import Callable
from importlib import metadata
from typing import TYPE_CHECKING

from .contenders import FLOOR
from .scenarios import STARTUP_VIEWS

if TYPE_CHECKING:
    from .runner import Results

PACKAGES = ("viewpick", "WebOb", "Mako", "venusian", "pyramid", "pyramid_mako", "Flask", "Werkzeug", "bottle", "falcon")
MiB = 1024.0


def print_report(results: Results) -> None:
    print(environment())
    names = [c.name for c in results.contenders]
    if results.not_installed:
        print(f"not installed: {', '.join(results.not_installed)} (pip install -e '.[bench]')")
    timed = [s.name for s in results.scenarios if s.timed]
    note = "  [--quick: 2 calls each, not a measurement]" if results.quick else ""
    print(f"\nper request, µs: median of repeats (median ratio to {FLOOR} in the same round){note}")
    rows = [[s, *(_timed_cell(results, s, c) for c in names)] for s in timed]
    if "miss405" in timed:
        rows.append(["miss405 answer", *(_status_cell(results, "miss405", c) for c in names)])
    print(table(["scenario", *names], rows))
    against = [f"{s} {_x(results.ratio(s, 'viewpick', base='falcon'))}" for s in timed]
    if "falcon" in names and "viewpick" in names and not results.quick:
        print("\nviewpick / falcon, median of the per-round ratios:")
        print(textwrap.fill(", ".join(against), width=100, initial_indent="  ", subsequent_indent="  "))
    print("\nper request, µs: minimum of repeats")
    print(table(["scenario", *names], [[s, *(_min_cell(results, s, c) for c in names)] for s in timed]))
    if results.startups or results.memory:
        print(f"\nstartup: {_startup_title()}")
        print(table(["", *names], startup_rows(results, names)))
    print("\ntargets (viewpick, medians of this run):")
    if results.quick:
        print("  not judged in --quick mode")
    else:
        for label, value, met in targets(results):
            verdict = "n/a " if met is None else ("PASS" if met else "MISS")
            print(f"  {verdict}  {label}: {value}")
    if results.wrong:
        print("\nWRONG ANSWERS (not timed):")
        for (scenario, contender), problem in sorted(results.wrong.items()):
            print(f"  {contender} / {scenario}: {problem}")
    else:
        print(f"\nall answers right: {len(results.replies)} checked")


def environment() -> str:
    versions = []
    for package in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{package} {metadata.version(package)}")
    return (
        f"{platform.python_implementation()} {platform.python_version()} on {_cpu()}, {platform.system()}\n"
        + ", ".join(versions)
    )


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine() or "unknown CPU"


def _startup_title() -> str:
    return (
        f"{STARTUP_VIEWS} decorated views: import the module, scan, build the app, serve the first request "
        "(fresh interpreter per run, median ms); memory by tracemalloc in a separate run"
    )


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        )
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _special(results: Results, scenario: str, contender: str) -> str | None:
    if (scenario, contender) in results.wrong:
        return "WRONG"
    if (scenario, contender) in results.unavailable:
        return "n/a"
    return None


def _timed_cell(results: Results, scenario: str, contender: str) -> str:
    special = _special(results, scenario, contender)
    if special is not None:
        return special
    median = results.median(scenario, contender)
    if median is None:
        return "-"
    ratio = results.ratio(scenario, contender)
    return f"{median:.1f}" + ("" if ratio is None else f" ({ratio:.2f}x)")


def _min_cell(results: Results, scenario: str, contender: str) -> str:
    special = _special(results, scenario, contender)
    found = results.micros.get((scenario, contender))
    return special or (f"{min(found):.1f}" if found else "-")


def _status_cell(results: Results, scenario: str, contender: str) -> str:
    reply = results.replies.get((scenario, contender))
    if reply is None:
        return _special(results, scenario, contender) or "-"
    return f"{reply.status}" + (" +Allow" if reply.header("Allow") else "")


def startup_rows(results: Results, names: list[str]) -> list[list[str]]:
    def per(get: Callable[[str], float | None], unit: str) -> list[str]:
        cells = []
        for name in names:
            value = get(name)
            cells.append(_special(results, "startup", name) or ("-" if value is None else f"{value:.1f}{unit}"))
        return cells

    def median_of(attr: str) -> Callable[[str], float | None]:
        def get(name: str) -> float | None:
            runs = results.startups.get(name)
            return statistics.median(getattr(run, attr) for run in runs) if runs else None

        return get

    def traced(attr: str) -> Callable[[str], float | None]:
        def get(name: str) -> float | None:
            run = results.memory.get(name)
            value = getattr(run, attr) if run is not None else None
            return None if value is None else value / MiB

        return get

    return [
        ["build + first request", *per(median_of("build_ms"), " ms")],
        ["framework import", *per(median_of("import_ms"), " ms")],
        ["peak memory while building", *per(traced("peak_kib"), " MiB")],
        ["memory the app keeps", *per(traced("retained_kib"), " MiB")],
    ]


def targets(results: Results) -> list[tuple[str, str, bool | None]]:
    """Each target of the issue: what it asks, what this run measured, and whether it is met."""

    def ratio(scenario: str, over: str) -> float | None:
        top, bottom = results.median(scenario, "viewpick"), results.median(over, "viewpick")
        return top / bottom if top and bottom else None

    found: list[tuple[str, str, bool | None]] = []
    for scenario, limit in (("json", 1.05), ("html", 1.05), ("xhr", 1.05), ("miss405", 2.0)):
        value = results.ratio(scenario, "viewpick")
        found.append((f"{scenario} <= {limit}x {FLOOR}", _x(value), None if value is None else value <= limit))
    against = {s.name: results.ratio(s.name, "viewpick", base="falcon") for s in results.scenarios}
    measured = {name: value for name, value in against.items() if value is not None}
    if measured:
        worst = max(measured, key=measured.__getitem__)
        found.append(
            (
                "viewpick <= 1.0x falcon in every scenario (the highest)",
                f"{worst} {_x(measured[worst])}",
                measured[worst] <= 1.0,
            )
        )
    reply = results.replies.get(("miss405", "viewpick"))
    if reply is not None:
        answered = f"{reply.status}, Allow: {reply.header('Allow')}"
        found.append(("miss405 answers 405 with Allow", answered, reply.status == 405 and bool(reply.header("Allow"))))
    value = ratio("routes-10000:last", over="routes-10:first")
    found.append(("routes-10000:last <= 1.1x routes-10:first", _x(value), None if value is None else value <= 1.1))
    value = ratio("views-16", over="views-1")
    found.append(("views-16 <= 1.3x views-1", _x(value), None if value is None else value <= 1.3))
    runs = {name: statistics.median(r.build_ms for r in found_runs) for name, found_runs in results.startups.items()}
    mine = runs.get("viewpick")
    measured = "n/a" if mine is None else f"{mine:.1f} ms"
    found.append((f"startup of {STARTUP_VIEWS} views < 150 ms", measured, None if mine is None else mine < 150))
    theirs = runs.get("pyramid")
    faster = theirs / mine if mine and theirs else None
    found.append(("startup >= 3x faster than pyramid", _x(faster), None if faster is None else faster >= 3))
    memory = {name: run.peak_kib / MiB for name, run in results.memory.items() if run.peak_kib is not None}
    shown = ", ".join(f"{name} {memory[name]:.1f} MiB" for name in ("viewpick", "pyramid") if name in memory)
    found.append((f"peak memory of the {STARTUP_VIEWS}-view build (reported)", shown or "n/a", None))
    return found


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"
