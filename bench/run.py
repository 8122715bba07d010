"""``make bench``: run the benchmarks of ``bench/workloads.py`` and print each figure beside its target.

    python bench/run.py [--only SUBSTRING] [--runs N] [--list]

One line per benchmark: the figure (p50 of its runs), the target, and the ratio, always defined so
that **≤ 1.00 meets the target**: figure/target when lower is better (times, memory) and
target/figure when higher is better (throughputs). A benchmark whose feature is not built yet
prints ``n/a (reason)``. The exit status is 0 whatever the figures: benchmarks report, they do not
fail the build. Wall time is read here, never in ``labsim/``.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # run from anywhere: `python bench/run.py`
sys.path.insert(0, HERE)

from workloads import BENCHMARKS, Benchmark, NotAvailable  # noqa: E402


def _fmt(value: float, unit: str) -> str:
    if value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}"


def measure(b: Benchmark, runs: int) -> list[float]:
    """The figures of ``runs`` runs, in this process or (``isolated``) each in a fresh one."""
    if not b.isolated:
        return [b.measure() for _ in range(runs)]
    figures = []
    for _ in range(runs):
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", b.name],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}")
        answer = json.loads(p.stdout.strip().splitlines()[-1])
        if "n/a" in answer:
            raise NotAvailable(answer["n/a"])
        figures.append(answer["figure"])
    return figures


def line(b: Benchmark, runs: int) -> str:
    n = runs if runs > 0 else b.runs
    sign = "≤" if b.better == "lower" else "≥"
    target = f"target {sign} {_fmt(b.target, b.unit)}"
    try:
        figures = measure(b, n)
    except NotAvailable as e:
        return f"{b.name:<30} n/a ({e})   [{target}]"
    except Exception as e:  # a crash in one benchmark must not hide the others
        last = traceback.format_exception_only(type(e), e)[-1].strip()
        return f"{b.name:<30} n/a (crashed: {last})   [{target}]"
    figure = statistics.median(figures)
    label = "p50 of %d" % len(figures) if len(figures) > 1 else "1 run"
    if b.better == "lower":
        ratio, how = figure / b.target, "figure/target, lower is better"
    else:
        ratio, how = (b.target / figure if figure else float("inf")), "target/figure, lower is better"
    verdict = "meets target" if ratio <= 1 else "MISSES target"
    return (f"{b.name:<30} {_fmt(figure, b.unit):>16} ({label})  {target:<24} "
            f"ratio {ratio:.2f} ({how}) {verdict}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--only", help="run the benchmarks whose name contains this text")
    p.add_argument("--runs", type=int, default=0, help="runs per benchmark (default: each entry's own, 5)")
    p.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    p.add_argument("--child", help=argparse.SUPPRESS)  # one run of an isolated benchmark, answer as JSON
    args = p.parse_args(argv)
    by_name = {b.name: b for b in BENCHMARKS}
    if args.child:
        try:
            print(json.dumps({"figure": by_name[args.child].measure()}))
        except NotAvailable as e:
            print(json.dumps({"n/a": str(e)}))
        return 0
    chosen = [b for b in BENCHMARKS if not args.only or args.only in b.name]
    if args.list:
        for b in chosen:
            sign = "≤" if b.better == "lower" else "≥"
            print(f"{b.name:<30} {b.what} (target {sign} {_fmt(b.target, b.unit)}; {b.source})")
        return 0
    print(f"labsim benchmarks (Python {sys.version.split()[0]}, {os.cpu_count()} CPUs); "
          "ratio ≤ 1.00 meets the target")
    for b in chosen:
        print(line(b, args.runs), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
