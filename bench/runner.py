"""The runner: check every contender's answers, then time them side by side.

For each application (the article app, the routes apps, the views apps) every contender's
app is built once, asked each scenario once and checked; only right answers are timed.
Timing calls the WSGI app directly in this process: per scenario, several repeats, and in
each repeat every contender runs one batch, in an order rotated from repeat to repeat so
that none always runs first. A batch is sized to take about ``--batch-ms``; its time over
its size is one per-request figure; the table shows the median and the minimum of the
repeats, and the median of the per-round ratios to the WebOb floor. The garbage collector
stays on (a server pays for the cycles a framework leaves behind), but every batch starts
from a fresh collection. The apps, once built, are frozen out of the collector's sight
(``gc.freeze()``, as preforking servers do after loading the app): a collection then costs
what the requests left behind, not a walk over 10,000 routes of every contender, which
took most of a run's ten minutes.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import caching, features, startup
from .contenders import FLOOR, Contender, by_name
from .profile import profile
from .report import print_report
from .scenarios import STARTUP_VIEWS, Reply, Scenario, all_scenarios, startup_scenario
from .wsgi import call, environ_for, time_batch


@dataclass
class Results:
    """Everything measured in one run; the report reads it."""

    contenders: list[Contender]
    scenarios: list[Scenario]
    quick: bool
    not_installed: list[str] = field(default_factory=list)
    replies: dict[tuple[str, str], Reply] = field(default_factory=dict)
    wrong: dict[tuple[str, str], str] = field(default_factory=dict)
    unavailable: set[tuple[str, str]] = field(default_factory=set)
    micros: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    startups: dict[str, list[startup.StartupRun]] = field(default_factory=dict)
    memory: dict[str, startup.StartupRun] = field(default_factory=dict)

    def median(self, scenario: str, contender: str) -> float | None:
        found = self.micros.get((scenario, contender))
        return statistics.median(found) if found else None

    def ratio(self, scenario: str, contender: str, base: str = FLOOR) -> float | None:
        """The median over repeats of contender / base, each pair timed in the same round, so
        that a change in the machine's load between rounds cancels out."""
        mine, theirs = self.micros.get((scenario, contender)), self.micros.get((scenario, base))
        if not mine or not theirs or len(mine) != len(theirs):
            return None
        return statistics.median(m / t for m, t in zip(mine, theirs, strict=True))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="check every answer, time a few calls only (CI)")
    parser.add_argument("--only", help="comma-separated contenders to run (default: all installed)")
    parser.add_argument("--scenarios", help="comma-separated scenario names or prefixes (default: all)")
    parser.add_argument("--repeats", type=int, default=9, help="timed batches per contender and scenario")
    parser.add_argument("--batch-ms", type=float, default=20.0, help="how long each timed batch should take")
    parser.add_argument("--startup-runs", type=int, default=5, help="fresh interpreters per contender for startup")
    parser.add_argument("--profile", metavar="CONTENDER", help="instead of timing, profile one contender's scenarios")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        chosen = by_name(args.only)
        if args.profile:
            (contender,) = by_name(args.profile)
    except ValueError as exc:
        print(f"python -m bench: {exc}", file=sys.stderr)
        return 2
    wanted = [s.strip() for s in (args.scenarios or "").split(",") if s.strip()]
    scenarios = [s for s in all_scenarios() if not wanted or any(s.name.startswith(w) for w in wanted)]
    if args.profile:
        profile(contender, scenarios)
        return 0
    results = Results([c for c in chosen if c.installed()], scenarios, args.quick)
    results.not_installed = [c.name for c in chosen if not c.installed()]
    repeats, batch_ns = (1, 0.0) if args.quick else (args.repeats, args.batch_ms * 1e6)
    for app_key, group in itertools.groupby(scenarios, key=lambda s: s.app):
        progress(f"{app_key[0]} apps" + (f" of {app_key[1]}" if app_key[1] else ""))
        run_group(results, app_key, list(group), repeats, batch_ns)
    if not wanted or any("startup".startswith(w) for w in wanted):
        progress("startup")
        run_startups(results, 1 if args.quick else args.startup_runs, trace=not args.quick)
    print_report(results)
    caching_wrong: list[str] = []
    if "viewpick" in [c.name for c in results.contenders] and (
        not wanted or any("caching".startswith(w) for w in wanted)
    ):
        progress("viewpick's caching options")
        lines, caching_wrong = caching.run(repeats, batch_ns, time_batch)
        print("\n" + "\n".join(lines + caching_wrong))
    features_wrong: list[str] = []
    if "viewpick" in [c.name for c in results.contenders] and (
        not wanted or any("features".startswith(w) for w in wanted)
    ):
        progress("viewpick's features")
        lines, features_wrong = features.run(repeats, batch_ns)
        print("\n" + "\n".join(lines + features_wrong))
    return 1 if results.wrong or caching_wrong or features_wrong else 0


