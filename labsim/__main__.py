"""``python -m labsim`` / ``labsim``: command-line entry points.

    labsim run SCRIPT [--seed N] [--nodes N] [--workdir DIR | --tmp]

runs a scenario script (see :mod:`labsim.scenario`) on a fresh simulated cluster and prints its
transcript. ``SCRIPT`` may be ``-`` for stdin. Relative paths in the script resolve in the script's
directory (the current directory for stdin) unless ``--workdir`` or ``--tmp`` says otherwise.

Exit status: 0 when the script ran (whatever its kubectl commands printed), 1 when the script is
malformed or cannot be read (nothing runs; the error names the line), 2 for a bad command line.
"""
from __future__ import annotations

import argparse
import os
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="labsim", description="kubelabs' simulated Kubernetes v1.32 cluster")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    run = sub.add_parser("run", help="run a scenario script and print its transcript",
                         description="Run a scenario script (kubectl commands, heredocs, sleep) on a fresh "
                                     "simulated cluster and print the transcript.")
    run.add_argument("script", metavar="SCRIPT", help="the script file, or - for stdin")
    run.add_argument("--seed", default="0", help="the cluster's seed (default 0)")
    run.add_argument("--nodes", type=int, default=1, help="number of nodes (default 1)")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--workdir", metavar="DIR",
                       help="directory for relative paths (default: the script's directory)")
    where.add_argument("--tmp", action="store_true", help="use a fresh temporary directory for relative paths")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.nodes < 1:
        print("labsim: --nodes must be at least 1", file=sys.stderr)
        return 2
    seed: int | str = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed
    from labsim.scenario import ScriptError, run_steps

    try:
        if args.script == "-":
            text, filename, default_dir = sys.stdin.read(), "<stdin>", os.getcwd()
        else:
            with open(args.script, encoding="utf-8") as f:
                text = f.read()
            filename, default_dir = args.script, os.path.dirname(os.path.abspath(args.script))
    except (OSError, UnicodeDecodeError) as e:
        print(f"labsim: cannot read {args.script}: {e}", file=sys.stderr)
        return 1
    workdir = None if args.tmp else (args.workdir or default_dir)

    def emit(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    try:
        run_steps(text, seed=seed, nodes=args.nodes, workdir=workdir, filename=filename, emit=emit)
    except ScriptError as e:
        print(f"labsim: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
