"""``python -m bench.scale``: how building, memory and the last route's dispatch grow with the
number of routes, for 1,000 / 10,000 / 50,000 routes, viewpick beside Pyramid, Falcon and Flask.

Each (contender, size) runs in a fresh interpreter (``python -m bench.startup --routes``),
sizes interleaved over ``--runs`` rounds; the table shows medians. A build that takes longer
than ``--timeout`` seconds is stopped and shown as such (Falcon's ``add_route`` compares each
new route with every one before it: quadratic). Growth is reported as the slope of log(cost)
over log(routes) between consecutive sizes: 1.0 is linear, 2.0 quadratic, 0 constant.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import subprocess
import sys
from typing import Any

from .contenders import by_name
from .report import environment, table
from .scenarios import route_scenario
from .startup import ROOT

SIZES = (1000, 10_000, 50_000)
FIGURES = (
    ("build + first request, ms", "build_ms", "{:.0f}"),
    ("resident memory the build added, MiB", "rss_mib", "{:.1f}"),
    ("last route, CPU µs per request", "last_us", "{:.2f}"),
)


def measure(contender: str, n: int, timeout: float) -> dict[str, Any] | str:
    """One fresh interpreter's figures, or why there are none."""
    command = [sys.executable, "-m", "bench.startup", "--routes", contender, str(n)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s"
    if done.returncode != 0:
        return "failed: " + done.stderr.strip().splitlines()[-1]
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    expected = route_scenario(n, "last")
    if found["status"] != expected.status or found["body"] != expected.text:
        return f"WRONG: {found['status']} {found['body'][:40]!r}"
    found["rss_mib"] = found["rss_kib"] / 1024
    return found


def slope(small: tuple[int, float], large: tuple[int, float]) -> str:
    (n1, v1), (n2, v2) = small, large
    if v1 <= 0 or v2 <= 0:
        return "n/a"
    return f"{math.log(v2 / v1) / math.log(n2 / n1):.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="viewpick,pyramid,falcon,flask", help="comma-separated contenders")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated route counts")
    parser.add_argument("--runs", type=int, default=3, help="fresh interpreters per contender and size")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds one build may take")
    args = parser.parse_args(argv)
    contenders = [c.name for c in by_name(args.only) if c.installed()]
    sizes = sorted(int(size) for size in args.sizes.split(","))
    results: dict[tuple[str, int], list[dict[str, Any]]] = {}
    failed: dict[tuple[str, int], str] = {}
    for round_ in range(max(args.runs, 1)):
        for n in sizes:
            shift = round_ % len(contenders)
            for name in contenders[shift:] + contenders[:shift]:
                if (name, n) in failed:
                    continue
                print(f"bench-scale: round {round_ + 1} {name} {n} routes", file=sys.stderr, flush=True)
                found = measure(name, n, args.timeout)
                if isinstance(found, str):
                    failed[name, n] = found
                else:
                    results.setdefault((name, n), []).append(found)
    print(environment())
    print(f"routes apps of {', '.join(map(str, sizes))} routes; fresh interpreter per build, median of {args.runs}")

    for title, key, shown in FIGURES:
        medians = {k: statistics.median(run[key] for run in runs) for k, runs in results.items()}
        rows = []
        for n in sizes:
            rows.append([f"{n} routes", *(failed.get((c, n)) or shown.format(medians[c, n]) for c in contenders)])
        for small, large in itertools.pairwise(sizes):
            rows.append(
                [
                    f"slope {small}->{large}",
                    *(
                        slope((small, medians[c, small]), (large, medians[c, large]))
                        if (c, small) in medians and (c, large) in medians
                        else "n/a"
                        for c in contenders
                    ),
                ]
            )
        print(f"\n{title}")
        print(table(["", *contenders], rows))
    wrong = any(problem.startswith(("WRONG", "failed")) for problem in failed.values())
    print("\nslope: log(cost ratio) / log(size ratio): 1 is linear, 2 quadratic, 0 constant")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