def progress(what: str) -> None:
    print(f"bench: {what}...", file=sys.stderr, flush=True)


def run_group(
    results: Results, app_key: tuple[str, int], scenarios: list[Scenario], repeats: int, batch_ns: float
) -> None:
    """Build every contender's app for ``app_key``, check its answers, time the right ones."""
    apps: dict[str, Any] = {}
    for contender in results.contenders:
        try:
            app = contender.build(contender.load(), *app_key)
        except Exception:
            for scenario in scenarios:
                results.wrong[scenario.name, contender.name] = "building the app failed:\n" + traceback.format_exc()
            continue
        if app is None:
            results.unavailable.update((scenario.name, contender.name) for scenario in scenarios)
        else:
            apps[contender.name] = app
    environs = {scenario.name: environ_for(scenario) for scenario in scenarios}
    for scenario in scenarios:
        for name, app in apps.items():
            check(results, scenario, name, lambda app=app, environ=environs[scenario.name]: call(app, environ))
    gc.collect()
    gc.freeze()
    try:
        for scenario in scenarios:
            if not scenario.timed:
                continue
            right = [name for name in apps if (scenario.name, name) not in results.wrong]
            for repeat in range(repeats):
                shift = repeat % len(right) if right else 0
                for name in right[shift:] + right[:shift]:
                    per_call = time_batch(apps[name], environs[scenario.name], batch_ns)
                    results.micros.setdefault((scenario.name, name), []).append(per_call)
    finally:
        gc.unfreeze()


def check(results: Results, scenario: Scenario, contender: str, ask: Callable[[], Reply]) -> None:
    """Ask once and record the reply, or what is wrong with it."""
    try:
        reply = ask()
    except Exception:
        results.wrong[scenario.name, contender] = "the request raised:\n" + traceback.format_exc()
        return
    results.replies[scenario.name, contender] = reply
    problems = scenario.problems(reply)
    if problems:
        results.wrong[scenario.name, contender] = "; ".join(problems)


def run_startups(results: Results, runs: int, trace: bool) -> None:
    """The startup scenario: fresh interpreters, interleaved, then (with ``trace``) one traced
    run each for memory."""
    scenario = startup_scenario(STARTUP_VIEWS)
    with tempfile.TemporaryDirectory(prefix="viewpick-bench-") as directory:
        able = []
        for contender in results.contenders:
            source = getattr(contender.load(), "startup_source", None)
            if source is None:
                results.unavailable.add((scenario.name, contender.name))
                continue
            startup.write_module(contender, source(STARTUP_VIEWS), directory)
            able.append(contender)
        for repeat in range(runs):
            shift = repeat % len(able) if able else 0
            for contender in able[shift:] + able[:shift]:
                if (scenario.name, contender.name) in results.wrong:
                    continue
                found = _startup(results, scenario, contender, directory, trace=False)
                if found is not None:
                    results.startups.setdefault(contender.name, []).append(found)
        for contender in able if trace else ():
            if (scenario.name, contender.name) not in results.wrong:
                found = _startup(results, scenario, contender, directory, trace=True)
                if found is not None:
                    results.memory[contender.name] = found


def _startup(
    results: Results, scenario: Scenario, contender: Contender, directory: str, trace: bool
) -> startup.StartupRun | None:
    runs: list[startup.StartupRun] = []

    def ask() -> Reply:
        runs.append(startup.run(contender, directory, STARTUP_VIEWS, trace=trace))
        return runs[-1].reply

    check(results, scenario, contender.name, ask)
    return runs[0] if runs and (scenario.name, contender.name) not in results.wrong else None
